package dev.discordoauth2.servlet;

import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.servlet.app.ProfileServlet;
import dev.discordoauth2.servlet.app.TokenServlet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.session.NullSessionCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two "nodes" (two Jetty servers, each with its own web runtime, so nothing is shared in memory) on one shared
 * session store with no session cache, as a non-sticky cluster runs them: a login started on one completes on the
 * other, a refresh race between them never logs the user out, and a logout on one ends the session on both. The real
 * cluster (separate JVMs, PostgreSQL, a load balancer) is tested by the cluster IT; this one runs everywhere.
 */
class SharedSessionStoreIT {
    static final String CLIENT_ID = "100000000000000001";
    static final String NELLY = "80351110224678912";

    private final java.util.Map<String, ?> sessions = SharedSessionStore.newShared();
    private DiscordEmulator discord;
    private EmbeddedApp a;
    private EmbeddedApp b;
    private SharedSessionStore storeOfA;
    private SharedSessionStore lastStore;

    private EmbeddedApp node(DiscordEmulator discord) throws Exception {
        return EmbeddedApp.builder().emulator(discord, CLIENT_ID, "cluster-secret")
                // one public address for both nodes, as behind a load balancer
                .initParameter(DiscordConfig.REDIRECT_URI, "http://127.0.0.1:1/app/oauth2/callback")
                .attribute(DiscordAuth.CLOCK_ATTRIBUTE, discord.clock())
                .filter("/protected/*").callback().logout()
                .servlet(ProfileServlet.class, "/protected/me")
                .servlet(TokenServlet.class, "/protected/token")
                .sessions(handler -> {
                    SharedSessionStore store = new SharedSessionStore(sessions);
                    lastStore = store;
                    // a session that did not change is not written back: no node overwrites newer tokens with a
                    // stale copy
                    store.setSavePeriodSec(60);
                    NullSessionCache cache = new NullSessionCache(handler);
                    cache.setSessionDataStore(store);
                    // every write reaches the store before the response is committed
                    cache.setFlushOnResponseCommit(true);
                    handler.setSessionCache(cache);
                })
                .start();
    }

    private static String base(EmbeddedApp node) {
        return node.base();
    }

    @BeforeEach
    void start() throws Exception {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID)
                .clientSecret("cluster-secret").redirectUri("http://127.0.0.1:1/app/oauth2/callback").build())
                .start();
        a = node(discord);
        storeOfA = lastStore;
        b = node(discord);
    }

    @AfterEach
    void stop() throws Exception {
        b.close();
        a.close();
        discord.close();
    }

    /** Starts the login on node A and completes it on node B (the balancer sent the callback there). */
    private TestBrowser loginAcrossNodes() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(base(a) + "/protected/me");
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), NELLY, "approve");
        String callback = TestBrowser.location(back).replace("http://127.0.0.1:1/app", base(b));
        HttpResponse<String> done = browser.get(callback);
        assertEquals(302, done.statusCode(), "state and PKCE verifier found on the other node: " + done.body());
        return browser;
    }

    @Test
    void callbackWhenStateNotInTheStoreYetThenLoadedAgainAndLoginCompletes() {
        // node A's writes are late (as without flushOnResponseCommit): the callback reaches B before the login's state
        storeOfA.holdWrites();
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(base(a) + "/protected/me");
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), NELLY, "approve");
        String callback = TestBrowser.location(back).replace("http://127.0.0.1:1/app", base(b));
        HttpResponse<String> early = browser.get(callback);
        assertEquals(503, early.statusCode(), "the session is not in the store yet: " + early.body());
        assertTrue(early.headers().firstValue("Refresh").orElse("").startsWith("1; url=" + base(b)
                + "/oauth2/callback?code="), "the page loads the callback again: " + early.headers().map());
        assertEquals(0, discord.journal().stream().filter(r -> "POST /oauth2/token".equals(r.route())).count(),
                "the code is not used before the state is checked");

        storeOfA.releaseWrites();
        HttpResponse<String> reload = browser.get(callback);
        assertEquals(302, reload.statusCode(), "the reload finds the state: " + reload.body());
        assertEquals(200, browser.get(base(b) + "/protected/me").statusCode());
        assertEquals(200, browser.get(base(a) + "/protected/me").statusCode());
    }

    @Test
    void callbackWhenStateStillMissingAfterTheReloadThen400() {
        storeOfA.holdWrites();
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> back = browser.consent(TestBrowser.location(browser.get(base(a) + "/protected/me")), NELLY,
                "approve");
        String callback = TestBrowser.location(back).replace("http://127.0.0.1:1/app", base(b));
        assertEquals(503, browser.get(callback).statusCode());
        HttpResponse<String> again = browser.get(callback);
        assertEquals(400, again.statusCode(), "one reload only: " + again.body());
        assertTrue(again.body().contains("invalid_state"), again.body());
    }

    @Test
    void loginWhenStartedOnOneNodeThenCompletesOnTheOtherAndBothServe() {
        TestBrowser browser = loginAcrossNodes();
        assertEquals(200, browser.get(base(a) + "/protected/me").statusCode());
        assertEquals(200, browser.get(base(b) + "/protected/me").statusCode());
        assertEquals(200, browser.get(base(a) + "/protected/token").statusCode());
    }

    @Test
    void refreshWhenBothNodesRaceThenNobodyIsLoggedOut() throws Exception {
        TestBrowser browser = loginAcrossNodes();
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30)); // every request now wants to refresh
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                // half the pages call Discord with the token the request read: a stale copy meets a 401
                String page = base(i % 2 == 0 ? a : b) + (i % 4 < 2 ? "/protected/me" : "/protected/token");
                calls.add(() -> browser.get(page));
            }
            for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (HttpResponse<String> r : answers) {
            assertFalse(r.statusCode() == 302 && TestBrowser.location(r).startsWith(discord.authorizeUri().toString()),
                    "sent back to Discord during the race");
            // 401 is the test app's answer to a call Discord refused with a rotated token; never a logout
            assertTrue(r.statusCode() == 200 || r.statusCode() == 401, r.statusCode() + " " + r.body());
        }
        long refreshes = discord.journal("POST /oauth2/token").stream()
                .filter(r -> r.formParam("grant_type").orElse("").equals("refresh_token")).count();
        assertTrue(refreshes >= 2, "both nodes refreshed with the same token, one lost the race: " + refreshes);
        discord.advanceClock(Duration.ofSeconds(36)); // past the decision delay: every suspicion is decided
        for (int i = 0; i < 3; i++) { // the next requests read the store again: both nodes serve with new tokens
            assertEquals(200, browser.get(base(a) + "/protected/token").statusCode());
            assertEquals(200, browser.get(base(b) + "/protected/token").statusCode());
        }
    }

    @Test
    void logoutWhenOnOneNodeThenSessionEndedOnBoth() {
        TestBrowser browser = loginAcrossNodes();
        HttpResponse<String> logout = browser.post(base(a) + "/oauth2/logout", "", "Origin",
                base(a).replace("/app", ""));
        assertEquals(303, logout.statusCode());
        HttpResponse<String> other = browser.get(base(b) + "/protected/me");
        assertEquals(302, other.statusCode());
        assertTrue(TestBrowser.location(other).startsWith(discord.authorizeUri().toString()));
    }
}
