package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A guild in the current user's guild list ({@code GET /users/@me/guilds}). Immutable and thread-safe.
 *
 * @param id                       snowflake
 * @param name                     guild name
 * @param icon                     icon hash, if set
 * @param banner                   banner hash, if set
 * @param owner                    whether the user owns the guild
 * @param permissions              the user's permissions, a decimal bit field as Discord sends it
 * @param features                 guild features
 * @param approximateMemberCount   with {@code withCounts} only
 * @param approximatePresenceCount with {@code withCounts} only
 */
public record PartialGuild(String id, String name, Optional<String> icon, Optional<String> banner, boolean owner,
        String permissions, List<String> features,
        @JsonbProperty("approximate_member_count") OptionalInt approximateMemberCount,
        @JsonbProperty("approximate_presence_count") OptionalInt approximatePresenceCount) {

    /**
     * Checks the id, the name and the permissions, and normalises the rest: absent optionals become empty, absent
     * permissions {@code "0"}, absent features an empty list; the list is copied and immutable.
     *
     * @param id                       snowflake
     * @param name                     guild name
     * @param icon                     icon hash, if set
     * @param banner                   banner hash, if set
     * @param owner                    whether the user owns the guild
     * @param permissions              the user's permissions, a decimal bit field as Discord sends it
     * @param features                 guild features
     * @param approximateMemberCount   with {@code withCounts} only
     * @param approximatePresenceCount with {@code withCounts} only
     * @throws InvalidWireObjectException when {@code id} is not a snowflake, {@code name} is missing or empty, or
     *                                    {@code permissions} is not a decimal bit field
     */
    public PartialGuild {
        Models.snowflake(id, "guild", "id");
        Models.text(name, "guild", "name");
        if (permissions != null && !permissions.matches("[0-9]{1,20}")) {
            throw new InvalidWireObjectException("guild", "permissions must be a decimal bit field");
        }
        icon = Models.orEmpty(icon);
        banner = Models.orEmpty(banner);
        permissions = permissions == null ? "0" : permissions;
        features = Models.list(features);
        approximateMemberCount = approximateMemberCount == null ? OptionalInt.empty() : approximateMemberCount;
        approximatePresenceCount = approximatePresenceCount == null ? OptionalInt.empty() : approximatePresenceCount;
    }

    /**
     * {@link #permissions()} as a number.
     *
     * @return the permission bits, read as an unsigned 64-bit integer
     * @throws NumberFormatException when the bit field does not fit in 64 bits
     */
    public long permissionBits() {
        return Long.parseUnsignedLong(permissions);
    }

    /**
     * Whether the user has the permission in this guild (ADMINISTRATOR, bit 3, implies all).
     *
     * @param permission one permission bit, or several: all of them must be set
     * @return {@code true} when the user has ADMINISTRATOR or every bit of {@code permission}
     * @throws NumberFormatException when the bit field does not fit in 64 bits
     */
    public boolean hasPermission(long permission) {
        long bits = permissionBits();
        return (bits & (1L << 3)) != 0 || (bits & permission) == permission;
    }
}
