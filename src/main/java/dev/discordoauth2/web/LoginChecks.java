package dev.discordoauth2.web;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.PartialAccessToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The checks of a logged-in session, made on each of its requests, in order: the user removed the application at
 * Discord after the login was confirmed ({@link Deauthorizations}), tokens Discord refused on this node
 * ({@link RefusalLedger}), the periodic token check ({@link Revalidator}), other tabs' expired pending logins, the
 * refresh when the tokens are due ({@link TokenRefresher}), and the user's servers when due ({@link GuildChecks},
 * which the request waits for). Reads the session's login once; writes it only when something changed. Also ends
 * logins (the session invalidated, or only the login removed for {@code request.logout()}) and forgets what this node
 * held for a session. Thread-safe.
 */
final class LoginChecks {
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

    LoginChecks(LoginStates states, PendingLogins pending, RefusalLedger refusals, Revalidator revalidator,
            TokenRefresher refresher, GuildChecks guilds, Background background, DiscordOAuth2Client client,
            DiscordOAuth2Client checkingClient, Clock clock, Duration skew, Duration wait, LoginEvents events,
            Deauthorizations deauthorizations) {
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
    }

    /** The session's login, checked (see the class); {@link TokenOutcome#LOGGED_OUT} when it holds none (any more). */
    TokenOutcome check(LoginCore.Session session) {
        try {
            LoginState state = LoginStates.of(session);
            if (state == null) {
                return TokenOutcome.LOGGED_OUT;
            }
            DiscordTokens tokens = state.tokens();
            Instant now = clock.instant();
            if (!deauthorizations.isEmpty() && deauthorizations.endedSince(state.principal().id(),
                    state.checks().validated(), now.toEpochMilli())) {
                // the user removed the application at Discord after this login was confirmed: the grant is gone
                return end(session, state, DiscordLoginEvent.Reason.REVOKED);
            }
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
            if (state.pendingUntilMillis() != 0 && now.toEpochMilli() >= state.pendingUntilMillis()) {
                long until = pending.prune(session);
                LoginState pruned = states.update(session, s -> s.withPendingUntil(until));
                state = pruned == null ? state : pruned;
            }
            TokenOutcome outcome;
            if (!due) {
                outcome = state.valid();
            } else if (tokens.refreshToken() == null) {
                outcome = now.isBefore(tokens.expiresAt()) ? state.valid()
                        : end(session, state, DiscordLoginEvent.Reason.EXPIRED);
            } else {
                outcome = refresher.refresh(session, state, now);
                if (outcome instanceof TokenOutcome.Valid v && v.state() != state) {
                    events.refreshed(v.state().principal());
                } else if (outcome instanceof TokenOutcome.LoggedOut) {
                    return outcome;
                }
            }
            if (!(outcome instanceof TokenOutcome.Valid valid) || !guilds.active()) {
                return outcome;
            }
            GuildChecks.Verdict verdict = guilds.poll(session, valid.state(), checkingClient::fromAccessToken, now);
            if (verdict == GuildChecks.Verdict.LEFT) {
                // left the required servers: the grant is of no use to anybody any more
                background.revokeGrant(valid.tokens(), "the user is no longer a member of the required Discord "
                        + "servers");
                return end(session, valid.state(), DiscordLoginEvent.Reason.LEFT_REQUIRED_SERVERS);
            }
            if (verdict == GuildChecks.Verdict.UPDATED) {
                LoginState updated = LoginStates.of(session);
                return updated == null ? TokenOutcome.LOGGED_OUT : updated.valid();
            }
            return outcome;
        } catch (IllegalStateException ended) {
            return TokenOutcome.LOGGED_OUT;
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
    PartialAccessToken accessTokenFor(LoginCore.Session session, DiscordTokens tokens) {
        String accessToken = tokens.accessToken();
        String sessionId = session.id();
        Duration lifetime = SessionMemory.lifetimeOf(session);
        return client.fromAccessToken(accessToken, () -> refusals.unauthorized(sessionId, accessToken, lifetime));
    }
}
