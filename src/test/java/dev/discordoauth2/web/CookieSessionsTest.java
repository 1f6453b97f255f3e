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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code discord.session=cookie} on the login core against the emulator: the login and the pending logins in sealed
 * cookies, no session ever created; a refresh reseals the cookie; tampered, truncated, foreign-key, other-version and
 * expired cookies are a clean re-login; a logout deletes both; the cookie's size for a login with guild roles.
 */
class CookieSessionsTest {
    private static final String CLIENT_ID = LinkedRolesTest.CLIENT_ID;
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String KEYS = "k2:" + KeyRingTest.newKey(32) + ", k1:" + KeyRingTest.newKey(32);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DiscordEmulator discord;
    private final List<LoginCore> cores = new ArrayList<>();

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
        LoginCore core = core(Map.of(DiscordConfig.COOKIE_MAX_AGE, "P30D"));
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
        LoginCore core = core(Map.of(DiscordConfig.COOKIE_MAX_AGE, "P30D"));
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
