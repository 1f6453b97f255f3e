package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.PartialAccessToken.GuildQuery;
import dev.discordoauth2.PartialAccessToken.JoinGuildOptions;
import dev.discordoauth2.PartialAccessToken.JoinGuildResult;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.model.AuthorizationInfo;
import dev.discordoauth2.model.User.Connection;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.model.User;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every call of {@link PartialAccessToken} and the linked-roles calls of the client, against the emulator. */
class UserApiTest {
    private DiscordEmulator discord;
    private DiscordOAuth2Client client;

    @BeforeEach
    void start() {
        discord = emulator().autoApprove(NELLY).start();
        client = client(discord).build();
    }

    @AfterEach
    void stop() {
        client.close();
        discord.close();
    }

    @Test
    void fetchIdentifyWhenEmailScopeThenEmailAndVerified() {
        User user = login(discord, client, "identify", "email").fetchIdentify();
        assertEquals("nelly", user.username());
        assertEquals("Nelly", user.displayName());
        assertEquals(Optional.of("nelly@example.com"), user.email());
        assertEquals(Optional.of(true), user.verified());
    }

    @Test
    void fetchIdentifyWhenIdentifyOnlyThenNoEmailAndBearerHeaderSent() {
        AccessToken token = login(discord, client, "identify");
        User user = token.fetchIdentify();
        assertEquals(Optional.empty(), user.email());
        assertEquals(Optional.empty(), user.verified());
        assertEquals(Optional.of("Bearer " + token.token()),
                discord.journal("GET /users/@me").get(0).header("Authorization"));
    }

    @Test
    void fetchIdentifyWhenScopeMissingThenForbiddenWithout401Token() {
        AccessToken token = login(discord, client, "guilds");
        ForbiddenException e = assertThrows(ForbiddenException.class, token::fetchIdentify);
        assertEquals(401, e.status());
        assertEquals(0, e.code().getAsInt());
        assertFalse(e.getMessage().contains(token.token()));
        assertEquals("GET /users/@me failed: HTTP 401: 401: Unauthorized (code 0)", e.getMessage());
    }

    @Test
    void fromAccessTokenWhenStoredTokenThenSameCalls() {
        String stored = login(discord, client, "identify").token();
        assertEquals(NELLY, client.fromAccessToken(stored).fetchIdentify().id());
        assertThrows(IllegalArgumentException.class, () -> client.fromAccessToken(""));
    }

    @Test
    void fetchGuildsWhenDefaultThenAllGuildsSortedWithStringPermissions() {
        List<PartialGuild> guilds = login(discord, client, "guilds").fetchGuilds();
        assertEquals(4, guilds.size());
        assertEquals(API_GUILD, guilds.get(0).id());
        assertTrue(guilds.stream().filter(g -> g.id().equals(TESTERS)).findFirst().orElseThrow().owner());
        assertTrue(guilds.get(0).approximateMemberCount().isEmpty());
    }

    @Test
    void fetchGuildsWhenQueryThenParametersSentAndPageReturned() {
        AccessToken token = login(discord, client, "guilds");
        List<PartialGuild> page = token.fetchGuilds(GuildQuery.DEFAULT.withAfter(API_GUILD).withLimit(2)
                .withCounts(true));
        assertEquals(List.of(TESTERS, FAN_CLUB), page.stream().map(PartialGuild::id).toList());
        assertEquals(3268, page.get(0).approximateMemberCount().getAsInt());
        var query = discord.journal("GET /users/@me/guilds").get(0).queryParams();
        assertEquals(List.of(API_GUILD), query.get("after"));
        assertEquals(List.of("2"), query.get("limit"));
        assertEquals(List.of("true"), query.get("with_counts"));
        assertThrows(IllegalArgumentException.class, () -> GuildQuery.DEFAULT.withLimit(201));
    }

    @Test
    void fetchGuildMemberWhenMemberThenMemberObject() {
        Guild.Member member = login(discord, client, "guilds.members.read").fetchGuildMember(TESTERS);
        assertEquals(List.of("197038439483310087"), member.roles());
        assertEquals(OffsetDateTime.parse("2021-06-01T12:00:00Z").toInstant(),
                member.joinedAt().orElseThrow().toInstant());
        assertEquals(NELLY, member.user().orElseThrow().id());
    }

    @Test
    void fetchGuildMemberWhenNotAMemberThenNotFound10004() {
        try (DiscordEmulator wumpus = emulator().autoApprove(WUMPUS).start();
             DiscordOAuth2Client c = client(wumpus).build()) {
            NotFoundException e = assertThrows(NotFoundException.class,
                    () -> login(wumpus, c, "guilds.members.read").fetchGuildMember(TESTERS));
            assertEquals(10004, e.code().getAsInt());
            assertEquals(Optional.of("Unknown Guild"), e.discordMessage());
        }
    }

