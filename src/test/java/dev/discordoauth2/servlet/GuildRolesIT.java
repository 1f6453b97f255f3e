package dev.discordoauth2.servlet;

import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.servlet.app.PublicServlet;
import dev.discordoauth2.servlet.app.RolesServlet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discord-native authorization over real HTTP: the web.xml components on embedded Jetty with
 * {@code discord.required-guilds} and {@code discord.guild-roles}, against the emulator whose memberships and roles
 * the tests change while the application runs.
 */
class GuildRolesIT {
    static final String CLIENT_ID = "100000000000000001";
    static final String NELLY = "80351110224678912";
    static final String WUMPUS = "268473310986240001";
    static final String TESTERS = "197038439483310086";
    static final String MODERATORS = "197038439483310087";
    static final String INVITE = "https://discord.gg/testers";
    static final String MEMBER_ROUTE = "GET /users/@me/guilds/{guild.id}/member";

    private DiscordEmulator discord;
    private EmbeddedApp server;

    private EmbeddedApp start(Map<String, String> params) throws Exception {
        return start(params, -1, true);
    }

    private EmbeddedApp start(Map<String, String> params, int maxInactiveSeconds) throws Exception {
        return start(params, maxInactiveSeconds, true);
    }

    /**
     * With {@code maxInactiveSeconds} > 0, sessions expire after that long and are scavenged every second; without
     * {@code initializer}, as a Jetty base without annotation scanning, the library's initializer does not run.
     */
    private EmbeddedApp start(Map<String, String> params, int maxInactiveSeconds, boolean initializer)
            throws Exception {
        EmbeddedApp.Builder app = EmbeddedApp.builder();
        if (maxInactiveSeconds > 0) {
            app.server(s -> {
                org.eclipse.jetty.session.DefaultSessionIdManager ids =
                        new org.eclipse.jetty.session.DefaultSessionIdManager(s);
                org.eclipse.jetty.session.HouseKeeper keeper = new org.eclipse.jetty.session.HouseKeeper();
                keeper.setSessionIdManager(ids);
                try {
                    keeper.setIntervalSec(1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                ids.setSessionHouseKeeper(keeper);
                s.addBean(ids, true);
            });
            app.sessions(handler -> handler.setMaxInactiveInterval(maxInactiveSeconds));
        }
        if (initializer) {
            app.initializer();
        }
        return app.emulator(discord, CLIENT_ID, "guild-secret").initParameters(params)
                .attribute(DiscordAuth.CLOCK_ATTRIBUTE, discord.clock())
                .filter("/protected/*").callback().logout()
                .servlet(RolesServlet.class, "/protected/roles")
                .servlet(PublicServlet.class, "/public/who")
                .start();
    }

    private String url(String path) {
        return server.url(path);
    }

    @BeforeEach
    void startAll() throws Exception {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret("guild-secret")
                .redirectUri("http://127.0.0.1:1/app/oauth2/callback").build()).start();
        server = start(Map.of(DiscordConfig.SCOPES, "identify guilds.members.read",
                DiscordConfig.REQUIRED_GUILDS, TESTERS,
                DiscordConfig.GUILD_ROLES, "moderator=" + TESTERS + ":" + MODERATORS,
                DiscordConfig.GUILD_INVITE_URL, INVITE,
                DiscordConfig.GUILD_RECHECK_INTERVAL, "PT10M"));
        discord.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
    }

    @AfterEach
    void stopAll() throws Exception {
        server.close();
        discord.close();
    }

    /** Logs in as {@code userId} through the consent page; returns the callback's answer. */
    private HttpResponse<String> login(TestBrowser browser, String userId) {
        HttpResponse<String> toDiscord = browser.get(url("/protected/roles"));
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), userId, "approve");
        return browser.follow(back);
    }

    private void awaitMemberCalls(int n) throws InterruptedException {
        for (int i = 0; i < 200 && discord.journal(MEMBER_ROUTE).size() < n; i++) {
            Thread.sleep(25);
        }
        Thread.sleep(100); // the answer reaches the node's background task
    }

    /** Revocations run in the background: waits up to 5 s for the user's authorization to end. */
    private boolean awaitRevoked(String userId) {
        for (int i = 0; i < 200 && discord.isAuthorized(CLIENT_ID, userId); i++) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !discord.isAuthorized(CLIENT_ID, userId);
    }

    @Test
    void loginWhenMemberWithServerRoleThenApplicationRoleGranted() {
        TestBrowser browser = new TestBrowser();
        assertEquals(302, login(browser, NELLY).statusCode());
        HttpResponse<String> page = browser.get(url("/protected/roles"));
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("moderator=true"), page.body());
        assertTrue(page.body().contains("staff=false") && page.body().contains("discord-user=true"), page.body());
        assertTrue(page.body().contains("guildRoles=[moderator]"), "in the principal too: " + page.body());
        assertEquals(1, discord.journal(MEMBER_ROUTE).size(), "one member call per configured server");
    }

    @Test
    void loginWhenNotAMemberThen403WithInviteLinkAndGrantRevoked() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> refused = login(browser, WUMPUS);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("not_a_member"), refused.body());
        assertTrue(refused.body().contains("href=\"" + INVITE + "\""), "a 'join the server' link: " + refused.body());
        assertTrue(awaitRevoked(WUMPUS), "the grant is revoked");
        HttpResponse<String> again = browser.get(url("/protected/roles"));
        assertEquals(302, again.statusCode(), "not logged in");
    }

    @Test
    void recheckWhenRoleRemovedAtDiscordAndUserIdleLongerThanTheIntervalThenFirstRequestHasItNoMore() {
        TestBrowser browser = new TestBrowser();
        login(browser, NELLY);
        discord.setMemberRoles(TESTERS, NELLY, List.of());
        assertTrue(browser.get(url("/protected/roles")).body().contains("moderator=true"), "within the interval");
        assertEquals(1, discord.journal(MEMBER_ROUTE).size(), "not read again within the interval");
        discord.advanceClock(Duration.ofMinutes(11)); // idle longer than discord.guild-recheck-interval (10 min)
        HttpResponse<String> after = browser.get(url("/protected/roles"));
        assertEquals(200, after.statusCode());
        assertTrue(after.body().contains("moderator=false") && after.body().contains("guildRoles=[]"),
                "the very first request after the interval waits for the check: " + after.body());
        assertEquals(2, discord.journal(MEMBER_ROUTE).size());

        discord.setMemberRoles(TESTERS, NELLY, List.of(MODERATORS));
        discord.advanceClock(Duration.ofMinutes(11));
        assertTrue(browser.get(url("/protected/roles")).body().contains("moderator=true"), "given back as well");
        assertEquals(3, discord.journal(MEMBER_ROUTE).size());
    }

    @Test
    void recheckWhenUserLeftTheServerAndWasIdleThenFirstRequestLoggedOutAndGrantRevoked() throws Exception {
        TestBrowser browser = new TestBrowser();
        login(browser, NELLY);
        assertTrue(discord.removeMember(TESTERS, NELLY));
        discord.advanceClock(Duration.ofMinutes(11));
        HttpResponse<String> after = browser.get(url("/protected/roles"));
        assertEquals(302, after.statusCode(), "no access any more, from the first request: " + after.body());
        assertTrue(TestBrowser.location(after).startsWith(discord.authorizeUri().toString()));
        assertTrue(awaitRevoked(NELLY), "the grant is revoked");
    }

    @Test
    void currentUserWhenRoleRemovedOrUserLeftThenPublicPageSeesTheFiltersAnswer() {
        TestBrowser browser = new TestBrowser();
        login(browser, NELLY);
        assertEquals("user=nelly guildRoles=[moderator]", browser.get(url("/public/who")).body());
        discord.setMemberRoles(TESTERS, NELLY, List.of());
        discord.advanceClock(Duration.ofMinutes(11));
        assertEquals("user=nelly guildRoles=[]", browser.get(url("/public/who")).body(),
                "DiscordAuth.currentUser runs the filter's checks on a public page too");
        assertTrue(discord.removeMember(TESTERS, NELLY));
        discord.advanceClock(Duration.ofMinutes(11));
        assertEquals("user=nobody", browser.get(url("/public/who")).body(), "a user who left is logged out");
        assertTrue(awaitRevoked(NELLY), "and their grant revoked");
        assertEquals(302, browser.get(url("/protected/roles")).statusCode());
    }

    @Test
    void recheckWhenIntervalZeroAndLookupFailedThenTriedAgainAfterAMinute() throws Exception {
        server.close();
        server = start(Map.of(DiscordConfig.SCOPES, "identify guilds.members.read",
                DiscordConfig.REQUIRED_GUILDS, TESTERS,
                DiscordConfig.GUILD_ROLES, "moderator=" + TESTERS + ":" + MODERATORS,
                DiscordConfig.GUILD_RECHECK_INTERVAL, "0"));
        discord.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        TestBrowser browser = new TestBrowser();
        login(browser, NELLY);
        assertEquals(1, discord.journal(MEMBER_ROUTE).size());
        // interval 0: read again after each refresh only; this one's lookup fails
        discord.injectFault(MEMBER_ROUTE, Fault.status(403, "{\"message\": \"Missing Access\", \"code\": 50001}"));
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30)); // within the refresh skew
        HttpResponse<String> refreshed = browser.get(url("/protected/roles"));
        assertEquals(200, refreshed.statusCode(), "a failed lookup keeps the last answer: " + refreshed.body());
        assertTrue(refreshed.body().contains("moderator=true"), refreshed.body());
        int afterFailure = discord.journal(MEMBER_ROUTE).size();
        assertEquals(2, afterFailure, "looked up once after the refresh");
        discord.setMemberRoles(TESTERS, NELLY, List.of());
        discord.advanceClock(Duration.ofSeconds(30));
        browser.get(url("/protected/roles"));
        assertEquals(afterFailure, discord.journal(MEMBER_ROUTE).size(), "not before the minute is up");
        discord.advanceClock(Duration.ofSeconds(31));
        HttpResponse<String> retried = browser.get(url("/protected/roles"));
        assertEquals(afterFailure + 1, discord.journal(MEMBER_ROUTE).size(),
                "tried again a minute after the failure, not at the next refresh a week later");
        assertTrue(retried.body().contains("moderator=false"), retried.body());
    }

    @Test
    void recheckWhenSessionsExpireWithLookupsUnderWayThenTheNodeForgetsThem() throws Exception {
        server.close();
        server = start(Map.of(DiscordConfig.SCOPES, "identify guilds.members.read",
                DiscordConfig.REQUIRED_GUILDS, TESTERS,
                DiscordConfig.GUILD_RECHECK_INTERVAL, "PT10M",
                DiscordConfig.REFRESH_TIMEOUT, "PT0.2S"), 3);
        discord.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        List<TestBrowser> browsers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestBrowser b = new TestBrowser();
            assertEquals(302, login(b, NELLY).statusCode());
            browsers.add(b);
        }
        // every session's recheck is due and slower than the request waits: the lookups outlive the requests
        discord.injectFault(MEMBER_ROUTE, Fault.delay(Duration.ofSeconds(1)).times(6));
        discord.advanceClock(Duration.ofMinutes(11));
        for (TestBrowser b : browsers) {
            assertEquals(200, b.get(url("/protected/roles")).statusCode(), "the last answer serves meanwhile");
        }
        dev.discordoauth2.web.LoginCore web = runtime();
        assertEquals(6, web.remembered().get("guilds"), "one lookup per session under way: " + web.remembered());
        // the sessions are abandoned and expire (3 s): the node's memory of them goes with them
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (web.remembered().get("guilds") > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
        }
        assertEquals(0, web.remembered().get("guilds"), "nothing left for expired sessions: " + web.remembered());
    }

    private dev.discordoauth2.web.LoginCore runtime() {
        ServletContextHandler context = server.context();
        return DiscordAuth.loginCore(context.getServletContext()).orElseThrow();
    }

    @Test
    void recheckWhenDiscordFailsThenLastStandingKeptAndTriedAgainLater() throws Exception {
        TestBrowser browser = new TestBrowser();
        login(browser, NELLY);
        discord.injectFault(MEMBER_ROUTE, Fault.status(503, "{\"message\": \"upstream\", \"code\": 0}").times(5));
        discord.advanceClock(Duration.ofMinutes(11));
        browser.get(url("/protected/roles"));
        awaitMemberCalls(2);
        HttpResponse<String> page = browser.get(url("/protected/roles"));
        assertEquals(200, page.statusCode(), "a Discord failure is not a logout: " + page.body());
        assertTrue(page.body().contains("moderator=true"), page.body());
    }

    @Test
    void loginWhenMemberLookupFailsThenRetryPageAndGrantRevoked() {
        discord.injectFault(MEMBER_ROUTE, Fault.status(503, "{\"message\": \"upstream\", \"code\": 0}").times(5));
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> page = login(browser, NELLY);
        assertTrue(page.statusCode() == 502 || page.statusCode() == 503, page.statusCode() + " " + page.body());
        assertTrue(page.headers().firstValue("Retry-After").isPresent());
        assertTrue(awaitRevoked(NELLY), "no half-done login stays authorized");
    }

    @Test
    void deployWhenGuildRolesWithoutMembersReadScopeThenStoppedOrFailsClosedNamingKeyAndScope() throws Exception {
        Map<String, String> params = Map.of(DiscordConfig.SCOPES, "identify guilds",
                DiscordConfig.GUILD_ROLES, "moderator=" + TESTERS + ":" + MODERATORS);
        IllegalStateException stopped = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> start(params), "the initializer stops the deployment");
        assertTrue(stopped.getMessage().contains(DiscordConfig.GUILD_ROLES)
                && stopped.getMessage().contains("guilds.members.read"), stopped.getMessage());
        EmbeddedApp bad = start(params, -1, false);
        try {
            String base = bad.base();
            HttpResponse<String> page = new TestBrowser().get(base + "/protected/roles");
            assertEquals(503, page.statusCode(), page.body());
            assertTrue(page.body().contains("not_configured"), page.body());
            assertFalse(page.body().contains("guilds.members.read"), "the reason goes to the log, not the page");
        } finally {
            bad.close();
        }
    }
}
