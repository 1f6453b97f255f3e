package dev.discordoauth2.web;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's background work: refreshes, token checks, server lookups and revocations, on a small pool of its
 * own (8 threads, at most 1,024 waiting). Code exchanges never run here: they run on the callback's own thread, bounded
 * apart, so a slow Discord cannot take this pool's threads from them or them from it. Thread-safe.
 */
final class Background implements Executor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Background.class.getName());

    private final ThreadPoolExecutor pool;
    private final DiscordOAuth2Client client;

    Background(DiscordOAuth2Client client) {
        this.client = client;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "discord-oauth2-web-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** @throws RejectedExecutionException when the pool is full or closed: callers treat it as a failure */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Revokes {@code token} in the background; a failure is logged, never thrown. */
    void revokeQuietly(String token, TokenTypeHint hint, String why) {
        if (token == null) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    client.revokeToken(token, hint);
                } catch (DiscordException e) {
                    LOG.log(System.Logger.Level.WARNING, "revoking a token (" + why + ") failed: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "revoking a token (" + why + ") was not possible: too busy");
        }
    }

    /** Revokes a login's grant (its refresh token, else its access token) in the background. */
    void revokeGrant(DiscordTokens tokens, String why) {
        if (tokens.refreshToken() != null) {
            revokeQuietly(tokens.refreshToken(), TokenTypeHint.REFRESH_TOKEN, why);
        } else {
            revokeQuietly(tokens.accessToken(), TokenTypeHint.ACCESS_TOKEN, why);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
