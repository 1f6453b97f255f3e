package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Bearer routes: {@code /users/@me}, its guilds, guild member, connections, the application role connection and
 * {@code /oauth2/@me}, over real HTTP against the demo data set.
 */
class UserRoutesTest {
    private static final String UNAUTHORIZED = "{\"message\":\"401: Unauthorized\",\"code\":0}";
    private static final String OTHER_APP = "100000000000000002";

    private DiscordEmulator discord;

    @BeforeEach
    void start() {
        discord = demo().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private HttpResponse<String> getWith(String path, String token) {
        return get(api(discord, path), "Authorization", bearer(token));
    }

    private URI roleConnectionUri(String applicationId) {
        return api(discord, "/users/@me/applications/" + applicationId + "/role-connection");
    }

    private HttpResponse<String> putRoleConnection(String token, String json) {
        return sendJson("PUT", roleConnectionUri(CLIENT_ID), json, "Authorization", bearer(token));
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals(jsonOf(UNAUTHORIZED), object(response));
    }

    private static JsonObject jsonOf(String json) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            return reader.readObject();
        }
    }

    /** Asserts a 400 Invalid Form Body and returns its {@code errors} tree. */
    private static JsonObject assertFormError(HttpResponse<String> response) {
        assertEquals(400, response.statusCode(), response.body());
        JsonObject body = object(response);
        assertEquals(50035, body.getInt("code"), response.body());
        assertEquals("Invalid Form Body", body.getString("message"));
        return body.getJsonObject("errors");
    }

    /** The {@code code} of the first error at the path of the errors tree. */
    private static String errorCode(JsonObject errors, String... path) {
        JsonObject node = errors;
        for (String segment : path) {
            assertTrue(node.containsKey(segment), "no errors at " + segment + " in " + errors);
            node = node.getJsonObject(segment);
        }
        return node.getJsonArray("_errors").getJsonObject(0).getString("code");
    }

    private static List<String> ids(JsonArray guilds) {
        return guilds.stream().map(v -> v.asJsonObject().getString("id")).toList();
    }

    private void revoke(String token) {
        HttpResponse<String> revoked = postForm(api(discord, "/oauth2/token/revoke"), params("token", token),
                "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, revoked.statusCode(), revoked.body());
    }

    // ------------------------------------------------------------------------------------------ /users/@me

    @Test
    void meWhenIdentifyOnlyThenUserWithoutEmailOrVerified() {
        HttpResponse<String> response = getWith("/users/@me", accessToken(discord, NELLY, "identify"));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject user = object(response);
        assertEquals(NELLY, user.getString("id"));
        assertEquals("nelly", user.getString("username"));
        assertEquals("Nelly", user.getString("global_name"));
        assertEquals("0", user.getString("discriminator"));
        assertFalse(user.containsKey("email"), response.body());
        assertFalse(user.containsKey("verified"), response.body());
    }

    @Test
    void meWhenEmailScopeThenEmailAndVerifiedPresent() {
        JsonObject user = object(getWith("/users/@me", accessToken(discord, CLYDE, "identify email")));
        assertEquals("clyde@example.com", user.getString("email"));
        assertEquals(JsonValue.FALSE, user.get("verified"));
        assertEquals("0", user.getString("discriminator"));
    }

    @Test
    void meWhenNoPremiumScopeThenPremiumTypeZero() {
        JsonObject user = object(getWith("/users/@me", accessToken(discord, NELLY, "identify")));
        assertEquals(0, user.getInt("premium_type"));
    }

    @Test
    void meWhenIdentifyPremiumScopeThenRealPremiumType() {
        JsonObject user = object(getWith("/users/@me", accessToken(discord, NELLY, "identify identify.premium")));
        assertEquals(2, user.getInt("premium_type"));
    }

    @Test
    void meWhenIdentifyScopeMissingThenUnauthorized() {
        assertUnauthorized(getWith("/users/@me", accessToken(discord, NELLY, "email guilds")));
    }

    @Test
    void meWhenNoAuthorizationHeaderThenUnauthorized() {
        assertUnauthorized(get(api(discord, "/users/@me")));
    }

    @Test
    void meWhenGarbageTokenThenUnauthorized() {
        assertUnauthorized(getWith("/users/@me", "not-a-token-at-all"));
    }

    @Test
    void meWhenTokenRevokedThenUnauthorized() {
        String token = accessToken(discord, NELLY, "identify");
        assertEquals(200, getWith("/users/@me", token).statusCode());
        revoke(token);
        assertUnauthorized(getWith("/users/@me", token));
    }

    @Test
    void meWhenTokenExpiredThenUnauthorized() {
        String token = accessToken(discord, NELLY, "identify");
        assertEquals(200, getWith("/users/@me", token).statusCode());
        discord.advanceClock(Duration.ofDays(8));
        assertUnauthorized(getWith("/users/@me", token));
    }

    @Test
    void meWhenBotTokenThenUnauthorized() {
        assertUnauthorized(get(api(discord, "/users/@me"), "Authorization", "Bot " + BOT_TOKEN));
    }

    // ------------------------------------------------------------------------------------ /users/@me/guilds

    @Test
    void guildsWhenGuildsScopeMissingThenUnauthorized() {
        assertUnauthorized(getWith("/users/@me/guilds", accessToken(discord, NELLY, "identify")));
    }

    @Test
    void guildsWhenNellyThenAllFourSortedByIdAsUnsignedNumbers() {
        HttpResponse<String> response = getWith("/users/@me/guilds", accessToken(discord, NELLY, "guilds"));
        assertEquals(200, response.statusCode(), response.body());
        // numeric order; as strings LOUNGE ("1000...") would come first and API_GUILD ("8138...") last
        assertEquals(List.of(API_GUILD, TESTERS, FAN_CLUB, LOUNGE), ids(array(response)));
    }

    @Test
    void guildsWhenListedThenPermissionsIsDecimalStringAndOwnerOnlyForOwnedGuilds() {
        JsonArray guilds = array(getWith("/users/@me/guilds", accessToken(discord, NELLY, "guilds")));
        for (JsonValue value : guilds) {
            JsonObject guild = value.asJsonObject();
            String id = guild.getString("id");
            assertEquals(JsonValue.ValueType.STRING, guild.get("permissions").getValueType(), guild.toString());
            assertTrue(guild.getString("permissions").matches("[0-9]+"), guild.toString());
            boolean owned = id.equals(TESTERS) || id.equals(LOUNGE);
            assertEquals(owned ? JsonValue.TRUE : JsonValue.FALSE, guild.get("owner"), guild.toString());
        }
        JsonObject testers = guilds.getJsonObject(1);
        assertEquals(TESTERS, testers.getString("id"));
        assertEquals("2251799813685247", testers.getString("permissions"));
        assertEquals("Discord Testers", testers.getString("name"));
        assertEquals(List.of("COMMUNITY", "NEWS"),
                testers.getJsonArray("features").getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString).toList());
    }

    @Test
    void guildsWhenWithoutCountsThenNoApproximateCounts() {
        JsonArray guilds = array(getWith("/users/@me/guilds", accessToken(discord, NELLY, "guilds")));
        for (JsonValue value : guilds) {
            assertFalse(value.asJsonObject().containsKey("approximate_member_count"), value.toString());
            assertFalse(value.asJsonObject().containsKey("approximate_presence_count"), value.toString());
        }
    }

    @Test
    void guildsWhenWithCountsTrueThenApproximateCounts() {
        JsonArray guilds = array(getWith("/users/@me/guilds?with_counts=true",
                accessToken(discord, NELLY, "guilds")));
        JsonObject testers = guilds.getJsonObject(1);
        assertEquals(TESTERS, testers.getString("id"));
        assertEquals(3268, testers.getInt("approximate_member_count"));
        assertEquals(784, testers.getInt("approximate_presence_count"));
        for (JsonValue value : guilds) {
            assertTrue(value.asJsonObject().containsKey("approximate_member_count"), value.toString());
        }
    }

    @Test
    void guildsWhenLimitThenFirstGuildsOnly() {
        JsonArray guilds = array(getWith("/users/@me/guilds?limit=2", accessToken(discord, NELLY, "guilds")));
        assertEquals(List.of(API_GUILD, TESTERS), ids(guilds));
    }

    @Test
    void guildsWhenAfterThenGuildsWithGreaterIds() {
        String token = accessToken(discord, NELLY, "guilds");
        assertEquals(List.of(FAN_CLUB, LOUNGE), ids(array(getWith("/users/@me/guilds?after=" + TESTERS, token))));
        assertEquals(List.of(TESTERS), ids(array(getWith("/users/@me/guilds?after=" + API_GUILD + "&limit=1",
                token))));
    }

    @Test
    void guildsWhenBeforeThenGuildsWithSmallerIds() {
        String token = accessToken(discord, NELLY, "guilds");
        assertEquals(List.of(API_GUILD, TESTERS), ids(array(getWith("/users/@me/guilds?before=" + FAN_CLUB,
                token))));
        assertEquals(List.of(), ids(array(getWith("/users/@me/guilds?before=" + API_GUILD, token))));
    }

    @Test
    void guildsWhenLimitZeroThenFormError() {
        JsonObject errors = assertFormError(getWith("/users/@me/guilds?limit=0",
                accessToken(discord, NELLY, "guilds")));
        assertEquals("NUMBER_TYPE_MIN", errorCode(errors, "limit"));
    }

    @Test
    void guildsWhenLimitAbove200ThenFormError() {
        JsonObject errors = assertFormError(getWith("/users/@me/guilds?limit=201",
                accessToken(discord, NELLY, "guilds")));
        assertEquals("NUMBER_TYPE_MAX", errorCode(errors, "limit"));
    }

    @Test
    void guildsWhenLimitNotANumberThenFormError() {
        JsonObject errors = assertFormError(getWith("/users/@me/guilds?limit=abc",
                accessToken(discord, NELLY, "guilds")));
        assertEquals("NUMBER_TYPE_COERCE", errorCode(errors, "limit"));
    }

    @Test
    void guildsWhenLimit200ThenAccepted() {
        HttpResponse<String> response = getWith("/users/@me/guilds?limit=200", accessToken(discord, NELLY, "guilds"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(4, array(response).size());
    }

    // ------------------------------------------------------------------------ /users/@me/guilds/{id}/member

    @Test
    void guildMemberWhenScopeMissingThenUnauthorized() {
        assertUnauthorized(getWith("/users/@me/guilds/" + TESTERS + "/member",
                accessToken(discord, NELLY, "identify guilds")));
    }

    @Test
    void guildMemberWhenMemberThenRolesJoinedAtAndUser() {
        HttpResponse<String> response = getWith("/users/@me/guilds/" + TESTERS + "/member",
                accessToken(discord, NELLY, "guilds.members.read"));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject member = object(response);
        assertEquals(List.of("197038439483310087"), member.getJsonArray("roles").getValuesAs(JsonString.class)
                .stream().map(JsonString::getString).toList());
        assertEquals("2021-06-01T12:00:00.000000+00:00", member.getString("joined_at"));
        assertEquals(NELLY, member.getJsonObject("user").getString("id"));
        assertEquals("nelly", member.getJsonObject("user").getString("username"));
        assertEquals(JsonValue.FALSE, member.get("deaf"));
        assertEquals(JsonValue.FALSE, member.get("mute"));
        assertEquals(0, member.getInt("flags"));
    }

    @Test
    void guildMemberWhenNicknameSetThenNick() {
        JsonObject member = object(getWith("/users/@me/guilds/" + FAN_CLUB + "/member",
                accessToken(discord, NELLY, "guilds.members.read")));
        assertEquals("Nells", member.getString("nick"));
        assertTrue(member.getString("joined_at").matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"), member.toString());
    }

    @Test
    void guildMemberWhenNotMemberThenUnknownGuild() {
        HttpResponse<String> response = getWith("/users/@me/guilds/" + TESTERS + "/member",
                accessToken(discord, WUMPUS, "guilds.members.read"));
        assertEquals(404, response.statusCode(), response.body());
        assertEquals(jsonOf("{\"message\":\"Unknown Guild\",\"code\":10004}"), object(response));
    }

    @Test
    void guildMemberWhenGuildDoesNotExistThenUnknownGuild() {
        HttpResponse<String> response = getWith("/users/@me/guilds/123456789012345678/member",
                accessToken(discord, NELLY, "guilds.members.read"));
        assertEquals(404, response.statusCode(), response.body());
        assertEquals(10004, object(response).getInt("code"));
    }

    // ---------------------------------------------------------------------------- /users/@me/connections

    @Test
    void connectionsWhenScopeMissingThenUnauthorized() {
        assertUnauthorized(getWith("/users/@me/connections", accessToken(discord, NELLY, "identify")));
    }

    @Test
    void connectionsWhenNellyThenGithubAndTwitchWithDocumentedTypes() {
        HttpResponse<String> response = getWith("/users/@me/connections",
                accessToken(discord, NELLY, "connections"));
        assertEquals(200, response.statusCode(), response.body());
        JsonArray connections = array(response);
        assertEquals(2, connections.size());
        assertEquals(Set.of("github", "twitch"), Set.of(connections.getJsonObject(0).getString("type"),
                connections.getJsonObject(1).getString("type")));
        for (JsonValue value : connections) {
            JsonObject c = value.asJsonObject();
            assertEquals(JsonValue.ValueType.STRING, c.get("id").getValueType(), c.toString());
            assertEquals(JsonValue.ValueType.STRING, c.get("name").getValueType(), c.toString());
            assertEquals(JsonValue.ValueType.STRING, c.get("type").getValueType(), c.toString());
            for (String flag : List.of("verified", "friend_sync", "show_activity", "two_way_link")) {
                JsonValue.ValueType type = c.get(flag).getValueType();
                assertTrue(type == JsonValue.ValueType.TRUE || type == JsonValue.ValueType.FALSE,
                        flag + " in " + c);
            }
            assertEquals(JsonValue.ValueType.NUMBER, c.get("visibility").getValueType(), c.toString());
            assertFalse(c.containsKey("revoked"), c.toString());
        }
        JsonObject github = connections.stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("type").equals("github")).findFirst().orElseThrow();
        assertEquals("1024", github.getString("id"));
        assertEquals("nelly-codes", github.getString("name"));
    }

    @Test
    void connectionsWhenUserHasNoneThenEmptyArray() {
        HttpResponse<String> response = getWith("/users/@me/connections",
                accessToken(discord, CLYDE, "connections"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(0, array(response).size());
    }

    // ----------------------------------------------------------------------------------- role connection

    @Test
    void roleConnectionWhenScopeMissingThenUnauthorized() {
        assertUnauthorized(getWith("/users/@me/applications/" + CLIENT_ID + "/role-connection",
                accessToken(discord, NELLY, "identify")));
    }

    @Test
    void roleConnectionWhenPutWithoutScopeThenUnauthorizedAndNothingStored() {
        assertUnauthorized(putRoleConnection(accessToken(discord, NELLY, "identify"),
                "{\"platform_name\":\"X\"}"));
        JsonObject stored = object(getWith("/users/@me/applications/" + CLIENT_ID + "/role-connection",
                accessToken(discord, NELLY, "role_connections.write")));
        assertEquals(JsonValue.NULL, stored.get("platform_name"));
    }

    @Test
    void roleConnectionWhenNeverSetThenEmptyConnection() {
        HttpResponse<String> response = getWith("/users/@me/applications/" + CLIENT_ID + "/role-connection",
                accessToken(discord, NELLY, "role_connections.write"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(jsonOf("{\"platform_name\":null,\"platform_username\":null,\"metadata\":{}}"),
                object(response));
    }

    @Test
    void roleConnectionWhenPutThenStoredAndReturnedAsStrings() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        HttpResponse<String> put = putRoleConnection(token, "{\"platform_name\":\"Emu Game\","
                + "\"platform_username\":\"nelly42\",\"metadata\":{\"level\":12,\"supporter\":\"1\","
                + "\"since\":\"2024-01-15T10:00:00+00:00\"}}");
        assertEquals(200, put.statusCode(), put.body());
        JsonObject expected = jsonOf("{\"platform_name\":\"Emu Game\",\"platform_username\":\"nelly42\","
                + "\"metadata\":{\"level\":\"12\",\"supporter\":\"1\",\"since\":\"2024-01-15T10:00:00+00:00\"}}");
        assertEquals(expected, object(put));
        assertEquals(expected, object(getWith("/users/@me/applications/" + CLIENT_ID + "/role-connection", token)));
    }

    @Test
    void roleConnectionWhenPutEmptyObjectThenCleared() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        assertEquals(200, putRoleConnection(token, "{\"platform_name\":\"Emu Game\",\"metadata\":{\"level\":\"3\"}}")
                .statusCode());
        HttpResponse<String> cleared = putRoleConnection(token, "{}");
        assertEquals(200, cleared.statusCode(), cleared.body());
        JsonObject empty = jsonOf("{\"platform_name\":null,\"platform_username\":null,\"metadata\":{}}");
        assertEquals(empty, object(cleared));
        assertEquals(empty, object(getWith("/users/@me/applications/" + CLIENT_ID + "/role-connection", token)));
    }

    @Test
    void roleConnectionWhenDeletedThenNoContentAndEmptyAfterwards() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        assertEquals(200, putRoleConnection(token, "{\"platform_name\":\"Emu Game\",\"metadata\":{\"level\":\"3\"}}")
                .statusCode());
        HttpResponse<String> deleted = request("DELETE", roleConnectionUri(CLIENT_ID), null, null,
                "Authorization", bearer(token));
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());
        assertEquals(jsonOf("{\"platform_name\":null,\"platform_username\":null,\"metadata\":{}}"),
                object(getWith("/users/@me/applications/" + CLIENT_ID + "/role-connection", token)));
    }

    @Test
    void roleConnectionWhenDeleteWithoutScopeThenUnauthorized() {
        assertUnauthorized(request("DELETE", roleConnectionUri(CLIENT_ID), null, null,
                "Authorization", bearer(accessToken(discord, NELLY, "identify"))));
    }

    @Test
    void roleConnectionWhenOtherApplicationInPathThenUnauthorized() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        assertUnauthorized(get(roleConnectionUri(OTHER_APP), "Authorization", bearer(token)));
        assertUnauthorized(sendJson("PUT", roleConnectionUri(OTHER_APP), "{}", "Authorization", bearer(token)));
        assertUnauthorized(request("DELETE", roleConnectionUri(OTHER_APP), null, null,
                "Authorization", bearer(token)));
    }

    @Test
    void roleConnectionWhenPlatformNameOver50ThenFormError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        assertEquals(200, putRoleConnection(token, "{\"platform_name\":\"" + "n".repeat(50) + "\"}").statusCode());
        JsonObject errors = assertFormError(putRoleConnection(token,
                "{\"platform_name\":\"" + "n".repeat(51) + "\"}"));
        assertEquals("BASE_TYPE_MAX_LENGTH", errorCode(errors, "platform_name"));
        // the rejected PUT changed nothing
        assertEquals("n".repeat(50), object(getWith("/users/@me/applications/" + CLIENT_ID + "/role-connection",
                token)).getString("platform_name"));
    }

    @Test
    void roleConnectionWhenPlatformUsernameOver100ThenFormError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        assertEquals(200, putRoleConnection(token, "{\"platform_username\":\"" + "u".repeat(100) + "\"}")
                .statusCode());
        JsonObject errors = assertFormError(putRoleConnection(token,
                "{\"platform_username\":\"" + "u".repeat(101) + "\"}"));
        assertEquals("BASE_TYPE_MAX_LENGTH", errorCode(errors, "platform_username"));
    }

    @Test
    void roleConnectionWhenMetadataValueOver100ThenFormError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        JsonObject errors = assertFormError(putRoleConnection(token,
                "{\"metadata\":{\"level\":\"" + "1".repeat(101) + "\"}}"));
        assertEquals("BASE_TYPE_MAX_LENGTH", errorCode(errors, "metadata", "level"));
    }

    @Test
    void roleConnectionWhenUnknownMetadataKeyThenFormError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        JsonObject errors = assertFormError(putRoleConnection(token, "{\"metadata\":{\"karma\":\"5\"}}"));
        assertEquals("APPLICATION_ROLE_CONNECTIONS_METADATA_UNKNOWN_KEY", errorCode(errors, "metadata", "karma"));
    }

    @Test
    void roleConnectionWhenIntegerKeyGetsNonIntegerThenFormError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        JsonObject errors = assertFormError(putRoleConnection(token, "{\"metadata\":{\"level\":\"twelve\"}}"));
        errorCode(errors, "metadata", "level");
        errors = assertFormError(putRoleConnection(token, "{\"metadata\":{\"level\":1.5}}"));
        errorCode(errors, "metadata", "level");
    }

    @Test
    void roleConnectionWhenBooleanKeyGetsOtherThanZeroOrOneThenFormError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        assertEquals(200, putRoleConnection(token, "{\"metadata\":{\"supporter\":\"0\"}}").statusCode());
        JsonObject errors = assertFormError(putRoleConnection(token, "{\"metadata\":{\"supporter\":\"2\"}}"));
        errorCode(errors, "metadata", "supporter");
        errors = assertFormError(putRoleConnection(token, "{\"metadata\":{\"supporter\":\"true\"}}"));
        errorCode(errors, "metadata", "supporter");
    }

    @Test
    void roleConnectionWhenDatetimeKeyGetsNonIsoDateThenFormError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        JsonObject errors = assertFormError(putRoleConnection(token, "{\"metadata\":{\"since\":\"15/01/2024\"}}"));
        errorCode(errors, "metadata", "since");
    }

    @Test
    void roleConnectionWhenNotJsonContentTypeThenFormError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        HttpResponse<String> response = request("PUT", roleConnectionUri(CLIENT_ID),
                "application/x-www-form-urlencoded", "platform_name=X", "Authorization", bearer(token));
        assertFormError(response);
    }

    @Test
    void roleConnectionWhenMalformedJsonThenInvalidJsonError() {
        String token = accessToken(discord, NELLY, "role_connections.write");
        HttpResponse<String> response = putRoleConnection(token, "{\"platform_name\": ");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(50109, object(response).getInt("code"));
    }

    // ------------------------------------------------------------------------------------------ /oauth2/@me

    @Test
    void currentAuthorizationWhenIdentifyThenApplicationScopesExpiresAndUser() {
        HttpResponse<String> response = getWith("/oauth2/@me", accessToken(discord, NELLY, "identify guilds"));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = object(response);
        JsonObject application = body.getJsonObject("application");
        assertEquals(Set.of("id", "name", "icon", "description", "hook", "bot_public", "bot_require_code_grant",
                "verify_key"), application.keySet());
        assertEquals(CLIENT_ID, application.getString("id"));
        assertEquals("Test App", application.getString("name"));
        assertEquals(Set.of("identify", "guilds"), body.getJsonArray("scopes").getValuesAs(JsonString.class)
                .stream().map(JsonString::getString).collect(java.util.stream.Collectors.toSet()));
        OffsetDateTime expires = OffsetDateTime.parse(body.getString("expires"));
        Duration ahead = Duration.between(discord.now(), expires.toInstant());
        assertTrue(ahead.compareTo(Duration.ofDays(7).minusMinutes(1)) > 0
                && ahead.compareTo(Duration.ofDays(7).plusMinutes(1)) < 0, "expires " + expires);
        assertEquals(NELLY, body.getJsonObject("user").getString("id"));
    }

    @Test
    void currentAuthorizationWhenNoIdentifyThenNoUser() {
        HttpResponse<String> response = getWith("/oauth2/@me", accessToken(discord, NELLY, "guilds"));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = object(response);
        assertFalse(body.containsKey("user"), response.body());
        assertEquals(List.of("guilds"), body.getJsonArray("scopes").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList());
    }

    @Test
    void currentAuthorizationWhenNoTokenThenUnauthorized() {
        assertUnauthorized(get(api(discord, "/oauth2/@me")));
    }
}
