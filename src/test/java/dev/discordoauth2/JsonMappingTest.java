package dev.discordoauth2;

import dev.discordoauth2.Wire.TokenResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.model.AuthorizationInfo;
import dev.discordoauth2.model.Guild.Role;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.model.User;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Discord's documented JSON examples mapped to the records, with JSON-B as the client uses it. */
class JsonMappingTest {
    private static final Jsonb JSONB = JsonbBuilder.create();

    @AfterAll
    static void close() throws Exception {
        JSONB.close();
    }

    @Test
    void tokenResponseWhenDocumentedExampleThenEveryFieldMapped() {
        TokenResponse r = JSONB.fromJson(Fixtures.read("token-response.json"), TokenResponse.class);
        assertEquals("6qrZcUqja7812RVdnEKjpzOL4CvHBFG", r.accessToken());
        assertEquals("Bearer", r.tokenType());
        assertEquals(604800L, r.expiresIn());
        assertEquals("D43f5y0ahjqew82jZ4NViEr2YafMKhue", r.refreshToken());
        assertEquals("identify", r.scope());
        assertNull(r.webhook());
        assertNull(r.guild());
        assertFalse(r.toString().contains("6qrZcUqja7812RVdnEKjpzOL4CvHBFG"));
        assertFalse(r.toString().contains("D43f5y0ahjqew82jZ4NViEr2YafMKhue"));
    }

    @Test
    void tokenResponseWhenWebhookExampleThenWebhookMappedAndRedacted() {
        TokenResponse r = JSONB.fromJson(Fixtures.read("token-response-webhook.json"), TokenResponse.class);
        assertEquals("347114750880120863", r.webhook().id());
        assertEquals(1, r.webhook().type());
        assertEquals(Optional.of("345626669224982402"), r.webhook().channelId());
        assertEquals(Optional.of("290926792226357250"), r.webhook().guildId());
        assertEquals(Optional.empty(), r.webhook().avatar());
        assertTrue(r.webhook().token().orElseThrow().startsWith("kKDdjXa1g9"));
        assertFalse(r.webhook().toString().contains("kKDdjXa1g9"), "the webhook token is a secret");
    }

    @Test
    void tokenResponseWhenBotGuildExampleThenGuildMapped() {
        TokenResponse r = JSONB.fromJson(Fixtures.read("token-response-guild.json"), TokenResponse.class);
        assertEquals("2909267986347357250", r.guild().id());
        assertEquals("SomeTest", r.guild().name());
        assertEquals("53908232999183680", r.guild().ownerId());
        assertEquals("@everyone", r.guild().roles().get(0).name());
        assertEquals(Optional.of("en-US"), r.guild().preferredLocale());
        assertEquals("bot", r.scope());
    }

    @Test
    void tokenResponseWhenBotGuildIsCurrentV10GuildThenGuildAndRolesMapped() {
        // the token envelope of oauth2.mdx around guild.mdx's "Get Guild" example (no region, string permissions,
        // colors, flags, nsfw_level, hub_type) with permissions.mdx's example role added
        TokenResponse r = JSONB.fromJson(Fixtures.read("token-response-guild-v10.json"), TokenResponse.class);
        assertEquals("2909267986263572999", r.guild().id());
        assertEquals("Mason's Test Server", r.guild().name());
        assertEquals("53908232506183680", r.guild().ownerId());
        assertEquals(Optional.of("389030ec9db118cb5b85a732333b7c98"), r.guild().icon());
        assertEquals(Optional.empty(), r.guild().description());
        assertEquals(List.of("@everyone", "WE DEM BOYZZ!!!!!!"), r.guild().roles().stream().map(Role::name).toList());
        Role boyz = r.guild().roles().get(1);
        assertEquals("41771983423143936", boyz.id());
        assertEquals(3447003, boyz.color());
        assertEquals(1, boyz.position());
        assertTrue(boyz.hoist());
        assertEquals(Optional.of("en-US"), r.guild().preferredLocale());
        assertEquals("bot", r.scope());
    }

