package dev.discordoauth2.web;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.PartialAccessToken;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Acting for users who are not there: a scheduled job, a message listener, a sweep. Given a Discord user id, the
 * user's stored tokens (refreshed first when due, once for the whole cluster, the same refresh the login runs) and a
 * {@link PartialAccessToken} for the user's calls ({@code fetchIdentify}, guild member, role connection get and
 * update, ...); {@link #userIds} pages through the stored users. A refusal is final: {@code invalid_grant} to the
 * refresh, or a 401 to a call made with the stored current token, deletes the user's tokens (they log in again) and
 * {@link InvalidGrantException} tells the caller. Needs the shared token store ({@code discord.token-store=jdbc}):
 * with the session store every method but {@link #available()} throws {@link IllegalStateException}. Get it from
 * {@link LoginCore#offline()}, {@code DiscordAuth.offline(servletContext)} or by CDI injection. Thread-safe.
 */
public final class OfflineAccess {
    private final SharedTokens shared;
    private final DiscordOAuth2Client client;
    private final Clock clock;
    private final Duration skew;

    OfflineAccess(SharedTokens shared, DiscordOAuth2Client client, Clock clock, Duration skew) {
        this.shared = shared;
        this.client = client;
        this.clock = clock;
        this.skew = skew;
    }

    /** Whether the shared token store is configured (otherwise the other methods throw). */
    public boolean available() {
        return shared != null;
    }

    /**
     * The user's current tokens, refreshed first when they expire within {@code discord.refresh-skew}; empty when none
     * are stored (never logged in, logged out with revocation, refused, removed the application, or sealed under a key
     * no longer configured).
     *
     * @throws InvalidGrantException Discord refused the stored refresh token: the tokens are deleted
     * @throws dev.discordoauth2.DiscordException the refresh failed otherwise (Discord down, rate limited): the stored
     *         tokens are kept, try again later
     * @throws TokenStoreException the store could not be reached
     */
    public Optional<DiscordTokens> tokens(String userId) {
        SharedTokens store = store();
        Objects.requireNonNull(userId, "userId must not be null");
        Optional<StoredTokens> row = store.find(userId);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        DiscordTokens tokens = SharedTokens.tokensOf(row.get());
        if (!tokens.expiresWithin(skew, clock.instant()) || tokens.refreshToken() == null) {
            return clock.instant().isBefore(tokens.expiresAt()) ? Optional.of(tokens) : Optional.empty();
        }
        try {
            return store.refresh(row.get()).get().map(SharedTokens::tokensOf);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the user's tokens were refreshed", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The user's calls, made with their current access token ({@link #tokens}); empty when none are stored. A 401 to
     * a call deletes the stored tokens when they are still the current ones.
     *
     * @throws InvalidGrantException Discord refused the stored refresh token: the tokens are deleted
     * @throws dev.discordoauth2.DiscordException the refresh failed otherwise
     * @throws TokenStoreException the store could not be reached
     */
    public Optional<PartialAccessToken> user(String userId) {
        Optional<DiscordTokens> tokens = tokens(userId);
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        String accessToken = tokens.get().accessToken();
        return Optional.of(client.fromAccessToken(accessToken, () -> shared.refused(userId, accessToken)));
    }

    /**
     * Up to {@code limit} stored user ids greater than {@code after} (null: from the first), ascending: pass the last
     * id of a page as {@code after} for the next, until a page is shorter than {@code limit}.
     *
     * @throws TokenStoreException the store could not be reached
     */
    public List<String> userIds(String after, int limit) {
        return store().userIds(after, limit);
    }

    /**
     * Deletes the user's stored tokens without revoking them at Discord; their sessions end at their next request.
     * Whether there were any.
     *
     * @throws TokenStoreException the store could not be reached
     */
    public boolean forget(String userId) {
        return store().delete(Objects.requireNonNull(userId, "userId must not be null"));
    }

    private SharedTokens store() {
        if (shared == null) {
            throw new IllegalStateException("offline access needs the shared token store: set "
                    + DiscordConfig.TOKEN_STORE + "=jdbc (see the README's \"The token store\")");
        }
        return shared;
    }

    @Override
    public String toString() {
        return "OfflineAccess[" + (shared == null ? "no shared token store" : shared) + "]";
    }
}
