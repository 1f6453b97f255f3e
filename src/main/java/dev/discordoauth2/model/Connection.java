package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * A third-party account linked to the user ({@code GET /users/@me/connections}). Immutable and thread-safe.
 *
 * @param id           the account id on the service (not a snowflake)
 * @param name         the account name on the service
 * @param type         the service, e.g. {@code github}, {@code steam}
 * @param revoked      the connection is revoked
 * @param verified     the connection is verified
 * @param friendSync   friend sync on
 * @param showActivity activity shown in presence
 * @param twoWayLink   two-way link
 * @param visibility   0 only the user, 1 everyone
 */
public record Connection(String id, String name, String type, boolean revoked, boolean verified,
        @JsonbProperty("friend_sync") boolean friendSync, @JsonbProperty("show_activity") boolean showActivity,
        @JsonbProperty("two_way_link") boolean twoWayLink, int visibility) {

    /**
     * Checks that the account id and the service are there.
     *
     * @param id           the account id on the service (not a snowflake)
     * @param name         the account name on the service
     * @param type         the service, e.g. {@code github}, {@code steam}
     * @param revoked      the connection is revoked
     * @param verified     the connection is verified
     * @param friendSync   friend sync on
     * @param showActivity activity shown in presence
     * @param twoWayLink   two-way link
     * @param visibility   0 only the user, 1 everyone
     * @throws InvalidWireObjectException when {@code id} or {@code type} is missing or empty
     */
    public Connection {
        Models.text(id, "connection", "id");
        Models.text(type, "connection", "type");
    }
}
