package dev.discordoauth2.model;

import java.util.List;
import java.util.Optional;

/**
 * The optional fields of Add Guild Member: nickname, roles, mute, deaf. Each needs a permission of the bot
 * (MANAGE_NICKNAMES, MANAGE_ROLES, MUTE_MEMBERS, DEAFEN_MEMBERS). Fields left empty are not sent. Immutable and
 * thread-safe.
 *
 * @param nick  nickname (1–32 characters)
 * @param roles role snowflakes
 * @param mute  mute in voice
 * @param deaf  deafen in voice
 */
public record JoinGuildOptions(Optional<String> nick, List<String> roles, Optional<Boolean> mute,
        Optional<Boolean> deaf) {

    /** Nothing but the access token. */
    public static final JoinGuildOptions NONE = new JoinGuildOptions(Optional.empty(), List.of(), Optional.empty(),
            Optional.empty());

    /**
     * Checks the nickname's length and normalises absent values to empty; the role list is copied and immutable.
     *
     * @param nick  nickname (1–32 characters)
     * @param roles role snowflakes
     * @param mute  mute in voice
     * @param deaf  deafen in voice
     * @throws IllegalArgumentException when {@code nick} is empty or longer than 32 characters
     */
    public JoinGuildOptions {
        nick = Models.orEmpty(nick);
        nick.ifPresent(n -> {
            if (n.isEmpty() || n.length() > 32) {
                throw new IllegalArgumentException("nick must be 1-32 characters");
            }
        });
        roles = Models.list(roles);
        mute = Models.orEmpty(mute);
        deaf = Models.orEmpty(deaf);
    }

    /**
     * These options with a nickname (needs MANAGE_NICKNAMES).
     *
     * @param nick 1–32 characters
     * @return new options; these are unchanged
     * @throws IllegalArgumentException when {@code nick} is empty or longer than 32 characters
     */
    public JoinGuildOptions withNick(String nick) {
        return new JoinGuildOptions(Optional.of(nick), roles, mute, deaf);
    }

    /**
     * These options with the roles the member gets (needs MANAGE_ROLES), replacing any set before.
     *
     * @param roles role snowflakes
     * @return new options; these are unchanged
     */
    public JoinGuildOptions withRoles(String... roles) {
        return new JoinGuildOptions(nick, List.of(roles), mute, deaf);
    }

    /**
     * These options with the member muted or not in voice (needs MUTE_MEMBERS).
     *
     * @param mute whether the member is muted
     * @return new options; these are unchanged
     */
    public JoinGuildOptions withMute(boolean mute) {
        return new JoinGuildOptions(nick, roles, Optional.of(mute), deaf);
    }

    /**
     * These options with the member deafened or not in voice (needs DEAFEN_MEMBERS).
     *
     * @param deaf whether the member is deafened
     * @return new options; these are unchanged
     */
    public JoinGuildOptions withDeaf(boolean deaf) {
        return new JoinGuildOptions(nick, roles, mute, Optional.of(deaf));
    }
}