    @Test
    void userWhenDocumentedExampleThenNullGlobalNameEmptyAndEmailScopeFieldsPresent() {
        User u = JSONB.fromJson(Fixtures.read("user.json"), User.class);
        assertEquals("80351110224678912", u.id());
        assertEquals(Optional.empty(), u.globalName());
        assertEquals("Nelly", u.displayName(), "falls back to the username");
        assertEquals(Optional.of("nelly@discord.com"), u.email());
        assertEquals(Optional.of(true), u.verified());
        assertEquals(1, u.premiumType());
        assertEquals(16711680, u.accentColor().getAsInt());
        assertEquals(Optional.of("8342729096ea3675442027381ff50dfe"), u.avatar());
        assertEquals(Optional.of("06c16474723fe537c283b8efa61a30c8"), u.banner());
        assertEquals(Optional.of(new User.AvatarDecorationData("a_fed43ab12698df65902ba06727e20c0e",
                "1144058844004233369")), u.avatarDecorationData());
        assertEquals(Instant.parse("2015-08-10T17:26:37.529Z"), u.createdAt());
    }

    @Test
    void userWhenEmailScopeAbsentThenVerifiedAbsentToo() {
        User u = JSONB.fromJson("{\"id\":\"80351110224678912\",\"username\":\"nelly\",\"discriminator\":\"0\","
                + "\"global_name\":\"Nelly\",\"avatar\":null}", User.class);
        assertEquals(Optional.empty(), u.email());
        assertEquals(Optional.empty(), u.verified(), "absent without the email scope");
        assertEquals("Nelly", u.displayName());
        assertEquals(Optional.empty(), u.avatar());
        assertEquals(Optional.empty(), u.avatarDecorationData(), "absent");
    }

    @Test
    void userWhenAvatarDecorationDoesNotFitThenLeftOutAndUserKept() {
        User u = JSONB.fromJson("{\"id\":\"80351110224678912\",\"username\":\"nelly\","
                + "\"avatar_decoration_data\":{\"sku_id\":\"1144058844004233369\"}}", User.class);
        assertEquals(Optional.empty(), u.avatarDecorationData(), "asset missing");
        User none = JSONB.fromJson("{\"id\":\"80351110224678912\",\"username\":\"nelly\","
                + "\"avatar_decoration_data\":null}", User.class);
        assertEquals(Optional.empty(), none.avatarDecorationData(), "null, as Discord sends it without one");
    }

    @Test
    void userWhenEmailScopeButNoAddressThenVerifiedPresentEmailEmpty() {
        User u = JSONB.fromJson("{\"id\":\"1\",\"username\":\"nobody\",\"email\":null,\"verified\":false}", User.class);
        assertEquals(Optional.empty(), u.email());
        assertEquals(Optional.of(false), u.verified());
    }

    @Test
    void partialGuildWhenDocumentedExampleThenPermissionsStringAndCounts() {
        PartialGuild g = JSONB.fromJson(Fixtures.read("partial-guild.json"), PartialGuild.class);
        assertEquals("36953089", g.permissions());
        assertEquals(36953089L, g.permissionBits());
        assertTrue(g.owner());
        assertEquals(3268, g.approximateMemberCount().getAsInt());
        assertEquals(6, g.features().size());
        assertTrue(g.hasPermission(1L), "CREATE_INSTANT_INVITE");
    }

    @Test
    void partialGuildWhenCountsAbsentThenEmptyAndFeaturesNeverNull() {
        PartialGuild g = JSONB.fromJson("{\"id\":\"1\",\"name\":\"x\",\"permissions\":\"0\"}", PartialGuild.class);
        assertTrue(g.approximateMemberCount().isEmpty());
        assertEquals(List.of(), g.features());
    }

    @Test
    void guildMemberWhenDocumentedExampleThenJoinedAtParsed() {
        Guild.Member m = JSONB.fromJson(Fixtures.read("guild-member.json"), Guild.Member.class);
        assertEquals(Optional.of("NOT API SUPPORT"), m.nick());
        assertEquals(OffsetDateTime.parse("2015-04-26T06:26:56.936Z"), m.joinedAt().orElseThrow());
        assertEquals("80351110224678912", m.user().orElseThrow().id());
        assertEquals(List.of(), m.roles());
    }

    @Test
    void guildMemberWhenDocumentedExampleWithEmptyUserThenUserAbsentAndRestMapped() {
        // guild.mdx's "Example Guild Member" as it stands, with "user": {}
        Guild.Member m = JSONB.fromJson(Fixtures.read("guild-member-example.json"), Guild.Member.class);
        assertEquals(Optional.empty(), m.user());
        assertEquals(Optional.of("NOT API SUPPORT"), m.nick());
        assertEquals(Optional.empty(), m.avatar());
        assertEquals(List.of(), m.roles());
        assertEquals(OffsetDateTime.parse("2015-04-26T06:26:56.936Z"), m.joinedAt().orElseThrow());
        assertFalse(m.deaf());
        assertFalse(m.mute());
    }

