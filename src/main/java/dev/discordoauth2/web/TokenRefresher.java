package dev.discordoauth2.web;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.RateLimitedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Refreshes a session's tokens: once per session however many requests arrive together (single-flight), in the
 * background pool, each request waiting at most {@code discord.refresh-timeout}; the refresh itself waits up to
 * {@link #ANSWER_WAIT} for Discord's answer (Discord rotates the refresh token when it handles the refresh, so an
 * answer given up early would take the only copy of the new tokens with it), and a slower answer is applied by the
 * session's next request. A failure is remembered in the session with a backoff ({@link SessionChecks}: 5 s doubling to
 * 60 s, or Discord's {@code retry_after}); meanwhile the current access token serves while it is valid.
 * {@code invalid_grant} is a refusal for the {@link RefusalLedger} to decide (revoked, or another node refreshed
 * first), written nowhere so that another node's newer tokens are not overwritten. Thread-safe.
 */
final class TokenRefresher {
    private static final System.Logger LOG = System.getLogger(TokenRefresher.class.getName());
    /** How long a refresh waits for Discord's answer: longer than the client's read timeout for other calls. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(30);

    /** A refresh running (or finished and not yet applied) for one session, with the refresh token it used. */
    private record Flight(String usedToken, CompletableFuture<Result> result) {
    }

    /** How a refresh ended: new tokens, refused by Discord ({@code invalid_grant}), or a transient failure. */
    private sealed interface Result {
    }

    private record Refreshed(DiscordTokens tokens) implements Result {
    }

    private record Refused() implements Result {
    }

    private record Failed(String reason, Duration retryAfter, Instant at) implements Result {
    }

    private final SessionMemory<Flight> refreshing = new SessionMemory<>();
    private final DiscordOAuth2Client client;
    private final Executor executor;
    private final LoginStates states;
    private final RefusalLedger refusals;
    private final Background background;
    private final Clock clock;
    private final Duration wait;
    private final Duration skew;

    TokenRefresher(DiscordOAuth2Client client, Background background, LoginStates states, RefusalLedger refusals,
            Clock clock, Duration wait, Duration skew) {
        this.client = client.withReadTimeout(ANSWER_WAIT);
        this.executor = background;
        this.background = background;
        this.states = states;
        this.refusals = refusals;
        this.clock = clock;
        this.wait = wait;
        this.skew = skew;
    }

    /** Whether a refresh of the session runs on this node (or its answer waits to be applied). */
    boolean running(String sessionId) {
        return refreshing.containsKey(sessionId);
    }

