package dev.discordoauth2.web;

import java.time.Duration;

/**
 * What the web layer knows about a session's login at the start of a request, as a value each front door renders its
 * own way: the login with tokens to use, "logged out" (no login, or it ended: revoked, refused, logged out
 * elsewhere), or "Discord unavailable" (the access token has expired and refreshing it keeps failing for a transient
 * reason; the login is kept and the user should retry after {@code retryAfter}). Immutable and thread-safe.
 */
sealed interface TokenOutcome {
    TokenOutcome LOGGED_OUT = new LoggedOut();

    /** The session's login, its tokens valid now. */
    record Valid(LoginState state) implements TokenOutcome {
        DiscordTokens tokens() {
            return state.tokens();
        }
    }

    /** No login in this session (any more). */
    record LoggedOut() implements TokenOutcome {
    }

    /** Logged in ({@code state}), but no valid access token until Discord answers again. */
    record Unavailable(LoginState state, Duration retryAfter) implements TokenOutcome {
    }
}
