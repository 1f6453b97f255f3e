package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bot routes: Add Guild Member and the application's role connection metadata. */
class BotRoutesTest {
    private static final String BOT = "Bot " + BOT_TOKEN;
    private DiscordEmulator discord;

    @BeforeEach
    void start() {
        discord = demo().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private static HttpResponse<String> join(DiscordEmulator emulator, String guild, String user, String body,
            String auth) {
        return sendJson("PUT", api(emulator, "/guilds/" + guild + "/members/" + user), body, "Authorization", auth);
    }

    private static String tokenBody(String token) {
        return "{\"access_token\":\"" + token + "\"}";
    }

    private static int code(HttpResponse<String> response) {
        return object(response).getInt("code");
    }

    // ------------------------------------------------------------------------------------------ Add Guild Member

    @Test
    void addMemberWhenNewThen201WithMemberAndWhenAgainThen204() {
        String token = accessToken(discord, WUMPUS, "guilds.join");
        HttpResponse<String> added = join(discord, TESTERS, WUMPUS, tokenBody(token), BOT);
        assertEquals(201, added.statusCode(), added.body());
        JsonObject member = object(added);
        assertEquals(WUMPUS, member.getJsonObject("user").getString("id"));
        assertTrue(member.containsKey("joined_at"));
        assertTrue(discord.isMember(TESTERS, WUMPUS));
        HttpResponse<String> again = join(discord, TESTERS, WUMPUS, tokenBody(token), BOT);
        assertEquals(204, again.statusCode());
        assertEquals("", again.body());
    }

    @Test
    void addMemberWhenAlreadyMemberThen204() {
        assertEquals(204, join(discord, TESTERS, NELLY, tokenBody(accessToken(discord, NELLY, "guilds.join")), BOT)
                .statusCode());
    }

    @Test
    void addMemberWhenTokenLacksScopeIsAnotherUsersOrRevokedThen50025() {
        HttpResponse<String> noScope = join(discord, TESTERS, WUMPUS, tokenBody(accessToken(discord, WUMPUS, "identify")),
                BOT);
        assertEquals(403, noScope.statusCode());
        assertEquals(50025, code(noScope));
        assertEquals(50025, code(join(discord, TESTERS, WUMPUS, tokenBody(accessToken(discord, NELLY, "guilds.join")),
                BOT)));
        String revoked = accessToken(discord, WUMPUS, "guilds.join");
        postForm(URI.create(discord.apiBaseUri() + "/oauth2/token/revoke"), params("token", revoked),
                "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(50025, code(join(discord, TESTERS, WUMPUS, tokenBody(revoked), BOT)));
        assertFalse(discord.isMember(TESTERS, WUMPUS));
    }

    /** A small world: our app's bot in one guild with the given permissions, two users, the second banned. */
    private static DiscordEmulator custom(long botPermissions) {
        return DiscordEmulator.builder()
                .application(appBuilder().build())
                .user(EmulatedUser.builder(NELLY, "nelly").build())
                .user(EmulatedUser.builder(WUMPUS, "wumpus").build())
                .guild(EmulatedGuild.builder(TESTERS, "Testers").ownerId(NELLY).build())
                .member(EmulatedMember.builder(TESTERS, NELLY).build())
                .ban(TESTERS, WUMPUS)
                .botInGuild(CLIENT_ID, TESTERS, botPermissions)
                .start();
    }

    @Test
    void addMemberWhenBannedThen40007() {
        try (DiscordEmulator world = custom(1L)) {
            HttpResponse<String> response = join(world, TESTERS, WUMPUS,
                    tokenBody(accessToken(world, WUMPUS, "guilds.join")), BOT);
            assertEquals(403, response.statusCode());
            assertEquals(40007, code(response));
        }
    }

    @Test
    void addMemberWhenUserIn200GuildsThen30001() {
        DiscordEmulator.Builder builder = DiscordEmulator.builder().application(appBuilder().build())
                .user(EmulatedUser.builder(NELLY, "nelly").build())
                .guild(EmulatedGuild.builder("999999999", "Target").build())
                .botInGuild(CLIENT_ID, "999999999", 1L);
        for (int i = 1; i <= 200; i++) {
            String id = Long.toString(1_000_000L + i);
            builder.guild(EmulatedGuild.builder(id, "Guild " + i).build()).member(EmulatedMember.builder(id, NELLY).build());
        }
        try (DiscordEmulator full = builder.start()) {
            HttpResponse<String> response = join(full, "999999999", NELLY,
                    tokenBody(accessToken(full, NELLY, "guilds.join")), BOT);
            assertEquals(400, response.statusCode());
            assertEquals(30001, code(response));
        }
    }

    @Test
    void addMemberWhenBotNotInGuildOrWithoutInvitePermissionThen50013() {
        String token = tokenBody(accessToken(discord, WUMPUS, "guilds.join"));
        HttpResponse<String> notIn = join(discord, "290926792226357250", WUMPUS, token, BOT);
        assertEquals(403, notIn.statusCode());
        assertEquals(50013, code(notIn));
        assertEquals(50013, code(join(discord, LOUNGE, WUMPUS, token, BOT)));
    }

    @Test
    void addMemberWhenNickWithoutManageNicknamesThen50013() {
        try (DiscordEmulator world = DiscordEmulator.builder().application(appBuilder().build())
                .user(EmulatedUser.builder(NELLY, "nelly").build())
                .guild(EmulatedGuild.builder(TESTERS, "Testers").build())
                .botInGuild(CLIENT_ID, TESTERS, 1L).start()) {
            String token = accessToken(world, NELLY, "guilds.join");
            HttpResponse<String> nick = join(world, TESTERS, NELLY, "{\"access_token\":\"" + token
                    + "\",\"nick\":\"Nells\"}", BOT);
            assertEquals(403, nick.statusCode());
            assertEquals(50013, code(nick));
            assertEquals(201, join(world, TESTERS, NELLY, tokenBody(token), BOT).statusCode());
        }
    }

    @Test
    void addMemberWhenNoWrongOrBearerTokenThen401() {
        String body = tokenBody(accessToken(discord, WUMPUS, "guilds.join"));
        String unauthorized = "{\"message\":\"401: Unauthorized\",\"code\":0}";
        assertEquals(unauthorized, sendJson("PUT", api(discord, "/guilds/" + TESTERS + "/members/" + WUMPUS), body)
                .body());
        assertEquals(unauthorized, join(discord, TESTERS, WUMPUS, body, "Bot wrong").body());
        assertEquals(401, join(discord, TESTERS, WUMPUS, body, bearer(accessToken(discord, WUMPUS, "guilds.join")))
                .statusCode());
    }

    @Test
    void addMemberWhenUnknownGuildThen10004() {
        HttpResponse<String> response = join(discord, "12345", WUMPUS, "{}", BOT);
        assertEquals(404, response.statusCode());
        assertEquals(10004, code(response));
    }

    @Test
    void addMemberWhenAccessTokenMissingThen50035Required() {
        HttpResponse<String> response = join(discord, TESTERS, WUMPUS, "{}", BOT);
        assertEquals(400, response.statusCode());
        assertEquals(50035, code(response));
        assertEquals("BASE_TYPE_REQUIRED", object(response).getJsonObject("errors").getJsonObject("access_token")
                .getJsonArray("_errors").getJsonObject(0).getString("code"));
    }

    // ------------------------------------------------------------------------------------------ metadata

    private URI metadata(String appId) {
        return api(discord, "/applications/" + appId + "/role-connections/metadata");
    }

    private static String record(int type, String key, String name, String description) {
        return "{\"type\":" + type + ",\"key\":\"" + key + "\",\"name\":\"" + name + "\",\"description\":\""
                + description + "\"}";
    }

    @Test
    void metadataWhenGetThenRegisteredRecords() {
        JsonArray records = array(get(metadata(CLIENT_ID), "Authorization", BOT));
        assertEquals(3, records.size());
        JsonObject level = records.getJsonObject(0);
        assertEquals(2, level.getInt("type"));
        assertEquals("level", level.getString("key"));
        assertEquals("Level", level.getString("name"));
        assertEquals("Level on the platform", level.getString("description"));
    }

    @Test
    void metadataWhenPutThenReplacedAndReturned() {
        HttpResponse<String> response = sendJson("PUT", metadata(CLIENT_ID), "[" + record(3, "rank", "Rank", "Your rank")
                + "," + record(8, "banned", "Banned", "Not banned") + "]", "Authorization", BOT);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of("rank", "banned"), array(response).stream().map(v -> v.asJsonObject().getString("key"))
                .toList());
        assertEquals(List.of("rank", "banned"), discord.roleConnectionMetadata(CLIENT_ID).stream()
                .map(EmulatedMetadataField::key).toList());
        assertEquals(2, array(get(metadata(CLIENT_ID), "Authorization", BOT)).size());
    }

    @Test
    void metadataWhenMoreThanFiveRecordsThen50035() {
        StringBuilder six = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            six.append(i == 0 ? "" : ",").append(record(1, "k" + i, "Name", "Description"));
        }
        HttpResponse<String> response = sendJson("PUT", metadata(CLIENT_ID), six.append("]").toString(),
                "Authorization", BOT);
        assertEquals(400, response.statusCode());
        assertEquals(50035, code(response));
        assertEquals(3, discord.roleConnectionMetadata(CLIENT_ID).size(), "nothing replaced");
    }

