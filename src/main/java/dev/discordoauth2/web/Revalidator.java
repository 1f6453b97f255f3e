package dev.discordoauth2.web;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.ForbiddenException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The periodic check of a session's token ({@code discord.revalidate-interval}; zero turns it off): when due, starts
 * {@code GET /oauth2/@me} in the background and lets the request go on; a later request of the session applies the
 * answer. A 401 is a refusal for the {@link RefusalLedger} to decide (no new check of that token meanwhile); a failed
 * check is tried again after a minute. With the shared token store, a 401 to the stored current token deletes it there at once (every session of the user
 * ends at its next request). Not started while the token is due for a refresh, which checks it anyway.
 * Thread-safe.
 */
final class Revalidator {
    private static final System.Logger LOG = System.getLogger(Revalidator.class.getName());

    private enum Check { VALID, REVOKED, FAILED }

    private record Flight(String accessToken, CompletableFuture<Check> result) {
    }

    private final SessionMemory<Flight> validating = new SessionMemory<>();
    private final DiscordOAuth2Client client;
    private final Executor executor;
    private final LoginStates states;
    private final RefusalLedger refusals;
    private final Duration interval;
    private final SharedTokens shared;

    /** {@code shared}: the shared token store, where a 401 deletes the user's tokens at once; null without one. */
    Revalidator(DiscordOAuth2Client client, Executor executor, LoginStates states, RefusalLedger refusals,
            Duration interval, SharedTokens shared) {
        this.shared = shared;
        this.client = client;
        this.executor = executor;
        this.states = states;
        this.refusals = refusals;
        this.interval = interval;
    }

    /**
     * Applies a finished check, or starts one when due. {@code sessionId} is null when this node remembers nothing of
     * any session (no check can be under way); {@code due}: the tokens are due for a refresh. Returns the session's
     * login, updated when an answer was applied.
     */
    LoginState revalidate(LoginCore.Session session, String sessionId, LoginState state, boolean due,
            boolean refreshing, Instant now) {
        if (interval.isZero()) {
            return state;
        }
        DiscordTokens tokens = state.tokens();
        Flight flight = sessionId == null ? null : validating.get(sessionId);
        if (flight != null && flight.result().isDone()) {
            if (validating.remove(sessionId, flight) && flight.accessToken().equals(tokens.accessToken())) {
                Check check = flight.result().getNow(Check.FAILED);
                long validated;
                if (check == Check.REVOKED && shared != null) {
                    validated = now.toEpochMilli(); // the check deleted the stored tokens: the next request ends
                } else if (check == Check.REVOKED && now.isBefore(tokens.expiresAt()) && !refreshing) {
                    refusals.unauthorized(sessionId, tokens.accessToken(), SessionMemory.lifetimeOf(session));
                    validated = now.toEpochMilli(); // decided like any refusal; no new check of the token meanwhile
                } else {
                    // a failed check is tried again after a minute
                    validated = check == Check.VALID ? now.toEpochMilli()
                            : now.minus(interval).plusSeconds(60).toEpochMilli();
                }
                LoginState updated = states.update(session, s -> s.withChecks(s.checks().withValidated(validated)));
                return updated == null ? state : updated;
            }
            return state;
        }
        if (flight != null || due) {
            return state; // a check is running, or the token is due for a refresh, which checks it anyway
        }
        if (now.toEpochMilli() - state.checks().validated() < interval.toMillis()) {
            return state;
        }
        Flight mine = new Flight(tokens.accessToken(), new CompletableFuture<>());
        String key = sessionId != null ? sessionId : session.id();
        if (validating.putIfAbsent(key, mine, SessionMemory.lifetimeOf(session)) == null) {
            launch(mine, state.principal().id());
        }
        return state;
    }

    private void launch(Flight flight, String userId) {
        CompletableFuture<Check> result = flight.result();
        try {
            executor.execute(() -> {
                try {
                    client.fromAccessToken(flight.accessToken()).fetchAuthorizationInfo();
                    result.complete(Check.VALID);
                } catch (ForbiddenException e) {
                    if (e.status() == 401 && shared != null) {
                        // deleted when it is still the stored token, so every session of the user ends, on every node
                        shared.refused(userId, flight.accessToken());
                    }
                    result.complete(e.status() == 401 ? Check.REVOKED : Check.FAILED);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "checking the session's token failed: " + e.getMessage());
                    result.complete(Check.FAILED);
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(Check.FAILED);
        }
    }

    boolean isEmpty() {
        return validating.isEmpty();
    }

    void forget(String sessionId) {
        validating.forget(sessionId);
    }

    int remembered() {
        return validating.size();
    }
}
