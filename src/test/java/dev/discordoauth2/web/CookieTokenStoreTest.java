package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code discord.session=cookie} with the shared token store ({@code discord.token-store=jdbc}) on two "nodes": two
 * login cores with the same cookie keys on one PostgreSQL ({@link TestPostgres}; skipped without it, except with
 * CI=true) and no session anywhere. The cookie holds the identity only: a refresh is the store's (once for the cluster)
 * and leaves the cookie as it is; a logout or Discord's deauthorization deletes the stored tokens, so that a copy of
 * the cookie the browser (or a thief) still holds is no login on any node.
 */
class CookieTokenStoreTest {
    private static final String CLIENT_ID = "100000000000000043";
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String KEYS = "k1:" + KeyRingTest.newKey(32);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static TestPostgres pg;

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

    private LoginCore node() {
        Map<String, String> values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID,
                DiscordConfig.CLIENT_SECRET, "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK,
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(),
                DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString(), DiscordConfig.WARM_UP, "false",
                DiscordConfig.SESSION, "cookie", DiscordConfig.COOKIE_KEYS, KEYS, DiscordConfig.COOKIE_MAX_AGE, "P30D",
                DiscordConfig.TOKEN_STORE, "jdbc"));
        values.putAll(Map.of(DiscordConfig.TOKEN_STORE_JDBC_URL, pg.url(), DiscordConfig.TOKEN_STORE_JDBC_USER,
                pg.user(), DiscordConfig.TOKEN_STORE_TABLE, table, DiscordConfig.TOKEN_STORE_CREATE_TABLE, "true",
                DiscordConfig.TOKEN_STORE_KEYS, KEYS));
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

    /** A whole login through {@code core}: the login cookie its callback set. */
    private String login(LoginCore core) throws Exception {
        TestExchange start = navigation("/profile");
        Outcome.Redirect toDiscord = assertInstanceOf(Outcome.Redirect.class, core.protect(start));
        for (Outcome.Cookie c : core.responseCookies(start)) {
            start.cookie(c.name(), c.value());
        }
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(toDiscord.location())).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElseThrow();
        TestExchange back = start.next(location.substring("http://127.0.0.1:8080/app".length()));
        assertInstanceOf(Outcome.Redirect.class, core.callback(back));
        return core.responseCookies(back).stream().filter(c -> c.name().equals(CookieSessions.LOGIN)).findFirst()
                .orElseThrow().value();
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
