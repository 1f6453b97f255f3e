package dev.discordoauth2.servlet;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Protects the paths it is mapped to with "Log in with Discord". A request of a logged-in session passes, wrapped so
 * that {@code getUserPrincipal()} is the {@link DiscordPrincipal}, {@code getRemoteUser()} the user id,
 * {@code getAuthType()} {@code "DISCORD"}; its tokens are refreshed first when they expire within
 * {@code discord.refresh-skew} (once per session, however many requests arrive together).
 *
 * <p>Otherwise a top-level browser navigation (GET, HTML accepted) is saved as the return URL and redirected (302) to
 * Discord's authorize URL with a fresh single-use {@code state} (256 random bits, bound to the session, expiring
 * after {@code discord.state-ttl}; several may be pending, one per tab) and a PKCE S256 challenge. Everything else
 * (XHR, {@code fetch}, JSON clients, non-GET requests, assets) gets 401 with {@code WWW-Authenticate} and a small JSON
 * body naming the login URL, never a redirect.
 *
 * <p>Roles for {@code isUserInRole}: {@value #ROLE_USER} for every logged-in user, {@value #ROLE_VERIFIED} when
 * Discord says the e-mail address is verified (needs the {@code email} scope), and the roles of {@code discord.roles}
 * ({@code admin=80351110224678912,268473310986240001; moderator=...}, user ids per role).
 *
 * <p>When the access token has expired and Discord does not answer the refresh (a transient failure, remembered
 * with a backoff), a navigation gets a 503 page and a script a 503 JSON, both with {@code Retry-After}: the login is
 * kept through a Discord outage. A refresh refused with {@code invalid_grant}, or a token Discord no longer accepts,
 * ends the login.
 *
 * <p>Configuration: see {@link DiscordConfig}. A missing or invalid key makes the filter refuse every request with
 * 503 (it fails closed, never open) and is logged once; the library's initializer stops the deployment where the
 * container allows it. Thread-safe.
 */
public final class DiscordLoginFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    /** The role every logged-in user has. */
    public static final String ROLE_USER = "discord-user";
    /** The role of users whose e-mail address Discord has verified. */
    public static final String ROLE_VERIFIED = "discord-verified";

    private static final System.Logger LOG = System.getLogger(DiscordLoginFilter.class.getName());

    private transient DiscordWeb web;
    /** Why the filter could not start (an invalid configuration); it then refuses every request. */

    /**
     * Starts the filter. An invalid configuration does not throw: some servers (GlassFish, Payara) would then deploy
     * the application without the filter and serve its protected pages to anyone. Instead the reason is logged once
     * and every request is refused with 503 (fail closed); the library's {@code ServletContainerInitializer} stops
     * the deployment where the container allows it.
     */
    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        super.init(filterConfig);
        web = DiscordWeb.startOrNull("DiscordLoginFilter", filterConfig::getInitParameter,
                filterConfig.getServletContext());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        DiscordWeb current = web;
        if (current == null) {
            WebPages.notConfigured(request, response);
            return;
        }
        DiscordConfig config = current.config;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(config.callbackPath(request.getContextPath())) || path.equals(config.loginPath())) {
            chain.doFilter(request, response);
            return;
        }
        TokenOutcome outcome = TokenOutcome.LOGGED_OUT;
        DiscordPrincipal principal = null;
        HttpSession session = DiscordAuth.session(request);
        if (session != null) {
            principal = principal(session);
            if (principal != null) {
                outcome = current.currentTokens(session);
            }
        }
        if (outcome instanceof TokenOutcome.Valid && principal != null) {
            chain.doFilter(new AuthenticatedRequest(request, principal, config.roles()), response);
            return;
        }
        if (outcome instanceof TokenOutcome.Unavailable unavailable) {
            unavailable(request, response, unavailable.retryAfter().toSeconds());
            return;
        }
        String returnTo = current.returnPath(ReturnPaths.of(request));
        if (ReturnPaths.isNavigation(request)) {
            response.setHeader("Cache-Control", "no-store");
            String authorize = current.startLogin(request, returnTo).toString();
            current.hardenSessionCookie(request, response);
            response.sendRedirect(authorize);
            return;
        }
        String loginUrl = request.getContextPath() + config.loginPath() + "?return="
                + URLEncoder.encode(ReturnPaths.isAsset(request) ? "/" : returnTo, StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Discord realm=\"" + request.getContextPath() + "/\", login_url=\""
                + loginUrl + "\"");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"Log in with Discord first.\","
                + "\"login_url\":\"" + jsonEscape(loginUrl) + "\"}");
    }

    private static DiscordPrincipal principal(HttpSession session) {
        try {
            return session.getAttribute(DiscordWeb.PRINCIPAL) instanceof DiscordPrincipal p ? p : null;
        } catch (IllegalStateException ended) {
            return null; // the session ended meanwhile (logout in another tab): logged out
        }
    }

    /** Discord is not answering and the access token has expired: a retry page or JSON, the login kept. */
    static void unavailable(HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds)
            throws IOException {
        long seconds = Math.max(1, retryAfterSeconds);
        response.setHeader("Retry-After", Long.toString(seconds));
        request.setAttribute(DiscordAuth.ERROR_RETRY_AFTER, seconds);
        if (ReturnPaths.isNavigation(request)) {
            WebPages.send(request, response, 503, "discord_unavailable", "Discord is not answering", "Your login is kept, but Discord did not answer "
                    + "in time. Please try again in a few seconds.", ReturnPaths.isLocal(ReturnPaths.of(request))
                    ? Origins.app(request, ReturnPaths.of(request)) : null, "Try again");
            return;
        }
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write("{\"error\":\"discord_unavailable\",\"message\":\"Discord is not answering; "
                + "the login is kept. Try again later.\",\"retry_after\":" + seconds + "}");
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void destroy() {
        if (web != null) {
            web.release();
            web = null;
        }
    }
}
