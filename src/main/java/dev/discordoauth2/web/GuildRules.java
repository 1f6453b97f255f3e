package dev.discordoauth2.web;

import dev.discordoauth2.model.Snowflake;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Discord-native authorization, as configured: the servers a user must be a member of
 * ({@value DiscordConfig#REQUIRED_GUILDS}, any or all of them per {@value DiscordConfig#REQUIRED_GUILDS_MATCH}), and
 * the application roles given by server roles ({@value DiscordConfig#GUILD_ROLES}, e.g.
 * {@code admin=GUILD_ID:ROLE_ID,ROLE_ID; moderator=GUILD_ID:ROLE_ID}). It parses the keys, names the servers to
 * look up, and turns the user's memberships into a {@link GuildStanding}. Immutable and thread-safe.
 */
final class GuildRules {
    static final GuildRules NONE = new GuildRules(List.of(), false, Map.of(), Duration.ZERO, null);

    private final List<String> requiredGuilds;
    private final boolean requireAll;
    /** Application role → guild id → Discord role ids that give it. */
    private final Map<String, Map<String, Set<String>>> roles;
    private final Duration recheckInterval;
    private final String inviteUrl;
    /** Whether anything is configured (asked on every request). */
    private final boolean active;

    GuildRules(List<String> requiredGuilds, boolean requireAll, Map<String, Map<String, Set<String>>> roles,
            Duration recheckInterval, String inviteUrl) {
        this.requiredGuilds = List.copyOf(requiredGuilds);
        this.requireAll = requireAll;
        Map<String, Map<String, Set<String>>> copy = new LinkedHashMap<>();
        roles.forEach((role, byGuild) -> {
            Map<String, Set<String>> inner = new LinkedHashMap<>();
            byGuild.forEach((g, ids) -> inner.put(g, Collections.unmodifiableSet(new LinkedHashSet<>(ids))));
            copy.put(role, Collections.unmodifiableMap(inner));
        });
        this.roles = Collections.unmodifiableMap(copy);
        this.recheckInterval = recheckInterval;
        this.inviteUrl = inviteUrl;
        this.active = !this.requiredGuilds.isEmpty() || !this.roles.isEmpty();
    }

    /** Whether anything is configured: without it no server is looked up. */
    boolean active() {
        return active;
    }

    /** The servers to look up, each once: the required ones, then those the role mapping names. */
    List<String> guilds() {
        Set<String> out = new LinkedHashSet<>(requiredGuilds);
        roles.values().forEach(byGuild -> out.addAll(byGuild.keySet()));
        return List.copyOf(out);
    }

    List<String> requiredGuilds() {
        return requiredGuilds;
    }

    boolean requireAll() {
        return requireAll;
    }

    /** The application roles the mapping can give, in configuration order. */
    Set<String> roleNames() {
        return roles.keySet();
    }

    /** How often a logged-in user's servers are read again; zero: only at login and when tokens are refreshed. */
    Duration recheckInterval() {
        return recheckInterval;
    }

    /** The "join the server" link of the 403 page, if configured. */
    Optional<String> inviteUrl() {
        return Optional.ofNullable(inviteUrl);
    }

    /**
     * The user's standing from their memberships: for each looked-up guild, the role ids they hold there, or no entry
     * when they are not a member.
     */
    GuildStanding standing(Map<String, List<String>> memberships, long checkedAtMillis) {
        boolean admitted;
        if (requiredGuilds.isEmpty()) {
            admitted = true;
        } else if (requireAll) {
            admitted = requiredGuilds.stream().allMatch(memberships::containsKey);
        } else {
            admitted = requiredGuilds.stream().anyMatch(memberships::containsKey);
        }
        Set<String> granted = new LinkedHashSet<>();
        roles.forEach((role, byGuild) -> byGuild.forEach((guild, ids) -> {
            List<String> held = memberships.get(guild);
            if (held != null && held.stream().anyMatch(ids::contains)) {
                granted.add(role);
            }
        }));
        return new GuildStanding(admitted, granted, new LinkedHashSet<>(memberships.keySet()), checkedAtMillis, 0L);
    }

    /** {@code "G1, G2"} → guild ids; every entry a snowflake. */
    static List<String> parseGuilds(String key, String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : text.split("[\\s,;]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!Snowflake.isIssued(part)) {
                throw new IllegalStateException(key + " is invalid: expected server ids (snowflakes: 17 to 20 "
                        + "digits) separated by commas, found '" + Steps.printable(part) + "'");
            }
            out.add(part);
        }
        return List.copyOf(out);
    }

    /** {@code "admin=G:R1,R2; moderator=G:R3"} → role → guild → role ids; one role may name several servers. */
    static Map<String, Map<String, Set<String>>> parseRoles(String key, String text) {
        Map<String, Map<String, Set<String>>> out = new LinkedHashMap<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            int colon = entry.indexOf(':', eq + 1);
            String role = eq < 0 ? "" : entry.substring(0, eq).trim();
            String guild = colon < 0 ? "" : entry.substring(eq + 1, colon).trim();
            if (role.isEmpty() || !role.matches("[^\\s=:;,]+") || !Snowflake.isIssued(guild)) {
                throw new IllegalStateException(key + " is invalid: expected 'role=SERVER_ID:ROLE_ID,ROLE_ID' entries "
                        + "separated by ';', e.g. 'admin=197038439483310086:197038439483310087', found '"
                        + Steps.printable(entry.trim()) + "'");
            }
            Set<String> ids = new LinkedHashSet<>();
            for (String id : entry.substring(colon + 1).split("[\\s,]+")) {
                if (id.isEmpty()) {
                    continue;
                }
                if (!Snowflake.isIssued(id)) {
                    throw new IllegalStateException(key + " is invalid: role ids are snowflakes (17 to 20 digits), "
                            + "found '" + Steps.printable(id) + "' for role " + role);
                }
                ids.add(id);
            }
            if (ids.isEmpty()) {
                throw new IllegalStateException(key + " is invalid: role " + role + " names no Discord role id");
            }
            out.computeIfAbsent(role, r -> new LinkedHashMap<>()).computeIfAbsent(guild, g -> new LinkedHashSet<>())
                    .addAll(ids);
        }
        return out;
    }
}