    @Test
    void fetchConnectionsWhenConnectionsScopeThenTyped() {
        List<Connection> connections = login(discord, client, "connections").fetchConnections();
        assertEquals(List.of("github", "twitch"), connections.stream().map(Connection::type).toList());
        assertTrue(connections.get(0).verified());
        assertEquals(1, connections.get(0).visibility());
    }

    @Test
    void fetchAuthorizationInfoWhenIdentifyThenApplicationScopesExpiryAndUser() {
        AccessToken token = login(discord, client, "identify", "guilds");
        AuthorizationInfo info = token.fetchAuthorizationInfo();
        assertEquals(CLIENT_ID, info.application().id());
        assertEquals("Fixture App", info.application().name());
        assertEquals(List.of("identify", "guilds"), info.scopes());
        assertTrue(Math.abs(info.expires().toInstant().getEpochSecond() - token.expiresAt().getEpochSecond()) < 5);
        assertEquals(NELLY, info.user().orElseThrow().id());
    }

    @Test
    void updateMetadataWhenTypedValuesThenStringifiedOnTheWireAndReturned() {
        AccessToken token = login(discord, client, "role_connections.write");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("level", 69);
        metadata.put("supporter", true);
        metadata.put("since", Instant.parse("2024-05-01T10:15:30Z"));
        User.ApplicationRoleConnection saved = token.updateMetadata("Platform Name", "nelly_on_platform", metadata);
        assertEquals(Map.of("level", "69", "supporter", "1", "since", "2024-05-01T10:15:30Z"), saved.metadata());
        assertEquals(Optional.of("Platform Name"), saved.platformName());
        String body = discord.journal("PUT /users/@me/applications/{application.id}/role-connection").get(0).body();
        assertTrue(body.contains("\"supporter\":\"1\""), body);
        assertTrue(body.contains("\"level\":\"69\""), body);
        assertEquals(saved, token.fetchMetadata());
        User.ApplicationRoleConnection cleared = token.clearMetadata();
        assertEquals(Map.of(), cleared.metadata());
        assertEquals(Optional.empty(), cleared.platformName());
    }

