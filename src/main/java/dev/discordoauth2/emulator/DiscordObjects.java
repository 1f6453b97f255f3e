package dev.discordoauth2.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes Discord's JSON objects as its documentation shows them (field names, types, nullability, which fields are
 * absent rather than null). Stateless.
 */
final class DiscordObjects {
    /** Discord's timestamp form, e.g. {@code 2021-01-23T02:33:17.017000+00:00}. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private DiscordObjects() {
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** The user object as other people see it (in members, {@code /oauth2/@me}). */
    static Map<String, Object> publicUser(EmulatedUser u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("username", u.username());
        m.put("avatar", nullable(u.avatar()));
        m.put("discriminator", "0");
        m.put("public_flags", u.flags());
        m.put("flags", u.flags());
        m.put("banner", Json.NULL);
        m.put("accent_color", Json.NULL);
        m.put("global_name", nullable(u.globalName()));
        m.put("avatar_decoration_data", Json.NULL);
        m.put("collectibles", Json.NULL);
        m.put("primary_guild", Json.NULL);
        return m;
    }

    /** {@code GET /users/@me}: the public fields plus the private ones the token's scopes allow. */
    static Map<String, Object> currentUser(EmulatedUser u, Set<String> scopes) {
        Map<String, Object> m = publicUser(u);
        m.put("mfa_enabled", u.mfaEnabled());
        if (u.locale() != null) {
            m.put("locale", u.locale());
        }
        // changelog 2026-05: premium_type is 0 unless the token has identify.premium
        m.put("premium_type", scopes.contains("identify.premium") ? u.premiumType() : 0);
        if (scopes.contains("email")) {
            m.put("email", nullable(u.email()));
            m.put("verified", u.verified());
        }
        return m;
    }

    /** A partial guild of {@code GET /users/@me/guilds}. */
    static Map<String, Object> partialGuild(EmulatedGuild g, EmulatedMember member, boolean withCounts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("name", g.name());
        m.put("icon", nullable(g.icon()));
        m.put("banner", nullable(g.banner()));
        m.put("owner", member.userId().equals(g.ownerId()));
        m.put("permissions", Long.toUnsignedString(member.permissions()));
        m.put("features", new ArrayList<>(g.features()));
        if (withCounts) {
            m.put("approximate_member_count", g.approximateMemberCount());
            m.put("approximate_presence_count", g.approximatePresenceCount());
        }
        return m;
    }

    /**
     * The full guild object of the bot code grant's token response, as a v10 guild object (guild.mdx "Guild
     * Structure" and "Get Guild" example): every non-optional field, {@code nsfw_level}, {@code stickers},
     * {@code premium_progress_bar_enabled}, {@code hub_type} and {@code incidents_data}; no deprecated
     * {@code region}. Its one role is {@code @everyone}, with the guild's id.
     */
    static Map<String, Object> fullGuild(EmulatedGuild g, String applicationId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("name", g.name());
        m.put("icon", nullable(g.icon()));
        m.put("description", Json.NULL);
        m.put("splash", Json.NULL);
        m.put("discovery_splash", Json.NULL);
        m.put("features", new ArrayList<>(g.features()));
        m.put("emojis", List.of());
        m.put("stickers", List.of());
        m.put("banner", nullable(g.banner()));
        m.put("owner_id", g.ownerId() == null ? Json.NULL : g.ownerId());
        m.put("application_id", Json.NULL);
        m.put("afk_channel_id", Json.NULL);
        m.put("afk_timeout", 300);
        m.put("system_channel_id", Json.NULL);
        m.put("widget_enabled", false);
        m.put("widget_channel_id", Json.NULL);
        m.put("verification_level", 0);
        m.put("roles", List.of(everyoneRole(g.id())));
        m.put("default_message_notifications", 0);
        m.put("mfa_level", 0);
        m.put("explicit_content_filter", 0);
        m.put("max_presences", Json.NULL);
        m.put("max_members", 500000);
        m.put("max_video_channel_users", 25);
        m.put("vanity_url_code", Json.NULL);
        m.put("premium_tier", 0);
        m.put("premium_subscription_count", 0);
        m.put("system_channel_flags", 0);
        m.put("preferred_locale", "en-US");
        m.put("rules_channel_id", Json.NULL);
        m.put("public_updates_channel_id", Json.NULL);
        m.put("safety_alerts_channel_id", Json.NULL);
        m.put("nsfw_level", 0);
        m.put("premium_progress_bar_enabled", false);
        m.put("hub_type", Json.NULL);
        m.put("incidents_data", Json.NULL);
        return m;
    }

