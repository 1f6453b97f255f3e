package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Discord user ({@code GET /users/@me}). {@code email} and {@code verified} come only with the {@code email} scope:
 * {@link #verified()} is present exactly when the scope was granted, so an empty {@link #email()} with a present
 * {@code verified()} means the account has no e-mail address. Check {@code verified()} before trusting the address.
 * Immutable and thread-safe.
 *
 * @param id          snowflake
 * @param username    unique username
 * @param discriminator {@code "0"} for migrated users
 * @param globalName  the display name, if set
 * @param avatar      avatar hash, if set
 * @param bot         a bot account
 * @param system      an official Discord system user
 * @param mfaEnabled  two-factor authentication on ({@code identify})
 * @param banner      banner hash, if set
 * @param accentColor banner colour, if set
 * @param locale      the user's language ({@code identify})
 * @param flags       user flags
 * @param publicFlags public user flags
 * @param premiumType 0 none, 1 Nitro Classic, 2 Nitro, 3 Nitro Basic (0 without {@code identify.premium})
 * @param email       e-mail address ({@code email} scope)
 * @param verified    whether the e-mail address is verified ({@code email} scope)
 * @param avatarDecorationData the user's avatar decoration, if set (left out when it does not fit)
 */
public record User(String id, String username, String discriminator,
        @JsonbProperty("global_name") Optional<String> globalName, Optional<String> avatar, boolean bot,
        boolean system, @JsonbProperty("mfa_enabled") boolean mfaEnabled, Optional<String> banner,
        @JsonbProperty("accent_color") OptionalInt accentColor, Optional<String> locale, int flags,
        @JsonbProperty("public_flags") int publicFlags, @JsonbProperty("premium_type") int premiumType,
        Optional<String> email, Optional<Boolean> verified,
        @JsonbProperty("avatar_decoration_data") @JsonbTypeDeserializer(LenientOptional.Deserializer.class)
        Optional<AvatarDecorationData> avatarDecorationData) {

    private static final java.util.regex.Pattern DISCRIMINATOR = java.util.regex.Pattern.compile("[0-9]{1,4}");

    /**
     * Checks the id, the username and the discriminator, and normalises absent optionals to empty.
     *
     * @param id            snowflake
     * @param username      unique username
     * @param discriminator {@code "0"} for migrated users
     * @param globalName    the display name, if set
     * @param avatar        avatar hash, if set
     * @param bot           a bot account
     * @param system        an official Discord system user
     * @param mfaEnabled    two-factor authentication on ({@code identify})
     * @param banner        banner hash, if set
     * @param accentColor   banner colour, if set
     * @param locale        the user's language ({@code identify})
     * @param flags         user flags
     * @param publicFlags   public user flags
     * @param premiumType   0 none, 1 Nitro Classic, 2 Nitro, 3 Nitro Basic (0 without {@code identify.premium})
     * @param email         e-mail address ({@code email} scope)
     * @param verified      whether the e-mail address is verified ({@code email} scope)
     * @param avatarDecorationData the user's avatar decoration, if set
     * @throws InvalidWireObjectException when {@code id} is not a snowflake, {@code username} is missing or empty, or
     *                                    {@code discriminator} is not 1-4 digits
     */
    public User {
        Models.snowflake(id, "user", "id");
        Models.text(username, "user", "username");
        if (discriminator != null && !DISCRIMINATOR.matcher(discriminator).matches()) {
            throw new InvalidWireObjectException("user", "discriminator must be 1-4 digits");
        }
        globalName = Models.orEmpty(globalName);
        avatar = Models.orEmpty(avatar);
        banner = Models.orEmpty(banner);
        accentColor = accentColor == null ? OptionalInt.empty() : accentColor;
        locale = Models.orEmpty(locale);
        email = Models.orEmpty(email);
        verified = Models.orEmpty(verified);
        avatarDecorationData = Models.orEmpty(avatarDecorationData);
    }

    /**
     * What Discord shows: the global name when set, else the username.
     *
     * @return the global name or the username
     */
    public String displayName() {
        return globalName.orElse(username);
    }

    /**
     * When the account was created, from its snowflake.
     *
     * @return the creation time, to the millisecond
     */
    public Instant createdAt() {
        return Models.snowflakeTime(id);
    }

    /**
     * The user's avatar decoration ({@code avatar_decoration_data}); its image is
     * {@code DiscordCdn.avatarDecoration}. Immutable and thread-safe.
     *
     * @param asset the decoration's asset hash
     * @param skuId the snowflake of the decoration's SKU
     */
    public record AvatarDecorationData(String asset, @JsonbProperty("sku_id") String skuId) {

        /**
         * Checks that both fields are there.
         *
         * @param asset the decoration's asset hash
         * @param skuId the snowflake of the decoration's SKU
         * @throws InvalidWireObjectException when {@code asset} is missing or empty, or {@code skuId} is not a
         *                                    snowflake
         */
        public AvatarDecorationData {
            Models.text(asset, "avatar decoration", "asset");
            Models.snowflake(skuId, "avatar decoration", "sku_id");
        }
    }

    /**
     * The user's role connection for this application ("linked roles"): the platform name and user name shown on the
     * profile, and the metadata values Discord compares with each guild's role requirements. Immutable and thread-safe.
     *
     * @param platformName     the platform's name (≤ 50 characters), if set
     * @param platformUsername the user's name there (≤ 100 characters), if set
     * @param metadata         metadata key → stringified value (≤ 100 characters)
     */
    public record ApplicationRoleConnection(@JsonbProperty("platform_name") Optional<String> platformName,
            @JsonbProperty("platform_username") Optional<String> platformUsername, Map<String, String> metadata) {

        /**
         * Normalises the values: an absent name becomes empty, an absent map empty; the map is copied and immutable.
         *
         * @param platformName     the platform's name (≤ 50 characters), if set
         * @param platformUsername the user's name there (≤ 100 characters), if set
         * @param metadata         metadata key → stringified value (≤ 100 characters)
         */
        public ApplicationRoleConnection {
            platformName = Models.orEmpty(platformName);
            platformUsername = Models.orEmpty(platformUsername);
            metadata = Models.map(metadata);
        }
    }

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
}
