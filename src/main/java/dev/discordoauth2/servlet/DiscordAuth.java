package dev.discordoauth2.servlet;

import dev.discordoauth2.PartialAccessToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/**
 * The logged-in Discord user and token for code that is not CDI: servlets, JSPs, other filters, on any page, protected
 * or not. Every answer goes through the same checks as {@link DiscordLoginFilter}: tokens refreshed when they are
 * about to expire, a login whose grant Discord refused or revoked ended, the user's servers read again when due (a
 * user who left the required servers is logged out, their server roles current). The checks run once per request:
 * behind the filter, these calls reuse its answer. A session named in the URL ({@code ;jsessionid=}) has no user.
 * Stateless and thread-safe.
 */
public final class DiscordAuth {
    /**
     * A {@link java.time.Clock} set under this {@code ServletContext} attribute (by a {@code ServletContextListener},
     * before the filter starts) replaces the system clock for token expiry and login state. Tests set
     * {@code DiscordEmulator.clock()} here to move time without sleeping.
     */
    public static final String CLOCK_ATTRIBUTE = "dev.discordoauth2.servlet.clock";

    /**
     * Request attribute: a short code for a failure of the login (e.g. {@code invalid_state},
     * {@code discord_unavailable}), set whenever the library answers with one of its pages. With
     * {@code discord.error-pages=container} the library calls {@code sendError(status)} instead of writing its own
     * page, and the application's {@code <error-page>} renders the failure from these attributes (they survive the
     * error dispatch). The others: {@link #ERROR_TITLE}, {@link #ERROR_MESSAGE}, {@link #ERROR_RETRY_URL},
     * {@link #ERROR_RETRY_AFTER}.
     */
    public static final String ERROR_CODE = "dev.discordoauth2.error.code";
    /** Request attribute: a title for the failure, for people ("Login expired or already used"). */
    public static final String ERROR_TITLE = "dev.discordoauth2.error.title";
    /** Request attribute: one sentence saying what happened and what to do. */
    public static final String ERROR_MESSAGE = "dev.discordoauth2.error.message";
    /** Request attribute: where to try again (an absolute URL into the application), when there is such a link. */
    public static final String ERROR_RETRY_URL = "dev.discordoauth2.error.retry-url";
    /** Request attribute: for retry pages (502/503), the seconds of the {@code Retry-After} header, as a Long. */
    public static final String ERROR_RETRY_AFTER = "dev.discordoauth2.error.retry-after";

    private DiscordAuth() {
    }

    /**
     * The logged-in user, if any, after the filter's checks (see the class): empty when nobody is logged in and when
     * the login has just ended (revoked, refused, left the required servers). A login kept while Discord does not
     * answer the refresh of an expired token still has its user (its tokens are then empty, see {@link #tokens}).
     */
    public static Optional<DiscordPrincipal> currentUser(HttpServletRequest request) {
        return DiscordWeb.any(request.getServletContext()).map(web -> web.flow.current(request))
                .map(LoginFlow.Current::principal);
    }

    /**
     * The session's tokens (refreshed when due), if a user is logged in and a valid access token can be had: empty
     * when nobody is logged in, when the login has ended, and when the access token has expired while Discord does
     * not answer its refresh (the login is kept; behind {@link DiscordLoginFilter} such requests get a 503 retry page
     * before reaching the application).
     */
    public static Optional<DiscordTokens> tokens(HttpServletRequest request) {
        return DiscordWeb.any(request.getServletContext()).flatMap(web -> valid(web.flow.current(request).outcome()));
    }

    /**
     * The logged-in user's access token, ready for the user API ({@code fetchGuilds()} and so on); empty as for
     * {@link #tokens(HttpServletRequest)}. When Discord answers a call made with it with 401 (the grant was revoked
     * elsewhere), the session's login ends: the call throws as usual and the next navigation goes to Discord.
     */
    public static Optional<PartialAccessToken> accessToken(HttpServletRequest request) {
        return DiscordWeb.any(request.getServletContext()).flatMap(web -> {
            Optional<DiscordTokens> tokens = valid(web.flow.current(request).outcome());
            HttpSession session = session(request);
            return session == null ? Optional.empty() : tokens.map(t -> web.accessTokenFor(session, t));
        });
    }

    /**
     * Whether a state-changing request (a form POST) comes from the application's own pages, for protection against
     * cross-site request forgery: its {@code Origin} must be the request's own origin (or that of an absolute
     * {@code discord.redirect-uri}, the public origin behind a proxy); without {@code Origin},
     * {@code Sec-Fetch-Site} must say {@code same-origin} (or {@code none}); without either, the {@code Referer} must
     * be on the same origin. A request with none of these headers is not from a browser and passes. The logout
     * servlet refuses a POST that fails this check with 403.
     */
    public static boolean isSameOrigin(HttpServletRequest request) {
        String trusted = DiscordWeb.any(request.getServletContext()).map(DiscordWeb::trustedOrigin).orElse(null);
        return Origins.isSameOrigin(request, trusted);
    }

    private static Optional<DiscordTokens> valid(TokenOutcome outcome) {
        return outcome instanceof TokenOutcome.Valid v ? Optional.of(v.tokens()) : Optional.empty();
    }

    /** The request's session, or null when there is none or it has ended meanwhile (a logout in another tab). */
    static HttpSession session(HttpServletRequest request) {
        try {
            return request.getSession(false);
        } catch (IllegalStateException ended) {
            return null;
        }
    }
}
