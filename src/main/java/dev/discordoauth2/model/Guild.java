package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.time.OffsetDateTime;
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

    /**
     * A member of a guild, of any guild the user is in ({@code GET /users/@me/guilds/{guild.id}/member}, Add Guild
     * Member). Immutable and thread-safe.
     *
     * @param user                       the user, when sent and valid: a user that does not fit (Discord's own
     *                                   documented example has {@code "user": {}}) is left out, see
     *                                   {@link LenientOptional}
     * @param nick                       the guild nickname, if set
     * @param avatar                     the guild avatar hash, if set
     * @param roles                      role snowflakes
     * @param joinedAt                   when the user joined
     * @param premiumSince               boosting since, if boosting
     * @param deaf                       deafened in voice
     * @param mute                       muted in voice
     * @param flags                      member flags
     * @param pending                    not yet past membership screening
     * @param communicationDisabledUntil timed out until, if timed out
     */
    public record Member(@JsonbTypeDeserializer(LenientOptional.Deserializer.class) Optional<User> user,
            Optional<String> nick, Optional<String> avatar, List<String> roles,
            @JsonbProperty("joined_at") Optional<OffsetDateTime> joinedAt,
            @JsonbProperty("premium_since") Optional<OffsetDateTime> premiumSince, boolean deaf, boolean mute,
            int flags, boolean pending,
            @JsonbProperty("communication_disabled_until") Optional<OffsetDateTime> communicationDisabledUntil) {

        /**
         * Normalises the values: absent optionals become empty, absent roles an empty list; the list is copied and
         * immutable. No field is required.
         *
         * @param user                       the user, when sent and valid
         * @param nick                       the guild nickname, if set
         * @param avatar                     the guild avatar hash, if set
         * @param roles                      role snowflakes
         * @param joinedAt                   when the user joined
         * @param premiumSince               boosting since, if boosting
         * @param deaf                       deafened in voice
         * @param mute                       muted in voice
         * @param flags                      member flags
         * @param pending                    not yet past membership screening
         * @param communicationDisabledUntil timed out until, if timed out
         */
        public Member {
            user = Models.orEmpty(user);
            nick = Models.orEmpty(nick);
            avatar = Models.orEmpty(avatar);
            roles = Models.list(roles);
            joinedAt = Models.orEmpty(joinedAt);
            premiumSince = Models.orEmpty(premiumSince);
            communicationDisabledUntil = Models.orEmpty(communicationDisabledUntil);
        }
    }
}
