package dev.discordoauth2.web;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.PartialAccessToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.RateLimitedException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The checks of a logged-in session, made on each of its requests, in order: the user removed the application at
 * Discord after the login was confirmed ({@link Deauthorizations}), tokens Discord refused on this node
 * ({@link RefusalLedger}), the periodic token check ({@link Revalidator}), other tabs' expired pending logins, the
 * refresh when the tokens are due ({@link TokenRefresher}), and the user's servers when due ({@link GuildChecks},
 * which the request waits for). With the shared token store ({@link SharedTokens}) the store's row replaces the
 * ledger and the session's own refresh: no row ends the session. Reads the session's login once; writes it only when
 * something changed. Also ends
 * logins (the session invalidated, or only the login removed for {@code request.logout()}) and forgets what this node
 * held for a session. Thread-safe.
 */
final class LoginChecks {
    private static final System.Logger LOG = System.getLogger(LoginChecks.class.getName());
    /** When a request is told to come back while the shared token store cannot be read. */
    static final Duration STORE_RETRY = Duration.ofSeconds(5);

    private final LoginStates states;
    private final PendingLogins pending;
    private final RefusalLedger refusals;
    private final Revalidator revalidator;
    private final TokenRefresher refresher;
    private final GuildChecks guilds;
    private final Background background;
    private final DiscordOAuth2Client checkingClient;
    private final DiscordOAuth2Client client;
    private final Clock clock;
    private final Duration skew;
    private final Duration wait;
    private final LoginEvents events;
    private final Deauthorizations deauthorizations;
    private final SharedTokens shared;
    private final AtomicLong lastStoreWarning = new AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(1));

    LoginChecks(LoginStates states, PendingLogins pending, RefusalLedger refusals, Revalidator revalidator,
            TokenRefresher refresher, GuildChecks guilds, Background background, DiscordOAuth2Client client,
            DiscordOAuth2Client checkingClient, Clock clock, Duration skew, Duration wait, LoginEvents events,
            Deauthorizations deauthorizations, SharedTokens shared) {
        this.states = states;
        this.pending = pending;
        this.refusals = refusals;
        this.revalidator = revalidator;
        this.refresher = refresher;
        this.guilds = guilds;
        this.background = background;
        this.client = client;
        this.checkingClient = checkingClient;
        this.clock = clock;
        this.skew = skew;
        this.wait = wait;
        this.events = events;
        this.deauthorizations = deauthorizations;
        this.shared = shared;
    }

    /** The session's login, checked (see the class); {@link TokenOutcome#LOGGED_OUT} when it holds none (any more). */
    TokenOutcome check(LoginCore.Session session) {
        try {
            LoginState state = LoginStates.of(session);
            if (state == null) {
                return TokenOutcome.LOGGED_OUT;
            }
            Instant now = clock.instant();
            if (!deauthorizations.isEmpty() && deauthorizations.endedSince(state.principal().id(),
                    state.checks().validated(), now.toEpochMilli())) {
                // the user removed the application at Discord after this login was confirmed: the grant is gone
                return end(session, state, DiscordLoginEvent.Reason.REVOKED);
            }
            TokenOutcome outcome = shared == null ? sessionTokens(session, state, now)
                    : sharedTokens(session, state, now);
            if (!(outcome instanceof TokenOutcome.Valid valid) || !guilds.active()) {
                return outcome;
            }
            GuildChecks.Verdict verdict = guilds.poll(session, valid.state(), checkingClient::fromAccessToken, now);
            if (verdict == GuildChecks.Verdict.LEFT) {
                // left the required servers: the grant is of no use to anybody any more
                background.revokeGrant(valid.tokens(), "the user is no longer a member of the required Discord "
                        + "servers");
                if (shared != null) {
                    deleteQuietly(valid.state().principal().id());
                }
                return end(session, valid.state(), DiscordLoginEvent.Reason.LEFT_REQUIRED_SERVERS);
            }
            if (verdict == GuildChecks.Verdict.UPDATED) {
                LoginState updated = LoginStates.of(session);
                return updated == null ? TokenOutcome.LOGGED_OUT
                        : withTokensOf(updated, valid.state()).valid();
            }
            return outcome;
        } catch (IllegalStateException ended) {
            return TokenOutcome.LOGGED_OUT;
        }
    }

    /** The checks of tokens kept in the session: refusals decided by the ledger, the session's own refresh. */
    private TokenOutcome sessionTokens(LoginCore.Session session, LoginState state, Instant now) {
        DiscordTokens tokens = state.tokens();
        // containers lock the session for each call (Jetty does): the id is read only when this node remembers
        // something of some session, since with nothing remembered there is nothing to look up
        String id = refusals.isEmpty() && revalidator.isEmpty() ? null : session.id();
        switch (refusals.decideRefresh(id, tokens.refreshToken(), refresher::running, now)) {
            case REVOKED -> {
                return end(session, state, DiscordLoginEvent.Reason.REVOKED);
            }
            case UNDECIDED -> {
                // do not refresh with the refused token again; the winning node may not have stored yet
                return TokenRefresher.keepOrUnavailable(state, now, wait);
            }
            case RECOVERED, NONE -> { }
        }
        if (refusals.decideAccess(id, tokens.accessToken(), refresher::running, now)
                == RefusalLedger.Decision.REVOKED) {
            return end(session, state, DiscordLoginEvent.Reason.REVOKED);
        }
        boolean due = tokens.expiresWithin(skew, now);
        state = revalidator.revalidate(session, id, state, due, id != null && refresher.running(id), now);
        state = pruneTabs(session, state, now);
        if (!due) {
            return state.valid();
        }
        if (tokens.refreshToken() == null) {
            return now.isBefore(tokens.expiresAt()) ? state.valid()
                    : end(session, state, DiscordLoginEvent.Reason.EXPIRED);
        }
        TokenOutcome outcome = refresher.refresh(session, state, now);
        if (outcome instanceof TokenOutcome.Valid v && v.state() != state) {
            events.refreshed(v.state().principal());
        }
        return outcome;
    }

    /**
     * The checks of tokens kept in the shared store: the store's row is the truth. No row means the login ended
     * elsewhere (a logout that revoked, a refusal, a deauthorization): the session ends. A due refresh runs once in
     * the cluster; {@code invalid_grant} to it is final (it held the row's lock). A store that cannot be read keeps
     * the session: its current token serves while valid, else a retry answer.
     */
    private TokenOutcome sharedTokens(LoginCore.Session session, LoginState state, Instant now) {
        String userId = state.principal().id();
        StoredTokens row;
        try {
            Optional<StoredTokens> found = shared.find(userId);
            if (found.isEmpty()) {
                return end(session, state, DiscordLoginEvent.Reason.REVOKED);
            }
            row = found.get();
        } catch (TokenStoreException e) {
            storeFailed(e);
            return new TokenOutcome.Unavailable(state, STORE_RETRY); // the session holds no token to serve with
        }
        DiscordTokens tokens = SharedTokens.tokensOf(row);
        state = withTokens(state, tokens);
        boolean due = tokens.expiresWithin(skew, now);
        String id = revalidator.isEmpty() ? null : session.id();
        state = withTokens(revalidator.revalidate(session, id, state, due, false, now), tokens);
        state = withTokens(pruneTabs(session, state, now), tokens);
        if (!due) {
            return state.valid();
        }
        if (tokens.refreshToken() == null) {
            if (now.isBefore(tokens.expiresAt())) {
                return state.valid();
            }
            deleteIfQuietly(userId, row.version());
            return end(session, state, DiscordLoginEvent.Reason.EXPIRED);
        }
        SessionChecks checks = state.checks();
        if (checks.refreshBlocked(now)) {
            return TokenRefresher.keepOrUnavailable(state, now, Duration.ofMillis(checks.msUntilRefresh(now)));
        }
        Optional<StoredTokens> refreshed;
        try {
            refreshed = shared.refresh(row).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the refresh goes on and stores its result; the session's next request reads it
            return TokenRefresher.keepOrUnavailable(state, now, Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TokenRefresher.keepOrUnavailable(state, now, Duration.ofSeconds(5));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidGrantException) {
                return end(session, state, DiscordLoginEvent.Reason.REVOKED);
            }
            Duration retryAfter = cause instanceof RateLimitedException limited ? limited.retryAfter() : Duration.ZERO;
            Instant at = clock.instant();
            LoginState failed = states.update(session, s -> s.withChecks(s.checks().refreshFailed(at,
                    retryAfter.toMillis())));
            LoginState current = failed == null ? state : withTokens(failed, tokens);
            SessionChecks next = current.checks();
            LOG.log(System.Logger.Level.WARNING, "refreshing the Discord token failed (" + next.failures()
                    + " in a row, next try in " + next.msUntilRefresh(at) / 1000 + " s): " + cause.getMessage());
            return TokenRefresher.keepOrUnavailable(current, at, Duration.ofMillis(next.msUntilRefresh(at)));
        }
        if (refreshed.isEmpty()) {
            return end(session, state, DiscordLoginEvent.Reason.REVOKED);
        }
        DiscordTokens fresh = SharedTokens.tokensOf(refreshed.get());
        Instant at = clock.instant();
        LoginState updated = states.update(session, s -> {
            // a login cookie holds the identity only: the refresh changes nothing in it (no answer reseals it, so
            // concurrent answers of several nodes have nothing to undo), unless it carries failed refreshes to reset
            LoginState next = session instanceof CookieSession && s.checks().failures() == 0 ? s
                    : s.withTokens(fresh, SessionChecks.validatedAt(at));
            // memberships and roles are read again with the new tokens
            return next.standing() == null ? next : next.withStanding(next.standing().markedDue());
        });
        if (updated == null) {
            return TokenOutcome.LOGGED_OUT;
        }
        LoginState next = withTokens(updated, fresh);
        events.refreshed(next.principal());
        return next.valid();
    }

    /** {@code state} with {@code tokens} (read from the store), for this request only. */
    private static LoginState withTokens(LoginState state, DiscordTokens tokens) {
        return state.tokens().equals(tokens) ? state : state.withTokens(tokens, state.checks());
    }

    /** {@code updated} (read again from the session) with the tokens {@code checked} was checked with. */
    private LoginState withTokensOf(LoginState updated, LoginState checked) {
        return shared == null ? updated : withTokens(updated, checked.tokens());
    }

    /** Other tabs' superseded pending logins leave the session once they may no longer come back. */
    private LoginState pruneTabs(LoginCore.Session session, LoginState state, Instant now) {
        if (state.pendingUntilMillis() != 0 && now.toEpochMilli() >= state.pendingUntilMillis()) {
            long until = pending.prune(session);
            LoginState pruned = states.update(session, s -> s.withPendingUntil(until));
            return pruned == null ? state : pruned;
        }
        return state;
    }

    private void deleteQuietly(String userId) {
        try {
            shared.delete(userId);
        } catch (TokenStoreException e) {
            storeFailed(e);
        }
    }

    private void deleteIfQuietly(String userId, long version) {
        try {
            shared.deleteIf(userId, version);
        } catch (TokenStoreException e) {
            storeFailed(e);
        }
    }

    /** One warning per failure burst: a database that is down would otherwise log on every request. */
    private void storeFailed(TokenStoreException e) {
        long now = System.nanoTime();
        long last = lastStoreWarning.get();
        if (now - last >= TimeUnit.SECONDS.toNanos(10) && lastStoreWarning.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; sessions are kept and answered 503 until it "
                    + "answers");
        }
    }

    /** Ends the login the library decided to end: the session is invalidated (its next navigation goes to Discord). */
    private TokenOutcome end(LoginCore.Session session, LoginState state, DiscordLoginEvent.Reason reason) {
        endSession(session);
        events.ended(state.principal(), reason);
        return TokenOutcome.LOGGED_OUT;
    }

    /** Invalidates the session and forgets what this node held for it. */
    void endSession(LoginCore.Session session) {
        try {
            forget(session.id());
            session.invalidate();
        } catch (IllegalStateException alreadyInvalid) {
            // nothing left to do
        }
    }

    /**
     * Ends the session's login but keeps the session (the container's {@code request.logout()}): the login and the
     * pending logins leave it, and this node forgets the session's refreshes and refusals.
     */
    void removeLogin(LoginCore.Session session) {
        try {
            forget(session.id());
            session.remove(LoginStates.ATTRIBUTE);
            session.remove(PendingLogins.ATTRIBUTE);
        } catch (IllegalStateException alreadyInvalid) {
            // nothing left to do
        }
    }

    /** What this node remembers of a session whose login ends: refreshes, checks, refusals, server lookups. */
    void forget(String sessionId) {
        refresher.forget(sessionId);
        revalidator.forget(sessionId);
        refusals.forget(sessionId);
        guilds.forget(sessionId);
    }

    /** How many sessions this node remembers something for, per kind (tests: bounded by what is live). */
    Map<String, Integer> remembered() {
        return Map.of("refreshing", refresher.remembered(), "validating", revalidator.remembered(),
                "refusedRefresh", refusals.refusedRefreshes(), "unauthorized", refusals.unauthorizedTokens(),
                "guilds", guilds.remembered());
    }

    /** The session's access token for application calls: a 401 from Discord to a call made with it is a refusal. */
    PartialAccessToken accessTokenFor(LoginCore.Session session, DiscordPrincipal user, DiscordTokens tokens) {
        String accessToken = tokens.accessToken();
        if (shared != null) {
            String userId = user.id();
            return client.fromAccessToken(accessToken, () -> shared.refused(userId, accessToken));
        }
        String sessionId = session.id();
        Duration lifetime = SessionMemory.lifetimeOf(session);
        return client.fromAccessToken(accessToken, () -> refusals.unauthorized(sessionId, accessToken, lifetime));
    }
}
