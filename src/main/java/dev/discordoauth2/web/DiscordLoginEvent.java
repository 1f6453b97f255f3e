package dev.discordoauth2.web;

import java.util.Objects;

/**
 * What happened to a login, for the application to act on (create its own user record at a login, clean up at a
 * logout): a user logged in, logged out, had their tokens refreshed, or had their login ended by the library (their
 * grant revoked or refused at Discord, their tokens expired without a refresh token, or they left the servers the
 * application requires). In a CDI application these are CDI events ({@code void onLogin(@Observes
 * DiscordLoginEvent.LoggedIn event)}); elsewhere a {@code java.util.function.Consumer<DiscordLoginEvent>} put under the
 * {@code ServletContext} attribute {@link #LISTENER_ATTRIBUTE} before the library starts receives them. Events are
 * delivered on the request's thread as the login changes (a refresh on the request that applies it); an observer that
 * throws is logged and does not change the login. Immutable and thread-safe.
 */
public sealed interface DiscordLoginEvent {
    /** The {@code ServletContext} attribute of an application's listener ({@code Consumer<DiscordLoginEvent>}). */
    String LISTENER_ATTRIBUTE = DiscordLoginEvent.class.getName();

    /** The user the event is about. */
    DiscordPrincipal user();

    /** The user logged in (the callback completed; the session id changed). */
    record LoggedIn(DiscordPrincipal user) implements DiscordLoginEvent {
        public LoggedIn {
            Objects.requireNonNull(user, "user must not be null");
        }
    }

    /** The user logged out (the logout path, or {@code HttpServletRequest.logout()} with the mechanism). */
    record LoggedOut(DiscordPrincipal user) implements DiscordLoginEvent {
        public LoggedOut {
            Objects.requireNonNull(user, "user must not be null");
        }
    }

    /** The user's tokens were refreshed (Discord rotated the refresh token). */
    record TokensRefreshed(DiscordPrincipal user) implements DiscordLoginEvent {
        public TokensRefreshed {
            Objects.requireNonNull(user, "user must not be null");
        }
    }

    /** The library ended the user's login, for {@code reason}; their next navigation goes to Discord. */
    record LoginEnded(DiscordPrincipal user, Reason reason) implements DiscordLoginEvent {
        public LoginEnded {
            Objects.requireNonNull(user, "user must not be null");
            Objects.requireNonNull(reason, "reason must not be null");
        }
    }

    /** Why the library ended a login. */
    enum Reason {
        /** Discord refused the grant (revoked elsewhere, or refused on refresh). */
        REVOKED,
        /** The tokens expired and there was no refresh token. */
        EXPIRED,
        /** The user is no longer a member of the servers {@code discord.required-guilds} names. */
        LEFT_REQUIRED_SERVERS
    }
}
