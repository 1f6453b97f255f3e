package dev.discordoauth2.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user's membership of a guild in the {@link DiscordEmulator}: the guild member object of
 * {@code GET /users/@me/guilds/{guild.id}/member}, and the {@code permissions} string of the partial guild in
 * {@code GET /users/@me/guilds}. Immutable and thread-safe.
 *
 * @param guildId     the guild's snowflake
 * @param userId      the user's snowflake
 * @param nick        the nickname or {@code null}
 * @param roles       role snowflakes
 * @param joinedAt    when the user joined
 * @param permissions the user's total permissions in the guild (a bit field, sent as a decimal string)
 * @param deaf        deafened in voice
 * @param mute        muted in voice
 */
public record EmulatedMember(String guildId, String userId, String nick, List<String> roles, Instant joinedAt,
        long permissions, boolean deaf, boolean mute) {

    public EmulatedMember {
        Snowflakes.require(guildId, "guildId");
        Snowflakes.require(userId, "userId");
        roles = List.copyOf(roles);
        Objects.requireNonNull(joinedAt, "joinedAt must not be null");
    }

    /** A plain member: no nickname, no roles, joined at 2021-01-01, permissions 0 (read-only guest). */
    public static Builder builder(String guildId, String userId) {
        return new Builder(guildId, userId);
    }

    /** Builds an {@link EmulatedMember}. Not thread-safe. */
    public static final class Builder {
        private final String guildId;
        private final String userId;
        private String nick;
        private List<String> roles = List.of();
        private Instant joinedAt = Instant.parse("2021-01-01T00:00:00Z");
        private long permissions = 1071698660929L;
        private boolean deaf;
        private boolean mute;

        private Builder(String guildId, String userId) {
            this.guildId = guildId;
            this.userId = userId;
        }

        public Builder nick(String nick) {
            this.nick = nick;
            return this;
        }

        public Builder roles(String... roles) {
            this.roles = List.of(roles);
            return this;
        }

        public Builder joinedAt(Instant joinedAt) {
            this.joinedAt = joinedAt;
            return this;
        }

        public Builder permissions(long permissions) {
            this.permissions = permissions;
            return this;
        }

        public Builder deaf(boolean deaf) {
            this.deaf = deaf;
            return this;
        }

        public Builder mute(boolean mute) {
            this.mute = mute;
            return this;
        }

        public EmulatedMember build() {
            return new EmulatedMember(guildId, userId, nick, roles, joinedAt, permissions, deaf, mute);
        }
    }
}
