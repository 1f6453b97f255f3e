package dev.discordoauth2.emulator;

import java.util.Objects;

/**
 * A third-party account linked to a Discord user, as listed by {@code GET /users/@me/connections}.
 * Immutable and thread-safe.
 *
 * @param type         the service, e.g. {@code github}, {@code steam}, {@code twitch}
 * @param id           the account id on that service (not a snowflake)
 * @param name         the account's user name on that service
 * @param verified     whether the connection is verified
 * @param revoked      whether the connection is revoked
 * @param friendSync   friend sync on
 * @param showActivity activity shown in presence updates
 * @param twoWayLink   two-way link
 * @param visibility   0 only the user, 1 everyone
 */
public record EmulatedConnection(String type, String id, String name, boolean verified, boolean revoked,
        boolean friendSync, boolean showActivity, boolean twoWayLink, int visibility) {

    public EmulatedConnection {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(name, "name must not be null");
        if (visibility != 0 && visibility != 1) {
            throw new IllegalArgumentException("visibility must be 0 or 1: " + visibility);
        }
    }

    /** A verified, visible connection without friend sync. */
    public static EmulatedConnection of(String type, String id, String name) {
        return new EmulatedConnection(type, id, name, true, false, false, true, false, 1);
    }
}
