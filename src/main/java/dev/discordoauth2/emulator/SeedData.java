package dev.discordoauth2.emulator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data set the builder gave: what the emulator starts with and what {@link DiscordEmulator#restoreData()} puts
 * back. Immutable; each application's bot user id is chosen once, here, so that it survives a restore.
 */
final class SeedData {

    /** {@link DiscordEmulator.Builder#ban(String, String)}: the user is banned from the guild. */
    record Ban(String guildId, String userId) {
    }

    /** {@link DiscordEmulator.Builder#botInGuild(String, String, long)}: the application's bot is in the guild. */
    record BotMembership(String clientId, String guildId, long permissions) {
    }

    final List<EmulatedApplication> applications;
    final List<EmulatedUser> users;
    final List<EmulatedGuild> guilds;
    final List<EmulatedMember> members;
    /** user id → the user's connections, in the order added. */
    final Map<String, List<EmulatedConnection>> connections;
    final List<Ban> bans;
    final List<BotMembership> botGuilds;
    private final Map<String, String> botUserIds = new HashMap<>();

    SeedData(List<EmulatedApplication> applications, List<EmulatedUser> users, List<EmulatedGuild> guilds,
            List<EmulatedMember> members, Map<String, List<EmulatedConnection>> connections, List<Ban> bans,
            List<BotMembership> botGuilds) {
        this.applications = List.copyOf(applications);
        this.users = List.copyOf(users);
        this.guilds = List.copyOf(guilds);
        this.members = List.copyOf(members);
        Map<String, List<EmulatedConnection>> copy = new LinkedHashMap<>();
        connections.forEach((userId, list) -> copy.put(userId, List.copyOf(list)));
        this.connections = java.util.Collections.unmodifiableMap(copy);
        this.bans = List.copyOf(bans);
        this.botGuilds = List.copyOf(botGuilds);
        int botNumber = 0;
        for (EmulatedApplication app : this.applications) {
            botUserIds.put(app.clientId(), Snowflakes.next(System.currentTimeMillis() - 86_400_000L * ++botNumber));
        }
    }

    /**
     * Fills the (empty) store with this data set, checking that every reference names a known user, guild or
     * application.
     *
     * @throws IllegalArgumentException for a membership, connection, ban, owner or bot guild naming an unknown one
     */
    void loadInto(Store store) {
        for (EmulatedUser user : users) {
            store.users.put(user.id(), user);
        }
        for (EmulatedGuild guild : guilds) {
            store.guilds.put(guild.id(), guild);
        }
        for (EmulatedMember member : members) {
            requireKnown(store, member.guildId(), member.userId());
            store.addMember(member);
        }
        connections.forEach((userId, list) -> {
            requireUser(store, userId);
            store.connections.put(userId, list);
        });
        for (Ban ban : bans) {
            requireKnown(store, ban.guildId(), ban.userId());
            store.bans.add(Store.pair(ban.guildId(), ban.userId()));
        }
        for (EmulatedApplication app : applications) {
            if (app.ownerId() != null) {
                requireUser(store, app.ownerId());
            }
            store.apps.put(app.clientId(), new Store.App(app, botUserIds.get(app.clientId())));
        }
        for (BotMembership bot : botGuilds) {
            Store.App app = store.apps.get(bot.clientId());
            if (app == null || app.config.botToken() == null) {
                throw new IllegalArgumentException("botInGuild: application " + bot.clientId()
                        + " is unknown or has no bot");
            }
            if (!store.guilds.containsKey(bot.guildId())) {
                throw new IllegalArgumentException("botInGuild: unknown guild " + bot.guildId());
            }
            app.botGuilds.put(bot.guildId(), bot.permissions());
        }
    }

    static void requireUser(Store store, String userId) {
        if (!store.users.containsKey(userId)) {
            throw new IllegalArgumentException("unknown user " + userId);
        }
    }

    private static void requireKnown(Store store, String guildId, String userId) {
        if (!store.guilds.containsKey(guildId)) {
            throw new IllegalArgumentException("unknown guild " + guildId);
        }
        requireUser(store, userId);
    }
}
