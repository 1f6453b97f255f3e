package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code discord.session=cookie} on the shared token store ({@code discord.token-store=jdbc}, PostgreSQL from
 * {@link TestPostgres}; skipped without it, except with CI=true) on two "nodes" sharing the cookie keys: the login
 * cookie holds the identity only, so a refresh, the store's and one for the cluster, changes nothing in it; a logout
 * or Discord's deauthorization deletes the stored tokens, so that a copy of the cookie the browser (or a thief) still
 * holds is no login on any node.
 */
class CookieSharedTokensTest {
    private static final String CLIENT_ID = "100000000000000043";
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String COOKIE_KEYS = "k1:" + KeyRingTest.newKey(32);
    private static final String STORE_KEYS = "s1:" + KeyRingTest.newKey(32);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestPostgres pg;

    private static final java.util.concurrent.atomic.AtomicInteger TABLES = new java.util.concurrent.atomic.AtomicInteger();

    private DiscordEmulator discord;
    private String table;
    private final List<LoginCore> cores = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void start() {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret("core-secret")
                .redirectUri(CALLBACK).build()).autoApprove(GroupsTest.NELLY).start();
        table = "cookie_tokens" + TABLES.incrementAndGet();
    }

    @AfterEach
    void stop() {
        cores.forEach(LoginCore::close);
        discord.close();
    }

    /**
     * A node. No periodic check: the clock jumps a week, so the check would be due at once and its answer reseal the
     * cookie (with its new check time) in whichever request applies it; here only the refresh is looked at.
     */
    private LoginCore node() {
        Map<String, String> values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID,
                DiscordConfig.CLIENT_SECRET, "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK,
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(),
                DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString(), DiscordConfig.WARM_UP, "false",
                DiscordConfig.SESSION, "cookie", DiscordConfig.COOKIE_KEYS, COOKIE_KEYS,
                DiscordConfig.COOKIE_MAX_AGE, "P30D", DiscordConfig.REVALIDATE_INTERVAL, "0"));
        values.putAll(Map.of(DiscordConfig.TOKEN_STORE, "jdbc", DiscordConfig.TOKEN_STORE_JDBC_URL, pg.url(),
                DiscordConfig.TOKEN_STORE_JDBC_USER, pg.user(), DiscordConfig.TOKEN_STORE_TABLE, table,
                DiscordConfig.TOKEN_STORE_CREATE_TABLE, "true", DiscordConfig.TOKEN_STORE_KEYS, STORE_KEYS));
        LoginCore core = LoginCore.start(DiscordConfig.of(values), discord.clock(), null);
        cores.add(core);
        return core;
    }

    private static TestExchange navigation(String path) {
        return TestExchange.get(path).header("Accept", "text/html");
    }

    /** A request of a browser that holds only this login cookie. */
    private static TestExchange holding(String cookie) {
        return navigation("/profile").cookie(CookieSessions.LOGIN, cookie);
    }

    /** A whole login through {@code core}; returns the login cookie. */
    private static String login(LoginCore core) throws Exception {
        TestExchange start = navigation("/profile");
        Outcome.Redirect toDiscord = assertInstanceOf(Outcome.Redirect.class, core.protect(start));
        core.responseCookies(start).forEach(c -> start.cookie(c.name(), c.value()));
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(toDiscord.location())).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElseThrow();
        TestExchange back = start.next(location.substring("http://127.0.0.1:8080/app".length()));
        assertInstanceOf(Outcome.Redirect.class, core.callback(back));
        return core.responseCookies(back).stream().filter(c -> c.name().equals(CookieSessions.LOGIN)).findFirst()
                .orElseThrow().value();
    }

    @Test
    void refreshWhenOneBrowsersRequestsRaceOverTwoNodesThenOneRefreshGrantAndNoAnswerReseals() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        String cookie = login(a);
        String before = a.tokens(navigation("/p").cookie(CookieSessions.LOGIN, cookie)).orElseThrow().accessToken();
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30));
        discord.clearJournal();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<String> answers = new ArrayList<>();
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                LoginCore node = i % 2 == 0 ? a : b;
                calls.add(() -> {
                    TestExchange request = navigation("/profile").cookie(CookieSessions.LOGIN, cookie);
                    Outcome outcome = node.protect(request);
                    String served = outcome instanceof Outcome.Pass ? node.tokens(request).orElseThrow()
                            .accessToken() : "not served: " + outcome;
                    return node.responseCookies(request).isEmpty() ? served : "resealed: " + served;
                });
            }
            for (Future<String> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, answers.stream().filter(r -> r.startsWith("resealed")).count(), "no answer sends a login "
                + "cookie");
        assertNotEquals(before, answers.get(0), "served with the refreshed token");
        assertEquals(java.util.Collections.nCopies(32, answers.get(0)), answers, "every request served with the "
                + "store's new token");
        assertEquals(List.of(200), discord.journal("POST /oauth2/token").stream().filter(r -> r.body()
                .contains("grant_type=refresh_token")).map(r -> r.status()).toList(), "one refresh for the cluster");
    }

    private long refreshGrants() {
        return discord.journal("POST /oauth2/token").stream()
                .filter(r -> r.formParam("grant_type").orElse("").equals("refresh_token")).count();
    }

    @Test
    void refreshWhenTokensDueOnEitherNodeThenTheStoreRefreshesOnceAndTheCookieStaysAsItIs() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        String cookie = login(a);
        discord.advanceClock(Duration.ofDays(8)); // past the access token's lifetime
        TestExchange onB = holding(cookie);
        assertInstanceOf(Outcome.Pass.class, b.protect(onB));
        assertEquals(List.of(), b.responseCookies(onB), "the identity did not change: no new cookie");
        TestExchange onA = holding(cookie);
        assertInstanceOf(Outcome.Pass.class, a.protect(onA), "the same old cookie on the other node");
        assertEquals(List.of(), a.responseCookies(onA));
        assertEquals(1, refreshGrants(), "one refresh for the cluster");
        assertEquals(b.tokens(holding(cookie)).orElseThrow().accessToken(),
                a.tokens(holding(cookie)).orElseThrow().accessToken(), "both nodes use the stored tokens");
    }

    @Test
    void logoutWhenOnOneNodeThenACopyOfTheCookieIsNoLoginOnEitherNode() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        String cookie = login(a);
        assertInstanceOf(Outcome.Pass.class, b.protect(holding(cookie)));
        TestExchange logout = holding(cookie).method("POST").header("Origin", "http://127.0.0.1:8080");
        assertInstanceOf(Outcome.Redirect.class, a.logout(logout));
        assertTrue(a.responseCookies(logout).stream().anyMatch(c -> c.name().equals(CookieSessions.LOGIN)
                && c.maxAge() == 0), "the browser's cookie is deleted");
        // a copy taken before the logout: still a valid seal, but its tokens are gone from the store
        assertInstanceOf(Outcome.Redirect.class, b.protect(holding(cookie)), "no login on the other node");
        assertInstanceOf(Outcome.Redirect.class, a.protect(holding(cookie)), "nor on this one");
    }

    @Test
    void endLoginsOfWhenDiscordDeauthorizedTheUserThenEveryCopyOfTheCookieEndsOnEveryNode() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        String cookie = login(a);
        String otherBrowser = login(b);
        a.endLoginsOf(GroupsTest.NELLY); // the webhook event reached node a only
        assertInstanceOf(Outcome.Redirect.class, b.protect(holding(cookie)));
        assertInstanceOf(Outcome.Redirect.class, b.protect(holding(otherBrowser)));
        assertInstanceOf(Outcome.Redirect.class, a.protect(holding(otherBrowser)));
    }
}
