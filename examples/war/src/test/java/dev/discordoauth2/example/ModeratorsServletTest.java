package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.web.DiscordPrincipal;
import dev.discordoauth2.testkit.DiscordTestLogin;
import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.testkit.TestResponse;
import org.junit.jupiter.api.Test;

/**
 * The moderators page for a user whose server roles give no {@code moderator}: 403 with a page saying why. The
 * request (wumpus as the filter hands the request on) and the response come from the library's test kit;
 * BrowserLoginIT opens the page as a moderator over HTTP.
 */
class ModeratorsServletTest {

    private static TestResponse get(boolean moderator) throws Exception {
        DiscordPrincipal wumpus = new DiscordPrincipal("268473310986240001", "wumpus", "Wumpus", null, null, null);
        DiscordTestLogin login = DiscordTestLogin.as(wumpus);
        TestResponse response = new TestResponse();
        new ModeratorsServlet().doGet((moderator ? login.guildRoles("moderator") : login)
                .onto(TestRequest.get("/moderators").contextPath("/app").build()), response);
        return response;
    }

    @Test
    void doGetWhenUserLacksTheModeratorRoleThen403() throws Exception {
        TestResponse response = get(false);
        String page = response.body();
        assertEquals(403, response.getStatus());
        assertTrue(page.contains("id=\"forbidden\"") && page.contains("Wumpus"), page);
    }

    @Test
    void doGetWhenUserHoldsTheModeratorRoleThenPage() throws Exception {
        TestResponse response = get(true);
        String page = response.body();
        assertEquals(200, response.getStatus());
        assertTrue(page.contains("id=\"moderators\""), page);
    }
}
