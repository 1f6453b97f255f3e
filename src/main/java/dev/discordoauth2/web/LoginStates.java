package dev.discordoauth2.web;

import java.util.function.UnaryOperator;

/**
 * The session's login ({@link LoginState}) under its one attribute: read once per request, replaced as a whole under
 * the session's lock when a part changes (so that two requests of one session changing different parts do not undo
 * each other), removed when the login ends. With the shared token store the session's state carries no token values
 * (see {@link LoginState#withoutTokenValues()}): a request reads them from the store. Thread-safe.
 */
final class LoginStates {
    /** The session attribute of the login; with {@link PendingLogins#ATTRIBUTE}, all the library keeps there. */
    static final String ATTRIBUTE = LoginState.class.getName();

    private final Locks locks;
    private final boolean tokensElsewhere;

    /** {@code tokensElsewhere}: the tokens are in the shared token store, and never written into the session. */
    LoginStates(Locks locks, boolean tokensElsewhere) {
        this.locks = locks;
        this.tokensElsewhere = tokensElsewhere;
    }

    /** What goes into the session for {@code state}: without the token values when they are kept elsewhere. */
    LoginState forSession(LoginState state) {
        return tokensElsewhere ? state.withoutTokenValues() : state;
    }

    /** The session's login, or null when it holds none. */
    static LoginState of(LoginCore.Session session) {
        return session.get(ATTRIBUTE) instanceof LoginState s ? s : null;
    }

    void put(LoginCore.Session session, LoginState state) {
        session.set(ATTRIBUTE, forSession(state));
    }

    /** Replaces the login with {@code change} applied to it; nothing when it holds none. Returns the new state or null. */
    LoginState update(LoginCore.Session session, UnaryOperator<LoginState> change) {
        synchronized (locks.of(session)) {
            LoginState current = of(session);
            if (current == null) {
                return null;
            }
            LoginState next = change.apply(current);
            if (next != current) {
                next = forSession(next);
                session.set(ATTRIBUTE, next);
            }
            return next;
        }
    }

    Object lock(LoginCore.Session session) {
        return locks.of(session);
    }

    /** See {@link LoginCore#storeLogin}: a login checked just now, no server standing known yet. */
    static void storeFresh(LoginCore.Session session, DiscordPrincipal principal, DiscordTokens tokens) {
        java.util.Objects.requireNonNull(session, "session must not be null");
        java.util.Objects.requireNonNull(principal, "principal must not be null");
        java.util.Objects.requireNonNull(tokens, "tokens must not be null");
        session.set(ATTRIBUTE, new LoginState(principal, tokens, SessionChecks.validatedAt(java.time.Instant.now()),
                null, 0L));
    }
}
