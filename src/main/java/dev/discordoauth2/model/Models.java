package dev.discordoauth2.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Normalisation shared by the records' compact constructors. Stateless. */
final class Models {

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

    /** A required snowflake field: present, digits only, and an unsigned 64-bit integer. The message never shows the value. */
    static String snowflake(String value, String object, String field) {
        if (value == null) {
            throw new InvalidWireObjectException(object, field + " is missing");
        }
        if (!Snowflake.isValid(value)) {
            throw new InvalidWireObjectException(object, field + " must be a snowflake (an unsigned 64-bit integer)");
        }
        return value;
    }

    /** A required text field: present and not empty. */
    static String text(String value, String object, String field) {
        if (value == null) {
            throw new InvalidWireObjectException(object, field + " is missing");
        }
        if (value.isEmpty()) {
            throw new InvalidWireObjectException(object, field + " must not be empty");
        }
        return value;
    }

    static Instant snowflakeTime(String snowflake) {
        return new Snowflake(snowflake).createdAt();
    }
}
