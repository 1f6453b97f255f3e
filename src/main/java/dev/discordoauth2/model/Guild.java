package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;
import java.util.Optional;

/**
 * The full guild object Discord adds to the token response of the bot authorization flow (the guild the bot was added
 * to). Only the commonly used fields are mapped. Immutable and thread-safe.
 *
 * @param id               snowflake
 * @param name             guild name
 * @param icon             icon hash, if set
 * @param banner           banner hash, if set
 * @param description      description, if set
 * @param ownerId          the owner's snowflake
 * @param features         guild features
 * @param roles            the guild's roles
 * @param preferredLocale  the community's locale
 * @param verificationLevel 0–4
 * @param mfaLevel         0 or 1
 * @param premiumTier      boost tier 0–3
 */
public record Guild(String id, String name, Optional<String> icon, Optional<String> banner,
        Optional<String> description, @JsonbProperty("owner_id") String ownerId, List<String> features,
        List<Role> roles, @JsonbProperty("preferred_locale") Optional<String> preferredLocale,
        @JsonbProperty("verification_level") int verificationLevel, @JsonbProperty("mfa_level") int mfaLevel,
        @JsonbProperty("premium_tier") int premiumTier) {

    /**
     * Checks the id and the name, and normalises the rest: absent optionals become empty, absent lists empty; lists
     * are copied and immutable.
     *
     * @param id                snowflake
     * @param name              guild name
     * @param icon              icon hash, if set
     * @param banner            banner hash, if set
     * @param description       description, if set
     * @param ownerId           the owner's snowflake
     * @param features          guild features
     * @param roles             the guild's roles
     * @param preferredLocale   the community's locale
     * @param verificationLevel 0–4
     * @param mfaLevel          0 or 1
     * @param premiumTier       boost tier 0–3
     * @throws InvalidWireObjectException when {@code id} is not a snowflake or {@code name} is missing or empty
     */
    public Guild {
        Models.snowflake(id, "guild", "id");
        Models.text(name, "guild", "name");
        icon = Models.orEmpty(icon);
        banner = Models.orEmpty(banner);
        description = Models.orEmpty(description);
        features = Models.list(features);
        roles = Models.list(roles);
        preferredLocale = Models.orEmpty(preferredLocale);
    }

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
}
