package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.ForbiddenException;
import dev.discordoauth2.emulator.DiscordEmulator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/me} when Discord refuses the session's token: a retry (503 with Retry-After), not "the login has
 * ended" — on a cluster the refusal is usually another node's rotation a moment before, and the library decides on
 * the session's next request. The request and response are fakes at the Servlet API edge; ReliabilityIT drives the
 * refusal through the cluster and counts a 401 here as a lost session. The refusal itself is real: an emulator's 401.
 */
class ApiMeServletTest {

    /** What the client throws when Discord refuses a token: a 401 from the emulator over HTTP. */
    private static ForbiddenException refusedByDiscord() {
        try (DiscordEmulator discord = DiscordEmulator.builder().start();
             DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId("100000000000000001")
                     .apiBaseUri(discord.apiBaseUri()).build()) {
            ForbiddenException refused = assertThrows(ForbiddenException.class,
                    () -> client.fromAccessToken("a-revoked-token").fetchIdentify());
            assertEquals(401, refused.status());
            return refused;
        }
    }

    @Test
    void doGetWhenDiscordRefusesTheTokenThen503WithRetryAfterNot401() throws Exception {
        ApiMeServlet servlet = new ApiMeServlet();
        ForbiddenException refused = refusedByDiscord();
        servlet.me = new MeResource() {
            @Override
            public Optional<String> me() {
                throw refused;
            }
        };
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> null);
        AtomicInteger status = new AtomicInteger(200);
        Map<String, String> headers = new HashMap<>();
        StringWriter body = new StringWriter();
        PrintWriter writer = new PrintWriter(body);
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        status.set((Integer) args[0]);
                        yield null;
                    }
                    case "setHeader" -> {
                        headers.put((String) args[0], (String) args[1]);
                        yield null;
                    }
                    case "getWriter" -> writer;
                    default -> null;
                });
        servlet.doGet(request, response);
        writer.flush();
        assertEquals(503, status.get(), body.toString());
        assertEquals("5", headers.get("Retry-After"));
        assertTrue(body.toString().contains("\"token_refused\""), body.toString());
    }
}
