package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.RecordedRequest;
import dev.discordoauth2.servlet.app.CdiServlet;
import dev.discordoauth2.servlet.app.EventsServlet;
import dev.discordoauth2.servlet.app.ProfileServlet;
import dev.discordoauth2.servlet.app.SessionSizeServlet;
import dev.discordoauth2.servlet.app.TestClockListener;
import dev.discordoauth2.servlet.app.TokenServlet;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole login on embedded Jetty 12 with Weld, against the emulator: a WAR that registers the library only in
 * {@code web.xml}, driven over real HTTP by a cookie-keeping client, with Discord's side checked in the emulator's
 * journal. The application reads the emulator's clock, so expiry is tested by moving that clock, never by sleeping.
 * Run in both session modes ({@code discord.session}): {@link DiscordLoginIT} with the container's session,
 * {@link DiscordLoginCookieIT} with the login sealed in a cookie; where the modes differ (what the browser holds),
 * a test asserts each mode's own behaviour.
 */
abstract class LoginSuite {
    static final String CLIENT_ID = "100000000000000001";
    static final String SECRET = "it-client-secret";
    static final String NELLY = "80351110224678912";
    static final String WUMPUS = "268473310986240001";

    @ArquillianResource
    URL base;

    /** This run's emulator (one per mode: each class deploys its own application). */
    abstract DiscordEmulator discord();

    /** Whether this run's application has {@code discord.session=cookie}. */
    abstract boolean cookieMode();

