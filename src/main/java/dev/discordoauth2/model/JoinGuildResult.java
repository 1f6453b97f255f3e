package dev.discordoauth2.model;

import java.util.Objects;

/**
 * What Add Guild Member did: {@link Added} (201, with the new member) or {@link AlreadyMember} (204). Neither is an
 * error. Immutable and thread-safe.
 */
public sealed interface JoinGuildResult permits JoinGuildResult.Added, JoinGuildResult.AlreadyMember {

    /**
     * Whether the user was added by this call.
     *
     * @return {@code true} for {@link Added}, {@code false} for {@link AlreadyMember}
     */
    boolean added();

    /**
     * The user was added; Discord answered 201 with the member. Immutable and thread-safe.
     *
     * @param member the new member, as Discord sent it
     */
    record Added(GuildMember member) implements JoinGuildResult {
        /**
         * Checks that the member is there.
         *
         * @param member the new member, as Discord sent it
         * @throws NullPointerException when {@code member} is {@code null}
         */
        public Added {
            Objects.requireNonNull(member, "member must not be null");
        }

        @Override
        public boolean added() {
            return true;
        }
    }

    /** The user was a member already; Discord answered 204 with no body. Immutable and thread-safe. */
    record AlreadyMember() implements JoinGuildResult {
        @Override
        public boolean added() {
            return false;
        }
    }
}
