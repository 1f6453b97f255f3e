package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.servlet.app.TestClockListener;
import dev.discordoauth2.servlet.app.WhoServlet;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code discord.session=cookie} through the web.xml components on embedded Jetty 12 with Weld, against the emulator:
 * the whole login, a protected page, a refresh and the logout without any {@code HttpSession} (no
 * {@code JSESSIONID} is ever set), the cookies' attributes, and a cookie replayed after a revoking logout ending at
 * the next periodic check.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CookieSessionIT {
    static final String CLIENT_ID = "100000000000000078";
    static final String SECRET = "it-cookie-secret";
    static final String NELLY = "80351110224678912";
    static final DiscordEmulator DISCORD = DiscordEmulator.builder()
            .demoData(EmulatedApplication.builder(CLIENT_ID).name("IT App").clientSecret(SECRET)
                    .redirectUri("http://127.0.0.1/placeholder").build())
            .start();

    static {
        System.getProperties().put(TestClockListener.PROPERTY, DISCORD.clock());
    }

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String who = "<servlet><servlet-name>who</servlet-name><servlet-class>" + WhoServlet.class.getName()
                + "</servlet-class></servlet><servlet-mapping><servlet-name>who</servlet-name><url-pattern>"
                + "/protected/who</url-pattern></servlet-mapping></web-app>";
        return WebApps.war(WebApps.webXml(DISCORD, CLIENT_ID, SECRET, "identify", Map.of("discord.session", "cookie",
                "discord.cookie-keys", "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "discord.cookie-max-age",
                "P30D")).replace("</web-app>", who), WhoServlet.class, TestClockListener.class);
    }

    @AfterAll
    static void stop() {
        DISCORD.close();
        System.getProperties().remove(TestClockListener.PROPERTY);
    }

    @BeforeEach
    void registerRedirect() {
        DISCORD.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private static List<String> setCookies(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie");
    }

    private static void assertNoSession(HttpResponse<?> response) {
        assertFalse(setCookies(response).stream().anyMatch(c -> c.startsWith("JSESSIONID")), setCookies(response)
                .toString());
    }

    private TestBrowser login() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/protected/who"));
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        assertNoSession(toDiscord);
        assertTrue(setCookies(toDiscord).stream().anyMatch(c -> c.startsWith("DISCORD_PENDING=1.k1.")),
                setCookies(toDiscord).toString());
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), NELLY, "approve");
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), callback.body());
        assertNoSession(callback);
        String login = setCookies(callback).stream().filter(c -> c.startsWith("DISCORD_LOGIN=")).findFirst()
                .orElseThrow(() -> new AssertionError(setCookies(callback).toString()));
        String lower = login.toLowerCase(java.util.Locale.ROOT);
        assertTrue(lower.contains("httponly") && lower.contains("samesite=lax") && lower.contains("path=/"), login);
        assertTrue(login.length() < 4000, login.length() + " bytes");
        return browser;
    }

    @Test
    void loginWhenCompletedInCookieModeThenProtectedPageServedAndNoHttpSessionEver() {
        TestBrowser browser = login();
        HttpResponse<String> page = browser.get(url("/protected/who"));
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("user=" + NELLY + " session=false", page.body());
        assertNoSession(page);
        assertTrue(browser.cookie("JSESSIONID").isEmpty());
    }

    @Test
    void cookieWhenTamperedTruncatedOrForeignThenTheLoginStartsAgainNeverA500() {
        String good = login().cookie("DISCORD_LOGIN").orElseThrow();
        for (String bad : List.of(good.substring(0, good.length() - 2) + "xx", good.substring(0, 40), "2" + good
                .substring(1), "1.k7" + good.substring(4), "%%%", "1." + "A".repeat(5000))) {
            HttpResponse<String> page = new TestBrowser().get(url("/protected/who"), "Cookie", "DISCORD_LOGIN=" + bad);
            assertEquals(302, page.statusCode(), bad + ": " + page.body());
            assertNoSession(page);
        }
        HttpResponse<String> script = new TestBrowser().get(url("/protected/who"), "Cookie",
                "DISCORD_LOGIN=" + good.substring(0, 40), "Accept", "application/json");
        assertEquals(401, script.statusCode(), script.body());
    }

    @Test
    void refreshWhenTokensDueThenThePageCarriesTheResealedCookieAndTheNextRequestNeedsNoRefresh() {
        TestBrowser browser = login();
        String before = browser.cookie("DISCORD_LOGIN").orElseThrow();
        DISCORD.advanceClock(Duration.ofDays(7).minusSeconds(30));
        long grants = DISCORD.journal("POST /oauth2/token").size();
        HttpResponse<String> page = browser.get(url("/protected/who"));
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(!before.equals(browser.cookie("DISCORD_LOGIN").orElseThrow()), "resealed with the new tokens");
        assertEquals(200, browser.get(url("/protected/who")).statusCode());
        assertEquals(grants + 1, DISCORD.journal("POST /oauth2/token").size(), "one refresh");
    }

    @Test
    void logoutWhenPostedThenCookiesDeletedAndAReplayedCookieEndsAtTheNextCheck() {
        TestBrowser browser = login();
        String stolen = browser.cookie("DISCORD_LOGIN").orElseThrow();
        HttpResponse<String> out = browser.post(url("/oauth2/logout"), "", "Origin",
                base.getProtocol() + "://" + base.getHost() + ":" + base.getPort());
        assertEquals(303, out.statusCode(), out.body());
        assertTrue(setCookies(out).stream().anyMatch(c -> c.startsWith("DISCORD_LOGIN=") && c.contains("Max-Age=0")),
                setCookies(out).toString());
        assertTrue(browser.cookie("DISCORD_LOGIN").isEmpty(), "the browser dropped it");
        // the grant was revoked at Discord; a copy of the old cookie holds until the periodic check asks Discord
        TestBrowser thief = new TestBrowser();
        HttpResponse<String> replay = thief.get(url("/protected/who"), "Cookie", "DISCORD_LOGIN=" + stolen);
        assertEquals(200, replay.statusCode(), "within discord.revalidate-interval: " + replay.body());
        DISCORD.advanceClock(Duration.ofMinutes(16));
        // the due check runs in the background; a request after its answer (and the ledger's grace) sees the refusal
        int status = 200;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (status == 200 && System.nanoTime() < deadline) {
            status = thief.get(url("/protected/who"), "Cookie", "DISCORD_LOGIN=" + stolen).statusCode();
            if (status == 200) {
                // the refusal is decided after a grace for a rotation elsewhere, on the application's clock
                DISCORD.advanceClock(Duration.ofSeconds(10));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        assertEquals(302, status, "Discord refused the revoked token: the copy's login ended");
    }
}
