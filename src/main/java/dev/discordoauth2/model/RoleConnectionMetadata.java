package dev.discordoauth2.model;

import jakarta.json.bind.adapter.JsonbAdapter;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeAdapter;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One application role connection metadata record: a key users get a value for, and how guilds compare it. Checked
 * against Discord's limits on construction. Immutable and thread-safe.
 *
 * @param type                     the comparison
 * @param key                      {@code ^[a-z0-9_]{1,50}$}
 * @param name                     1–100 characters
 * @param nameLocalizations        locale → name
 * @param description              1–200 characters
 * @param descriptionLocalizations locale → description
 */
public record RoleConnectionMetadata(@JsonbTypeAdapter(Type.Adapter.class)
        Type type, String key, String name,
        @JsonbProperty("name_localizations") Map<String, String> nameLocalizations, String description,
        @JsonbProperty("description_localizations") Map<String, String> descriptionLocalizations) {
    private static final Pattern KEY = Pattern.compile("^[a-z0-9_]{1,50}$");

    /**
     * Checks the values against Discord's limits; absent localizations become empty maps, and the maps are copied and
     * immutable.
     *
     * @param type                     the comparison
     * @param key                      {@code ^[a-z0-9_]{1,50}$}
     * @param name                     1–100 characters
     * @param nameLocalizations        locale → name
     * @param description              1–200 characters
     * @param descriptionLocalizations locale → description
     * @throws NullPointerException     when {@code type} is {@code null}
     * @throws IllegalArgumentException when {@code key}, {@code name} or {@code description} breaks its limit
     */
    public RoleConnectionMetadata {
        Objects.requireNonNull(type, () -> "type of the record with key \"" + key + "\" must not be null");
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must match ^[a-z0-9_]{1,50}$: " + key);
        }
        if (name == null || name.isEmpty() || name.length() > 100) {
            throw new IllegalArgumentException("name of the record with key \"" + key + "\" must be 1-100 characters");
        }
        if (description == null || description.isEmpty() || description.length() > 200) {
            throw new IllegalArgumentException("description of the record with key \"" + key
                    + "\" must be 1-200 characters");
        }
        nameLocalizations = Models.map(nameLocalizations);
        descriptionLocalizations = Models.map(descriptionLocalizations);
    }

    /**
     * A record without localizations.
     *
     * @param type        the comparison
     * @param key         {@code ^[a-z0-9_]{1,50}$}
     * @param name        1–100 characters
     * @param description 1–200 characters
     * @return the record
     * @throws NullPointerException     when {@code type} is {@code null}
     * @throws IllegalArgumentException when {@code key}, {@code name} or {@code description} breaks its limit
     */
    public static RoleConnectionMetadata of(Type type, String key, String name,
            String description) {
        return new RoleConnectionMetadata(type, key, name, Map.of(), description, Map.of());
    }

    /**
     * How Discord compares a user's metadata value with a guild's requirement (application role connection
     * metadata), with Discord's integer for each; in every name the user's value comes first ("the user's value is
     * less than or equal to the guild's"). Immutable and thread-safe.
     */
    public enum Type {
        /** 1: the user's integer is less than or equal to the guild's integer. */
        INTEGER_LESS_THAN_OR_EQUAL(1),
        /** 2: the user's integer is greater than or equal to the guild's integer. */
        INTEGER_GREATER_THAN_OR_EQUAL(2),
        /** 3: the user's integer equals the guild's integer. */
        INTEGER_EQUAL(3),
        /** 4: the user's integer differs from the guild's integer. */
        INTEGER_NOT_EQUAL(4),
        /** 5: the user's date-time (ISO 8601) is less than or equal to the guild's (a number of days before now). */
        DATETIME_LESS_THAN_OR_EQUAL(5),
        /** 6: the user's date-time (ISO 8601) is greater than or equal to the guild's (a number of days before now). */
        DATETIME_GREATER_THAN_OR_EQUAL(6),
        /** 7: the user's integer equals the guild's, which is 1. */
        BOOLEAN_EQUAL(7),
        /** 8: the user's integer differs from the guild's, which is 1. */
        BOOLEAN_NOT_EQUAL(8);

        private final int value;

        Type(int value) {
            this.value = value;
        }

        /**
         * Discord's integer for this type.
         *
         * @return 1–8
         */
        public int value() {
            return value;
        }

        /**
         * The type for Discord's integer.
         *
         * @param value 1–8
         * @return the type
         * @throws IllegalArgumentException when {@code value} is not one of Discord's types
         */
        public static Type of(int value) {
            for (Type type : values()) {
                if (type.value == value) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown role connection metadata type: " + value);
        }

        /** Maps the type to and from Discord's integer in JSON. Stateless and thread-safe. */
        public static final class Adapter implements JsonbAdapter<Type, Integer> {
            @Override
            public Integer adaptToJson(Type type) {
                return type.value;
            }

            @Override
            public Type adaptFromJson(Integer value) {
                return of(value);
            }
        }
    }
}
