package dev.discordoauth2.model;

import jakarta.json.bind.adapter.JsonbAdapter;

/** How Discord compares a user's metadata value with a guild's requirement (application role connection metadata). */
public enum RoleConnectionMetadataType {
    INTEGER_LESS_THAN_OR_EQUAL(1),
    INTEGER_GREATER_THAN_OR_EQUAL(2),
    INTEGER_EQUAL(3),
    INTEGER_NOT_EQUAL(4),
    DATETIME_LESS_THAN_OR_EQUAL(5),
    DATETIME_GREATER_THAN_OR_EQUAL(6),
    BOOLEAN_EQUAL(7),
    BOOLEAN_NOT_EQUAL(8);

    private final int value;

    RoleConnectionMetadataType(int value) {
        this.value = value;
    }

    /** Discord's integer for this type. */
    public int value() {
        return value;
    }

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
