package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.ForbiddenException;
import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.testkit.TestResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/me} when Discord refuses the session's token: a retry (503 with Retry-After), not "the login has
 * ended" — on a cluster the refusal is usually another node's rotation a moment before, and the library decides on
 * the session's next request. The request and response come from the library's test kit; ReliabilityIT drives the
 * refusal through the cluster and counts a 401 here as a lost session.
 */
class ApiMeServletTest {

    @Test
    void doGetWhenDiscordRefusesTheTokenThen503WithRetryAfterNot401() throws Exception {
        ApiMeServlet servlet = new ApiMeServlet();
        servlet.me = new MeResource() {
            @Override
            public Optional<String> me() {
                throw new ForbiddenException("GET /users/@me: 401 Unauthorized", 401, 0, "401: Unauthorized", null,
                        null, null);
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
