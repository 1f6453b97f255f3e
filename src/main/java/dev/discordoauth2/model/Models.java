package dev.discordoauth2.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Normalisation shared by the records' compact constructors. Stateless. */
final class Models {
    static final long DISCORD_EPOCH = 1420070400000L;

    private Models() {
    }

    static <T> Optional<T> orEmpty(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }

    static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    static <K, V> Map<K, V> map(Map<K, V> value) {
        return value == null ? Map.of() : Map.copyOf(value);
    }

    static Instant snowflakeTime(String snowflake) {
        return Instant.ofEpochMilli((Long.parseUnsignedLong(snowflake) >>> 22) + DISCORD_EPOCH);
    }
}
