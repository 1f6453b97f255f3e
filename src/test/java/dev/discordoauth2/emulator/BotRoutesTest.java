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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Bot-token routes: Add Guild Member ({@code PUT /guilds/{guild.id}/members/{user.id}}) and the application's
 * role connection metadata, over real HTTP, on the demo data set and on small custom data sets.
 */
class BotRoutesTest {
    private static final String UNAUTHORIZED = "{\"message\":\"401: Unauthorized\",\"code\":0}";
    private static final String OTHER_APP = "100000000000000002";
    /** The custom data sets' guild and users. */
    private static final String GUILD = "500000000000000001";
    private static final String OWNER = "400000000000000001";
    private static final String JOINER = "400000000000000002";

    private DiscordEmulator discord;

    @BeforeEach
    void start() {
        discord = demo().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    /**
     * Replaces the demo emulator by a custom one: the test application (same id, secret, redirect URI and bot token)
     * with {@link #OWNER} and {@link #JOINER}, and {@link #GUILD} owned by OWNER with the bot in it with these
     * permissions; {@code extra} adds more.
     */
    private void startCustom(long botPermissions, UnaryOperator<DiscordEmulator.Builder> extra) {
        discord.close();
        EmulatedApplication app = EmulatedApplication.builder(CLIENT_ID).name("Custom App").clientSecret(SECRET)
                .redirectUri(REDIRECT).botToken(BOT_TOKEN).build();
        DiscordEmulator.Builder builder = DiscordEmulator.builder().application(app)
                .user(EmulatedUser.builder(OWNER, "owner").build())
                .user(EmulatedUser.builder(JOINER, "joiner").build())
                .guild(EmulatedGuild.builder(GUILD, "Custom Guild").ownerId(OWNER).build())
                .member(EmulatedMember.builder(GUILD, OWNER).build())
                .botInGuild(CLIENT_ID, GUILD, botPermissions);
        discord = extra.apply(builder).start();
    }

    private URI memberUri(String guildId, String userId) {
        return api(discord, "/guilds/" + guildId + "/members/" + userId);
    }

    private HttpResponse<String> addMember(String guildId, String userId, String json, String... headers) {
        return sendJson("PUT", memberUri(guildId, userId), json, headers);
    }

    private HttpResponse<String> addMemberAsBot(String guildId, String userId, String json) {
        return addMember(guildId, userId, json, "Authorization", "Bot " + BOT_TOKEN);
    }

    private static String accessTokenBody(String token) {
        return "{\"access_token\":\"" + token + "\"}";
    }

    private URI metadataUri(String applicationId) {
        return api(discord, "/applications/" + applicationId + "/role-connections/metadata");
    }

    private HttpResponse<String> putMetadata(String json) {
        return sendJson("PUT", metadataUri(CLIENT_ID), json, "Authorization", "Bot " + BOT_TOKEN);
    }

    private static String record(Object type, String key, String name, String description) {
        return "{\"type\":" + type + ",\"key\":\"" + key + "\",\"name\":\"" + name + "\",\"description\":\""
                + description + "\"}";
    }

    private static JsonObject jsonOf(String json) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            return reader.readObject();
        }
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals(jsonOf(UNAUTHORIZED), object(response));
    }

    private static void assertDiscordError(HttpResponse<String> response, int status, int code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, object(response).getInt("code"), response.body());
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
            assertTrue(node.containsKey(segment), "no errors at " + String.join(".", path) + " in " + errors);
            node = node.getJsonObject(segment);
        }
        return node.getJsonArray("_errors").getJsonObject(0).getString("code");
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static List<String> keys(JsonArray records) {
        return records.stream().map(v -> v.asJsonObject().getString("key")).toList();
    }

    // ----------------------------------------------------------------------------------- Add Guild Member

    @Test
    void addMemberWhenValidTokenThenCreatedWithMemberBody() {
        String token = accessToken(discord, WUMPUS, "identify guilds.join");
        assertFalse(discord.isMember(TESTERS, WUMPUS));
        HttpResponse<String> response = addMemberAsBot(TESTERS, WUMPUS, accessTokenBody(token));
        assertEquals(201, response.statusCode(), response.body());
        JsonObject member = object(response);
        assertEquals(WUMPUS, member.getJsonObject("user").getString("id"));
        assertEquals("wumpus", member.getJsonObject("user").getString("username"));
        assertEquals(List.of(), strings(member.getJsonArray("roles")));
        assertEquals(JsonValue.NULL, member.get("nick"));
        assertEquals(JsonValue.FALSE, member.get("deaf"));
        assertEquals(JsonValue.FALSE, member.get("mute"));
        assertTrue(member.getString("joined_at").matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"), member.toString());
        assertTrue(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenAddedTwiceThenNoContentTheSecondTime() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        assertEquals(201, addMemberAsBot(TESTERS, WUMPUS, accessTokenBody(token)).statusCode());
        HttpResponse<String> again = addMemberAsBot(TESTERS, WUMPUS, accessTokenBody(token));
        assertEquals(204, again.statusCode(), again.body());
        assertEquals("", again.body());
        assertTrue(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenAlreadyMemberThenNoContent() {
        HttpResponse<String> response = addMemberAsBot(TESTERS, NELLY,
                accessTokenBody(accessToken(discord, NELLY, "guilds.join")));
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("", response.body());
    }

    @Test
    void addMemberWhenNewMemberThenListedInUsersGuilds() {
        String token = accessToken(discord, WUMPUS, "guilds guilds.join");
        assertEquals(201, addMemberAsBot(TESTERS, WUMPUS, accessTokenBody(token)).statusCode());
        JsonArray guilds = array(get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token)));
        assertEquals(List.of(API_GUILD, TESTERS, FAN_CLUB),
                guilds.stream().map(v -> v.asJsonObject().getString("id")).toList());
    }

    @Test
    void addMemberWhenNickAndRolesAndBotMayManageThemThenApplied() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        HttpResponse<String> response = addMemberAsBot(TESTERS, WUMPUS, "{\"access_token\":\"" + token
                + "\",\"nick\":\"Wumpy\",\"roles\":[\"197038439483310087\"]}");
        assertEquals(201, response.statusCode(), response.body());
        JsonObject member = object(response);
        assertEquals("Wumpy", member.getString("nick"));
        assertEquals(List.of("197038439483310087"), strings(member.getJsonArray("roles")));
    }

    @Test
    void addMemberWhenMuteAndBotLacksMuteMembersThenMissingPermissions() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        assertDiscordError(addMemberAsBot(TESTERS, WUMPUS, "{\"access_token\":\"" + token + "\",\"mute\":true}"),
                403, 50013);
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenTokenLacksGuildsJoinThenInvalidAccessToken() {
        String token = accessToken(discord, WUMPUS, "identify guilds");
        assertDiscordError(addMemberAsBot(TESTERS, WUMPUS, accessTokenBody(token)), 403, 50025);
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenTokenBelongsToAnotherUserThenInvalidAccessToken() {
        String nellysToken = accessToken(discord, NELLY, "guilds.join");
        assertDiscordError(addMemberAsBot(TESTERS, WUMPUS, accessTokenBody(nellysToken)), 403, 50025);
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenTokenRevokedThenInvalidAccessToken() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        HttpResponse<String> revoked = postForm(api(discord, "/oauth2/token/revoke"), params("token", token),
                "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertDiscordError(addMemberAsBot(TESTERS, WUMPUS, accessTokenBody(token)), 403, 50025);
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenTokenUnknownThenInvalidAccessToken() {
        assertDiscordError(addMemberAsBot(TESTERS, WUMPUS, accessTokenBody("no-such-token")), 403, 50025);
    }

    @Test
    void addMemberWhenUserBannedThenBanned() {
        startCustom(BotRoutes.CREATE_INSTANT_INVITE, b -> b.ban(GUILD, JOINER));
        String token = accessToken(discord, JOINER, "guilds.join");
        assertDiscordError(addMemberAsBot(GUILD, JOINER, accessTokenBody(token)), 403, 40007);
        assertFalse(discord.isMember(GUILD, JOINER));
    }

    @Test
    void addMemberWhenUserIn200GuildsThenMaximumGuildsReached() {
        startCustom(BotRoutes.CREATE_INSTANT_INVITE, b -> joinGuilds(b, JOINER, 200));
        String token = accessToken(discord, JOINER, "guilds.join");
        assertDiscordError(addMemberAsBot(GUILD, JOINER, accessTokenBody(token)), 400, 30001);
        assertFalse(discord.isMember(GUILD, JOINER));
    }

    @Test
    void addMemberWhenUserIn199GuildsThenCreated() {
        startCustom(BotRoutes.CREATE_INSTANT_INVITE, b -> joinGuilds(b, JOINER, 199));
        String token = accessToken(discord, JOINER, "guilds.join");
        HttpResponse<String> response = addMemberAsBot(GUILD, JOINER, accessTokenBody(token));
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(discord.isMember(GUILD, JOINER));
    }

    @Test
    void addMemberWhenUserIn200GuildsButAlreadyMemberThenNoContent() {
        startCustom(BotRoutes.CREATE_INSTANT_INVITE, b -> joinGuilds(b, JOINER, 199)
                .member(EmulatedMember.builder(GUILD, JOINER).build()));
        String token = accessToken(discord, JOINER, "guilds.join");
        assertEquals(204, addMemberAsBot(GUILD, JOINER, accessTokenBody(token)).statusCode());
    }

    private static DiscordEmulator.Builder joinGuilds(DiscordEmulator.Builder builder, String userId, int count) {
        for (int i = 0; i < count; i++) {
            String id = Long.toString(600000000000000000L + i);
            builder.guild(EmulatedGuild.builder(id, "Guild " + i).build());
            builder.member(EmulatedMember.builder(id, userId).joinedAt(Instant.parse("2022-01-01T00:00:00Z")).build());
        }
        return builder;
    }

    @Test
    void addMemberWhenBotNotInGuildThenMissingPermissions() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        HttpResponse<String> response = addMemberAsBot(API_GUILD, WUMPUS, accessTokenBody(token));
        assertDiscordError(response, 403, 50013);
    }

    @Test
    void addMemberWhenBotLacksCreateInstantInviteThenMissingPermissions() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        assertDiscordError(addMemberAsBot(LOUNGE, WUMPUS, accessTokenBody(token)), 403, 50013);
        assertFalse(discord.isMember(LOUNGE, WUMPUS));
    }

    @Test
    void addMemberWhenNickAndBotLacksManageNicknamesThenMissingPermissions() {
        startCustom(BotRoutes.CREATE_INSTANT_INVITE, UnaryOperator.identity());
        String token = accessToken(discord, JOINER, "guilds.join");
        assertDiscordError(addMemberAsBot(GUILD, JOINER, "{\"access_token\":\"" + token + "\",\"nick\":\"Joe\"}"),
                403, 50013);
        assertFalse(discord.isMember(GUILD, JOINER));
        // without the nickname the same bot may add the user
        assertEquals(201, addMemberAsBot(GUILD, JOINER, accessTokenBody(token)).statusCode());
    }

    @Test
    void addMemberWhenNoAuthorizationThenUnauthorized() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        assertUnauthorized(addMember(TESTERS, WUMPUS, accessTokenBody(token)));
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenWrongBotTokenThenUnauthorized() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        assertUnauthorized(addMember(TESTERS, WUMPUS, accessTokenBody(token), "Authorization", "Bot wrong-token"));
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenBearerTokenThenUnauthorized() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        assertUnauthorized(addMember(TESTERS, WUMPUS, accessTokenBody(token), "Authorization", bearer(token)));
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    @Test
    void addMemberWhenUnknownGuildThenUnknownGuild() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        HttpResponse<String> response = addMemberAsBot("123456789012345678", WUMPUS, accessTokenBody(token));
        assertEquals(404, response.statusCode(), response.body());
        assertEquals(jsonOf("{\"message\":\"Unknown Guild\",\"code\":10004}"), object(response));
    }

    @Test
    void addMemberWhenAccessTokenMissingThenFormErrorRequired() {
        JsonObject errors = assertFormError(addMemberAsBot(TESTERS, WUMPUS, "{\"nick\":\"Wumpy\"}"));
        assertEquals("BASE_TYPE_REQUIRED", errorCode(errors, "access_token"));
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    // ------------------------------------------------------------------------------- role connection metadata

    @Test
    void getMetadataWhenBotTokenThenRegisteredRecords() {
        HttpResponse<String> response = get(metadataUri(CLIENT_ID), "Authorization", "Bot " + BOT_TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        JsonArray records = array(response);
        assertEquals(List.of("level", "supporter", "since"), keys(records));
        assertEquals(List.of(2, 7, 6), records.stream().map(v -> v.asJsonObject().getInt("type")).toList());
        JsonObject level = records.getJsonObject(0);
        assertEquals("Level", level.getString("name"));
        assertEquals("Level on the platform", level.getString("description"));
    }

    @Test
    void getMetadataWhenNoLocalizationsThenLocalizationKeysAbsent() {
        JsonArray records = array(get(metadataUri(CLIENT_ID), "Authorization", "Bot " + BOT_TOKEN));
        for (JsonValue record : records) {
            assertEquals(Set.of("type", "key", "name", "description"), record.asJsonObject().keySet(),
                    "Discord omits name_localizations and description_localizations when unset: " + record);
        }
    }

    @Test
    void putMetadataWhenNoLocalizationsThenEchoedWithoutLocalizationKeys() {
        JsonArray returned = array(putMetadata("[" + record(3, "score", "Score", "Points scored") + "]"));
        assertEquals(Set.of("type", "key", "name", "description"), returned.getJsonObject(0).keySet(),
                returned.toString());
    }

    @Test
    void putMetadataWhenValidThenReplacedAndReturned() {
        HttpResponse<String> response = putMetadata("[" + record(3, "score", "Score", "Points scored") + ","
                + record(8, "banned_flag", "Not banned", "Is not banned") + "]");
        assertEquals(200, response.statusCode(), response.body());
        JsonArray returned = array(response);
        assertEquals(List.of("score", "banned_flag"), keys(returned));
        assertEquals(3, returned.getJsonObject(0).getInt("type"));
        assertEquals("Points scored", returned.getJsonObject(0).getString("description"));
        assertEquals(List.of(new EmulatedMetadataField(3, "score", "Score", "Points scored"),
                new EmulatedMetadataField(8, "banned_flag", "Not banned", "Is not banned")),
                discord.roleConnectionMetadata(CLIENT_ID));
        assertEquals(List.of("score", "banned_flag"),
                keys(array(get(metadataUri(CLIENT_ID), "Authorization", "Bot " + BOT_TOKEN))));
    }

    @Test
    void putMetadataWhenReplacedThenUserRoleConnectionUsesNewKeys() {
        assertEquals(200, putMetadata("[" + record(2, "score", "Score", "Points scored") + "]").statusCode());
        String token = accessToken(discord, NELLY, "role_connections.write");
        URI roleConnection = api(discord, "/users/@me/applications/" + CLIENT_ID + "/role-connection");
        assertEquals(400, sendJson("PUT", roleConnection, "{\"metadata\":{\"level\":\"1\"}}",
                "Authorization", bearer(token)).statusCode());
        HttpResponse<String> accepted = sendJson("PUT", roleConnection, "{\"metadata\":{\"score\":\"7\"}}",
                "Authorization", bearer(token));
        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals("7", object(accepted).getJsonObject("metadata").getString("score"));
    }

    @Test
    void putMetadataWhenEmptyArrayThenAllRecordsRemoved() {
        HttpResponse<String> response = putMetadata("[]");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(0, array(response).size());
        assertEquals(List.of(), discord.roleConnectionMetadata(CLIENT_ID));
    }

    @Test
    void putMetadataWhenSixRecordsThenFormErrorAndUnchanged() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            json.append(i == 0 ? "" : ",").append(record(1, "k" + i, "Name " + i, "Description " + i));
        }
        assertFormError(putMetadata(json.append("]").toString()));
        assertEquals(List.of("level", "supporter", "since"),
                discord.roleConnectionMetadata(CLIENT_ID).stream().map(EmulatedMetadataField::key).toList());
    }

    @Test
    void putMetadataWhenFiveRecordsThenAccepted() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            json.append(i == 0 ? "" : ",").append(record(1, "k" + i, "Name " + i, "Description " + i));
        }
        HttpResponse<String> response = putMetadata(json.append("]").toString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(5, discord.roleConnectionMetadata(CLIENT_ID).size());
    }

    /** PUTs a valid record at index 0 and {@code bad} at index 1; asserts the error is under errors.1.field. */
    private void assertRecordRejected(String bad, String field) {
        JsonObject errors = assertFormError(putMetadata("[" + record(2, "ok", "Ok", "Fine") + "," + bad + "]"));
        errorCode(errors, "1", field);
        assertFalse(errors.containsKey("0"), errors.toString());
        assertEquals(List.of("level", "supporter", "since"),
                discord.roleConnectionMetadata(CLIENT_ID).stream().map(EmulatedMetadataField::key).toList());
    }

    @Test
    void putMetadataWhenKeyHasUpperCaseThenFormErrorAtKey() {
        assertRecordRejected(record(2, "Level", "Level", "Level"), "key");
    }

    @Test
    void putMetadataWhenKeyOver50CharactersThenFormErrorAtKey() {
        assertRecordRejected(record(2, "k".repeat(51), "Level", "Level"), "key");
        assertEquals(200, putMetadata("[" + record(2, "k".repeat(50), "Level", "Level") + "]").statusCode());
    }

    @Test
    void putMetadataWhenNameEmptyThenFormErrorAtName() {
        assertRecordRejected(record(2, "level", "", "Level"), "name");
    }

    @Test
    void putMetadataWhenNameOver100CharactersThenFormErrorAtName() {
        assertRecordRejected(record(2, "level", "n".repeat(101), "Level"), "name");
        assertEquals(200, putMetadata("[" + record(2, "level", "n".repeat(100), "Level") + "]").statusCode());
    }

    @Test
    void putMetadataWhenDescriptionOver200CharactersThenFormErrorAtDescription() {
        assertRecordRejected(record(2, "level", "Level", "d".repeat(201)), "description");
        assertEquals(200, putMetadata("[" + record(2, "level", "Level", "d".repeat(200)) + "]").statusCode());
    }

    @Test
    void putMetadataWhenTypeZeroThenFormErrorAtType() {
        assertRecordRejected(record(0, "level", "Level", "Level"), "type");
    }

    @Test
    void putMetadataWhenTypeNineThenFormErrorAtType() {
        assertRecordRejected(record(9, "level", "Level", "Level"), "type");
    }

    @Test
    void putMetadataWhenTypeBeyondIntRangeOrFractionalThenFormErrorAtType() {
        assertRecordRejected(record(4294967297L, "level", "Level", "Level"), "type");
        assertRecordRejected(record(new java.math.BigDecimal("1.5"), "level", "Level", "Level"), "type");
    }

    @Test
    void putMetadataWhenOtherApplicationThenMissingAccess() {
        HttpResponse<String> put = sendJson("PUT", metadataUri(OTHER_APP), "[]", "Authorization", "Bot " + BOT_TOKEN);
        assertDiscordError(put, 403, 50001);
        assertDiscordError(get(metadataUri(OTHER_APP), "Authorization", "Bot " + BOT_TOKEN), 403, 50001);
        assertEquals(3, discord.roleConnectionMetadata(CLIENT_ID).size());
    }

    @Test
    void metadataWhenNoBotTokenThenUnauthorized() {
        assertUnauthorized(get(metadataUri(CLIENT_ID)));
        assertUnauthorized(sendJson("PUT", metadataUri(CLIENT_ID), "[]"));
        assertEquals(3, discord.roleConnectionMetadata(CLIENT_ID).size());
    }

    @Test
    void metadataWhenBearerTokenThenUnauthorized() {
        String token = accessToken(discord, NELLY, "identify role_connections.write");
        assertUnauthorized(get(metadataUri(CLIENT_ID), "Authorization", bearer(token)));
        assertUnauthorized(sendJson("PUT", metadataUri(CLIENT_ID), "[]", "Authorization", bearer(token)));
        assertEquals(3, discord.roleConnectionMetadata(CLIENT_ID).size());
    }
}
