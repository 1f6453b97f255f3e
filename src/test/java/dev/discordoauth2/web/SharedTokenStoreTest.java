package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login with the shared token store ({@code discord.token-store=jdbc}) on two "nodes": two login cores sharing one
 * PostgreSQL ({@link TestPostgres}; skipped without it, except with CI=true) and the sessions (a browser's
 * {@link MapSession} is served by either core, as a shared session store does). Discord is the emulator; time is its
 * clock. Each test has its own table.
 */
class SharedTokenStoreTest {
    private static final String CLIENT_ID = "100000000000000042";
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String TOKEN = "POST /oauth2/token";
    private static final String KEYS = "k1:" + KeyRingTest.newKey(32);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static TestPostgres pg;
    private static DriverPool pool;

    private DiscordEmulator discord;
    private String table;
    private final List<LoginCore> cores = new ArrayList<>();
    private final List<DiscordLoginEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start();
        pool = pg.pool(2);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void start() {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret("core-secret")
                .redirectUri(CALLBACK).build()).autoApprove(GroupsTest.NELLY).start();
        table = "shared" + TABLES.incrementAndGet();
    }

    @AfterEach
    void stop() {
        cores.forEach(LoginCore::close);
        discord.close();
    }

    private Map<String, String> values(String tokenStore) {
        Map<String, String> values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID,
                DiscordConfig.CLIENT_SECRET, "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK,
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(),
                DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString(), DiscordConfig.WARM_UP, "false",
                DiscordConfig.TOKEN_STORE, tokenStore));
        if (tokenStore.equals("jdbc")) {
            values.putAll(Map.of(DiscordConfig.TOKEN_STORE_JDBC_URL, pg.url(),
                    DiscordConfig.TOKEN_STORE_JDBC_USER, pg.user(), DiscordConfig.TOKEN_STORE_TABLE, table,
                    DiscordConfig.TOKEN_STORE_CREATE_TABLE, "true", DiscordConfig.TOKEN_STORE_KEYS, KEYS));
        }
        return values;
    }

    /** A node: a core on the shared store (or on sessions only, {@code tokenStore=session}). */
    private LoginCore node(String tokenStore, Map<String, String> more) {
        Map<String, String> values = values(tokenStore);
        values.putAll(more);
        LoginCore core = LoginCore.start(DiscordConfig.of(values), discord.clock(), null);
        core.addListener(events::add);
        cores.add(core);
        return core;
    }

    private LoginCore node() {
        return node("jdbc", Map.of());
    }

    private static TestExchange navigation(String path) {
        return TestExchange.get(path).header("Accept", "text/html");
    }

    private static TestExchange script(TestExchange browser) {
        return browser.next("/api/me").header("Accept", "application/json");
    }

    /** A whole login through {@code core} of a new browser: the protected page, Discord, the callback. */
    private static TestExchange login(LoginCore core) throws Exception {
        TestExchange start = navigation("/profile");
        Outcome.Redirect toDiscord = assertInstanceOf(Outcome.Redirect.class, core.protect(start));
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(toDiscord.location())).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElseThrow();
        TestExchange back = start.next(location.substring("http://127.0.0.1:8080/app".length()));
        assertInstanceOf(Outcome.Redirect.class, core.callback(back));
        return back;
    }

    private List<RecordedRequest> refreshGrants() {
        return discord.journal(TOKEN).stream().filter(r -> r.body().contains("grant_type=refresh_token")).toList();
    }

    private static boolean passes(LoginCore core, TestExchange browser) {
        return core.protect(script(browser)) instanceof Outcome.Pass;
    }

    /** Takes the table away (renamed: the store cannot read or write it), or brings it back. */
    private void tableAway(boolean away) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(away ? "ALTER TABLE " + table + " RENAME TO " + table + "_away"
                    : "ALTER TABLE " + table + "_away RENAME TO " + table);
        }
    }

    private int rows() throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void protectWhenTwoNodesServeOneSessionAcrossARefreshThenOneRefreshGrantAndEveryRequestPasses() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        TestExchange browser = login(a);
        discord.advanceClock(Duration.ofDays(8)); // past the access token's lifetime
        discord.clearJournal();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 96; i++) {
                LoginCore node = i % 2 == 0 ? a : b;
                Callable<Boolean> request = () -> {
                    go.await();
                    return passes(node, browser);
                };
                answers.add(threads.submit(request));
            }
            go.countDown();
            for (Future<Boolean> answer : answers) {
                assertTrue(answer.get(60, TimeUnit.SECONDS), "every request passes");
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, refreshGrants().size(), "one refresh grant for the cluster: " + refreshGrants().size());
        assertEquals(0, discord.journal(TOKEN).stream().filter(r -> r.status() != 200).count(), "none refused");
        assertTrue(passes(b, browser) && passes(a, browser), "still logged in on both nodes");
    }

    @Test
    void protectWhenAnotherNodeRefreshedThenThisNodeUsesTheStoredTokensWithoutAGrant() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        TestExchange browser = login(a);
        assertTrue(passes(b, browser));
        discord.advanceClock(Duration.ofDays(8));
        discord.clearJournal();
        assertTrue(passes(a, browser));
        assertEquals(1, refreshGrants().size());
        PartialAccessToken onB = b.accessToken(script(browser)).orElseThrow();
        assertEquals(GroupsTest.NELLY, onB.fetchIdentify().id(), "node B calls Discord with the rotated token");
        assertEquals(1, refreshGrants().size(), "node B sent no refresh");
    }

    @Test
    void protectWhenStoreSharedThenTheApplicationsRolesAreComputedOncePerLoginNotPerRequest() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        LoginCore a = LoginCore.start(DiscordConfig.of(values("jdbc")), discord.clock(), user -> {
            asked.incrementAndGet();
            return java.util.Set.of("member");
        });
        cores.add(a);
        TestExchange browser = login(a);
        for (int i = 0; i < 5; i++) {
            Outcome.Pass pass = assertInstanceOf(Outcome.Pass.class, a.protect(script(browser)));
            assertTrue(pass.groups().contains("member"), pass.groups().toString());
        }
        assertEquals(1, asked.get(), "the RoleMapper is asked once, though each request reads the tokens anew");
    }

    @Test
    void sessionWhenStoreSharedThenHoldsTheIdentityButNoTokenValue() throws Exception {
        LoginCore a = node();
        TestExchange browser = login(a);
        String access = a.tokens(script(browser)).orElseThrow().accessToken();
        LoginState inSession = LoginStates.of(browser.currentSession());
        assertEquals(GroupsTest.NELLY, inSession.principal().id());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(inSession);
        }
        assertFalse(bytes.toString(StandardCharsets.ISO_8859_1).contains(access), "no access token in the session");
        assertFalse(inSession.holdsTokens());
        assertEquals(1, rows());
    }

    @Test
    void logoutWhenItRevokesThenTheUsersSessionInAnotherBrowserEndsAtItsNextRequest() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        TestExchange first = login(a);
        TestExchange second = login(b); // the same user in another browser: one authorization, stored once
        assertEquals(1, rows());
        assertTrue(passes(a, first) && passes(b, second));
        TestExchange logout = second.next("/oauth2/logout").method("POST").header("Origin", "http://127.0.0.1:8080");
        assertInstanceOf(Outcome.Redirect.class, b.logout(logout));
        assertEquals(0, rows(), "the revoking logout deleted the stored tokens");
        Outcome next = a.protect(first.next("/profile").header("Accept", "text/html"));
        Outcome.Redirect toDiscord = assertInstanceOf(Outcome.Redirect.class, next, "browser 1 goes to Discord");
        assertTrue(toDiscord.location().startsWith(discord.authorizeUri().toString()), toDiscord.location());
        assertTrue(events.stream().anyMatch(e -> e instanceof DiscordLoginEvent.LoginEnded ended
                && ended.reason() == DiscordLoginEvent.Reason.REVOKED));
    }

    @Test
    void endLoginsOfWhenStoreSharedThenSessionsOnEveryNodeEnd() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        TestExchange first = login(a);
        TestExchange second = login(a);
        a.endLoginsOf(GroupsTest.NELLY); // node A received Discord's APPLICATION_DEAUTHORIZED
        assertEquals(0, rows());
        Outcome.Json json = assertInstanceOf(Outcome.Json.class, b.protect(script(first)));
        assertEquals(401, json.status(), "a script on node B gets 401");
        assertInstanceOf(Outcome.Json.class, b.protect(script(second)));
    }

    @Test
    void protectWhenRefreshRefusedThenTheStoredTokensAreDeletedAndEverySessionEnds() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        TestExchange first = login(a);
        TestExchange second = login(b);
        discord.revokeAuthorization(CLIENT_ID, GroupsTest.NELLY); // removed at Discord, no webhook
        discord.advanceClock(Duration.ofDays(8));
        discord.clearJournal();
        assertInstanceOf(Outcome.Json.class, a.protect(script(first)), "refused under the row's lock: final");
        assertEquals(0, rows());
        assertInstanceOf(Outcome.Json.class, b.protect(script(second)), "the other browser's session ends too");
        assertEquals(1, refreshGrants().size(), "one refused grant, nothing sent for the other session");
    }

    @Test
    void protectWhenRevalidationGets401ThenTheStoredTokensAreDeletedForEveryNode() throws Exception {
        LoginCore a = node("jdbc", Map.of(DiscordConfig.REVALIDATE_INTERVAL, "PT2S"));
        LoginCore b = node("jdbc", Map.of(DiscordConfig.REVALIDATE_INTERVAL, "PT2S"));
        TestExchange first = login(a);
        TestExchange second = login(b);
        discord.revokeAuthorization(CLIENT_ID, GroupsTest.NELLY);
        discord.advanceClock(Duration.ofSeconds(3));
        assertTrue(passes(a, first), "the check starts in the background; this request goes on");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rows() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, rows(), "the 401 to the stored token deleted it");
        assertInstanceOf(Outcome.Json.class, b.protect(script(second)));
        assertInstanceOf(Outcome.Json.class, a.protect(script(first)));
    }

    @Test
    void protectWhenTheStoreCannotBeReadThen503AndTheSessionIsKept() throws Exception {
        LoginCore a = node();
        TestExchange browser = login(a);
        tableAway(true);
        Outcome.Json json = assertInstanceOf(Outcome.Json.class, a.protect(script(browser)));
        assertEquals(503, json.status());
        assertTrue(json.retryAfter() >= 1, "Retry-After");
        tableAway(false);
        assertTrue(passes(a, browser), "the session was kept through the outage");
    }

    @Test
    void callbackWhenTheStoreCannotBeWrittenThenRetryPageAndTheGrantRevoked() throws Exception {
        LoginCore a = node();
        tableAway(true);
        TestExchange start = navigation("/profile");
        Outcome.Redirect toDiscord = assertInstanceOf(Outcome.Redirect.class, a.protect(start));
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(toDiscord.location())).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElseThrow();
        Outcome.Page page = assertInstanceOf(Outcome.Page.class,
                a.callback(start.next(location.substring("http://127.0.0.1:8080/app".length()))));
        assertEquals(Outcome.Failure.STORE_UNAVAILABLE, page.failure());
        assertTrue(page.retryAfter() >= 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (discord.isAuthorized(CLIENT_ID, GroupsTest.NELLY) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(discord.isAuthorized(CLIENT_ID, GroupsTest.NELLY), "the unstored grant is revoked");
        tableAway(false);
    }

    @Test
    void offlineWhenTokensDueThenRefreshedOnceAndTheSessionUsesTheResult() throws Exception {
        LoginCore a = node();
        LoginCore b = node();
        TestExchange browser = login(a);
        discord.advanceClock(Duration.ofDays(8));
        discord.clearJournal();
        OfflineAccess offline = b.offline();
        assertTrue(offline.available());
        PartialAccessToken user = offline.user(GroupsTest.NELLY).orElseThrow();
        assertEquals(GroupsTest.NELLY, user.fetchIdentify().id());
        assertEquals(1, refreshGrants().size());
        assertEquals(user.token(), a.tokens(script(browser)).orElseThrow().accessToken(),
                "the session reads the job's refresh");
        assertEquals(1, refreshGrants().size());
    }

    @Test
    void offlineWhenRefreshRefusedThenInvalidGrantAndTheTokensDeleted() throws Exception {
        LoginCore a = node();
        login(a);
        discord.revokeAuthorization(CLIENT_ID, GroupsTest.NELLY);
        discord.advanceClock(Duration.ofDays(8));
        assertThrows(InvalidGrantException.class, () -> a.offline().user(GroupsTest.NELLY));
        assertEquals(0, rows());
        assertTrue(a.offline().user(GroupsTest.NELLY).isEmpty(), "then: none stored");
    }

    @Test
    void offlineWhenACallGets401ThenTheStoredTokensAreDeleted() throws Exception {
        LoginCore a = node();
        login(a);
        PartialAccessToken user = a.offline().user(GroupsTest.NELLY).orElseThrow();
        discord.revokeAuthorization(CLIENT_ID, GroupsTest.NELLY);
        assertThrows(dev.discordoauth2.ForbiddenException.class, user::fetchIdentify);
        assertEquals(0, rows());
    }

    @Test
    void offlineUserIdsWhenPagedThenEveryStoredUserOnceAndForgetDeletes() throws Exception {
        LoginCore a = node();
        SharedTokens shared = sharedOf(a);
        List<String> stored = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            String id = DiscordEmulator.generatedUserId(i);
            stored.add(id);
            shared.put(id, new DiscordTokens("access-" + i, discord.now().plusSeconds(3600), "refresh-" + i,
                    List.of("identify")));
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        while (true) {
            List<String> page = a.offline().userIds(after, 3);
            seen.addAll(page);
            if (page.size() < 3) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        assertEquals(stored.stream().sorted().toList(), seen);
        assertTrue(a.offline().forget(stored.get(0)));
        assertEquals(6, rows());
    }

    @Test
    void offlineWhenSessionStoreThenEveryCallSaysItNeedsTheSharedStore() {
        LoginCore a = node("session", Map.of());
        assertFalse(a.offline().available());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.offline().user("1"));
        assertTrue(e.getMessage().contains(DiscordConfig.TOKEN_STORE + "=jdbc"), e.getMessage());
    }

    @Test
    void startWhenKeysMissingThenRefusedInOneLine() {
        Map<String, String> values = values("jdbc");
        values.remove(DiscordConfig.TOKEN_STORE_KEYS);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LoginCore.start(DiscordConfig.of(values), discord.clock(), null));
        assertTrue(e.getMessage().contains(DiscordConfig.TOKEN_STORE_KEYS), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void protectWhenKeyRemovedFromTheRingThenReLoginNotAnErrorPage() throws Exception {
        LoginCore a = node();
        TestExchange browser = login(a);
        LoginCore rotated = node("jdbc", Map.of(DiscordConfig.TOKEN_STORE_KEYS, "k9:" + KeyRingTest.newKey(32)));
        Outcome.Redirect toDiscord = assertInstanceOf(Outcome.Redirect.class,
                rotated.protect(browser.next("/profile").header("Accept", "text/html")));
        assertTrue(toDiscord.location().startsWith(discord.authorizeUri().toString()));
        assertNotNull(toDiscord);
        assertNotEquals(0, rows(), "the row is left as it is, unreadable under this ring");
    }

    private static SharedTokens sharedOf(LoginCore core) {
        return core.parts().shared;
    }
}
