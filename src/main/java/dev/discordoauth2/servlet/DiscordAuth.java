package dev.discordoauth2.servlet;

import dev.discordoauth2.PartialAccessToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/**
 * The logged-in Discord user and token for code that is not CDI: servlets, JSPs, other filters. The tokens returned
 * are refreshed first when they are about to expire (see {@link DiscordLoginFilter}). Stateless and thread-safe.
 */
public final class DiscordAuth {
    /**
     * A {@link java.time.Clock} set under this {@code ServletContext} attribute (by a {@code ServletContextListener},
     * before the filter starts) replaces the system clock for token expiry and login state. Tests set
     * {@code DiscordEmulator.clock()} here to move time without sleeping.
     */
    public static final String CLOCK_ATTRIBUTE = "dev.discordoauth2.servlet.clock";

    private DiscordAuth() {
    }

    /** The logged-in user, if any. */
    public static Optional<DiscordPrincipal> currentUser(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Optional.empty();
        }
        try {
            return session.getAttribute(DiscordWeb.PRINCIPAL) instanceof DiscordPrincipal p ? Optional.of(p)
                    : Optional.empty();
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }

    /** The session's tokens (refreshed when due), if a user is logged in. */
    public static Optional<DiscordTokens> tokens(HttpServletRequest request) {
        return DiscordWeb.any(request.getServletContext()).flatMap(web -> web.currentTokens(request));
    }

    /** The logged-in user's access token, ready for the user API ({@code fetchGuilds()} and so on). */
    public static Optional<PartialAccessToken> accessToken(HttpServletRequest request) {
        return DiscordWeb.any(request.getServletContext()).flatMap(web -> web.currentTokens(request)
                .map(t -> web.client.fromAccessToken(t.accessToken())));
    }
}
