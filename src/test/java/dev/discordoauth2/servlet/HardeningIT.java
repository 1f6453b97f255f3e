package dev.discordoauth2.servlet;

import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.servlet.app.CdiServlet;
import dev.discordoauth2.servlet.app.ProfileServlet;
import dev.discordoauth2.servlet.app.SessionSizeServlet;
import dev.discordoauth2.servlet.app.TestClockListener;
import dev.discordoauth2.servlet.app.TokenServlet;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Discord's bad days and hostile requests, on embedded Jetty 12 with the web.xml drop-in, every fault driven through
 * the emulator: slow, failing and refusing token endpoints during refresh and login, malformed and rate-limited
 * answers, revocation elsewhere, logout racing a refresh, cross-site logout, the session cookie's flags and the
 * session's size. The application reads the emulator's clock, so expiry and backoff move with
 * {@code advanceClock}, never with sleeps; the time budgets are short here (refresh 1 s, callback 2 s) so that slow
 * answers cost the suite little.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HardeningIT {
    static final String CLIENT_ID = "100000000000000002";
    static final String SECRET = "hardening-secret";
    static final String NELLY = "80351110224678912";
    static final DiscordEmulator DISCORD = DiscordEmulator.builder()
            .threads(32) // the slow-Discord tests hold many of its worker threads at once
            .demoData(EmulatedApplication.builder(CLIENT_ID).name("Hardening").clientSecret(SECRET)
                    .redirectUri("http://127.0.0.1/placeholder").build())
            .start();

    static {
        System.getProperties().put(TestClockListener.PROPERTY, DISCORD.clock());
    }

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return WebApps.war(WebApps.webXml(DISCORD, CLIENT_ID, SECRET, "identify", Map.of(
                DiscordConfig.REFRESH_TIMEOUT, "PT1S", DiscordConfig.CALLBACK_TIMEOUT, "PT2S")),
                ProfileServlet.class, TokenServlet.class, CdiServlet.class, SessionSizeServlet.class,
                TestClockListener.class);
    }

    @AfterAll
    static void stop() {
        DISCORD.close();
        System.getProperties().remove(TestClockListener.PROPERTY);
    }

    private static boolean warmedUp;

    @BeforeEach
    void registerRedirect() {
        DISCORD.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        if (!warmedUp) {
            // the first login of a fresh JVM warms up JAX-RS and JSON-B; keep it out of the 2 s callback budget
            warmedUp = true;
            login(new TestBrowser(), "/protected/me");
        }
        DISCORD.clearJournal();
    }

    @AfterEach
    void clearFaults() {
        DISCORD.clearFaults();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private HttpResponse<String> login(TestBrowser browser, String path) {
        HttpResponse<String> toDiscord = browser.get(url(path));
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        HttpResponse<String> callback = browser.follow(browser.consent(TestBrowser.location(toDiscord), NELLY,
                "approve"));
        assertEquals(302, callback.statusCode(), callback.body());
        return browser.follow(callback);
    }

    /** Up to the callback: the browser is back from Discord with a code, the callback not yet requested. */
    private HttpResponse<String> backFromDiscord(TestBrowser browser) {
        HttpResponse<String> toDiscord = browser.get(url("/protected/me"));
        return browser.consent(TestBrowser.location(toDiscord), NELLY, "approve");
    }

    private long count(String route) {
        return DISCORD.journal(route).size();
    }

    private long refreshes() {
        return DISCORD.journal("POST /oauth2/token").stream()
                .filter(r -> r.formParam("grant_type").orElse("").equals("refresh_token")).count();
    }

    private static void assertNoStackTrace(HttpResponse<String> response) {
        assertFalse(response.body().contains("Exception"), response.body());
        assertFalse(response.body().contains("\tat "), response.body());
    }

    private static void awaitJournal(String route, int atLeast) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (DISCORD.journal(route).size() < atLeast) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Discord never saw " + atLeast + " x " + route);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    // ------------------------------------------------------------------ 4: refresh while Discord misbehaves

    @Test
    void refreshWhenTokenEndpointFailsThenCurrentTokenServesAndFailureIsRememberedWithBackoff() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        DISCORD.advanceClock(Duration.ofDays(7).minusSeconds(30)); // within the refresh skew, still valid
        DISCORD.injectFault("POST /oauth2/token", Fault.status(503, "{\"message\": \"busy\", \"code\": 0}").times(50));
        assertEquals(200, browser.get(url("/protected/me")).statusCode(), "the valid token still serves");
        assertEquals(1, refreshes());
        for (int i = 0; i < 5; i++) {
            assertEquals(200, browser.get(url("/protected/token")).statusCode());
        }
        assertEquals(1, refreshes(), "no new refresh during the backoff");
        DISCORD.advanceClock(Duration.ofSeconds(6));
        assertEquals(200, browser.get(url("/protected/me")).statusCode());
        assertEquals(2, refreshes(), "tried again once the first backoff (5 s) passed");
        DISCORD.advanceClock(Duration.ofSeconds(6));
        browser.get(url("/protected/me"));
        assertEquals(2, refreshes(), "the second backoff is 10 s");
        DISCORD.clearFaults();
        DISCORD.advanceClock(Duration.ofSeconds(5));
        assertEquals(200, browser.get(url("/protected/token")).statusCode());
        assertEquals(3, refreshes());
        browser.get(url("/protected/me"));
        assertEquals(3, refreshes(), "refreshed: nothing more to do");
    }

    @Test
    void refreshWhenTokenExpiredAndDiscordDownThen503WithRetryAfterAndLoginKept() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        DISCORD.advanceClock(Duration.ofDays(7).plusMinutes(1)); // expired
        DISCORD.injectFault("POST /oauth2/token", Fault.status(502, "text/html", "<html>Bad gateway</html>")
                .times(50));
        HttpResponse<String> page = browser.get(url("/protected/me"));
        assertEquals(503, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Retry-After").isPresent());
        assertTrue(page.body().contains("Discord is not answering"), page.body());
        assertNoStackTrace(page);
        HttpResponse<String> api = browser.get(url("/api/me"), "Accept", "application/json");
        assertEquals(503, api.statusCode(), api.body());
        assertTrue(api.body().startsWith("{\"error\":\"discord_unavailable\""), api.body());
        assertTrue(api.headers().firstValue("Retry-After").isPresent());
        DISCORD.clearFaults();
        DISCORD.advanceClock(Duration.ofSeconds(61));
        HttpResponse<String> back = browser.get(url("/protected/me"));
        assertEquals(200, back.statusCode(), "still logged in after the outage: " + back.body());
    }

    @Test
    void refreshWhenTokenEndpointSlowThenRequestAnsweredWithinBudgetAndRotatedTokenKept() throws Exception {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        DISCORD.advanceClock(Duration.ofDays(7).minusSeconds(30));
        DISCORD.injectFault("POST /oauth2/token", Fault.delay(Duration.ofSeconds(3)));
        long started = System.nanoTime();
        HttpResponse<String> page = browser.get(url("/protected/me"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(200, page.statusCode(), "served with the still-valid token");
        assertTrue(tookMs < 3000, "did not wait for the slow refresh: " + tookMs + " ms");
        awaitJournal("POST /oauth2/token", 1);
        Thread.sleep(3500); // let the slow answer arrive (the emulator's delay is real time)
        assertEquals(200, browser.get(url("/protected/token")).statusCode());
        assertEquals(1, refreshes(), "the late answer's tokens were kept, not refreshed again");
        DISCORD.advanceClock(Duration.ofDays(1));
        assertEquals(200, browser.get(url("/protected/token")).statusCode(), "the rotated refresh token works");
    }

    @Test
    void refreshWhenDiscordAnswersAfterTheClientReadTimeoutThenRotatedTokensKept() throws Exception {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        DISCORD.advanceClock(Duration.ofDays(7).minusSeconds(45));
        // Discord handles the refresh (rotating the refresh token) only after 11 s: past the client's 10 s read
        // timeout. Given up at 10 s, its answer would take the only copy of the new tokens with it.
        DISCORD.injectFault("POST /oauth2/token", Fault.delay(Duration.ofSeconds(11)));
        assertEquals(200, browser.get(url("/protected/me")).statusCode(), "served with the still-valid token");
        awaitJournal("POST /oauth2/token", 1);
        Thread.sleep(12_000); // the emulator's delay is real time
        HttpResponse<String> after = browser.get(url("/protected/token"));
        assertEquals(200, after.statusCode(), "the late answer's tokens were applied: " + after.body());
        assertEquals(1, refreshes(), "not refreshed again with the rotated-away token");
        DISCORD.advanceClock(Duration.ofDays(1));
        assertEquals(200, browser.get(url("/protected/token")).statusCode(), "the rotated refresh token works");
    }

    @Test
    void refreshWhenInvalidGrantThenLoggedOutCleanly() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        DISCORD.advanceClock(Duration.ofDays(7).minusSeconds(30));
        DISCORD.injectFault("POST /oauth2/token", Fault.status(400,
                "{\"error\": \"invalid_grant\", \"error_description\": \"Invalid \\\"refresh_token\\\" in request.\"}"));
        // another node may have refreshed first: the still-valid token serves, the next request decides
        assertEquals(200, browser.get(url("/protected/me")).statusCode());
        assertEquals(200, browser.get(url("/protected/me")).statusCode(), "within the grace period: undecided");
        DISCORD.advanceClock(Duration.ofSeconds(32)); // past the decision delay: 30 s + discord.refresh-timeout (1 s)
        HttpResponse<String> page = browser.get(url("/protected/me"));
        assertEquals(302, page.statusCode(), page.body());
        assertTrue(TestBrowser.location(page).startsWith(DISCORD.authorizeUri().toString()));
        HttpResponse<String> api = browser.get(url("/api/me"), "Accept", "application/json");
        assertEquals(401, api.statusCode());
    }

    @Test
    void refreshWhenInvalidGrantAndTokenExpiredThen503UntilDecidedThenLoggedOut() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        DISCORD.advanceClock(Duration.ofDays(7).plusMinutes(1));
        DISCORD.injectFault("POST /oauth2/token", Fault.status(400,
                "{\"error\": \"invalid_grant\", \"error_description\": \"Invalid \\\"refresh_token\\\" in request.\"}"));
        HttpResponse<String> first = browser.get(url("/protected/me"));
        assertEquals(503, first.statusCode(), "another node may have refreshed first: retry, never a 500");
        assertTrue(first.headers().firstValue("Retry-After").isPresent());
        DISCORD.advanceClock(Duration.ofSeconds(32));
        HttpResponse<String> api = browser.get(url("/api/me"), "Accept", "application/json");
        assertEquals(401, api.statusCode(), "read again, still the refused token: revoked " + api.body());
        HttpResponse<String> second = browser.get(url("/protected/me"));
        assertEquals(302, second.statusCode());
        assertTrue(TestBrowser.location(second).startsWith(DISCORD.authorizeUri().toString()), "logged out");
    }

    // ------------------------------------------------------------------ 3: logout while a refresh runs

    @Test
    void logoutWhenRefreshRunningThenWaitingRequestsAreLoggedOutNot500() throws Exception {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        DISCORD.advanceClock(Duration.ofDays(7).plusSeconds(10)); // expired: requests must wait for the refresh
        DISCORD.injectFault("POST /oauth2/token", Fault.delay(Duration.ofMillis(700)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> browser.get(url("/protected/token")));
            }
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (Callable<HttpResponse<String>> c : calls) {
                futures.add(pool.submit(c));
            }
            awaitJournal("POST /oauth2/token", 1);
            HttpResponse<String> logout = browser.post(url("/oauth2/logout"), "", "Origin", url(""));
            assertEquals(303, logout.statusCode(), logout.body());
            for (Future<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
                assertTrue(r.statusCode() == 302 || r.statusCode() == 200 || r.statusCode() == 503,
                        "logged out (or served before the logout), never a 500: " + r.statusCode() + " " + r.body());
                assertNoStackTrace(r);
            }
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> after = browser.get(url("/protected/me"));
        assertEquals(302, after.statusCode(), "logged out");
    }

    // ------------------------------------------------------------------ 5: revoked elsewhere

    @Test
    void appCallWhenTokenRevokedElsewhereThen401AndLoginEnded() {
        TestBrowser tab = new TestBrowser();
        TestBrowser other = new TestBrowser();
        assertEquals(200, login(tab, "/protected/me").statusCode());
        assertEquals(200, login(other, "/protected/me").statusCode());
        other.post(url("/oauth2/logout"), "", "Origin", url("")); // revokes the whole authorization at Discord
        HttpResponse<String> call = tab.get(url("/protected/token"));
        assertEquals(401, call.statusCode(), call.body());
        // another node may have rotated the token: decided once the session is read again after the decision delay
        // (30 s for a refresh's answer + discord.refresh-timeout, 1 s here)
        DISCORD.advanceClock(Duration.ofSeconds(32));
        HttpResponse<String> next = tab.get(url("/protected/me"));
        assertEquals(302, next.statusCode(), "the 401 ended the login: " + next.body());
        assertTrue(TestBrowser.location(next).startsWith(DISCORD.authorizeUri().toString()));
    }

    @Test
    void revalidationWhenIntervalPassedAndTokenRevokedThenNextNavigationGoesToDiscord() {
        TestBrowser tab = new TestBrowser();
        TestBrowser other = new TestBrowser();
        assertEquals(200, login(tab, "/protected/me").statusCode());
        assertEquals(200, login(other, "/protected/me").statusCode());
        other.post(url("/oauth2/logout"), "", "Origin", url(""));
        DISCORD.clearJournal();
        assertEquals(200, tab.get(url("/protected/me")).statusCode(), "within the interval: not checked");
        assertEquals(0, count("GET /oauth2/@me"));
        DISCORD.advanceClock(Duration.ofMinutes(16));
        assertEquals(200, tab.get(url("/protected/me")).statusCode(), "the check runs off the hot path");
        awaitJournal("GET /oauth2/@me", 1);
        tab.get(url("/protected/me")); // applies the check's answer once it has arrived (or the loop below does)
        DISCORD.advanceClock(Duration.ofSeconds(32)); // past the decision delay in which another node may rotate
        HttpResponse<String> next = null;
        for (int i = 0; i < 50; i++) { // the check's answer is applied by the next request once it has arrived
            next = tab.get(url("/protected/me"));
            if (next.statusCode() == 302) {
                break;
            }
            if (i == 24) {
                // the answer arrived only after the clock moved, so it was applied (and its decision delay began)
                // inside this loop: move past that delay once more
                DISCORD.advanceClock(Duration.ofSeconds(32));
            }
            sleepQuietly(20);
        }
        assertEquals(302, next.statusCode(), "revocation noticed");
        assertEquals(1, count("GET /oauth2/@me"), "one check per interval");
    }

    // ------------------------------------------------------------------ 7, 9, 11: the callback on Discord's bad days

    @Test
    void callbackWhenTokenEndpointRateLimitedBeyondBudgetThen503WithRetryAfter() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = backFromDiscord(browser);
        DISCORD.injectFault("POST /oauth2/token", Fault.status(429,
                "{\"message\": \"You are being rate limited.\", \"retry_after\": 42.5, \"global\": false}")
                .withHeader("Retry-After", "43").withHeader("X-RateLimit-Scope", "shared"));
        HttpResponse<String> page = browser.follow(back);
        assertEquals(503, page.statusCode(), page.body());
        assertEquals("42", page.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(page.body().contains("Discord is busy"), page.body());
    }

    @Test
    void callbackWhenRateLimitOutlastsTheCallbackBudgetThen503BusyWithDiscordsRetryAfter() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = backFromDiscord(browser);
        DISCORD.injectFault("POST /oauth2/token", Fault.status(429,
                "{\"message\": \"You are being rate limited.\", \"retry_after\": 4, \"global\": false}")
                .withHeader("Retry-After", "4").withHeader("X-RateLimit-Scope", "shared"));
        // 4 s: within the client's rate-limit wait (5 s), beyond the callback's budget (2 s); a shared limit, so
        // the client's bucket for the token endpoint stays as it was and the next tests' logins are not held
        HttpResponse<String> page = browser.follow(back);
        assertEquals(503, page.statusCode(), page.body());
        assertTrue(page.body().contains("discord_busy"), "Discord's limit, not a timeout: " + page.body());
        assertEquals("4", page.headers().firstValue("Retry-After").orElseThrow(), "as long as Discord asks");
    }

    @Test
    void callbackWhenCloudflareBanThen503WithRetryAfter() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = backFromDiscord(browser);
        DISCORD.injectFault("POST /oauth2/token", Fault.status(429, "text/html",
                "<html><body>error code: 1015</body></html>"));
        HttpResponse<String> page = browser.follow(back);
        assertEquals(503, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Retry-After").isPresent());
        assertNoStackTrace(page);
    }

    @Test
    void callbackWhenUserLookupFailsThen502AndNewGrantRevoked() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = backFromDiscord(browser);
        DISCORD.injectFault("GET /users/@me", Fault.status(500, "{\"message\": \"500: Internal Server Error\", "
                + "\"code\": 0}").times(10));
        HttpResponse<String> page = browser.follow(back);
        assertEquals(502, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Retry-After").isPresent());
        awaitJournal("POST /oauth2/token/revoke", 1);
        assertFalse(DISCORD.isAuthorized(CLIENT_ID, NELLY), "no half-done login stays authorized at Discord");
        assertEquals(302, browser.get(url("/protected/me")).statusCode(), "not logged in");
    }

    @Test
    void callbackWhenUserLookupMalformedThen502NotA500() {
        for (String body : List.of("{}", "{\"id\": null, \"username\": \"nelly\"}")) {
            TestBrowser browser = new TestBrowser();
            HttpResponse<String> back = backFromDiscord(browser);
            DISCORD.injectFault("GET /users/@me", Fault.status(200, body));
            HttpResponse<String> page = browser.follow(back);
            assertEquals(502, page.statusCode(), body + " -> " + page.body());
            assertNoStackTrace(page);
        }
    }

    @Test
    void callbackWhenExpiresInAbsurdThen502NotA500() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = backFromDiscord(browser);
        DISCORD.injectFault("POST /oauth2/token", Fault.status(200, "{\"access_token\": \"a\", \"token_type\": "
                + "\"Bearer\", \"expires_in\": 99999999999999999, \"refresh_token\": \"r\", \"scope\": \"identify\"}"));
        HttpResponse<String> page = browser.follow(back);
        assertEquals(502, page.statusCode(), page.body());
        assertNoStackTrace(page);
    }

    @Test
    void callbackWhenUserLookupSlowThenRetryPageWithinBudgetAndLateGrantRevoked() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = backFromDiscord(browser);
        DISCORD.injectFault("GET /users/@me", Fault.delay(Duration.ofSeconds(4)));
        long started = System.nanoTime();
        HttpResponse<String> page = browser.follow(back);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(503, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Retry-After").isPresent());
        assertTrue(tookMs < 4000, "answered within the callback budget, not after Discord: " + tookMs + " ms");
        awaitJournal("POST /oauth2/token/revoke", 1);
        assertFalse(DISCORD.isAuthorized(CLIENT_ID, NELLY), "the late grant was revoked");
    }

    // ------------------------------------------------------------------ issue 18: outside checks

    /** A GET sent byte for byte as given (no client-side URI checks), with the session cookie; the whole answer. */
    private static String rawGet(String url, String sessionId) {
        URI uri = URI.create(url.replaceAll("%(?![0-9A-Fa-f]{2})|%(?=[0-9A-Fa-f][^0-9A-Fa-f])", "%25"));
        String target = url.substring(url.indexOf('/', "http://".length()));
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: text/html\r\nConnection: close\r\n"
                    + (sessionId == null ? "" : "Cookie: JSESSIONID=" + sessionId + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Loads a page as a browser follows {@code Refresh}: its {@code url=}, else the same address again. */
    private static HttpResponse<String> followRefresh(TestBrowser browser, HttpResponse<String> page) {
        String refresh = page.headers().firstValue("Refresh").orElseThrow(() -> new AssertionError("no Refresh"));
        int at = refresh.indexOf("url=");
        return browser.get(at < 0 ? page.uri().toString() : refresh.substring(at + 4));
    }

    @Test
    void callbackWhenSessionNamedInUrlThenNotUsedAndTheVictimIsNotLoggedInAsItsOwner() {
        TestBrowser attacker = new TestBrowser();
        HttpResponse<String> back = backFromDiscord(attacker);
        String callback = TestBrowser.location(back);
        String lure = callback.replace("/oauth2/callback?", "/oauth2/callback;jsessionid="
                + attacker.cookie("JSESSIONID").orElse(null) + "?");
        TestBrowser victim = new TestBrowser();
        HttpResponse<String> page = victim.get(lure);
        assertEquals(400, page.statusCode(), "the attacker's session is not the victim's login: " + page.body());
        assertNoStackTrace(page);
        assertEquals(302, victim.get(url("/protected/me")).statusCode(), "the victim is not logged in");
        assertEquals(0, DISCORD.journal("POST /oauth2/token").size(), "no code exchanged for the lure");
        String cookie = victim.get(url("/protected/me")).headers().allValues("Set-Cookie").toString();
        assertFalse(cookie.contains(attacker.cookie("JSESSIONID").orElse(null)),
                "the victim never holds the attacker's session");
    }

    @Test
    void protectedPageWhenSessionNamedInUrlThenNotTakenAsTheLogin() {
        TestBrowser owner = new TestBrowser();
        assertEquals(200, login(owner, "/protected/me").statusCode());
        HttpResponse<String> page = new TestBrowser().get(url("/protected/me;jsessionid="
                + owner.cookie("JSESSIONID").orElse(null)));
        assertNotEquals(200, page.statusCode(), "a logged-in session named in a link is nobody's login: "
                + page.body());
    }

    @Test
    void callbackAndLoginWhenQueryMalformedThen400PageAndOneLogLineWithoutStackTrace() {
        TestBrowser browser = new TestBrowser();
        browser.get(url("/protected/me"));
        List<String> bad = List.of("/oauth2/callback?code=abc&state=%zz", "/oauth2/callback?code=%C3%28&state=x",
                "/oauth2/callback?state=abc%", "/oauth2/login?return=%zz", "/oauth2/login?return=%FF%FE");
        // sent as they are (java.net.URI refuses a malformed escape): a raw request line, as a script would
        List<java.util.logging.LogRecord> records = LogCapture.duringAll(() -> {
            for (String path : bad) {
                String page = rawGet(url(path), browser.cookie("JSESSIONID").orElse(null));
                assertTrue(page.startsWith("HTTP/1.1 400 "), path + " -> " + page);
                assertTrue(page.contains("bad_request"), page);
                assertFalse(page.contains("Exception") || page.contains("\tat "), page);
            }
        });
        assertTrue(records.stream().noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.SEVERE
                .intValue()), "nothing logged as an error: " + records.stream().map(r -> r.getLevel() + " "
                + r.getMessage()).toList());
        assertTrue(records.stream().noneMatch(r -> r.getThrown() != null), "no stack trace in the log");
        assertTrue(records.size() <= bad.size(), "at most one line per request: " + records.size());
        assertEquals(0, count("POST /oauth2/token"));
    }

    @Test
    void callbackWhenStateRetriedOnAnyPathSpellingThenOneRetryThen400() {
        for (String spelling : List.of("/oauth2/callback;x=1", "/%6Fauth2/callback", "/oauth2/%63allback")) {
            TestBrowser browser = new TestBrowser();
            browser.get(url("/protected/me")); // a session: the state may just not be stored yet
            HttpResponse<String> first = browser.get(url(spelling + "?code=abc&state=forged"));
            assertEquals(503, first.statusCode(), spelling + " -> " + first.body());
            String canonical = url("/oauth2/callback?code=abc&state=forged");
            assertEquals("1; url=" + canonical, first.headers().firstValue("Refresh").orElse(null), spelling);
            assertTrue(first.body().contains("href=\"" + canonical.replace("&", "&amp;") + "\""), first.body());
            HttpResponse<String> second = followRefresh(browser, first);
            assertEquals(400, second.statusCode(), "one retry at most, whatever the spelling (" + spelling + "): "
                    + second.body());
        }
        assertEquals(0, count("POST /oauth2/token"));
    }

    @Test
    void refreshWhenCodeExchangesHangOnSlowDiscordThenNotStarvedOfThreads() throws Exception {
        TestBrowser user = new TestBrowser();
        assertEquals(200, login(user, "/protected/me").statusCode());
        List<TestBrowser> strangers = new ArrayList<>();
        List<String> callbacks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TestBrowser b = new TestBrowser();
            callbacks.add(TestBrowser.location(backFromDiscord(b)));
            strangers.add(b);
        }
        DISCORD.clearJournal();
        // eight code exchanges (as many as the background pool has threads; fewer than the token endpoint's 10 per
        // second, which the client's rate limiter keeps) hang on Discord for 4 s, the callback budget being 2 s;
        // then the user's token expires and needs a refresh
        DISCORD.injectFault("POST /oauth2/token", Fault.delay(Duration.ofSeconds(4)).times(8));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                TestBrowser b = strangers.get(i);
                String callback = callbacks.get(i);
                answers.add(pool.submit(() -> b.get(callback)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (DISCORD.faultsPending("POST /oauth2/token") > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(20); // until all eight exchanges hang at Discord
            }
            assertEquals(0, DISCORD.faultsPending("POST /oauth2/token"), "eight exchanges hang at Discord");
            DISCORD.advanceClock(Duration.ofDays(7).plusMinutes(1));
            HttpResponse<String> page = user.get(url("/protected/me"));
            assertEquals(200, page.statusCode(), "the refresh ran at once, beside the hanging exchanges: "
                    + page.body());
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> r = answer.get(20, TimeUnit.SECONDS);
                assertEquals(503, r.statusCode(), "a retry page, never a 500: " + r.body());
                assertTrue(r.headers().firstValue("Retry-After").isPresent());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ 6: cookie and cross-site requests

    @Test
    void sessionCookieWhenApplicationSetNothingThenHttpOnlyAndSameSiteLax() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/protected/me"));
        String setCookie = toDiscord.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=lax"), setCookie);
        assertFalse(setCookie.contains("Secure"), "http redirect URI: no Secure flag " + setCookie);
    }

    @Test
    void logoutWhenCrossSitePostThen403AndNothingRevoked() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        DISCORD.clearJournal();
        HttpResponse<String> byOrigin = browser.post(url("/oauth2/logout"), "", "Origin", "https://evil.example");
        assertEquals(403, byOrigin.statusCode(), byOrigin.body());
        HttpResponse<String> byFetch = browser.post(url("/oauth2/logout"), "", "Sec-Fetch-Site", "cross-site");
        assertEquals(403, byFetch.statusCode());
        HttpResponse<String> byReferer = browser.post(url("/oauth2/logout"), "", "Referer",
                "https://evil.example/page");
        assertEquals(403, byReferer.statusCode());
        HttpResponse<String> nullOrigin = browser.post(url("/oauth2/logout"), "", "Origin", "null");
        assertEquals(403, nullOrigin.statusCode());
        assertEquals(0, count("POST /oauth2/token/revoke"), "nothing revoked");
        assertEquals(200, browser.get(url("/protected/me")).statusCode(), "still logged in");
        HttpResponse<String> own = browser.post(url("/oauth2/logout"), "", "Origin", url(""));
        assertEquals(303, own.statusCode());
        assertEquals(1, count("POST /oauth2/token/revoke"));
    }

    // ------------------------------------------------------------------ 10: limits

    @Test
    void loginWhenDoneThenSessionHoldsOneLoginAttributeUnderOneKilobyte() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        HttpResponse<String> session = browser.get(url("/protected/session"));
        assertEquals(200, session.statusCode());
        assertTrue(session.body().endsWith("names=[" + "dev.discordoauth2.web.LoginState" + "]"), session.body());
        int bytes = Integer.parseInt(session.body().replaceAll("^bytes=(\\d+).*$", "$1"));
        assertTrue(bytes <= 1024, "a logged-in identify session serializes to " + bytes + " bytes: " + session.body());
    }

    @Test
    void loginWhenOtherTabsPendingThenTheirWayBackKeptOnlyUntilStateTtlAndSessionBackUnderOneKilobyte() {
        TestBrowser browser = new TestBrowser();
        for (int i = 0; i < 3; i++) {
            browser.get(url("/protected/me?tab=" + i + "&pad=" + "x".repeat(1500)));
        }
        assertEquals(200, login(browser, "/protected/me").statusCode());
        assertTrue(browser.get(url("/protected/session")).body().contains("dev.discordoauth2.web.PendingLogin"),
                "the other tabs' way back, until they expire");
        DISCORD.advanceClock(Duration.ofMinutes(11)); // discord.state-ttl is 10 minutes
        HttpResponse<String> session = browser.get(url("/protected/session"));
        assertEquals(200, session.statusCode());
        assertFalse(session.body().contains("dev.discordoauth2.web.PendingLogin"), session.body());
        int bytes = Integer.parseInt(session.body().replaceAll("^bytes=(\\d+).*$", "$1"));
        assertTrue(bytes <= 1024, "a logged-in identify session serializes to " + bytes + " bytes: " + session.body());
    }

    @Test
    void filterWhenSavedPathTooLongThenAfterLoginUriSaved() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/protected/me?pad=" + "x".repeat(3000)));
        HttpResponse<String> callback = browser.follow(browser.consent(TestBrowser.location(toDiscord), NELLY,
                "approve"));
        assertEquals(url("/"), TestBrowser.location(callback), "an over-long path is not kept");
        assertNotEquals(500, callback.statusCode());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
