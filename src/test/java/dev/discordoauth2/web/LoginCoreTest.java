package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.web.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login core's rules without a container: requests are {@link TestExchange}s with {@link MapSession}s, Discord is
 * the emulator on a loopback port (auto-approving its demo user), and time is the emulator's clock.
 */
class LoginCoreTest {
    private static final String CLIENT_ID = "100000000000000042";
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String TOKEN = "POST /oauth2/token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DiscordEmulator discord;
    private LoginCore core;
    private final List<DiscordLoginEvent> events = new ArrayList<>();

    @BeforeEach
    void start() {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret("core-secret")
                .redirectUri(CALLBACK).build()).autoApprove(GroupsTest.NELLY).start();
        core = core(Map.of());
    }

    private LoginCore core(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID,
                DiscordConfig.CLIENT_SECRET, "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK,
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(),
                DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString(), DiscordConfig.WARM_UP, "false"));
        values.putAll(more);
        if (core != null) {
            core.close();
        }
        LoginCore started = LoginCore.start(DiscordConfig.of(values), discord.clock(), null);
        started.addListener(events::add);
        return started;
    }

    @AfterEach
    void stop() {
        core.close();
        discord.close();
    }

    private static TestExchange navigation(String path) {
        return TestExchange.get(path).header("Accept", "text/html");
    }

    /** Follows the authorize redirect at the emulator (auto-approved): the callback's path and query. */
    private static String authorize(Outcome outcome) throws Exception {
        Outcome.Redirect toDiscord = assertInstanceOf(Outcome.Redirect.class, outcome);
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(toDiscord.location())).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(CALLBACK), location);
        return location.substring("http://127.0.0.1:8080/app".length());
    }

    /** A whole login of the browser of {@code start}: the protected page, Discord, the callback. */
    private TestExchange login(TestExchange start) throws Exception {
        String callback = authorize(core.protect(start));
        TestExchange back = start.next(callback);
        Outcome.Redirect done = assertInstanceOf(Outcome.Redirect.class, core.callback(back));
        assertEquals("http://127.0.0.1:8080/app" + start.rawPath(), done.location());
        return back;
    }

    @Test
    void protectWhenNavigationWithoutLoginThenRedirectToDiscordWithStateAndPkce() {
        Outcome outcome = core.protect(navigation("/profile"));
        Outcome.Redirect redirect = assertInstanceOf(Outcome.Redirect.class, outcome);
        assertTrue(redirect.location().startsWith(discord.authorizeUri().toString()), redirect.location());
        assertTrue(redirect.location().contains("state="), "a state");
        assertTrue(redirect.location().contains("code_challenge_method=S256"), "PKCE S256");
        assertTrue(redirect.session(), "the session cookie the login caused gets the defaults");
    }

    @Test
    void protectWhenScriptWithoutLoginThen401JsonNamingTheLoginUrl() {
        Outcome.Json json = assertInstanceOf(Outcome.Json.class,
                core.protect(TestExchange.get("/api/me").header("Accept", "application/json")));
        assertEquals(401, json.status());
        assertTrue(json.wwwAuthenticate().contains("login_url=\"/app/oauth2/login?return=%2Fapi%2Fme\""),
                json.wwwAuthenticate());
        assertTrue(json.body().contains("\"login_url\""), json.body());
    }

    @Test
    void callbackWhenStateCompletesThenSessionIdChangedUserPassesAndEventFired() throws Exception {
        TestExchange start = navigation("/profile");
        TestExchange back = login(start);
        assertTrue(back.currentSession().id().endsWith("-changed"), "the session id changed at login");
        Outcome.Pass pass = assertInstanceOf(Outcome.Pass.class, core.protect(back.next("/profile")));
        assertEquals(GroupsTest.NELLY, pass.principal().id());
        assertTrue(pass.groups().contains(RoleMapper.DISCORD_USER), pass.groups().toString());
        assertInstanceOf(DiscordLoginEvent.LoggedIn.class, events.get(0));
    }

    @Test
    void callbackWhenStateReplayedThen400AndNoSecondExchange() throws Exception {
        TestExchange start = navigation("/profile");
        String callback = authorize(core.protect(start));
        core.callback(start.next(callback));
        TestExchange other = navigation("/elsewhere"); // another browser replays the link
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.callback(other.next(callback)));
        assertEquals(Outcome.Failure.INVALID_STATE, page.failure());
        assertEquals(1, discord.journal(TOKEN).size(), "one code exchange");
    }

    @Test
    void callbackWhenMissingStateOrSessionInUrlThen400BeforeAnythingElse() {
        assertEquals(Outcome.Failure.MISSING_STATE, assertInstanceOf(Outcome.Page.class,
                core.callback(navigation("/oauth2/callback?code=x"))).failure());
        assertEquals(Outcome.Failure.SESSION_IN_URL, assertInstanceOf(Outcome.Page.class,
                core.callback(navigation("/oauth2/callback?code=x&state=y").sessionInUrl())).failure());
        assertEquals(Outcome.Failure.BAD_REQUEST, assertInstanceOf(Outcome.Page.class,
                core.callback(navigation("/oauth2/callback?state=%zz"))).failure());
        assertTrue(discord.journal(TOKEN).isEmpty());
    }

    @Test
    void callbackWhenTwoTabsThenEachReturnsToItsOwnPageWithOneExchange() throws Exception {
        TestExchange tab1 = navigation("/one");
        String callback1 = authorize(core.protect(tab1));
        TestExchange tab2 = tab1.next("/two").header("Accept", "text/html");
        String callback2 = authorize(core.protect(tab2));
        Outcome.Redirect second = assertInstanceOf(Outcome.Redirect.class, core.callback(tab2.next(callback2)));
        assertTrue(second.location().endsWith("/app/two"), second.location());
        Outcome.Redirect first = assertInstanceOf(Outcome.Redirect.class, core.callback(tab2.next(callback1)));
        assertTrue(first.location().endsWith("/app/one"), "tab 1 returns to its own page: " + first.location());
        assertEquals(1, discord.journal(TOKEN).size(), "tab 1's code is not exchanged");
    }

    @Test
    void callbackWhenDiscordFailsThenRetryPageKeepsNothingHalfDone() throws Exception {
        TestExchange start = navigation("/profile");
        String callback = authorize(core.protect(start));
        discord.injectFault(TOKEN, Fault.status(502, "{\"message\":\"bad gateway\"}"));
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.callback(start.next(callback)));
        assertEquals(Outcome.Failure.DISCORD_BAD_ANSWER, page.failure());
        assertTrue(page.retryAfter() >= 1, "Retry-After");
        assertNull(LoginStates.of(start.currentSession()), "no login stored");
    }

    @Test
    void protectWhenTokensDueThenOneRefreshForConcurrentRequests() throws Exception {
        TestExchange back = login(navigation("/profile"));
        discord.advanceClock(Duration.ofDays(8)); // past the access token's lifetime
        discord.clearJournal();
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Outcome.Pass.class, core.protect(back.next("/profile")));
        }
        assertEquals(1, discord.journal(TOKEN).size(), "single-flight: one refresh");
        assertInstanceOf(DiscordLoginEvent.TokensRefreshed.class, events.get(events.size() - 1));
    }

    @Test
    void protectWhenRefreshFailsThenRetryAnswerAndBackoffBeforeTheNextTry() throws Exception {
        TestExchange back = login(navigation("/profile"));
        discord.advanceClock(Duration.ofDays(8));
        discord.clearJournal();
        discord.injectFault(TOKEN, Fault.status(503, "{\"message\":\"unavailable\"}").times(5));
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.protect(back.next("/profile")
                .header("Accept", "text/html")));
        assertEquals(Outcome.Failure.DISCORD_UNAVAILABLE, page.failure());
        assertTrue(page.retryAfter() >= 1);
        int tries = discord.journal(TOKEN).size();
        core.protect(back.next("/profile").header("Accept", "text/html"));
        assertEquals(tries, discord.journal(TOKEN).size(), "no new refresh within the backoff");
        assertNotNull(LoginStates.of(back.currentSession()), "the login is kept through the outage");
    }

    @Test
    void protectWhenRefreshTokenRevokedThenLoginEndedAfterTheDecisionDelay() throws Exception {
        TestExchange back = login(navigation("/profile"));
        discord.revokeAuthorization(CLIENT_ID, GroupsTest.NELLY);
        discord.advanceClock(Duration.ofDays(8));
        core.protect(back.next("/profile").header("Accept", "text/html")); // refused: undecided (another node?)
        discord.advanceClock(TokenRefresher.ANSWER_WAIT.plus(Duration.ofSeconds(10)));
        Outcome outcome = core.protect(back.next("/profile").header("Accept", "text/html"));
        assertInstanceOf(Outcome.Redirect.class, outcome, "logged out: a new login");
        assertTrue(events.stream().anyMatch(e -> e instanceof DiscordLoginEvent.LoginEnded ended
                && ended.reason() == DiscordLoginEvent.Reason.REVOKED), events.toString());
    }

    @Test
    void logoutWhenGetOrCrossSiteThenRefusedAndSessionKept() throws Exception {
        TestExchange back = login(navigation("/profile"));
        Outcome.Page get = assertInstanceOf(Outcome.Page.class, core.logout(back.next("/oauth2/logout")));
        assertEquals(405, get.status());
        assertEquals("POST", get.headers().get("Allow"));
        Outcome.Page cross = assertInstanceOf(Outcome.Page.class, core.logout(back.next("/oauth2/logout")
                .method("POST").header("Origin", "https://evil.example")));
        assertEquals(403, cross.status());
        assertNotNull(LoginStates.of(back.currentSession()));
        Outcome.Redirect out = assertInstanceOf(Outcome.Redirect.class, core.logout(back.next("/oauth2/logout")
                .method("POST").header("Origin", "http://127.0.0.1:8080")));
        assertEquals(303, out.status());
        assertTrue(back.currentSession().invalid(), "the session ends");
        assertInstanceOf(DiscordLoginEvent.LoggedOut.class, events.get(events.size() - 1));
    }

    @Test
    void protectWhenRoleMapperGivenThenItsRolesJoinTheGroups() throws Exception {
        core.close();
        Map<String, String> values = Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID, DiscordConfig.CLIENT_SECRET,
                "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK, DiscordConfig.API_BASE_URI,
                discord.apiBaseUri().toString(), DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString());
        core = LoginCore.start(DiscordConfig.of(values), discord.clock(), user -> java.util.Set.of("editor"));
        TestExchange back = login(navigation("/profile"));
        Outcome.Pass pass = assertInstanceOf(Outcome.Pass.class, core.protect(back.next("/profile")));
        assertTrue(pass.groups().contains("editor"), pass.groups().toString());
    }

    @Test
    void startWhenSessionStoreGivenThenTheLoginLivesThereNotInTheContainerSession() throws Exception {
        core.close();
        Map<String, MapSession> store = new HashMap<>();
        LoginCore.SessionStore byHeader = new LoginCore.SessionStore() {
            @Override
            public LoginCore.Session session(LoginCore.Exchange request, boolean create) {
                String key = request.header("X-Browser");
                return create ? store.computeIfAbsent(key, MapSession::new) : store.get(key);
            }

            @Override
            public LoginCore.Session renew(LoginCore.Exchange request) {
                MapSession session = store.get(request.header("X-Browser"));
                session.changeId(session.id() + "-renewed");
                return session;
            }
        };
        Map<String, String> values = Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID, DiscordConfig.CLIENT_SECRET,
                "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK, DiscordConfig.API_BASE_URI,
                discord.apiBaseUri().toString(), DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString());
        core = LoginCore.start(DiscordConfig.of(values), discord.clock(), null, byHeader);
        TestExchange start = navigation("/profile").header("X-Browser", "b1");
        String callback = authorize(core.protect(start));
        TestExchange back = start.next(callback);
        assertInstanceOf(Outcome.Redirect.class, core.callback(back));
        assertNull(back.currentSession(), "nothing in the container's session");
        assertEquals("b1-renewed", store.get("b1").id(), "renewed at login");
        assertNotNull(LoginStates.of(store.get("b1")), "the login is in the application's store");
        Outcome.Pass pass = assertInstanceOf(Outcome.Pass.class, core.protect(back.next("/profile")));
        assertEquals(GroupsTest.NELLY, pass.principal().id());
        assertInstanceOf(Outcome.Redirect.class, core.protect(navigation("/profile").header("X-Browser", "b2")),
                "another browser's key: not logged in");
    }

    @Test
    void protectWhenRevalidationFindsTheGrantRevokedThenLoginEndedOnceDecided() throws Exception {
        core = core(Map.of(DiscordConfig.REVALIDATE_INTERVAL, "PT5M"));
        TestExchange back = login(navigation("/profile"));
        discord.revokeAuthorization(CLIENT_ID, GroupsTest.NELLY);
        discord.clearJournal();
        discord.advanceClock(Duration.ofMinutes(6)); // the check is due; the access token itself is still valid
        assertInstanceOf(Outcome.Pass.class, core.protect(back.next("/profile")), "the request goes on meanwhile");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (discord.journal("GET /oauth2/@me").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, discord.journal("GET /oauth2/@me").size(), "one check of the token, in the background");
        Thread.sleep(200); // its answer (401) is applied by the session's next request
        core.protect(back.next("/profile")); // the 401 is recorded: undecided (another node may have rotated it)
        assertNotNull(LoginStates.of(back.currentSession()), "not ended before the decision delay");
        discord.advanceClock(TokenRefresher.ANSWER_WAIT.plus(Duration.ofSeconds(10)));
        assertInstanceOf(Outcome.Redirect.class, core.protect(back.next("/profile").header("Accept", "text/html")),
                "decided: revoked, a new login");
        assertEquals(1, discord.journal("GET /oauth2/@me").size(), "no second check of the refused token");
    }

    @Test
    void protectWhenUserDeauthorizedAfterLoginThenSessionEndedRevokedAndNewLoginKept() throws Exception {
        TestExchange back = login(navigation("/profile"));
        MapSession session = back.currentSession();
        core.endLoginsOf("268473310986240001"); // somebody else: nothing happens to this login
        assertInstanceOf(Outcome.Pass.class, core.protect(back.next("/profile")));
        discord.advanceClock(Duration.ofSeconds(1));
        core.endLoginsOf(GroupsTest.NELLY);
        core.endLoginsOf(GroupsTest.NELLY); // Discord retries: the same
        assertInstanceOf(Outcome.Redirect.class, core.protect(back.next("/profile").header("Accept", "text/html")),
                "the login ended: a navigation goes to Discord");
        assertTrue(session.invalid(), "the session is invalidated");
        DiscordLoginEvent.LoginEnded ended = assertInstanceOf(DiscordLoginEvent.LoginEnded.class,
                events.get(events.size() - 1));
        assertEquals(DiscordLoginEvent.Reason.REVOKED, ended.reason());
        assertEquals(GroupsTest.NELLY, ended.user().id());
        assertEquals(1, events.stream().filter(e -> e instanceof DiscordLoginEvent.LoginEnded).count(), "ended once");

        discord.advanceClock(Duration.ofSeconds(1)); // the user authorizes the application again
        TestExchange again = login(navigation("/profile"));
        assertInstanceOf(Outcome.Pass.class, core.protect(again.next("/profile")), "a login after it is kept");
    }

    @Test
    void deauthorizationsWhenOlderThanADayThenForgotten() {
        java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(millis.get());
            }
        };
        Deauthorizations deauthorizations = new Deauthorizations(clock);
        deauthorizations.record("1");
        assertTrue(deauthorizations.endedSince("1", 999_999, millis.get()), "a login stored before");
        assertTrue(!deauthorizations.endedSince("1", 1_000_001, millis.get()), "a login stored after");
        millis.addAndGet(Deauthorizations.KEPT.toMillis());
        assertTrue(!deauthorizations.endedSince("1", 0, millis.get()), "forgotten after a day");
        assertTrue(deauthorizations.isEmpty(), "and dropped");
    }
}
