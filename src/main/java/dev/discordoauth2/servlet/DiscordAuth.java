package dev.discordoauth2.servlet;

import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.DiscordPrincipal;
import dev.discordoauth2.web.DiscordTokens;
import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.OfflineAccess;
import jakarta.servlet.http.HttpServletRequest;
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
     * The application's login core: the one a front door started, or, in an application with the library's web.xml
     * components, the one started now from their configuration; empty when the application has neither (or the
     * configuration is invalid: the components then report it). The library's CDI integration uses it so that
     * {@code @Inject DiscordOAuth2Client} is the login's own client.
     */
    public static Optional<LoginCore> loginCore(jakarta.servlet.ServletContext context) {
        LoginCore core = Cores.of(context);
        if (core != null) {
            return Optional.of(core);
        }
        try {
            java.util.List<jakarta.servlet.Registration> components = Cores.components(context);
            if (components.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Cores.acquire(context, () -> Cores.componentsConfig(context, components),
                    "the CDI integration").core());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stores a login in {@code session} where the library keeps it, as {@link LoginCore#storeLogin} does for the
     * core's session port: for tests and tools that log a user in without Discord (the test kit's
     * {@code DiscordTestLogin}). The session id is not changed and no event is fired. With the shared token store
     * (the application's login core configured with {@code discord.token-store=jdbc}) the tokens go to the store.
     */
    public static void storeLogin(jakarta.servlet.http.HttpSession session, DiscordPrincipal principal,
            DiscordTokens tokens) {
        ServletExchange.SessionView view = new ServletExchange.SessionView(session);
        jakarta.servlet.ServletContext context = session.getServletContext();
        LoginCore core = context == null ? null : Cores.of(context); // a test's fake session may have none
        if (core != null && core.config().cookieSessions()) {
            throw new IllegalStateException("this application keeps its logins in sealed cookies ("
                    + DiscordConfig.SESSION + "=cookie), not in the HttpSession: store the login for a request "
                    + "(storeLogin(HttpServletRequest, ...); DiscordTestLogin.onto or cookie) instead");
        }
        if (core != null) {
            core.storeLoginOf(view, principal, tokens);
        } else {
            LoginCore.storeLogin(view, principal, tokens);
        }
    }

    /**
     * Stores a login for {@code request} where the application's login keeps it: in the request's {@code HttpSession}
     * (made when missing; as {@link #storeLogin(jakarta.servlet.http.HttpSession, DiscordPrincipal, DiscordTokens)}),
     * or, with {@code discord.session=cookie}, in the request's sealed login cookie, without an {@code HttpSession}:
     * the rest of the request sees the user, and the front doors (or {@link #loginCookies}) put the cookie on the
     * response. For tests and tools that log a user in without Discord (the test kit's {@code DiscordTestLogin}).
     */
    public static void storeLogin(HttpServletRequest request, DiscordPrincipal principal, DiscordTokens tokens) {
        LoginCore core = Cores.of(request.getServletContext());
        if (core != null && core.config().cookieSessions()) {
            core.storeLoginOf(new ServletExchange(request), principal, tokens);
        } else {
            storeLogin(request.getSession(true), principal, tokens);
        }
    }

    /**
     * With {@code discord.session=cookie}: the login cookies this request changed (a login stored, refreshed or
     * ended), as the front doors add them to the response ({@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} on
     * https); a deleted cookie has an empty value and max-age 0. The cookies are handed over: the caller adds them to
     * its response, the front doors do not add them again. Empty with the container's session, and when nothing
     * changed.
     */
    public static java.util.List<jakarta.servlet.http.Cookie> loginCookies(HttpServletRequest request) {
        return LoginCookies.of(request, Cores.of(request.getServletContext()));
    }

    /**
     * The offline API of the application's login ({@link LoginCore#offline()}): the stored users' tokens and calls
     * for code that runs without a request. Needs {@code discord.token-store=jdbc}.
     *
     * @throws IllegalStateException when the application runs no login (no filter, servlet or mechanism)
     */
    public static OfflineAccess offline(jakarta.servlet.ServletContext context) {
        return loginCore(context).orElseThrow(() -> new IllegalStateException("no Discord login runs in this "
                + "application: map DiscordLoginFilter or the servlets, or use the Jakarta Security mechanism"))
                .offline();
    }

    /**
     * The application's linked roles ({@link LoginCore#linkedRoles()}): pushes and sweeps of the users' role
     * connections, for the application's {@link dev.discordoauth2.web.RoleConnectionSource}.
     *
     * @throws IllegalStateException when the application runs no login, or gave no source
     */
    public static dev.discordoauth2.web.LinkedRoles linkedRoles(jakarta.servlet.ServletContext context) {
        return loginCore(context).flatMap(LoginCore::linkedRoles).orElseThrow(() -> new IllegalStateException(
                "no linked roles in this application: it needs the Discord login (DiscordLoginFilter, the servlets or "
                        + "the mechanism) and a RoleConnectionSource (a CDI bean, a ServiceLoader service or the "
                        + "ServletContext attribute " + dev.discordoauth2.web.RoleConnectionSource.ATTRIBUTE + ")"));
    }

    /**
     * The logged-in user, if any, after the filter's checks (see the class): empty when nobody is logged in and when
     * the login has just ended (revoked, refused, left the required servers). A login kept while Discord does not
     * answer the refresh of an expired token still has its user (its tokens are then empty, see {@link #tokens}).
     */
    public static Optional<DiscordPrincipal> currentUser(HttpServletRequest request) {
        LoginCore core = Cores.of(request.getServletContext());
        return core == null ? Optional.empty() : core.user(new ServletExchange(request));
    }

    /**
     * The session's tokens (refreshed when due), if a user is logged in and a valid access token can be had: empty
     * when nobody is logged in, when the login has ended, and when the access token has expired while Discord does
     * not answer its refresh (the login is kept; behind {@link DiscordLoginFilter} such requests get a 503 retry page
     * before reaching the application).
     */
    public static Optional<DiscordTokens> tokens(HttpServletRequest request) {
        LoginCore core = Cores.of(request.getServletContext());
        return core == null ? Optional.empty() : core.tokens(new ServletExchange(request));
    }

    /**
     * The logged-in user's access token, ready for the user API ({@code fetchGuilds()} and so on); empty as for
     * {@link #tokens(HttpServletRequest)}. When Discord answers a call made with it with 401 (the grant was revoked
     * elsewhere), the session's login ends: the call throws as usual and the next navigation goes to Discord.
     */
    public static Optional<PartialAccessToken> accessToken(HttpServletRequest request) {
        LoginCore core = Cores.of(request.getServletContext());
        return core == null ? Optional.empty() : core.accessToken(new ServletExchange(request));
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
        LoginCore core = Cores.of(request.getServletContext());
        return core == null ? LoginCore.isSameOrigin(new ServletExchange(request), null)
                : core.isSameOrigin(new ServletExchange(request));
    }

}
