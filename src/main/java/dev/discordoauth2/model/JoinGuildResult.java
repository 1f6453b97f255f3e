package dev.discordoauth2.model;

import java.util.Objects;

/**
 * What Add Guild Member did: {@link Added} (201, with the new member) or {@link AlreadyMember} (204). Neither is an
 * error. Immutable and thread-safe.
 */
public sealed interface JoinGuildResult permits JoinGuildResult.Added, JoinGuildResult.AlreadyMember {

    /** Whether the user was added by this call. */
    boolean added();

    /** The user was added; Discord answered 201 with the member. */
    record Added(GuildMember member) implements JoinGuildResult {
        public Added {
            Objects.requireNonNull(member, "member must not be null");
        }

        @Override
        public boolean added() {
            return true;
        }
    }

    /** The user was a member already; Discord answered 204. */
    record AlreadyMember() implements JoinGuildResult {
        @Override
        public boolean added() {
            return false;
        }
    }
}
