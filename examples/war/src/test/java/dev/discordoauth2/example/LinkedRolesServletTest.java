package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.testkit.DiscordTestLogin;
import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.testkit.TestResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The linked-roles page's own rules: the level's range, Discord's stored values as the page shows them, the
 * verification URL it names, and a cross-site POST that changes nothing on the platform. The save and push through
 * the library ({@code LinkedRoles.push}) with a real login are BrowserLoginIT's.
 */
class LinkedRolesServletTest {
    private static final String NELLY = "80351110224678912";
    @Test
    void levelWhenWithinZeroTo9999ThenParsed() {
        assertEquals(0, LinkedRolesServlet.level("0"));
        assertEquals(42, LinkedRolesServlet.level(" 42 "));
        assertEquals(9999, LinkedRolesServlet.level("9999"));
    }

    @Test
    void levelWhenOutOfRangeThenRefusedWithReason() {
        assertEquals("the level must be from 0 to 9999; 100000 is out of range.",
                assertThrows(IllegalArgumentException.class, () -> LinkedRolesServlet.level("100000")).getMessage());
        assertEquals("the level must be from 0 to 9999; -1 is out of range.",
                assertThrows(IllegalArgumentException.class, () -> LinkedRolesServlet.level("-1")).getMessage());
    }

    @Test
    void levelWhenNotAWholeNumberThenRefusedWithReason() {
        for (String text : new String[] {"4.5", "", null, "99999999999"}) {
            assertEquals("the level must be a whole number from 0 to 9999.",
                    assertThrows(IllegalArgumentException.class, () -> LinkedRolesServlet.level(text)).getMessage());
        }
    }

    @Test
    void describeWhenStoredMetadataThenReadableLines() {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("zeta", "7");
        stored.put("supporter", "1");
        stored.put("level", "42");
        assertEquals(List.of("Level 42", "Supporter yes", "zeta 7"), LinkedRolesServlet.describe(stored));
        assertEquals(List.of("Supporter no"), LinkedRolesServlet.describe(Map.of("supporter", "0")));
    }

    @Test
    void doPostWhenCrossSiteThen403AndPlatformUnchanged() throws Exception {
        LinkedRolesServlet servlet = new LinkedRolesServlet();
        servlet.platform = new DemoPlatform();
        TestResponse response = new TestResponse();
        servlet.doPost(DiscordTestLogin.as(NELLY, "nelly").onto(TestRequest
                .post("/linked-roles").header("Origin", "https://evil.example").parameter("level", "9999")
                .parameter("supporter", "on").build()), response);
        assertEquals(403, response.getStatus());
        assertEquals(DemoPlatform.NEW_ACCOUNT, servlet.platform.account(NELLY), "nothing was saved");
    }

    @Test
    void doGetWhenScopeNotGrantedThenSaysSoAndNamesTheVerificationUrl() throws Exception {
        TestResponse response = new TestResponse();
        new LinkedRolesServlet().doGet(TestRequest.get("/linked-roles").contextPath("/app")
                .server("https", "example.org", 443).build(), response);
        String body = response.body();
        assertTrue(body.contains("id=\"not-granted\""), body);
        assertTrue(body.contains("<a id=\"verification-url\"\nhref=\"https://example.org/app/discord/linked-roles\">"
                + "https://example.org/app/discord/linked-roles</a>"), body);
    }

    @Test
    void verificationUrlWhenPortNotTheDefaultThenKept() {
        String html = LinkedRolesServlet.verificationUrl(TestRequest.get("/linked-roles").build());
        assertTrue(html.contains(">http://localhost:8080/discord/linked-roles</a>"), html);
    }
}