    static DiscordEmulator emulator() {
        return DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(CLIENT_ID).name("IT App").clientSecret(SECRET)
                        .redirectUri("http://127.0.0.1/placeholder").build())
                .start();
    }

    /** The WAR, on {@code discord}'s clock, in the container's session or with the login sealed in a cookie. */
    static WebArchive deployment(DiscordEmulator discord, boolean cookieMode) {
        System.getProperties().put(TestClockListener.PROPERTY, discord.clock());
        // the cookie outlives the tests' clock jumps (a week, to a token's expiry)
        java.util.Map<String, String> mode = cookieMode ? java.util.Map.of("discord.session", "cookie",
                "discord.cookie-max-age", "P30D",
                "discord.cookie-keys", "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[] {
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                    28, 29, 30, 31, 32})) : java.util.Map.of();
        return WebApps.war(WebApps.webXml(discord, CLIENT_ID, SECRET, "identify email", mode).replace("</web-app>",
                "<servlet><servlet-name>events</servlet-name><servlet-class>" + EventsServlet.class.getName()
                        + "</servlet-class></servlet><servlet-mapping><servlet-name>events</servlet-name>"
                        + "<url-pattern>/events</url-pattern></servlet-mapping></web-app>"), ProfileServlet.class,
                TokenServlet.class, CdiServlet.class, SessionSizeServlet.class, TestClockListener.class,
                dev.discordoauth2.servlet.app.LoginObserver.class, EventsServlet.class);
    }

    static void stop(DiscordEmulator discord) {
        discord.close();
        System.getProperties().remove(TestClockListener.PROPERTY);
    }

    @BeforeEach
    void registerRedirect() {
        discord().addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        discord().clearJournal();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    /** Follows the login from a protected page to the protected page again, as {@code userId}. */
    private HttpResponse<String> login(TestBrowser browser, String path, String userId) {
        HttpResponse<String> toDiscord = browser.get(url(path));
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), userId, "approve");
        assertEquals(302, back.statusCode(), back.body());
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), callback.body());
        return browser.follow(callback);
    }

    private long tokenRequests(String grantType) {
        return discord().journal("POST /oauth2/token").stream()
                .filter(r -> r.formParam("grant_type").orElse("").equals(grantType)).count();
    }

    @Test
    void protectedPageWhenAnonymousThenRedirectToDiscordWithStatePkceAndRedirectUri() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> response = browser.get(url("/protected/me"));
        assertEquals(302, response.statusCode());
        String location = TestBrowser.location(response);
        assertTrue(location.startsWith(discord().authorizeUri() + "?"), location);
        Map<String, String> q = TestBrowser.query(location);
        assertEquals("code", q.get("response_type"));
        assertEquals(CLIENT_ID, q.get("client_id"));
        assertEquals("identify email", q.get("scope"));
        assertEquals(url("/oauth2/callback"), q.get("redirect_uri"));
        assertTrue(q.get("state").length() >= 43, "at least 256 random bits: " + q.get("state"));
        assertEquals("S256", q.get("code_challenge_method"));
        assertEquals(43, q.get("code_challenge").length());
        assertTrue(location.contains("scope=identify%20email"), "Discord's %20 spelling");
    }

    @Test
    void loginWhenApprovedThenProtectedPageWithPrincipalAndSessionIdChanged() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/protected/me?tab=guilds"));
        String sessionBefore = browser.cookie(cookieMode() ? "DISCORD_PENDING" : "JSESSIONID").orElse(null);
        assertNotNull(sessionBefore, "the pending login lives in a session (in cookie mode: its sealed cookie)");
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), NELLY, "approve");
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), callback.body());
        assertEquals(url("/protected/me?tab=guilds"), TestBrowser.location(callback), "back where the user started");
        if (cookieMode()) {
            assertTrue(browser.cookie("DISCORD_LOGIN").isPresent(), "the login in its sealed cookie");
            assertTrue(browser.cookie("DISCORD_PENDING").isEmpty(), "the pending login's cookie deleted");
            assertTrue(browser.cookie("JSESSIONID").isEmpty(), "no HttpSession in cookie mode");
        } else {
            assertNotEquals(sessionBefore, browser.cookie("JSESSIONID").orElse(null), "session id changed at login");
        }
        HttpResponse<String> page = browser.follow(callback);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().startsWith("user=" + NELLY + " principal=" + NELLY + " type=DISCORD discord-user=true"
                + " admin=true"), page.body());
        RecordedRequest exchange = discord().journal("POST /oauth2/token").get(0);
        assertTrue(exchange.formParam("code_verifier").isPresent(), "PKCE verifier sent");
        assertTrue(exchange.header("Authorization").orElseThrow().startsWith("Basic "));
        assertEquals(200, browser.get(url("/protected/me")).statusCode(), "stays logged in");
    }

    @Test
    void roleMappingWhenUserNotListedThenNotInRole() {
        HttpResponse<String> page = login(new TestBrowser(), "/protected/me", WUMPUS);
        assertTrue(page.body().contains("user=" + WUMPUS) && page.body().contains("admin=false"), page.body());
    }

    @Test
    void callbackWhenStateReplayedThenNoSecondExchange() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = browser.consent(TestBrowser.location(browser.get(url("/protected/me"))), NELLY,
                "approve");
        String callbackUrl = TestBrowser.location(back);
        assertEquals(302, browser.get(callbackUrl).statusCode());
        HttpResponse<String> replay = browser.get(callbackUrl);
        assertEquals(302, replay.statusCode(), "the logged-in session just goes on");
        assertEquals(url("/"), TestBrowser.location(replay));
        HttpResponse<String> stolen = new TestBrowser().get(callbackUrl);
        assertEquals(400, stolen.statusCode(), "another browser replaying it gets the error page");
        assertTrue(stolen.body().contains("already used") || stolen.body().contains("expired"), stolen.body());
        assertEquals(1, tokenRequests("authorization_code"));
    }

    @Test
    void callbackWhenStateUnknownOrMissingThen400WithoutExchange() {
        TestBrowser browser = new TestBrowser();
        browser.get(url("/protected/me"));
        // a state the browser's session does not hold: loaded once more a second later (on a cluster the session
        // may not have reached the store yet), then the error page; never an exchange
        HttpResponse<String> first = browser.get(url("/oauth2/callback?code=abc&state=forged"));
        if (cookieMode()) {
            // the pending logins travel in the browser's own cookie: nothing can still be on its way, no retry
            assertEquals(400, first.statusCode(), first.body());
        } else {
            assertEquals(503, first.statusCode(), first.body());
            assertEquals("1; url=" + url("/oauth2/callback?code=abc&state=forged"),
                    first.headers().firstValue("Refresh").orElse(null), "reloads the callback's own URL");
            assertEquals("1", first.headers().firstValue("Retry-After").orElse(null));
        }
        assertEquals(400, browser.get(url("/oauth2/callback?code=abc&state=forged")).statusCode());
        assertEquals(400, new TestBrowser().get(url("/oauth2/callback?code=abc&state=forged")).statusCode(),
                "without a session cookie, waiting cannot help: the error page at once");
        HttpResponse<String> missing = browser.get(url("/oauth2/callback?code=abc"));
        assertEquals(400, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertFalse(missing.body().contains("Exception"), "no stack trace");
        assertEquals(0, tokenRequests("authorization_code"));
    }

    @Test
    void callbackWhenStateExpiredThen400WithoutExchange() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = browser.consent(TestBrowser.location(browser.get(url("/protected/me"))), NELLY,
                "approve");
        discord().advanceClock(Duration.ofMinutes(11));
        assertEquals(400, browser.follow(back).statusCode());
        assertEquals(0, tokenRequests("authorization_code"));
    }

    @Test
    void callbackWhenCodeMissingThen400() {
        TestBrowser browser = new TestBrowser();
        String state = TestBrowser.query(TestBrowser.location(browser.get(url("/protected/me")))).get("state");
        assertEquals(400, browser.get(url("/oauth2/callback?state=" + state)).statusCode());
        assertEquals(0, tokenRequests("authorization_code"));
    }

    @Test
    void callbackWhenAccessDeniedThenCleanUrlWithLoginCancelledPageAndRetryLink() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> denied = browser.consent(TestBrowser.location(browser.get(url("/protected/me"))), NELLY,
                "deny");
        HttpResponse<String> callback = browser.follow(denied);
        assertEquals(303, callback.statusCode(), callback.body());
        String clean = TestBrowser.location(callback);
        assertEquals(url("/oauth2/login?return=%2Fprotected%2Fme&cancelled"), clean,
                "no error, error_description or state in the address bar");
        HttpResponse<String> page = browser.follow(callback);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Login cancelled"), page.body());
        assertTrue(page.body().contains("id=\"retry\" class=\"button\" href=\""
                + url("/oauth2/login?return=%2Fprotected%2Fme\"")), page.body());
        assertEquals(302, browser.get(url("/protected/me")).statusCode(), "still not logged in");
    }

    @Test
    void loginPathWhenReturnIsAbsoluteOrProtocolRelativeThenStaysInApplication() {
        for (String evil : List.of("https://evil.example/steal", "//evil.example/steal", "/\\evil.example")) {
            TestBrowser browser = new TestBrowser();
            HttpResponse<String> start = browser.get(url("/oauth2/login?return="
                    + java.net.URLEncoder.encode(evil, java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(302, start.statusCode());
            HttpResponse<String> back = browser.consent(TestBrowser.location(start), NELLY, "approve");
            HttpResponse<String> callback = browser.follow(back);
            assertEquals(url("/"), TestBrowser.location(callback), "after-login-uri instead of " + evil);
        }
    }

    @Test
    void loginPathWhenLocalReturnThenThere() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> start = browser.get(url("/oauth2/login?return=%2Fprotected%2Ftoken"));
        HttpResponse<String> callback = browser.follow(browser.consent(TestBrowser.location(start), NELLY, "approve"));
        assertEquals(url("/protected/token"), TestBrowser.location(callback));
        HttpResponse<String> page = browser.follow(callback);
        assertTrue(page.body().startsWith("me=nelly"), page.body());
    }

    @Test
    void protectedApiWhenAjaxOrJsonOrPostThen401JsonNotRedirect() {
        TestBrowser browser = new TestBrowser();
        List<HttpResponse<String>> answers = List.of(
                browser.get(url("/api/me"), "Accept", "application/json"),
                browser.get(url("/protected/me"), "X-Requested-With", "XMLHttpRequest"),
                browser.get(url("/protected/me"), "Sec-Fetch-Mode", "cors", "Accept", "*/*"),
                browser.post(url("/protected/me"), "a=b", "Accept", "text/html"),
                browser.get(url("/protected/logo.png")));
        for (HttpResponse<String> r : answers) {
            assertEquals(401, r.statusCode(), r.request().toString());
            assertTrue(r.headers().firstValue("Location").isEmpty());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Discord "));
            assertTrue(r.body().contains("\"login_url\":\"" + base.getPath().replaceAll("/$", "")
                    + "/oauth2/login?return="), r.body());
        }
        assertTrue(answers.get(4).body().contains("return=%2F\""), "an asset is never a return URL");
    }

    @Test
    void loginWhenTwoTabsStartedAndSecondCompletesFirstThenEachTabReturnsToItsOwnPage() {
        TestBrowser browser = new TestBrowser();
        String tab1 = TestBrowser.location(browser.get(url("/protected/me?tab=1")));
        String tab2 = TestBrowser.location(browser.get(url("/protected/me?tab=2")));
        assertNotEquals(TestBrowser.query(tab1).get("state"), TestBrowser.query(tab2).get("state"));
        HttpResponse<String> second = browser.follow(browser.consent(tab2, NELLY, "approve"));
        assertEquals(url("/protected/me?tab=2"), TestBrowser.location(second));
        // tab 1 comes back after tab 2's login: its own page, without a second code exchange
        HttpResponse<String> first = browser.follow(browser.consent(tab1, NELLY, "approve"));
        assertEquals(302, first.statusCode(), first.body());
        assertEquals(url("/protected/me?tab=1"), TestBrowser.location(first), "tab 1's own page, not after-login-uri");
        assertEquals(200, browser.get(url("/protected/me?tab=1")).statusCode());
        assertEquals(1, tokenRequests("authorization_code"), "the second code is never exchanged");
        HttpResponse<String> replay = browser.get(TestBrowser.location(browser.consent(tab1, NELLY, "approve")));
        assertEquals(url("/"), TestBrowser.location(replay),
                "tab 1's state worked once; then the already-logged-in rule");
    }

    @Test
    void loginWhenOtherTabsPendingLoginExpiredThenItNoLongerReturnsAndLeavesTheSession() {
        TestBrowser browser = new TestBrowser();
        String tab1 = TestBrowser.location(browser.get(url("/protected/me?tab=1")));
        String tab2 = TestBrowser.location(browser.get(url("/protected/me?tab=2")));
        assertEquals(url("/protected/me?tab=2"), TestBrowser.location(browser.follow(browser.consent(tab2, NELLY,
                "approve"))));
        if (!cookieMode()) {
            assertTrue(browser.get(url("/protected/session")).body().contains("dev.discordoauth2.web.PendingLogin"),
                    "tab 1's way back is kept for its state-ttl");
        }
        discord().advanceClock(Duration.ofMinutes(11)); // discord.state-ttl is 10 minutes
        if (!cookieMode()) {
            HttpResponse<String> session = browser.get(url("/protected/session"));
            assertFalse(session.body().contains("dev.discordoauth2.web.PendingLogin"), "gone once expired: "
                    + session.body());
        }
        HttpResponse<String> late = browser.get(TestBrowser.location(browser.consent(tab1, NELLY, "approve")));
        assertEquals(url("/"), TestBrowser.location(late), "an expired state does not return to its page");
        assertEquals(1, tokenRequests("authorization_code"));
    }

    @Test
    void logoutWhenPostedThenRevokedAtDiscordAndSessionEnded() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me", NELLY).statusCode());
        assertEquals(405, browser.get(url("/oauth2/logout")).statusCode(), "GET cannot log out");
        HttpResponse<String> logout = browser.post(url("/oauth2/logout"), "");
        assertEquals(303, logout.statusCode());
        assertEquals(url("/"), TestBrowser.location(logout));
        assertEquals(1, discord().journal("POST /oauth2/token/revoke").size());
        assertFalse(discord().isAuthorized(CLIENT_ID, NELLY));
        HttpResponse<String> again = browser.get(url("/protected/me"));
        assertEquals(302, again.statusCode());
        assertTrue(TestBrowser.location(again).startsWith(discord().authorizeUri().toString()));
    }

    @Test
    void logoutWhenRevocationFailsThenSessionEndsAnyway() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me", NELLY).statusCode());
        discord().injectFault("POST /oauth2/token/revoke", dev.discordoauth2.emulator.Fault.status(503,
                "{\"message\": \"503: Service Unavailable\", \"code\": 0}").times(3));
        HttpResponse<String> logout = browser.post(url("/oauth2/logout"), "");
        assertEquals(303, logout.statusCode());
        assertEquals(3, discord().journal("POST /oauth2/token/revoke").size(), "tried, with retries");
        assertEquals(302, browser.get(url("/protected/me")).statusCode(), "logged out all the same");
        discord().clearFaults();
    }

    @Test
    void refreshWhenTokenNearExpiryAndConcurrentRequestsThenExactlyOneRefresh() throws Exception {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me", NELLY).statusCode());
        discord().advanceClock(Duration.ofDays(7).minusSeconds(30));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> browser.get(url("/protected/token")).statusCode());
            }
            for (Future<Integer> f : pool.invokeAll(calls)) {
                assertEquals(200, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, tokenRequests("refresh_token"), "single flight");
        assertEquals(200, browser.get(url("/protected/token")).statusCode());
        assertEquals(1, tokenRequests("refresh_token"), "the rotated token was stored");
    }

    @Test
    void refreshWhenAuthorizationRevokedElsewhereThenUserLoggedOutCleanly() {
        TestBrowser tab = new TestBrowser();
        TestBrowser other = new TestBrowser();
        assertEquals(200, login(tab, "/protected/me", NELLY).statusCode());
        assertEquals(200, login(other, "/protected/me", NELLY).statusCode());
        other.post(url("/oauth2/logout"), "");
        discord().advanceClock(Duration.ofDays(7).minusSeconds(30));
        tab.get(url("/protected/me")); // invalid_grant: revoked, or another node refreshed first
        discord().advanceClock(Duration.ofSeconds(36)); // past 30 s + discord.refresh-timeout (5 s): decided
        HttpResponse<String> afterRevoke = tab.get(url("/protected/me"));
        assertEquals(302, afterRevoke.statusCode(), "the same refused token again: the user is logged out");
        assertTrue(TestBrowser.location(afterRevoke).startsWith(discord().authorizeUri().toString()));
    }

    @Test
    void cdiWhenServletInjectsClientAndIdentityThenBothWork() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> anonymous = browser.get(url("/cdi"));
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertEquals("client=" + CLIENT_ID + " api=" + discord().apiBaseUri()
                + " user=anonymous me=none offline=false",
                anonymous.body());
        login(browser, "/protected/me", NELLY);
        HttpResponse<String> loggedIn = browser.get(url("/cdi"));
        assertEquals("client=" + CLIENT_ID + " api=" + discord().apiBaseUri() + " user=nelly me=" + NELLY
                + " offline=false",
                loggedIn.body());
    }

    @Test
    void loginAndLogoutWhenCdiObserverThenLoggedInAndLoggedOutEventsObserved() {
        TestBrowser browser = new TestBrowser();
        login(browser, "/protected/me", WUMPUS);
        assertTrue(browser.get(url("/events")).body().contains("LoggedIn:" + WUMPUS), "the login was observed");
        assertEquals(303, browser.post(url("/oauth2/logout"), "").statusCode());
        assertTrue(new TestBrowser().get(url("/events")).body().contains("LoggedOut:" + WUMPUS),
                "the logout was observed");
    }
}
