package dev.discordoauth2.web;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.InvalidGrantException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The users' tokens in a {@link TokenStore} the nodes share ({@code discord.token-store=jdbc}), for the login and for
 * {@link OfflineAccess}: sessions hold the identity and read the tokens here on each request. A refresh runs once per
 * user on this node (later callers join it) and once in the cluster (the store's {@link TokenStore#refreshOnce} holds
 * the row's lock, so a node that comes second reads the first one's result and sends Discord nothing). A refusal of
 * the current tokens ({@code invalid_grant} to the refresh that held the lock, a 401 to the stored access token)
 * deletes them, which ends every session of the user at its next request, on every node. Thread-safe.
 */
final class SharedTokens implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SharedTokens.class.getName());

    /** A refresh under way on this node: of the user's tokens at {@code version}. */
    private record Flight(long version, CompletableFuture<Optional<StoredTokens>> result) {
    }

    private final TokenStore store;
    private final DiscordOAuth2Client client;
    private final Executor executor;
    private final ConcurrentHashMap<String, Flight> refreshing = new ConcurrentHashMap<>();

    /** {@code client} refreshes (its read timeout as long as a refresh may wait for Discord's answer). */
    SharedTokens(TokenStore store, DiscordOAuth2Client client, Executor executor) {
        this.store = store;
        this.client = client.withReadTimeout(TokenRefresher.ANSWER_WAIT);
        this.executor = executor;
    }

    /** The user's current tokens, or empty (none: logged out elsewhere, revoked, or sealed under a removed key). */
    Optional<StoredTokens> find(String userId) {
        return store.find(userId);
    }

    /** Stores a new login's tokens for the user (replacing an older login's, as Discord's new grant does). */
    StoredTokens put(String userId, DiscordTokens tokens) {
        return store.put(new StoredTokens(userId, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt(),
                tokens.scopes(), 0));
    }

    /**
     * Refreshes the user's tokens {@code seen} (single-flight on this node, once in the cluster): completes with the
     * new tokens (or a newer version another node stored), empty when the user's tokens are gone, or exceptionally:
     * {@link InvalidGrantException} when Discord refused the current refresh token (the tokens are deleted), any other
     * exception for a failure that changed nothing.
     */
    CompletableFuture<Optional<StoredTokens>> refresh(StoredTokens seen) {
        String userId = seen.userId();
        while (true) {
            Flight running = refreshing.get(userId);
            if (running != null && running.version() >= seen.version()) {
                return running.result();
            }
            Flight mine = new Flight(seen.version(), new CompletableFuture<>());
            boolean taken = running == null ? refreshing.putIfAbsent(userId, mine) == null
                    : refreshing.replace(userId, running, mine);
            if (!taken) {
                continue;
            }
            try {
                executor.execute(() -> run(mine, seen));
            } catch (RejectedExecutionException e) {
                refreshing.remove(userId, mine);
                mine.result().completeExceptionally(new IllegalStateException("too many refreshes at once"));
            }
            return mine.result();
        }
    }

    private void run(Flight flight, StoredTokens seen) {
        String userId = seen.userId();
        try {
            flight.result().complete(store.refreshOnce(userId, seen.version(), current -> {
                if (current.refresh() == null) {
                    throw new IllegalStateException("the stored tokens have no refresh token");
                }
                AccessToken fresh = client.refreshToken(current.refresh());
                return new StoredTokens(userId, fresh.token(), fresh.refreshToken().orElse(null), fresh.expiresAt(),
                        List.copyOf(fresh.scopes()), 0);
            }));
        } catch (InvalidGrantException refused) {
            // refused while this node held the row's lock, so it was the current refresh token: the grant is gone
            try {
                store.deleteIf(userId, seen.version());
                LOG.log(System.Logger.Level.INFO, "Discord refused the stored refresh token of user " + userId
                        + " (revoked); their stored tokens are deleted, their sessions end");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "deleting refused tokens failed: " + e.getMessage());
            }
            flight.result().completeExceptionally(refused);
        } catch (RuntimeException e) {
            flight.result().completeExceptionally(e);
        } finally {
            refreshing.remove(userId, flight);
        }
    }

    /**
     * Discord answered 401 to {@code accessToken} of the user: when it is still the stored one (not rotated by a
     * refresh meanwhile; a refresh holding the lock is waited for), the tokens are deleted. Whether they were.
     */
    boolean refused(String userId, String accessToken) {
        try {
            Optional<StoredTokens> current = store.find(userId);
            if (current.isPresent() && current.get().access().equals(accessToken)
                    && store.deleteIf(userId, current.get().version())) {
                LOG.log(System.Logger.Level.INFO, "Discord refused the stored access token of user " + userId
                        + " (revoked); their stored tokens are deleted, their sessions end");
                return true;
            }
            return false;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "deleting refused tokens failed: " + e.getMessage());
            return false;
        }
    }

    /** Forgets the user's tokens (a logout that revoked them, a deauthorization); whether there were any. */
    boolean delete(String userId) {
        return store.delete(userId);
    }

    /** Forgets the user's tokens if still at {@code version}. */
    boolean deleteIf(String userId, long version) {
        return store.deleteIf(userId, version);
    }

    List<String> userIds(String after, int limit) {
        return store.userIds(after, limit);
    }

    /** The tokens as the login's {@link DiscordTokens}. */
    static DiscordTokens tokensOf(StoredTokens row) {
        return new DiscordTokens(row.access(), row.expiresAt(), row.refresh(), row.scopes());
    }

    @Override
    public void close() {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing the token store failed: " + e);
            }
        }
    }

    @Override
    public String toString() {
        return "SharedTokens[" + store + "]";
    }
}
