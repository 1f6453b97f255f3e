package dev.discordoauth2.emulator;

import java.util.Set;

/** The OAuth2 scopes the emulator knows, as Discord documents them. Immutable. */
final class Scopes {
    /** Every scope Discord documents (oauth2.mdx), plus the Social SDK's {@code openid} scopes. */
    static final Set<String> KNOWN = Set.of("activities.read", "activities.write", "applications.builds.read",
            "applications.builds.upload", "applications.commands", "applications.commands.update",
            "applications.commands.permissions.update", "applications.entitlements", "applications.store.update",
            "bot", "connections", "dm_channels.read", "email", "gdm.join", "guilds", "guilds.join",
            "guilds.members.read", "identify", "identify.premium", "messages.read", "relationships.read",
            "role_connections.write", "rpc", "rpc.activities.write", "rpc.notifications.read", "rpc.voice.read",
            "rpc.voice.write", "voice", "webhook.incoming", "openid", "sdk.social_layer_presence",
            "sdk.social_layer");

    /** Scopes that always need the user's consent ("passthrough" scopes). */
    static final Set<String> PASSTHROUGH = Set.of("bot", "webhook.incoming");

    private Scopes() {
    }
}
