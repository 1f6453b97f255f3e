package dev.discordoauth2.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's connection to the application's platform, as Discord shows it on their profile and compares it with
 * guilds' linked roles: the platform's name (at most 50 characters) and the user's name there (at most 100), either
 * may be null, and the values of the schema's keys ({@link RoleConnectionSource#schema()}). A value is a
 * {@link Number} (whole) for the integer types, a {@link Boolean} (or 0/1) for the boolean types, and an
 * {@link java.time.Instant}, {@link java.time.OffsetDateTime}, {@link java.time.ZonedDateTime} or
 * {@link java.time.LocalDate} (midnight UTC) for the date-time types; a {@link String} is taken as Discord's text for
 * the type. {@link LinkedRoles} checks the values against the schema before anything is sent. Immutable (the map is
 * copied) and thread-safe when its values are.
 *
 * @param platformName     the platform's name, e.g. "Example Game", at most 50 characters; or null
 * @param platformUsername the user's name on the platform, at most 100 characters; or null
 * @param metadata         key → value, keys of the schema; may be empty
 */
public record RoleConnection(String platformName, String platformUsername, Map<String, Object> metadata) {
    /**
     * Checks the names' lengths and copies the values.
     *
     * @throws IllegalArgumentException when a name is too long or a value is null
     */
    public RoleConnection {
        if (platformName != null && platformName.length() > 50) {
            throw new IllegalArgumentException("platformName must be at most 50 characters (Discord's limit): "
                    + platformName.length());
        }
        if (platformUsername != null && platformUsername.length() > 100) {
            throw new IllegalArgumentException("platformUsername must be at most 100 characters (Discord's limit): "
                    + platformUsername.length());
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new IllegalArgumentException("a role connection's keys and values must not be null (key "
                            + key + ")");
                }
                copy.put(key, value);
            });
        }
        metadata = Collections.unmodifiableMap(copy);
    }

    /**
     * A connection with these values.
     *
     * @param platformName     the platform's name, at most 50 characters; or null
     * @param platformUsername the user's name on the platform, at most 100 characters; or null
     * @param metadata         key → value
     * @return the connection
     * @throws IllegalArgumentException when a name is too long or a value is null
     */
    public static RoleConnection of(String platformName, String platformUsername, Map<String, ?> metadata) {
        return new RoleConnection(platformName, platformUsername, metadata == null ? null : new LinkedHashMap<>(metadata));
    }
}
