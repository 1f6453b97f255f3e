package dev.discordoauth2.model;

/**
 * A guild role, as in the full guild object of the bot authorization's token response. Immutable and thread-safe.
 *
 * @param id          snowflake
 * @param name        role name
 * @param color       RGB colour
 * @param position    sort position
 * @param hoist       shown separately
 * @param managed     managed by an integration
 * @param mentionable mentionable
 */
public record Role(String id, String name, int color, int position, boolean hoist, boolean managed,
        boolean mentionable) {

    /**
     * Checks the id.
     *
     * @param id          snowflake
     * @param name        role name
     * @param color       RGB colour
     * @param position    sort position
     * @param hoist       shown separately
     * @param managed     managed by an integration
     * @param mentionable mentionable
     * @throws InvalidWireObjectException when {@code id} is not a snowflake
     */
    public Role {
        Models.snowflake(id, "role", "id");
    }
}
