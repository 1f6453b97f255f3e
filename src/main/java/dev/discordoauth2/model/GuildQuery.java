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

    /**
     * Checks the values and normalises absent ones to empty.
     *
     * @param before     guilds before this id
     * @param after      guilds after this id
     * @param limit      1–200
     * @param withCounts include approximate counts
     * @throws IllegalArgumentException when {@code before} or {@code after} is not 1–20 digits, or {@code limit} is
     *                                  outside 1–200
     */
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

    /**
     * This query for the guilds before a guild id.
     *
     * @param guildId a guild snowflake
     * @return a new query; this one is unchanged
     * @throws IllegalArgumentException when {@code guildId} is not 1–20 digits
     */
    public GuildQuery withBefore(String guildId) {
        return new GuildQuery(Optional.of(guildId), after, limit, withCounts);
    }

    /**
     * This query for the guilds after a guild id.
     *
     * @param guildId a guild snowflake
     * @return a new query; this one is unchanged
     * @throws IllegalArgumentException when {@code guildId} is not 1–20 digits
     */
    public GuildQuery withAfter(String guildId) {
        return new GuildQuery(before, Optional.of(guildId), limit, withCounts);
    }

    /**
     * This query with at most {@code limit} guilds in the answer.
     *
     * @param limit 1–200
     * @return a new query; this one is unchanged
     * @throws IllegalArgumentException when {@code limit} is outside 1–200
     */
    public GuildQuery withLimit(int limit) {
        return new GuildQuery(before, after, OptionalInt.of(limit), withCounts);
    }

    /**
     * This query with or without the approximate member and presence counts.
     *
     * @param withCounts whether Discord should add the counts
     * @return a new query; this one is unchanged
     */
    public GuildQuery withCounts(boolean withCounts) {
        return new GuildQuery(before, after, limit, withCounts);
    }
}
