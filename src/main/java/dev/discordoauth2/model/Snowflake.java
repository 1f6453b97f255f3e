package dev.discordoauth2.model;

import java.time.Instant;

/**
 * A Discord id (a snowflake): an unsigned 64-bit integer written in decimal, 1 to 20 digits, as Discord's JSON carries
 * ids. The one home of that rule: the records, the client and the web components check ids with it and keep them as
 * the strings Discord sends, so code that only passes ids along never needs this type; build one to read an id's
 * creation time. Immutable and thread-safe.
 *
 * @param value the id's decimal digits
 */
public record Snowflake(String value) {
    /** Discord's epoch, 2015-01-01T00:00:00Z, in milliseconds: the time of the id 0. */
    static final long DISCORD_EPOCH = 1420070400000L;
    /** Digits of the smallest id Discord could have issued once it went public in 2015 (16 digits end in January). */
    private static final int ISSUED_MIN_DIGITS = 17;

    /**
     * Checks the id.
     *
     * @param value the id's decimal digits
     * @throws IllegalArgumentException when {@code value} is not a snowflake ({@link #isValid})
     */
    public Snowflake {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a snowflake (an unsigned 64-bit integer of 1 to 20 digits): "
                    + value);
        }
    }

    /**
     * Whether {@code id} is a snowflake: 1 to 20 ASCII digits whose value fits in an unsigned 64-bit integer.
     *
     * @param id the text to check; may be {@code null}
     * @return whether it is a snowflake ({@code false} for {@code null})
     */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > 20) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        if (id.length() == 20) {
            try {
                Long.parseUnsignedLong(id);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code id} is a snowflake of the length every id Discord has issued has: 17 to 20 digits (fewer digits
     * date from January 2015, before Discord was public). For ids typed by a person, such as configuration, where a
     * short number is a mistake rather than an id.
     *
     * @param id the text to check; may be {@code null}
     * @return whether it is a snowflake of 17 to 20 digits
     */
    public static boolean isIssued(String id) {
        return isValid(id) && id.length() >= ISSUED_MIN_DIGITS;
    }

    /**
     * Returns {@code id} when it is a snowflake ({@link #isValid}).
     *
     * @param id   the id to check
     * @param name what the id is, for the message, e.g. {@code "guildId"}
     * @return {@code id}
     * @throws IllegalArgumentException {@code "<name> must be a snowflake: <id>"} otherwise
     */
    public static String require(String id, String name) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(name + " must be a snowflake: " + id);
        }
        return id;
    }

    /**
     * When the id was made: its top 42 bits are milliseconds since Discord's epoch, 2015-01-01T00:00:00Z.
     *
     * @return the id's creation time
     */
    public Instant createdAt() {
        return Instant.ofEpochMilli((Long.parseUnsignedLong(value) >>> 22) + DISCORD_EPOCH);
    }

    /**
     * The id's digits, as Discord writes it.
     *
     * @return {@link #value()}
     */
    @Override
    public String toString() {
        return value;
    }
}
