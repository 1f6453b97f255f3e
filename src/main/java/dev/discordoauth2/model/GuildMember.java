package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A guild member ({@code GET /users/@me/guilds/{guild.id}/member}, Add Guild Member). Immutable and thread-safe.
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
public record GuildMember(@JsonbTypeDeserializer(LenientOptional.Deserializer.class) Optional<User> user,
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
    public GuildMember {
        user = Models.orEmpty(user);
        nick = Models.orEmpty(nick);
        avatar = Models.orEmpty(avatar);
        roles = Models.list(roles);
        joinedAt = Models.orEmpty(joinedAt);
        premiumSince = Models.orEmpty(premiumSince);
        communicationDisabledUntil = Models.orEmpty(communicationDisabledUntil);
    }
}