    @Test
    void guildMemberWhenUserLacksOnlyIdThenUserAbsentAndRolesMapped() {
        Guild.Member m = JSONB.fromJson("{\"user\":{\"username\":\"nelly\",\"discriminator\":\"0\","
                + "\"global_name\":\"Nelly\",\"avatar\":null},\"nick\":\"Nel\",\"roles\":[\"197038439483310087\"],"
                + "\"joined_at\":\"2021-06-01T12:00:00+00:00\",\"deaf\":false,\"mute\":true}", Guild.Member.class);
        assertEquals(Optional.empty(), m.user());
        assertEquals(Optional.of("Nel"), m.nick());
        assertEquals(List.of("197038439483310087"), m.roles());
        assertTrue(m.mute());
    }

    @Test
    void guildMemberWhenUserDoesNotFitThenOneDebugLineNamingObjectAndFieldButNoValue() {
        List<LogRecord> records = captureModelLog(() -> JSONB.fromJson("{\"user\":{\"username\":\"nelly-secret-name\"},"
                + "\"roles\":[]}", Guild.Member.class));
        assertEquals(1, records.size(), "one line: " + records);
        assertEquals(Level.FINE, records.get(0).getLevel(), "System.Logger's DEBUG");
        String line = records.get(0).getMessage();
        assertTrue(line.contains("user"), line);
        assertTrue(line.contains("id is missing"), line);
        assertFalse(line.contains("nelly-secret-name"), "no value: " + line);
        assertNull(records.get(0).getThrown(), "no stack trace for a documented shape");
    }

    @Test
    void guildMemberWhenUserIsNotAnObjectThenUserAbsentAndRestMapped() {
        Guild.Member m = JSONB.fromJson("{\"user\":\"80351110224678912\",\"nick\":\"Nel\",\"roles\":[\"1\"]}",
                Guild.Member.class);
        assertEquals(Optional.empty(), m.user());
        assertEquals(Optional.of("Nel"), m.nick());
        assertEquals(List.of("1"), m.roles());
    }

    @Test
    void guildMemberWhenUserIsValidThenUserPresentAndUserNullThenAbsent() {
        Guild.Member full = JSONB.fromJson("{\"user\":{\"id\":\"80351110224678912\",\"username\":\"nelly\"},"
                + "\"roles\":[]}", Guild.Member.class);
        assertEquals("nelly", full.user().orElseThrow().username());
        assertEquals(Optional.empty(), JSONB.fromJson("{\"user\":null,\"roles\":[]}", Guild.Member.class).user());
        assertEquals(Optional.empty(), JSONB.fromJson("{\"roles\":[]}", Guild.Member.class).user());
    }

    @Test
    void guildMemberWhenNestedUserIsBrokenJsonThenStillRefusedAsNotTheExpectedJson() {
        // leniency is for an object that does not fit, not for a body that is not JSON
        try (DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId("100000000000000001").clientSecret("s")
                .build()) {
            DiscordException e = assertThrows(DiscordException.class, () -> client.core().wire.read(ApiCall.of("GET",
                    "/users/@me/guilds/{guild.id}/member"), "{\"user\":{\"id\":\"1\",},\"roles\":[]}",
                    Guild.Member.class, true));
            assertEquals("GET /users/@me/guilds/{guild.id}/member: Discord's answer is not the expected JSON",
                    e.getMessage());
            assertInstanceOf(JsonParsingException.class, rootCause(e));
        }
    }

    @Test
    void userWhenTopLevelIdMissingThenStillRefusedWithTheSameMessage() {
        JsonbException mapped = assertThrows(JsonbException.class,
                () -> JSONB.fromJson("{\"username\":\"nelly\"}", User.class));
        assertEquals("not a valid user: id is missing", rootCause(mapped).getMessage());
        try (DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId("100000000000000001").clientSecret("s")
                .build()) {
            DiscordException e = assertThrows(DiscordException.class, () -> client.core().wire.read(ApiCall.of("GET",
                    "/users/@me"), "{\"username\":\"nelly\"}", User.class, true));
            assertEquals("GET /users/@me: Discord's answer is not a valid user: id is missing", e.getMessage());
        }
    }

