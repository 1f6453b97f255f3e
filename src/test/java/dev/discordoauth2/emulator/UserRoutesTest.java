package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Bearer routes: current user, guilds, member, connections, role connection, and {@code /oauth2/@me}. */
class UserRoutesTest {
    private static final String UNAUTHORIZED = "{\"message\":\"401: Unauthorized\",\"code\":0}";
    private DiscordEmulator discord;

    @BeforeEach
    void start() {
        discord = demo().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private HttpResponse<String> me(String token) {
        return get(api(discord, "/users/@me"), "Authorization", bearer(token));
    }

    private URI roleConnection(String appId) {
        return api(discord, "/users/@me/applications/" + appId + "/role-connection");
    }

    private static String errorCode(HttpResponse<String> response, String... path) {
        JsonObject node = object(response).getJsonObject("errors");
        for (String p : path) {
            node = node.getJsonObject(p);
        }
        return node.getJsonArray("_errors").getJsonObject(0).getString("code");
    }

    // ------------------------------------------------------------------------------------------ /users/@me

    @Test
    void meWhenIdentifyOnlyThenNoEmailNorVerified() {
        JsonObject user = object(me(accessToken(discord, NELLY, "identify")));
        assertEquals(NELLY, user.getString("id"));
        assertEquals("nelly", user.getString("username"));
        assertEquals("Nelly", user.getString("global_name"));
        assertEquals("0", user.getString("discriminator"));
        assertFalse(user.containsKey("email"));
        assertFalse(user.containsKey("verified"));
    }

    @Test
    void meWhenEmailScopeThenEmailAndVerified() {
        JsonObject nelly = object(me(accessToken(discord, NELLY, "identify email")));
        assertEquals("nelly@example.com", nelly.getString("email"));
        assertTrue(nelly.getBoolean("verified"));
        JsonObject clyde = object(me(accessToken(discord, CLYDE, "identify email")));
        assertFalse(clyde.getBoolean("verified"));
        assertTrue(clyde.isNull("global_name"), "null, not absent");
    }

    @Test
    void meWhenIdentifyPremiumThenPremiumTypeElseZero() {
        assertEquals(0, object(me(accessToken(discord, NELLY, "identify"))).getInt("premium_type"));
        assertEquals(2, object(me(accessToken(discord, NELLY, "identify identify.premium"))).getInt("premium_type"));
    }

    @Test
    void meWhenTokenMissingWrongOrLackingScopeThen401Body() {
        assertEquals(UNAUTHORIZED, get(api(discord, "/users/@me")).body());
        assertEquals(401, get(api(discord, "/users/@me")).statusCode());
        assertEquals(UNAUTHORIZED, me("not-a-token").body());
        assertEquals(UNAUTHORIZED, me(accessToken(discord, NELLY, "guilds")).body());
        assertEquals(UNAUTHORIZED, get(api(discord, "/users/@me"), "Authorization", "Bot " + BOT_TOKEN).body());
    }

    @Test
    void meWhenTokenRevokedThen401() {
        String token = accessToken(discord, NELLY, "identify");
        postForm(URI.create(discord.apiBaseUri() + "/oauth2/token/revoke"), params("token", token),
                "Authorization", basic(CLIENT_ID, SECRET));
        HttpResponse<String> response = me(token);
        assertEquals(401, response.statusCode());
        assertEquals(UNAUTHORIZED, response.body());
    }

    @Test
    void meWhenTokenExpiredThen401() {
        String token = accessToken(discord, NELLY, "identify");
        discord.advanceClock(Duration.ofDays(8));
        assertEquals(UNAUTHORIZED, me(token).body());
    }

    // ------------------------------------------------------------------------------------------ guilds

    @Test
    void guildsWhenGuildsScopeThenSortedPartialGuildsWithStringPermissions() {
        HttpResponse<String> response = get(api(discord, "/users/@me/guilds"), "Authorization",
                bearer(accessToken(discord, NELLY, "guilds")));
        JsonArray guilds = array(response);
        List<Long> ids = new ArrayList<>();
        for (JsonValue v : guilds) {
            JsonObject g = v.asJsonObject();
            ids.add(Long.parseUnsignedLong(g.getString("id")));
            assertEquals(JsonValue.ValueType.STRING, g.get("permissions").getValueType());
            assertEquals(g.getString("id").equals(TESTERS) || g.getString("id").equals(LOUNGE), g.getBoolean("owner"));
            assertFalse(g.containsKey("approximate_member_count"));
        }
        List<Long> sorted = new ArrayList<>(ids);
        sorted.sort(Long::compareUnsigned);
        assertEquals(sorted, ids);
        assertEquals(4, ids.size());
    }

    @Test
    void guildsWhenWithCountsThenApproximateCounts() {
        JsonObject first = array(get(api(discord, "/users/@me/guilds?with_counts=true"), "Authorization",
                bearer(accessToken(discord, NELLY, "guilds")))).getJsonObject(0);
        assertEquals(120000, first.getInt("approximate_member_count"));
        assertEquals(15000, first.getInt("approximate_presence_count"));
    }

    @Test
    void guildsWhenPagingThenBeforeAfterLimitApplied() {
        String token = bearer(accessToken(discord, NELLY, "guilds"));
        JsonArray page = array(get(api(discord, "/users/@me/guilds?limit=2"), "Authorization", token));
        assertEquals(List.of(API_GUILD, TESTERS), ids(page));
        assertEquals(List.of(FAN_CLUB, LOUNGE), ids(array(get(api(discord, "/users/@me/guilds?after=" + TESTERS),
                "Authorization", token))));
        assertEquals(List.of(TESTERS), ids(array(get(api(discord, "/users/@me/guilds?before=" + FAN_CLUB + "&limit=1"),
                "Authorization", token))));
    }

    private static List<String> ids(JsonArray guilds) {
        return guilds.stream().map(v -> v.asJsonObject().getString("id")).toList();
    }

    @Test
    void guildsWhenLimitOutOfRangeOrNotANumberThen50035() {
        String token = bearer(accessToken(discord, NELLY, "guilds"));
        for (String limit : List.of("0", "201", "abc")) {
            HttpResponse<String> response = get(api(discord, "/users/@me/guilds?limit=" + limit), "Authorization", token);
            assertEquals(400, response.statusCode(), limit);
            assertEquals(50035, object(response).getInt("code"));
            assertFalse(errorCode(response, "limit").isEmpty());
        }
        assertEquals("NUMBER_TYPE_MAX", errorCode(get(api(discord, "/users/@me/guilds?limit=201"),
                "Authorization", token), "limit"));
    }

    @Test
    void guildsWhenScopeMissingThen401() {
        assertEquals(UNAUTHORIZED, get(api(discord, "/users/@me/guilds"), "Authorization",
                bearer(accessToken(discord, NELLY, "identify"))).body());
    }

    // ------------------------------------------------------------------------------------------ member

    @Test
    void memberWhenMemberThenMemberObject() {
        HttpResponse<String> response = get(api(discord, "/users/@me/guilds/" + TESTERS + "/member"),
                "Authorization", bearer(accessToken(discord, NELLY, "guilds.members.read")));
        assertEquals(200, response.statusCode());
        JsonObject member = object(response);
        assertEquals("2021-06-01T12:00:00.000000+00:00", member.getString("joined_at"));
        assertEquals(List.of("197038439483310087"), member.getJsonArray("roles").getValuesAs(
                jakarta.json.JsonString::getString));
        assertEquals(NELLY, member.getJsonObject("user").getString("id"));
        assertTrue(member.isNull("nick"));
        assertFalse(member.getBoolean("deaf"));
    }

    @Test
    void memberWhenNotAMemberThen404UnknownGuild() {
        HttpResponse<String> response = get(api(discord, "/users/@me/guilds/" + TESTERS + "/member"),
                "Authorization", bearer(accessToken(discord, WUMPUS, "guilds.members.read")));
        assertEquals(404, response.statusCode());
        assertEquals("{\"message\":\"Unknown Guild\",\"code\":10004}", response.body());
    }

    @Test
    void memberWhenScopeMissingThen401() {
        assertEquals(401, get(api(discord, "/users/@me/guilds/" + TESTERS + "/member"), "Authorization",
                bearer(accessToken(discord, NELLY, "guilds"))).statusCode());
    }

    // ------------------------------------------------------------------------------------------ connections

    @Test
    void connectionsWhenScopeThenTypedFields() {
        JsonArray connections = array(get(api(discord, "/users/@me/connections"), "Authorization",
                bearer(accessToken(discord, NELLY, "connections"))));
        assertEquals(2, connections.size());
        JsonObject github = connections.getJsonObject(0);
        assertEquals("github", github.getString("type"));
        assertEquals("nelly-codes", github.getString("name"));
        assertEquals(1, github.getInt("visibility"));
        assertTrue(github.getBoolean("verified"));
        assertFalse(github.containsKey("revoked"), "absent when not revoked");
        assertEquals(401, get(api(discord, "/users/@me/connections"), "Authorization",
                bearer(accessToken(discord, NELLY, "identify"))).statusCode());
    }

    // ------------------------------------------------------------------------------------------ role connection

    @Test
    void roleConnectionWhenNothingStoredThenEmptyObject() {
        HttpResponse<String> response = get(roleConnection(CLIENT_ID), "Authorization",
                bearer(accessToken(discord, NELLY, "role_connections.write")));
        assertEquals("{\"platform_name\":null,\"platform_username\":null,\"metadata\":{}}", response.body());
    }

    @Test
    void roleConnectionWhenPutThenStoredAsStringsAndClearedAndDeleted() {
        String token = bearer(accessToken(discord, NELLY, "role_connections.write"));
        HttpResponse<String> put = sendJson("PUT", roleConnection(CLIENT_ID), "{\"platform_name\":\"Demo\","
                + "\"platform_username\":\"nelly\",\"metadata\":{\"level\":69,\"supporter\":\"1\","
                + "\"since\":\"2024-05-01T10:15:30+00:00\"}}", "Authorization", token);
        assertEquals(200, put.statusCode(), put.body());
        JsonObject stored = object(get(roleConnection(CLIENT_ID), "Authorization", token));
        assertEquals("Demo", stored.getString("platform_name"));
        assertEquals("69", stored.getJsonObject("metadata").getString("level"), "numbers become decimal strings");
        assertEquals("1", stored.getJsonObject("metadata").getString("supporter"));
        assertEquals(200, sendJson("PUT", roleConnection(CLIENT_ID), "{}", "Authorization", token).statusCode());
        assertEquals("{\"platform_name\":null,\"platform_username\":null,\"metadata\":{}}",
                get(roleConnection(CLIENT_ID), "Authorization", token).body());
        sendJson("PUT", roleConnection(CLIENT_ID), "{\"platform_name\":\"Again\"}", "Authorization", token);
        assertEquals(204, request("DELETE", roleConnection(CLIENT_ID), null, null, "Authorization", token).statusCode());
        assertTrue(object(get(roleConnection(CLIENT_ID), "Authorization", token)).isNull("platform_name"));
    }

    @Test
    void roleConnectionWhenAnotherApplicationOrNoScopeThen401() {
        assertEquals(401, get(roleConnection("200000000000000002"), "Authorization",
                bearer(accessToken(discord, NELLY, "role_connections.write"))).statusCode());
        assertEquals(401, get(roleConnection(CLIENT_ID), "Authorization",
                bearer(accessToken(discord, NELLY, "identify"))).statusCode());
    }

    @Test
    void roleConnectionWhenValuesBreakLimitsThen50035Tree() {
        String token = bearer(accessToken(discord, NELLY, "role_connections.write"));
        record Case(String body, String[] path) {
        }
        List<Case> cases = List.of(
                new Case("{\"platform_name\":\"" + "x".repeat(51) + "\"}", new String[] {"platform_name"}),
                new Case("{\"platform_username\":\"" + "x".repeat(101) + "\"}", new String[] {"platform_username"}),
                new Case("{\"metadata\":{\"level\":\"" + "9".repeat(101) + "\"}}", new String[] {"metadata", "level"}),
                new Case("{\"metadata\":{\"unknown\":\"1\"}}", new String[] {"metadata", "unknown"}),
                new Case("{\"metadata\":{\"level\":\"high\"}}", new String[] {"metadata", "level"}),
                new Case("{\"metadata\":{\"supporter\":\"yes\"}}", new String[] {"metadata", "supporter"}),
                new Case("{\"metadata\":{\"since\":\"last tuesday\"}}", new String[] {"metadata", "since"}));
        for (Case c : cases) {
            HttpResponse<String> response = sendJson("PUT", roleConnection(CLIENT_ID), c.body(), "Authorization", token);
            assertEquals(400, response.statusCode(), c.body());
            assertEquals(50035, object(response).getInt("code"), c.body());
            assertFalse(errorCode(response, c.path()).isEmpty(), c.body());
        }
    }

    @Test
    void roleConnectionWhenNotJsonOrMalformedThen50035Or50109() {
        String token = bearer(accessToken(discord, NELLY, "role_connections.write"));
        HttpResponse<String> form = request("PUT", roleConnection(CLIENT_ID), "application/x-www-form-urlencoded",
                "platform_name=x", "Authorization", token);
        assertEquals(400, form.statusCode());
        assertEquals(50035, object(form).getInt("code"));
        HttpResponse<String> broken = sendJson("PUT", roleConnection(CLIENT_ID), "{\"platform_name\":", "Authorization",
                token);
        assertEquals(400, broken.statusCode());
        assertEquals("{\"message\":\"The request body contains invalid JSON.\",\"code\":50109}", broken.body());
    }

    // ------------------------------------------------------------------------------------------ /oauth2/@me

    @Test
    void oauth2MeWhenIdentifyThenApplicationScopesExpiresAndUser() {
        JsonObject info = object(get(api(discord, "/oauth2/@me"), "Authorization",
                bearer(accessToken(discord, NELLY, "identify guilds"))));
        assertEquals(Set.of("id", "name", "icon", "description", "hook", "bot_public", "bot_require_code_grant",
                "verify_key"), info.getJsonObject("application").keySet());
        assertEquals(CLIENT_ID, info.getJsonObject("application").getString("id"));
        assertEquals(List.of("identify", "guilds"), info.getJsonArray("scopes").getValuesAs(
                jakarta.json.JsonString::getString));
        OffsetDateTime expires = OffsetDateTime.parse(info.getString("expires"));
        Duration left = Duration.between(discord.now(), expires.toInstant());
        assertTrue(left.compareTo(Duration.ofDays(7).minusMinutes(1)) > 0 && left.compareTo(Duration.ofDays(7)) <= 0,
                left.toString());
        assertEquals(NELLY, info.getJsonObject("user").getString("id"));
    }

    @Test
    void oauth2MeWhenNoIdentifyThenNoUserAndDeadTokenThen401() {
        String token = accessToken(discord, NELLY, "guilds");
        assertFalse(object(get(api(discord, "/oauth2/@me"), "Authorization", bearer(token))).containsKey("user"));
        assertEquals(UNAUTHORIZED, get(api(discord, "/oauth2/@me"), "Authorization", bearer("nope")).body());
    }
}
