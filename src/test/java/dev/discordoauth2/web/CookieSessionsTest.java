package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code discord.session=cookie} on the login core against the emulator: the login and the pending logins in sealed
 * cookies, no session ever created; a refresh reseals the cookie; tampered, truncated, foreign-key, other-version and
 * expired cookies are a clean re-login; a logout deletes both; the cookie's size for a login with guild roles; one
 * browser's refresh race on one node and over two nodes without a token store (two cores sharing the keys).
 */
class CookieSessionsTest {
    private static final String CLIENT_ID = LinkedRolesTest.CLIENT_ID;
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String KEYS = "k2:" + KeyRingTest.newKey(32) + ", k1:" + KeyRingTest.newKey(32);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, String> THIRTY_DAYS = Map.of(DiscordConfig.COOKIE_MAX_AGE, "P30D");

    private DiscordEmulator discord;
    private final List<LoginCore> cores = new ArrayList<>();
    private LoginCore reader;

    @BeforeEach
    void start() {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret("core-secret")
                .redirectUri(CALLBACK).build()).autoApprove(GroupsTest.NELLY).start();
    }

    @AfterEach
    void stop() {
        cores.forEach(LoginCore::close);
        discord.close();
    }

    private LoginCore core(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID,
                DiscordConfig.CLIENT_SECRET, "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK,
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(),
                DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString(), DiscordConfig.WARM_UP, "false",
                DiscordConfig.SESSION, "cookie", DiscordConfig.COOKIE_KEYS, KEYS));
        values.putAll(more);
        LoginCore core = LoginCore.start(DiscordConfig.of(values), discord.clock(), null);
        cores.add(core);
        return core;
    }

    /** The response's cookies applied to the browser's jar, as a browser does; returns them. */
    private static List<Outcome.Cookie> apply(LoginCore core, TestExchange request) {
        List<Outcome.Cookie> cookies = core.responseCookies(request);
        for (Outcome.Cookie c : cookies) {
            request.cookie(c.name(), c.maxAge() == 0 ? null : c.value());
        }
        return cookies;
    }

    private static TestExchange navigation(String path) {
        return TestExchange.get(path).header("Accept", "text/html");
    }

    /** A whole login through the core; the browser's next request (its cookies), no session anywhere. */
    private TestExchange login(LoginCore core) throws Exception {
        TestExchange start = navigation("/profile");
        Outcome.Redirect toDiscord = assertInstanceOf(Outcome.Redirect.class, core.protect(start));
        List<Outcome.Cookie> pending = apply(core, start);
        assertEquals(List.of(CookieSessions.PENDING), pending.stream().map(Outcome.Cookie::name).toList());
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(toDiscord.location())).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElseThrow();
        TestExchange back = start.next(location.substring("http://127.0.0.1:8080/app".length()));
        assertInstanceOf(Outcome.Redirect.class, core.callback(back));
        apply(core, back);
        assertNull(back.currentSession(), "no session was created");
        return back.next("/profile").header("Accept", "text/html");
    }

    @Test
    void loginWhenCompletedThenTheLoginLivesInTheSealedCookieAndNoSessionIsCreated() throws Exception {
        LoginCore core = core(Map.of());
        TestExchange next = login(core);
        assertTrue(next.cookie(CookieSessions.LOGIN).startsWith("1.k2."), "version and key id in clear");
        assertNull(next.cookie(CookieSessions.PENDING), "the pending login's cookie was deleted");
        Outcome.Pass pass = assertInstanceOf(Outcome.Pass.class, core.protect(next));
        assertEquals(GroupsTest.NELLY, pass.principal().id());
        assertTrue(core.responseCookies(next).isEmpty(), "nothing changed: no Set-Cookie");
        assertNull(next.currentSession());
        // another node with the same keys reads it too
        assertEquals(GroupsTest.NELLY, core(Map.of()).user(next.next("/profile")).orElseThrow().id());
    }

    @Test
    void cookieWhenTamperedTruncatedForeignOrOtherVersionThenACleanReLogin() throws Exception {
        LoginCore core = core(Map.of());
        String good = login(core).cookie(CookieSessions.LOGIN);
        // a character inside the sealed part: the last one may carry only padding bits, which decode alike
        int at = good.length() - 5;
        char flipped = good.charAt(at) == 'A' ? 'B' : 'A';
        List<String> bad = List.of(good.substring(0, at) + flipped + good.substring(at + 1),
                good.substring(0, good.length() / 2), "2" + good.substring(1), "1.k9" + good.substring(4), "x",
                "1.k2.AAAA.AAAA");
        for (String value : bad) {
            TestExchange request = navigation("/profile").cookie(CookieSessions.LOGIN, value);
            Outcome outcome = core.protect(request);
            assertInstanceOf(Outcome.Redirect.class, outcome, "to Discord again for " + value);
        }
        // the same key id under another key: a foreign cookie
        LoginCore foreign = core(Map.of(DiscordConfig.COOKIE_KEYS, "k2:" + KeyRingTest.newKey(32)));
        assertInstanceOf(Outcome.Redirect.class, foreign.protect(navigation("/profile")
                .cookie(CookieSessions.LOGIN, good)));
    }

    @Test
    void cookieWhenKeyRotatedThenOpensWithTheOldKeyAndIsResealedUnderTheNew() throws Exception {
        String k1 = "k1:" + KeyRingTest.newKey(32);
        LoginCore before = core(Map.of(DiscordConfig.COOKIE_KEYS, k1));
        TestExchange next = login(before);
        assertTrue(next.cookie(CookieSessions.LOGIN).startsWith("1.k1."));
        LoginCore after = core(Map.of(DiscordConfig.COOKIE_KEYS, "k3:" + KeyRingTest.newKey(32) + ", " + k1));
        assertEquals(GroupsTest.NELLY, after.user(next).orElseThrow().id(), "the old key still opens");
    }

    @Test
    void refreshWhenTokensDueThenTheAnswerCarriesTheResealedCookieWithTheNewTokens() throws Exception {
        LoginCore core = core(THIRTY_DAYS);
        TestExchange next = login(core);
        String before = next.cookie(CookieSessions.LOGIN);
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30));
        assertInstanceOf(Outcome.Pass.class, core.protect(next));
        List<Outcome.Cookie> resealed = apply(core, next);
        assertEquals(1, resealed.size());
        assertNotEquals(before, next.cookie(CookieSessions.LOGIN));
        TestExchange later = next.next("/profile").header("Accept", "text/html");
        assertInstanceOf(Outcome.Pass.class, core.protect(later));
        assertTrue(core.responseCookies(later).isEmpty(), "the new tokens are in the cookie: no second refresh");
    }

    @Test
    void refreshWhenAnotherRequestStillCarriesTheOldCookieThenItGetsTheNewTokensNotALogout() throws Exception {
        LoginCore core = core(THIRTY_DAYS);
        TestExchange next = login(core);
        String old = next.cookie(CookieSessions.LOGIN);
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30));
        assertInstanceOf(Outcome.Pass.class, core.protect(next));
        String resealed = apply(core, next).get(0).value();
        int grants = discord.journal("POST /oauth2/token").size();
        // a request of the same browser sent before the new cookie arrived: the old refresh token is dead at Discord
        TestExchange late = navigation("/profile").cookie(CookieSessions.LOGIN, old);
        Outcome.Pass pass = assertInstanceOf(Outcome.Pass.class, core.protect(late), "not logged out");
        assertEquals(GroupsTest.NELLY, pass.principal().id());
        assertEquals(grants, discord.journal("POST /oauth2/token").size(), "no second refresh");
        List<Outcome.Cookie> newest = core.responseCookies(late);
        assertEquals(1, newest.size(), "its answer carries the newest tokens too");
        assertEquals(core.tokens(late).orElseThrow().accessToken(), core.tokens(next.next("/profile")
                .cookie(CookieSessions.LOGIN, resealed)).orElseThrow().accessToken());
    }

    /** The statuses of the refresh grants Discord answered since the journal was cleared. */
    private List<Integer> refreshGrants() {
        return discord.journal("POST /oauth2/token").stream()
                .filter(r -> r.formParam("grant_type").orElse("").equals("refresh_token"))
                .map(dev.discordoauth2.emulator.RecordedRequest::status).toList();
    }

    /** The login cookies of an answer, LOGIN's only. */
    private static List<Outcome.Cookie> loginCookies(List<Outcome.Cookie> cookies) {
        return cookies.stream().filter(c -> c.name().equals(CookieSessions.LOGIN)).toList();
    }

    /** The access token a login cookie holds, read by a node that neither refreshes nor knows any rotation. */
    private synchronized String access(String cookie) {
        reader = reader != null ? reader : core(Map.of(DiscordConfig.REFRESH_SKEW, "0",
                DiscordConfig.REVALIDATE_INTERVAL, "0"));
        return reader.tokens(navigation("/p").cookie(CookieSessions.LOGIN, cookie)).orElseThrow().accessToken();
    }

    /** Runs {@code n} calls at once (released together); their answers in order. */
    private static List<String> together(int n, IntFunction<Callable<String>> call) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(n);
        var pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<String> c = call.apply(i);
                calls.add(() -> barrier.await() >= 0 ? c.call() : "");
            }
            List<String> answers = new ArrayList<>();
            for (var f : pool.invokeAll(calls, 30, TimeUnit.SECONDS)) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Two nodes, no token store: A refreshed; the browser's request still carrying the old cookie reaches B, whose
     * refresh Discord refuses (rotated). B sends no login cookie (the browser keeps A's) and serves the request, or,
     * when the browser came back after the access token expired, answers "retry"; then it serves A's cookie as it is.
     */
    @Test
    void refreshWhenAnotherNodeRotatedTheTokenFirstThenServedOrRetriedAndNoLoginCookieSent() throws Exception {
        LoginCore a = core(THIRTY_DAYS);
        LoginCore b = core(THIRTY_DAYS);
        for (Duration later : List.of(Duration.ofDays(7).minusSeconds(30), Duration.ofDays(7).plusHours(1))) {
            TestExchange next = login(a);
            String old = next.cookie(CookieSessions.LOGIN);
            discord.advanceClock(later);
            discord.clearJournal();
            assertInstanceOf(Outcome.Pass.class, a.protect(next));
            String newer = loginCookies(apply(a, next)).get(0).value();
            TestExchange late = navigation("/profile").cookie(CookieSessions.LOGIN, old);
            Outcome outcome = b.protect(late);
            if (later.toDays() < 7) {
                assertEquals(GroupsTest.NELLY, assertInstanceOf(Outcome.Pass.class, outcome).principal().id());
            } else {
                assertTrue(assertInstanceOf(Outcome.Page.class, outcome).retryAfter() > 0, outcome.toString());
            }
            assertEquals(List.of(), loginCookies(b.responseCookies(late)), "no login cookie: the browser keeps A's");
            assertEquals(List.of(200, 400), refreshGrants(), "A's refresh, then B's refused one");
            TestExchange withNewer = navigation("/profile").cookie(CookieSessions.LOGIN, newer);
            assertInstanceOf(Outcome.Pass.class, b.protect(withNewer));
            assertEquals(List.of(), b.responseCookies(withNewer), "B takes A's cookie as it is");
            assertEquals(List.of(200, 400), refreshGrants(), "no refresh on B with A's tokens");
        }
    }

    /**
     * One browser's 24 requests at once over two nodes without a token store, with the cookie whose tokens are due:
     * all served, one refresh succeeds, no answer deletes the cookie or carries the old tokens, and the browser ends
     * with the newest tokens (they work at Discord, and the next refresh succeeds).
     */
    @Test
    void refreshWhenOneBrowsersRequestsRaceOverTwoNodesThenNobodyLoggedOutAndTheCookieCarriesTheNewestTokens()
            throws Exception {
        LoginCore a = core(THIRTY_DAYS);
        LoginCore b = core(THIRTY_DAYS);
        String old = login(a).cookie(CookieSessions.LOGIN);
        Map<String, String> jar = new HashMap<>(Map.of(CookieSessions.LOGIN, old));
        String oldAccess = access(old);
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30));
        discord.clearJournal();
        List<String> answers = together(24, i -> {
            LoginCore node = i % 2 == 0 ? a : b;
            TestExchange request = navigation("/profile");
            synchronized (jar) {
                jar.forEach(request::cookie);
            }
            return () -> {
                Outcome outcome = node.protect(request);
                List<Outcome.Cookie> cookies = loginCookies(node.responseCookies(request));
                synchronized (jar) { // the answers' cookies land in the browser as the answers arrive
                    cookies.forEach(c -> jar.put(c.name(), c.maxAge() == 0 ? null : c.value()));
                }
                for (Outcome.Cookie c : cookies) {
                    if (c.maxAge() == 0 || access(c.value()).equals(oldAccess)) {
                        return "an answer sent the old or no login: " + c;
                    }
                }
                return outcome instanceof Outcome.Pass ? "" : "not served: " + outcome;
            };
        });
        assertEquals(Collections.nCopies(24, ""), answers);
        assertEquals(1, refreshGrants().stream().filter(s -> s == 200).count(), "one refresh: " + refreshGrants());
        HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(URI.create(discord.apiBaseUri() + "/users/@me"))
                .header("Authorization", "Bearer " + access(jar.get(CookieSessions.LOGIN))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), "the browser's cookie holds the live access token: " + me.body());
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30));
        discord.clearJournal();
        assertInstanceOf(Outcome.Pass.class, b.protect(navigation("/profile").cookie(CookieSessions.LOGIN,
                jar.get(CookieSessions.LOGIN))));
        assertEquals(List.of(200), refreshGrants(), "the cookie's refresh token is the live one");
    }

    /**
     * One node, one browser's 16 requests at once with the cookie whose tokens are due: one refresh, and each request
     * (whether it joined that refresh or came after it) is served with the new tokens, and its answer carries them.
     */
    @Test
    void refreshWhenRequestsJoinTheRefreshOnOneNodeThenEachIsServedWithTheNewTokensAndCarriesThem() throws Exception {
        LoginCore a = core(THIRTY_DAYS);
        String old = login(a).cookie(CookieSessions.LOGIN);
        String oldAccess = access(old);
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30));
        discord.clearJournal();
        List<String> served = together(16, i -> () -> {
            TestExchange request = navigation("/profile").cookie(CookieSessions.LOGIN, old);
            assertInstanceOf(Outcome.Pass.class, a.protect(request));
            assertEquals(1, loginCookies(a.responseCookies(request)).size(), "the answer carries the new tokens");
            return a.tokens(request).orElseThrow().accessToken();
        });
        assertNotEquals(oldAccess, served.get(0), "served with the new tokens");
        assertEquals(Collections.nCopies(16, served.get(0)), served);
        assertEquals(List.of(200), refreshGrants());
    }

    /**
     * No token store, a grant revoked at Discord: each node asks Discord once; while the access token is valid the
     * request is served, no cookie sent (after it, a retry answer); once the refusal is decided (30 s +
     * {@code discord.refresh-timeout}) the login ends and the answer deletes the cookie, without asking Discord again.
     */
    @Test
    void refreshWhenTheGrantWasRevokedThenEachNodeAsksOnceAndTheLoginEndsWhenTheRefusalIsDecided() throws Exception {
        LoginCore a = core(THIRTY_DAYS);
        LoginCore b = core(THIRTY_DAYS);
        String cookie = login(a).cookie(CookieSessions.LOGIN);
        assertEquals(1, discord.revokeAuthorization(CLIENT_ID, GroupsTest.NELLY));
        discord.advanceClock(Duration.ofDays(7).minusSeconds(20));
        discord.clearJournal();
        for (LoginCore node : List.of(b, b, a, b, a)) {
            TestExchange request = navigation("/profile").cookie(CookieSessions.LOGIN, cookie);
            assertInstanceOf(Outcome.Pass.class, node.protect(request), "kept while the access token is valid");
            assertEquals(List.of(), node.responseCookies(request));
        }
        assertEquals(List.of(400, 400), refreshGrants(), "once per node");
        discord.advanceClock(Duration.ofSeconds(25)); // expired, not yet decided
        TestExchange expired = navigation("/profile").cookie(CookieSessions.LOGIN, cookie);
        assertInstanceOf(Outcome.Page.class, b.protect(expired), "a retry answer");
        assertEquals(List.of(), b.responseCookies(expired));
        discord.advanceClock(Duration.ofSeconds(15)); // 40 s after the refusals: decided
        for (LoginCore node : List.of(b, a)) {
            TestExchange decided = navigation("/profile").cookie(CookieSessions.LOGIN, cookie);
            assertInstanceOf(Outcome.Redirect.class, node.protect(decided), "the login ended: to Discord");
            assertEquals(List.of(0), loginCookies(node.responseCookies(decided)).stream().map(Outcome.Cookie::maxAge)
                    .toList(), "the answer deletes the cookie");
        }
        assertEquals(List.of(400, 400), refreshGrants(), "Discord was not asked again");
    }

    @Test
    void cookieWhenOlderThanItsMaxAgeThenNoLogin() throws Exception {
        LoginCore core = core(Map.of(DiscordConfig.COOKIE_MAX_AGE, "PT1H"));
        TestExchange next = login(core);
        discord.advanceClock(Duration.ofMinutes(61));
        assertInstanceOf(Outcome.Redirect.class, core.protect(next));
    }

    @Test
    void logoutWhenPostedThenBothCookiesDeleted() throws Exception {
        LoginCore core = core(Map.of());
        TestExchange next = login(core);
        TestExchange logout = next.next("/oauth2/logout").method("POST").header("Origin", "http://127.0.0.1:8080");
        assertInstanceOf(Outcome.Redirect.class, core.logout(logout));
        List<Outcome.Cookie> deleted = core.responseCookies(logout);
        assertTrue(deleted.stream().anyMatch(c -> c.name().equals(CookieSessions.LOGIN) && c.maxAge() == 0), deleted
                .toString());
    }

    @Test
    void startWhenTheLargestLoginCannotFitACookieThenRefusedNamingTheRoles() {
        StringBuilder roles = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            roles.append(i == 0 ? "" : "; ").append("role").append(i).append("=197038439483310086:")
                    .append(1000000000000000000L + i);
        }
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> core(Map.of(DiscordConfig.SCOPES, "identify guilds.members.read",
                        DiscordConfig.GUILD_ROLES, roles.toString())));
        assertTrue(refused.getMessage().contains("80 server roles in " + DiscordConfig.GUILD_ROLES), refused
                .getMessage());
        // a handful of roles fits
        core(Map.of(DiscordConfig.SCOPES, "identify guilds.members.read", DiscordConfig.GUILD_ROLES,
                "admin=197038439483310086:1000000000000000001; moderator=197038439483310086:1000000000000000002"));
    }

    @Test
    void cookieWhenIdentifyEmailGuildsWithGuildRolesThenTheSetCookieLineStaysUnder4000Bytes() throws Exception {
        LoginCore core = core(Map.of(DiscordConfig.SCOPES, "identify email guilds guilds.members.read",
                DiscordConfig.GUILD_ROLES, "moderator=197038439483310086:197038439483310087"));
        TestExchange next = login(core);
        String line = CookieSessions.LOGIN + "=" + next.cookie(CookieSessions.LOGIN)
                + "; Path=/app; Max-Age=86400; HttpOnly; Secure; SameSite=Lax";
        System.out.println("cookie mode: the login's Set-Cookie line is " + line.length() + " bytes");
        assertTrue(line.length() < 4000, line.length() + " bytes");
    }
}
