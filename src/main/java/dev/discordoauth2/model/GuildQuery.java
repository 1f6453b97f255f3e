package dev.discordoauth2.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Paging for {@code GET /users/@me/guilds}: {@code before}/{@code after} a guild id, {@code limit} 1–200 (Discord's
 * default 200), and {@code with_counts} for approximate member and presence counts. Immutable and thread-safe.
 *
 * @param before     guilds before this id
 * @param after      guilds after this id
 * @param limit      1–200
 * @param withCounts include approximate counts
 */
public record GuildQuery(Optional<String> before, Optional<String> after, OptionalInt limit, boolean withCounts) {

    /** Discord's defaults: up to 200 guilds, no counts. */
    public static final GuildQuery DEFAULT = new GuildQuery(Optional.empty(), Optional.empty(), OptionalInt.empty(),
            false);

    public GuildQuery {
        before = Models.orEmpty(before);
        after = Models.orEmpty(after);
        limit = limit == null ? OptionalInt.empty() : limit;
        before.ifPresent(GuildQuery::requireSnowflake);
        after.ifPresent(GuildQuery::requireSnowflake);
        limit.ifPresent(l -> {
            if (l < 1 || l > 200) {
                throw new IllegalArgumentException("limit must be 1-200: " + l);
            }
        });
    }

    private static void requireSnowflake(String id) {
        if (!Snowflake.isValid(id)) {
            throw new IllegalArgumentException("not a snowflake: " + id);
        }
    }

    public GuildQuery withBefore(String guildId) {
        return new GuildQuery(Optional.of(guildId), after, limit, withCounts);
    }

    public GuildQuery withAfter(String guildId) {
        return new GuildQuery(before, Optional.of(guildId), limit, withCounts);
    }

    public GuildQuery withLimit(int limit) {
        return new GuildQuery(before, after, OptionalInt.of(limit), withCounts);
    }

    public GuildQuery withCounts(boolean withCounts) {
        return new GuildQuery(before, after, limit, withCounts);
    }
}