    /** The session's tokens after a refresh (started, joined, or applied): valid, kept, unavailable or logged out. */
    TokenOutcome refresh(LoginCore.Session session, LoginState state, Instant now) {
        DiscordTokens tokens = state.tokens();
        String key = session.id();
        Flight flight = refreshing.get(key);
        if (flight == null) {
            LoginState current = LoginStates.of(session);
            if (current == null) {
                return TokenOutcome.LOGGED_OUT;
            }
            if (!java.util.Objects.equals(current.tokens().refreshToken(), tokens.refreshToken())) {
                // another request of the session refreshed since this one read it: nothing left to refresh
                return current.tokens().expiresWithin(skew, now) ? keepOrUnavailable(current, now, Duration
                        .ofSeconds(1)) : current.valid();
            }
            SessionChecks checks = state.checks();
            if (checks.refreshBlocked(now)) {
                return keepOrUnavailable(state, now, Duration.ofMillis(checks.msUntilRefresh(now)));
            }
            Flight mine = new Flight(tokens.refreshToken(), new CompletableFuture<>());
            Flight running = refreshing.putIfAbsent(key, mine, SessionMemory.lifetimeOf(session));
            if (running == null) {
                launch(mine);
                flight = mine;
            } else {
                flight = running;
            }
        }
        Result result;
        try {
            result = flight.result().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "the token refresh takes longer than " + wait
                    + "; it goes on in the background");
            return stillLoggedIn(session) ? keepOrUnavailable(state, now, Duration.ofSeconds(5))
                    : TokenOutcome.LOGGED_OUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stillLoggedIn(session) ? keepOrUnavailable(state, now, Duration.ofSeconds(5))
                    : TokenOutcome.LOGGED_OUT;
        } catch (ExecutionException e) {
            result = new Failed(String.valueOf(e.getCause()), Duration.ZERO, clock.instant());
        }
        return apply(session, key, flight, result);
    }

    private void launch(Flight flight) {
        try {
            executor.execute(() -> flight.result().complete(refreshNow(flight.usedToken())));
        } catch (RejectedExecutionException e) {
            flight.result().complete(new Failed("too many refreshes at once", Duration.ZERO, clock.instant()));
        }
    }

    private Result refreshNow(String refreshToken) {
        try {
            return new Refreshed(DiscordTokens.of(client.refreshToken(refreshToken)));
        } catch (InvalidGrantException e) {
            return new Refused();
        } catch (RateLimitedException e) {
            return new Failed(e.getMessage(), e.retryAfter(), clock.instant());
        } catch (DiscordException e) {
            return new Failed(e.getMessage(), Duration.ZERO, clock.instant());
        } catch (RuntimeException e) {
            return new Failed(e.toString(), Duration.ZERO, clock.instant());
        }
    }

    /** Applies a finished refresh to the session; only the first request to see it writes, the others read. */
    private TokenOutcome apply(LoginCore.Session session, String key, Flight flight, Result result) {
        Instant now = clock.instant();
        synchronized (states.lock(session)) {
            // the flight stays until its result is written, so that no request of the session starts another
            // refresh with the token it used in between
            boolean first = refreshing.get(key) == flight;
            try {
                return applyLocked(session, key, flight, result, first, now);
            } finally {
                if (first) {
                    refreshing.remove(key, flight);
                }
            }
        }
    }

    /** {@link #apply} under the session's lock; {@code first}: this request writes the result. */
    private TokenOutcome applyLocked(LoginCore.Session session, String key, Flight flight, Result result,
            boolean first, Instant now) {
        LoginState current = LoginStates.of(session);
        if (current == null) {
            if (first && result instanceof Refreshed r) {
                background.revokeGrant(r.tokens(), "the session ended while its tokens were refreshed");
            }
            return TokenOutcome.LOGGED_OUT;
        }
        boolean stillOurs = flight.usedToken().equals(current.tokens().refreshToken());
        if (!first || !stillOurs) {
            // another request applied this result, or newer tokens are in the session already
            return current.tokens().expiresWithin(skew, now) ? keepOrUnavailable(current, now,
                    Duration.ofMillis(Math.max(1000, current.checks().msUntilRefresh(now)))) : current.valid();
        }
        if (result instanceof Refreshed r) {
            // memberships and roles are read again with the new tokens
            LoginState next = current.withTokens(r.tokens(), SessionChecks.validatedAt(now));
            if (next.standing() != null) {
                next = next.withStanding(next.standing().markedDue());
            }
            states.put(session, next);
            return next.valid();
        }
        if (result instanceof Refused) {
            // revoked, or another node refreshed this session first (Discord's rotation then refuses our
            // token): the session's next request, loaded again from the store, decides. Nothing is written
            // here, so the other node's newer tokens in the store are not overwritten.
            refusals.refreshRefused(key, flight.usedToken(), SessionMemory.lifetimeOf(session));
            LOG.log(System.Logger.Level.INFO, "Discord refused the session's refresh token (revoked, or "
                    + "another node refreshed first); decided when the session is read again");
            return keepOrUnavailable(current, now, wait);
        }
        Failed failed = (Failed) result;
        SessionChecks next = current.checks().refreshFailed(failed.at(), failed.retryAfter().toMillis());
        LoginState updated = current.withChecks(next);
        states.put(session, updated);
        LOG.log(System.Logger.Level.WARNING, "refreshing the Discord token failed (" + next.failures()
                + " in a row, next try in " + next.msUntilRefresh(now) / 1000 + " s): " + failed.reason());
        return keepOrUnavailable(updated, now, Duration.ofMillis(next.msUntilRefresh(now)));
    }

    /** Whether the session still holds a login (false when it ended meanwhile: a logout in another tab). */
    private static boolean stillLoggedIn(LoginCore.Session session) {
        try {
            return LoginStates.of(session) != null;
        } catch (IllegalStateException ended) {
            return false;
        }
    }

    /** The state while its access token is valid; else "Discord unavailable", retried after {@code retryAfter}. */
    static TokenOutcome keepOrUnavailable(LoginState state, Instant now, Duration retryAfter) {
        if (now.isBefore(state.tokens().expiresAt())) {
            return state.valid();
        }
        return new TokenOutcome.Unavailable(state, retryAfter.compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : retryAfter);
    }

    void forget(String sessionId) {
        refreshing.forget(sessionId);
    }

    int remembered() {
        return refreshing.size();
    }
}