    @Test
    void authorizationInfoWhenUserLacksIdThenUserAbsentAndApplicationMapped() {
        String body = Fixtures.read("oauth2-me.json").replace("\"id\": \"268473310986240001\",", "");
        AuthorizationInfo info = JSONB.fromJson(body, AuthorizationInfo.class);
        assertEquals(Optional.empty(), info.user());
        assertEquals("159799960412356608", info.application().id());
        assertEquals(List.of("guilds.join", "identify"), info.scopes());
    }

    @Test
    void authorizationInfoWhenApplicationLacksIdThenStillRefused() {
        // the application is required: it is not left out
        String body = Fixtures.read("oauth2-me.json").replace("\"id\": \"159799960412356608\",", "");
        JsonbException e = assertThrows(JsonbException.class, () -> JSONB.fromJson(body, AuthorizationInfo.class));
        assertEquals("not a valid application: id is missing", rootCause(e).getMessage());
    }

    @Test
    void tokenResponseWhenBotGuildRoleLacksIdThenStillRefused() {
        // a list element is not left out: a shorter list would look complete
        String body = Fixtures.read("token-response-guild.json").replaceFirst("\"id\": \"[0-9]+\"", "\"x\": 0");
        JsonbException e = assertThrows(JsonbException.class, () -> JSONB.fromJson(body, TokenResponse.class));
        assertEquals("not a valid role: id is missing", rootCause(e).getMessage());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The JUL records (System.Logger's backend here) of the model package while {@code action} runs, DEBUG on. */
    private static List<LogRecord> captureModelLog(Runnable action) {
        Logger logger = Logger.getLogger("dev.discordoauth2.model");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level level = logger.getLevel();
        boolean parentHandlers = logger.getUseParentHandlers();
        capture.setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
        try {
            action.run();
        } finally {
            logger.removeHandler(capture);
            logger.setUseParentHandlers(parentHandlers);
            logger.setLevel(level);
        }
        return records;
    }

    @Test
    void authorizationInfoWhenDocumentedExampleThenMapped() {
        AuthorizationInfo info = JSONB.fromJson(Fixtures.read("oauth2-me.json"), AuthorizationInfo.class);
        assertEquals("159799960412356608", info.application().id());
        assertTrue(info.application().botPublic());
        assertEquals(List.of("guilds.join", "identify"), info.scopes());
        assertEquals(OffsetDateTime.parse("2021-01-23T02:33:17.017Z"), info.expires());
        assertEquals("Discord", info.user().orElseThrow().displayName());
    }

    @Test
    void roleConnectionMetadataWhenTypeIntegerThenEnumBothWays() {
        RoleConnectionMetadata m = JSONB.fromJson("{\"type\":7,\"key\":\"supporter\",\"name\":\"Supporter\","
                + "\"name_localizations\":null,\"description\":\"Supports us\"}", RoleConnectionMetadata.class);
        assertEquals(RoleConnectionMetadata.Type.BOOLEAN_EQUAL, m.type());
        assertTrue(JSONB.toJson(m).contains("\"type\":7"));
    }

    @Test
    void roleConnectionMetadataWhenKeyInvalidThenRejectedOnConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoleConnectionMetadata.of(
                RoleConnectionMetadata.Type.INTEGER_EQUAL, "Level", "Level", "desc"));
        assertTrue(e.getMessage().contains("key"));
        assertThrows(IllegalArgumentException.class, () -> RoleConnectionMetadata.of(
                RoleConnectionMetadata.Type.INTEGER_EQUAL, "level", "x".repeat(101), "desc"));
        assertThrows(IllegalArgumentException.class, () -> RoleConnectionMetadata.of(
                RoleConnectionMetadata.Type.INTEGER_EQUAL, "level", "Level", "d".repeat(201)));
    }

    @Test
    void accessTokenWhenScopeAbsentThenEmptySetAndExpiryFromClock() {
        try (DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId("100000000000000001").clientSecret("s")
                .clock(java.time.Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).build()) {
            AccessToken token = new AccessToken(client, "tok", "Bearer", 604800L, null, null, null, null, null,
                    client.clock().instant());
            assertEquals(Set.of(), token.scopes());
            assertEquals(Instant.parse("2026-01-08T00:00:00Z"), token.expiresAt());
            assertEquals(Optional.empty(), token.refreshToken());
            assertTrue(token.expiresWithin(java.time.Duration.ofDays(8)));
            assertFalse(token.expiresWithin(java.time.Duration.ofDays(6)));
        }
    }
}
