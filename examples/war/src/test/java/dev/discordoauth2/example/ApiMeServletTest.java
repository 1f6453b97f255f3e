package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.ForbiddenException;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.testkit.TestResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/me} when Discord refuses the session's token: a retry (503 with Retry-After), not "the login has
 * ended" — on a cluster the refusal is usually another node's rotation a moment before, and the library decides on
 * the session's next request. The request and response come from the library's test kit, the refusal is a real 401
 * from the emulator; ReliabilityIT drives the refusal through the cluster and counts a 401 here as a lost session.
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
        TestResponse response = new TestResponse();
        servlet.doGet(TestRequest.get("/api/me").build(), response);
        String body = response.body();
        assertEquals(503, response.getStatus(), body);
        assertEquals("5", response.getHeader("Retry-After"));
        assertTrue(body.contains("\"token_refused\""), body);
    }
}
