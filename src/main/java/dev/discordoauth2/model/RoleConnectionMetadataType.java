package dev.discordoauth2.model;

import jakarta.json.bind.adapter.JsonbAdapter;

/**
 * How Discord compares a user's metadata value with a guild's requirement (application role connection metadata), with
 * Discord's integer for each; in every name the user's value comes first ("the user's value is less than or equal to
 * the guild's"). Immutable and thread-safe.
 */
public enum RoleConnectionMetadataType {
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

    RoleConnectionMetadataType(int value) {
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
    public static RoleConnectionMetadataType of(int value) {
        for (RoleConnectionMetadataType type : values()) {
            if (type.value == value) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown role connection metadata type: " + value);
    }

    /** Maps the type to and from Discord's integer in JSON. Stateless and thread-safe. */
    public static final class Adapter implements JsonbAdapter<RoleConnectionMetadataType, Integer> {
        @Override
        public Integer adaptToJson(RoleConnectionMetadataType type) {
            return type.value;
        }

        @Override
        public RoleConnectionMetadataType adaptFromJson(Integer value) {
            return of(value);
        }
    }
}