    /** The {@code @everyone} role (permissions.mdx "Role Object"): permissions as a string, default colors. */
    private static Map<String, Object> everyoneRole(String guildId) {
        Map<String, Object> colors = new LinkedHashMap<>();
        colors.put("primary_color", 0);
        colors.put("secondary_color", Json.NULL);
        colors.put("tertiary_color", Json.NULL);
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("id", guildId);
        role.put("name", "@everyone");
        role.put("permissions", "104324161");
        role.put("position", 0);
        role.put("color", 0);
        role.put("colors", colors);
        role.put("hoist", false);
        role.put("icon", Json.NULL);
        role.put("unicode_emoji", Json.NULL);
        role.put("managed", false);
        role.put("mentionable", false);
        role.put("flags", 0);
        return role;
    }

    /** A guild member object (with its user). */
    static Map<String, Object> member(EmulatedMember member, EmulatedUser user) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("avatar", Json.NULL);
        m.put("banner", Json.NULL);
        m.put("communication_disabled_until", Json.NULL);
        m.put("flags", 0);
        m.put("joined_at", timestamp(member.joinedAt()));
        m.put("nick", nullable(member.nick()));
        m.put("pending", false);
        m.put("premium_since", Json.NULL);
        m.put("roles", new ArrayList<>(member.roles()));
        m.put("user", publicUser(user));
        m.put("mute", member.mute());
        m.put("deaf", member.deaf());
        return m;
    }

    static Map<String, Object> connection(EmulatedConnection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", c.type());
        m.put("id", c.id());
        m.put("name", c.name());
        if (c.revoked()) {
            m.put("revoked", true);
        }
        m.put("integrations", List.of());
        m.put("verified", c.verified());
        m.put("friend_sync", c.friendSync());
        m.put("show_activity", c.showActivity());
        m.put("two_way_link", c.twoWayLink());
        m.put("visibility", c.visibility());
        return m;
    }

    /** The partial application of {@code GET /oauth2/@me} (the 8 keys of the documented example). */
    static Map<String, Object> application(Store.App app) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", app.id());
        m.put("name", app.config.name());
        m.put("icon", Json.NULL);
        m.put("description", "");
        m.put("hook", true);
        m.put("bot_public", app.config.botToken() != null);
        m.put("bot_require_code_grant", false);
        m.put("verify_key", Integer.toHexString(app.id().hashCode()) + "c8cde6a3c8c6e49d86af3191287b3ce255872be1fff6dc285bdb420c06a2");
        return m;
    }

    /** A role connection metadata record; {@code name_localizations}, {@code description_localizations} are absent. */
    static Map<String, Object> metadataField(EmulatedMetadataField f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", f.type());
        m.put("key", f.key());
        m.put("name", f.name());
        m.put("description", f.description());
        return m;
    }

    static Map<String, Object> roleConnection(Store.RoleConnection rc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("platform_name", nullable(rc.platformName()));
        m.put("platform_username", nullable(rc.platformUsername()));
        m.put("metadata", new LinkedHashMap<>(rc.metadata()));
        return m;
    }

    static Object nullable(Object value) {
        return value == null ? Json.NULL : value;
    }
}
