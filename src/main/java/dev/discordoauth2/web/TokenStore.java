package dev.discordoauth2.web;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the users' Discord tokens are kept, keyed by user id ({@code discord.token-store}: {@code session}, the
 * default, keeps them in the HTTP session as the login does today; {@code jdbc} in a database the nodes share, see
 * {@link JdbcTokenStore}). Every write raises the row's version; {@link #save} writes only over the version the
 * caller read, and {@link #refreshOnce} lets one caller at a time refresh while the others read its result. Tokens
 * that are stored but cannot be read (sealed under a key no longer configured) count as absent. A failure of the
 * store itself is a {@link TokenStoreException}. Implementations are thread-safe.
 */
interface TokenStore {
    /** Computes a user's new tokens from the stored ones (a call to Discord's token endpoint). */
    @FunctionalInterface
    interface Refresher {
        /**
         * The new tokens for {@code current} (their version is ignored); an exception leaves the stored row as it
         * was and reaches the caller of {@link #refreshOnce}.
         */
        StoredTokens refresh(StoredTokens current);
    }

    /** The user's tokens, or empty: none stored, or stored under a key no longer configured. */
    Optional<StoredTokens> find(String userId);

    /**
     * Stores a new login's tokens over whatever the user had (a new authorization replaces the old one at Discord).
     *
     * @return {@code tokens} at their stored version
     */
    StoredTokens put(StoredTokens tokens);

    /**
     * Compare-and-set: stores {@code tokens} if the stored version is {@code expectedVersion} (0: no row yet).
     *
     * @return the new version, or empty on a conflict (someone else wrote first; read again)
     */
    OptionalLong save(StoredTokens tokens, long expectedVersion);

    /**
     * Refreshes the user's tokens once, however many callers ask at the same time: under the row's lock, if the stored
     * version is still {@code seenVersion} the refresher runs and its result is stored at the next version; if another
     * caller has stored a newer version meanwhile the refresher does not run and those tokens are the answer.
     *
     * @return the tokens after the refresh (or the newer ones), or empty when the user has none (re-login)
     */
    Optional<StoredTokens> refreshOnce(String userId, long seenVersion, Refresher refresher);

    /** Forgets the user's tokens (logout, revocation); whether there were any. */
    boolean delete(String userId);

    /**
     * Forgets the user's tokens if they are still at {@code version} (a refusal of those tokens); waits for a refresh
     * holding the row's lock, so tokens that refresh just stored are kept. Whether a row was deleted.
     */
    boolean deleteIf(String userId, long version);

    /** Up to {@code limit} user ids greater than {@code after} (null: from the start), in ascending order. */
    List<String> userIds(String after, int limit);
}