    @Test
    void metadataWhenFieldBreaksLimitsThen50035UnderIndexAndField() {
        record Case(String record, String field) {
        }
        List<Case> cases = List.of(new Case(record(1, "Level", "Name", "Desc"), "key"),
                new Case(record(1, "k".repeat(51), "Name", "Desc"), "key"),
                new Case(record(1, "level", "", "Desc"), "name"),
                new Case(record(1, "level", "n".repeat(101), "Desc"), "name"),
                new Case(record(1, "level", "Name", "d".repeat(201)), "description"),
                new Case(record(0, "level", "Name", "Desc"), "type"),
                new Case(record(9, "level", "Name", "Desc"), "type"));
        for (Case c : cases) {
            HttpResponse<String> response = sendJson("PUT", metadata(CLIENT_ID), "[" + record(1, "ok", "Ok", "Fine") + ","
                    + c.record() + "]", "Authorization", BOT);
            assertEquals(400, response.statusCode(), c.record());
            assertEquals(50035, code(response));
            assertTrue(object(response).getJsonObject("errors").getJsonObject("1").containsKey(c.field()),
                    c.field() + " in " + response.body());
        }
    }

    @Test
    void metadataWhenAnotherApplicationThen50001AndWithoutBotTokenThen401() {
        HttpResponse<String> other = get(metadata("200000000000000002"), "Authorization", BOT);
        assertEquals(403, other.statusCode());
        assertEquals(50001, code(other));
        assertEquals(401, get(metadata(CLIENT_ID)).statusCode());
    }
}