    @Test
    void updateMetadataWhenValueBreaksDiscordLimitsThenRejectedBeforeSending() {
        AccessToken token = login(discord, client, "role_connections.write");
        assertThrows(IllegalArgumentException.class, () -> token.updateMetadata("x".repeat(51), null, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> token.updateMetadata(null, "x".repeat(101), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> token.updateMetadata(null, null,
                Map.of("level", "9".repeat(101))));
        assertThrows(IllegalArgumentException.class, () -> token.updateMetadata(null, null, Map.of("Level", 1)));
        assertThrows(IllegalArgumentException.class, () -> token.updateMetadata(null, null, Map.of("level", 1.5)));
        assertThrows(IllegalArgumentException.class, () -> token.updateMetadata(null, null,
                Map.of("level", new Object())));
        assertTrue(discord.journal("PUT /users/@me/applications/{application.id}/role-connection").isEmpty());
    }

    @Test
    void updateMetadataWhenKeyNotRegisteredThenHttpException50035WithErrorsTree() {
        AccessToken token = login(discord, client, "role_connections.write");
        HttpException e = assertThrows(HttpException.class, () -> token.updateMetadata(null, null,
                Map.of("unknown_key", 1)));
        assertEquals(400, e.status());
        assertEquals(50035, e.code().getAsInt());
        assertTrue(e.errors().orElseThrow().getJsonObject("metadata").containsKey("unknown_key"));
    }

    @Test
    void joinGuildWhenNotYetMemberThenAddedWithMemberAndWhenAgainThenAlreadyMember() {
        try (DiscordEmulator wumpus = emulator().autoApprove(WUMPUS).start();
             DiscordOAuth2Client c = client(wumpus).build()) {
            AccessToken token = login(wumpus, c, "identify", "guilds.join");
            JoinGuildResult first = token.joinGuild(TESTERS, WUMPUS, JoinGuildOptions.NONE.withNick("Wumpy"));
            JoinGuildResult.Added added = assertInstanceOf(JoinGuildResult.Added.class, first);
            assertEquals(Optional.of("Wumpy"), added.member().nick());
            assertTrue(wumpus.isMember(TESTERS, WUMPUS));
            String body = wumpus.journal("PUT /guilds/{guild.id}/members/{user.id}").get(0).body();
            assertEquals("{\"access_token\":\"" + token.token() + "\",\"nick\":\"Wumpy\"}", body);
            assertEquals(Optional.of("Bot " + BOT_TOKEN),
                    wumpus.journal("PUT /guilds/{guild.id}/members/{user.id}").get(0).header("Authorization"));
            JoinGuildResult second = token.joinGuild(TESTERS, WUMPUS);
            assertInstanceOf(JoinGuildResult.AlreadyMember.class, second);
            assertFalse(second.added());
        }
    }

    @Test
    void joinGuildWhenBannedThenForbidden40007() {
        try (DiscordEmulator clyde = emulator().autoApprove(CLYDE).botInGuild(CLIENT_ID, FAN_CLUB, 1L).start();
             DiscordOAuth2Client c = client(clyde).build()) {
            ForbiddenException e = assertThrows(ForbiddenException.class,
                    () -> login(clyde, c, "guilds.join").joinGuild(FAN_CLUB, CLYDE));
            assertEquals(403, e.status());
            assertEquals(40007, e.code().getAsInt());
        }
    }

    @Test
    void joinGuildWhenTokenLacksGuildsJoinThenForbidden50025() {
        ForbiddenException e = assertThrows(ForbiddenException.class,
                () -> login(discord, client, "identify").joinGuild(TESTERS, NELLY));
        assertEquals(50025, e.code().getAsInt());
    }

    @Test
    void joinGuildWhenBotNotInGuildThenForbidden50013() {
        try (DiscordEmulator wumpus = emulator().autoApprove(WUMPUS).start();
             DiscordOAuth2Client c = client(wumpus).build()) {
            ForbiddenException e = assertThrows(ForbiddenException.class,
                    () -> login(wumpus, c, "guilds.join").joinGuild("1000000000000000042", WUMPUS));
            assertEquals(50013, e.code().getAsInt());
        }
    }

    @Test
    void joinGuildWhenNoBotTokenThenIllegalStateAndNothingSent() {
        try (DiscordOAuth2Client noBot = client(discord).botToken(null).build()) {
            AccessToken token = login(discord, noBot, "guilds.join");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> token.joinGuild(TESTERS, NELLY));
            assertTrue(e.getMessage().contains("botToken"));
            assertThrows(IllegalStateException.class, noBot::fetchLinkedRolesMetadata);
            assertTrue(discord.journal("PUT /guilds/{guild.id}/members/{user.id}").isEmpty());
        }
    }

    @Test
    void updateLinkedRolesMetadataWhenValidThenReplacedAndFetched() {
        assertEquals(3, client.fetchLinkedRolesMetadata().size());
        List<RoleConnectionMetadata> records = List.of(
                RoleConnectionMetadata.of(RoleConnectionMetadata.Type.INTEGER_GREATER_THAN_OR_EQUAL, "level", "Level",
                        "Level on the platform"),
                new RoleConnectionMetadata(RoleConnectionMetadata.Type.BOOLEAN_EQUAL, "verified_player", "Verified",
                        Map.of("fr", "Vérifié"), "A verified player", Map.of()));
        List<RoleConnectionMetadata> stored = client.updateLinkedRolesMetadata(records);
        assertEquals(List.of("level", "verified_player"), stored.stream().map(RoleConnectionMetadata::key).toList());
        assertEquals(RoleConnectionMetadata.Type.BOOLEAN_EQUAL, stored.get(1).type());
        assertEquals(2, discord.roleConnectionMetadata(CLIENT_ID).size());
        assertEquals(stored.stream().map(RoleConnectionMetadata::key).toList(),
                client.fetchLinkedRolesMetadata().stream().map(RoleConnectionMetadata::key).toList());
        String body = discord.journal("PUT /applications/{application.id}/role-connections/metadata").get(0).body();
        assertTrue(body.contains("\"type\":2") && body.contains("\"name_localizations\":{\"fr\":\"Vérifié\"}"), body);
    }

    @Test
    void updateLinkedRolesMetadataWhenDuplicateKeysThenHttpException50035() {
        List<RoleConnectionMetadata> records = List.of(
                RoleConnectionMetadata.of(RoleConnectionMetadata.Type.INTEGER_EQUAL, "level", "Level", "one"),
                RoleConnectionMetadata.of(RoleConnectionMetadata.Type.INTEGER_EQUAL, "level", "Level", "two"));
        HttpException e = assertThrows(HttpException.class, () -> client.updateLinkedRolesMetadata(records));
        assertEquals(50035, e.code().getAsInt());
        assertThrows(IllegalArgumentException.class, () -> client.updateLinkedRolesMetadata(
                java.util.Collections.nCopies(6, records.get(0))));
    }

    @Test
    void updateLinkedRolesMetadataWhenBotTokenOfAnotherAppThenForbidden() {
        EmulatedApplication other = EmulatedApplication.builder("200000000000000002").clientSecret("other")
                .redirectUri(REDIRECT).botToken("other-bot").build();
        try (DiscordEmulator two = emulator().application(other).start();
             DiscordOAuth2Client wrongBot = client(two).botToken("other-bot").build()) {
            ForbiddenException e = assertThrows(ForbiddenException.class, wrongBot::fetchLinkedRolesMetadata);
            assertEquals(50001, e.code().getAsInt());
        }
    }
}
