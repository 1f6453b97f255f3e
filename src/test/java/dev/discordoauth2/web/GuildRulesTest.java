package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The configuration keys of Discord-native authorization and the standing they compute. */
class GuildRulesTest {
    static final String G1 = "197038439483310086";
    static final String G2 = "290926792226357250";
    static final String R1 = "197038439483310087";
    static final String R2 = "1100000000000000077";

    private static DiscordConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, "100000000000000001",
                DiscordConfig.CLIENT_SECRET, "s", DiscordConfig.REDIRECT_URI, "/oauth2/callback"));
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return DiscordConfig.of(values);
    }

    @Test
    void guildRulesWhenNothingConfiguredThenInactive() {
        assertSame(GuildRules.NONE, config().guildRules());
        assertFalse(config().guildRules().active());
    }

    @Test
    void guildRulesWhenRolesAndRequiredGivenThenParsedWithDefaults() {
        GuildRules rules = config(DiscordConfig.SCOPES, "identify guilds.members.read",
                DiscordConfig.REQUIRED_GUILDS, G1 + ", " + G2,
                DiscordConfig.GUILD_ROLES, "admin=" + G1 + ":" + R1 + "," + R2 + "; moderator=" + G2 + ":" + R2
                        + "; admin=" + G2 + ":" + R1).guildRules();
        assertTrue(rules.active());
        assertEquals(List.of(G1, G2), rules.guilds(), "each server once");
        assertFalse(rules.requireAll());
        assertEquals(Set.of("admin", "moderator"), rules.roleNames());
        assertEquals(Duration.ofMinutes(10), rules.recheckInterval());
        assertTrue(rules.inviteUrl().isEmpty());
    }

    @Test
    void standingWhenAnyRequiredThenMemberOfOneIsAdmitted() {
        GuildRules rules = new GuildRules(List.of(G1, G2), false, Map.of(), Duration.ZERO, null);
        assertTrue(rules.standing(Map.of(G2, List.of()), 1).admitted());
        assertFalse(rules.standing(Map.of(), 1).admitted());
        GuildRules all = new GuildRules(List.of(G1, G2), true, Map.of(), Duration.ZERO, null);
        assertFalse(all.standing(Map.of(G2, List.of()), 1).admitted());
        assertTrue(all.standing(Map.of(G1, List.of(), G2, List.of()), 1).admitted());
    }

    @Test
    void standingWhenRoleHeldInTheNamedServerOnlyThenGranted() {
        GuildRules rules = config(DiscordConfig.SCOPES, "identify guilds.members.read",
                DiscordConfig.GUILD_ROLES, "admin=" + G1 + ":" + R1 + "; moderator=" + G2 + ":" + R2).guildRules();
        GuildStanding standing = rules.standing(Map.of(G1, List.of(R1), G2, List.of(R1)), 42);
        assertTrue(standing.admitted(), "no required server: everybody is admitted");
        assertEquals(Set.of("admin"), standing.roles(), "R1 in G2 gives nothing: the role is per server");
        assertEquals(Set.of(G1, G2), standing.memberOf());
        assertEquals(42, standing.checkedAtMillis());
    }

    @Test
    void standingWhenSerializedThenSmall() throws Exception {
        GuildStanding standing = new GuildStanding(true, Set.of("admin", "moderator"), Set.of(G1, G2), 1, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(standing);
        }
        assertTrue(bytes.size() < 600, "a session attribute stays small: " + bytes.size());
    }

    @Test
    void configWhenRolesWithoutMembersReadScopeThenFailsNamingKeyAndScope() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config(DiscordConfig.GUILD_ROLES,
                "admin=" + G1 + ":" + R1));
        assertTrue(e.getMessage().startsWith("discord.guild-roles is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("guilds.members.read") && e.getMessage().contains("discord.scopes"),
                e.getMessage());
    }

    @Test
    void configWhenRequiredGuildsWithoutAGuildScopeThenFailsNamingKeyAndScope() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> config(DiscordConfig.REQUIRED_GUILDS, G1));
        assertTrue(e.getMessage().startsWith("discord.required-guilds is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("'guilds'"), e.getMessage());
        // the guilds scope is enough for membership
        assertTrue(config(DiscordConfig.SCOPES, "identify guilds", DiscordConfig.REQUIRED_GUILDS, G1).guildRules()
                .active());
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "admin=" + G1, "admin=" + G1 + ":", "admin=123:" + R1, "=" + G1 + ":" + R1,
            "admin=" + G1 + ":mods", "ad min=" + G1 + ":" + R1})
    void configWhenGuildRolesMalformedThenFailsNamingTheKey(String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config(DiscordConfig.SCOPES,
                "identify guilds.members.read", DiscordConfig.GUILD_ROLES, value));
        assertTrue(e.getMessage().startsWith("discord.guild-roles is invalid"), e.getMessage());
    }

    @Test
    void configWhenOtherGuildKeysInvalidThenFailsNamingTheKey() {
        String scopes = "identify guilds";
        assertTrue(assertThrows(IllegalStateException.class, () -> config(DiscordConfig.SCOPES, scopes,
                DiscordConfig.REQUIRED_GUILDS, "my-server")).getMessage().startsWith("discord.required-guilds "));
        assertTrue(assertThrows(IllegalStateException.class, () -> config(DiscordConfig.SCOPES, scopes,
                DiscordConfig.REQUIRED_GUILDS, G1, DiscordConfig.REQUIRED_GUILDS_MATCH, "most")).getMessage()
                .startsWith("discord.required-guilds-match "));
        assertTrue(assertThrows(IllegalStateException.class, () -> config(DiscordConfig.SCOPES, scopes,
                DiscordConfig.REQUIRED_GUILDS, G1, DiscordConfig.GUILD_INVITE_URL, "discord.gg/x")).getMessage()
                .startsWith("discord.guild-invite-url "));
        assertTrue(assertThrows(IllegalStateException.class, () -> config(DiscordConfig.SCOPES, scopes,
                DiscordConfig.REQUIRED_GUILDS, G1, DiscordConfig.GUILD_RECHECK_INTERVAL, "often")).getMessage()
                .startsWith("discord.guild-recheck-interval "));
        GuildRules rules = config(DiscordConfig.SCOPES, scopes, DiscordConfig.REQUIRED_GUILDS, G1,
                DiscordConfig.REQUIRED_GUILDS_MATCH, "ALL", DiscordConfig.GUILD_INVITE_URL, "https://discord.gg/abc",
                DiscordConfig.GUILD_RECHECK_INTERVAL, "PT2M").guildRules();
        assertTrue(rules.requireAll());
        assertEquals("https://discord.gg/abc", rules.inviteUrl().orElseThrow());
        assertEquals(Duration.ofMinutes(2), rules.recheckInterval());
    }
}
