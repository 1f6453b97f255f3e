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

    public RoleConnectionMetadata {
        Objects.requireNonNull(type, "type must not be null");
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must match ^[a-z0-9_]{1,50}$: " + key);
        }
        if (name == null || name.isEmpty() || name.length() > 100) {
            throw new IllegalArgumentException("name must be 1-100 characters");
        }
        if (description == null || description.isEmpty() || description.length() > 200) {
            throw new IllegalArgumentException("description must be 1-200 characters");
        }
        nameLocalizations = Models.map(nameLocalizations);
        descriptionLocalizations = Models.map(descriptionLocalizations);
    }

    /** A record without localizations. */
    public static RoleConnectionMetadata of(Type type, String key, String name,
            String description) {
        return new RoleConnectionMetadata(type, key, name, Map.of(), description, Map.of());
    }

    /** How Discord compares a user's metadata value with a guild's requirement (application role connection metadata). */
    public enum Type {
        INTEGER_LESS_THAN_OR_EQUAL(1),
        INTEGER_GREATER_THAN_OR_EQUAL(2),
        INTEGER_EQUAL(3),
        INTEGER_NOT_EQUAL(4),
        DATETIME_LESS_THAN_OR_EQUAL(5),
        DATETIME_GREATER_THAN_OR_EQUAL(6),
        BOOLEAN_EQUAL(7),
        BOOLEAN_NOT_EQUAL(8);

        private final int value;

        Type(int value) {
            this.value = value;
        }

        /** Discord's integer for this type. */
        public int value() {
            return value;
        }

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
