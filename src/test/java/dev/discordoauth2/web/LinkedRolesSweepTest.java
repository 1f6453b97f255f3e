package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Linked roles without the user: {@link LinkedRoles#update} and a {@link LinkedRolesSweep} over 1,000 users of the
 * shared token store ({@link TestPostgres}; skipped without it, except with CI=true), every one of them logged in
 * through the core and the emulator first. The sweep's tokens are all due, so every user is refreshed through the
 * token endpoint, whose bucket is the application's (one for all users) and limited here: the sweep must wait it
 * out and report no failure; users whose grant was revoked at Discord are reported as ended and their rows deleted.
 */
class LinkedRolesSweepTest {
    private static final String CLIENT_ID = LinkedRolesTest.CLIENT_ID;
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String TOKEN = "POST /oauth2/token";
    private static final int USERS = 1_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static TestPostgres pg;

    private DiscordEmulator discord;
    private LoginCore core;
    private Map<String, String> values;
    private final LinkedRolesTest.Platform platform = new LinkedRolesTest.Platform(LinkedRolesTest.SCHEMA);

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
        discord = DiscordEmulator.builder().application(EmulatedApplication.builder(CLIENT_ID)
                .clientSecret("core-secret").botToken("bot-secret").redirectUri(CALLBACK).build())
                .generatedUsers(USERS).autoApproveEachUserInTurn().admin(true)
                .rateLimit(TOKEN, 1_000, Duration.ofSeconds(1)).start();
        values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID,
                DiscordConfig.CLIENT_SECRET, "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK,
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(), DiscordConfig.BOT_TOKEN, "bot-secret",
                DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString(), DiscordConfig.WARM_UP, "false",
                DiscordConfig.SCOPES, "identify role_connections.write", DiscordConfig.TOKEN_STORE, "jdbc"));
        values.putAll(Map.of(DiscordConfig.TOKEN_STORE_JDBC_URL, pg.url(), DiscordConfig.TOKEN_STORE_JDBC_USER,
                pg.user(), DiscordConfig.TOKEN_STORE_TABLE, "sweep" + TABLES.incrementAndGet(),
                DiscordConfig.TOKEN_STORE_CREATE_TABLE, "true", DiscordConfig.TOKEN_STORE_KEYS,
                "k1:" + KeyRingTest.newKey(32)));
        core = LoginCore.start(DiscordConfig.of(values), discord.clock(), null);
    }

    @AfterEach
    void stop() {
        core.close();
        discord.close();
    }

    /** Logs {@code count} users in through the core, 4 browsers at a time; their ids. */
    private List<String> logIn(int count) throws Exception {
        ExecutorService browsers = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                done.add(browsers.submit(() -> {
                    TestExchange start = TestExchange.get("/profile").header("Accept", "text/html");
                    TestExchange back = LinkedRolesTest.throughDiscord(start, core.protect(start));
                    assertInstanceOf(Outcome.Redirect.class, core.callback(back));
                    return core.user(back.next("/profile")).orElseThrow().id();
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : done) {
                ids.add(f.get());
            }
            return ids;
        } finally {
            browsers.shutdownNow();
        }
    }

    private int storedConnections() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(discord.adminUri().orElseThrow()
                + "/applications/" + CLIENT_ID + "/role-connections")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject body = Json.createReader(new StringReader(answer.body())).readObject();
        return body.getInt("total");
    }

    @Test
    void sweepWhenThousandUsersAreDueUnderTheTokenEndpointsLimitThenAllPushedNoFailureAndEndedGrantsReported()
            throws Exception {
        LinkedRoles roles = core.useRoleConnections(platform);
        List<String> ids = logIn(USERS);
        for (int i = 0; i < ids.size(); i++) {
            platform.connections.put(ids.get(i), RoleConnection.of("Example Game", "user" + i,
                    Map.of("level", i, "supporter", i % 2 == 0)));
        }
        for (String revoked : ids.subList(0, 10)) {
            discord.revokeAuthorization(CLIENT_ID, revoked);
        }
        // every token is due: each user is refreshed first, through the one bucket of the application's token calls
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30));
        discord.setRateLimit(TOKEN, 50, Duration.ofSeconds(1));
        discord.clearJournal();

        LinkedRolesSweep sweep = roles.sweep();
        LinkedRolesSweep.Progress end = sweep.await(Duration.ofMinutes(3));

        assertTrue(end.finished(), "the sweep ended: " + end);
        assertEquals(new LinkedRolesSweep.Progress(USERS - 10, 0, 0, 10, 0, true, false), end);
        assertEquals(USERS - 10, storedConnections());
        assertEquals(USERS - 10, core.offline().userIds(null, 2 * USERS).size(), "ended grants are deleted");
        long limited = discord.journal(TOKEN).stream().filter(r -> r.status() == 429).count();
        System.out.println("linked-roles sweep of " + USERS + " users: " + limited + " token-endpoint 429s met by "
                + "the client, none reached the sweep");
    }

    @Test
    void sweepWhenStoppedThenEndsEarlyAndSaysSo() throws Exception {
        LinkedRoles roles = core.useRoleConnections(platform);
        List<String> ids = logIn(40);
        ids.forEach(id -> platform.connections.put(id, RoleConnection.of("Example Game", null, Map.of("level", 1))));
        discord.advanceClock(Duration.ofDays(7).minusSeconds(30));
        discord.setRateLimit(TOKEN, 2, Duration.ofSeconds(1));
        LinkedRolesSweep sweep = roles.sweep(1);
        while (sweep.progress().handled() < 3) {
            Thread.sleep(20);
        }
        sweep.stop();
        LinkedRolesSweep.Progress end = sweep.await(Duration.ofSeconds(30));
        assertTrue(end.finished() && end.stopped(), end.toString());
        assertTrue(end.handled() < 40, end.toString());
        assertEquals(0, end.failed(), end.toString());
    }

    @Test
    void updateWhenUserIsNotConnectedOrUnknownThenSaysSoAndSendsNothing() throws Exception {
        LinkedRoles roles = core.useRoleConnections(platform);
        String id = logIn(1).get(0);
        assertEquals(LinkedRoles.Result.NOTHING_TO_PUSH, roles.update(id));
        platform.connections.put(id, RoleConnection.of("Example Game", null, Map.of("level", 3)));
        assertEquals(LinkedRoles.Result.PUSHED, roles.update(id));
        assertEquals(1, storedConnections());
        assertEquals(LinkedRoles.Result.GRANT_ENDED, roles.update("1234567890123456789"));
        platform.connections.put(id, RoleConnection.of("Example Game", null, Map.of("level", "high")));
        assertThrows(IllegalArgumentException.class, () -> roles.update(id));

        // a later login without role_connections.write replaces the stored grant: it can no longer push
        Map<String, String> plain = new HashMap<>(values);
        plain.put(DiscordConfig.SCOPES, "identify");
        try (LoginCore other = LoginCore.start(DiscordConfig.of(plain), discord.clock(), null)) {
            TestExchange start = TestExchange.get("/profile").header("Accept", "text/html");
            TestExchange back = LinkedRolesTest.throughDiscord(start, other.protect(start));
            assertInstanceOf(Outcome.Redirect.class, other.callback(back));
            String plainUser = other.user(back.next("/profile")).orElseThrow().id();
            platform.connections.put(plainUser, RoleConnection.of("Example Game", null, Map.of("level", 1)));
            assertEquals(LinkedRoles.Result.NOT_CONNECTED, roles.update(plainUser));
        }
        assertEquals(1, storedConnections());
    }
}
