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
 * <p>Configuration: see {@link DiscordConfig}; a missing or invalid key fails {@link #init(FilterConfig)} and so the
 * deployment. Thread-safe.
 */
public final class DiscordLoginFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    /** The role every logged-in user has. */
    public static final String ROLE_USER = "discord-user";
    /** The role of users whose e-mail address Discord has verified. */
    public static final String ROLE_VERIFIED = "discord-verified";

    private transient DiscordWeb web;

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        super.init(filterConfig);
        web = DiscordWeb.start("DiscordLoginFilter", filterConfig::getInitParameter, filterConfig.getServletContext());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        DiscordConfig config = web.config;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(config.callbackPath(request.getContextPath())) || path.equals(config.loginPath())) {
            chain.doFilter(request, response);
            return;
        }
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                if (session.getAttribute(DiscordWeb.PRINCIPAL) instanceof DiscordPrincipal principal
                        && web.currentTokens(session).isPresent()) {
                    chain.doFilter(new AuthenticatedRequest(request, principal, config.roles()), response);
                    return;
                }
            } catch (IllegalStateException invalidated) {
                // the session ended meanwhile (logout in another tab, or invalid_grant): treat as logged out
            }
        }
        if (ReturnPaths.isNavigation(request)) {
            response.setHeader("Cache-Control", "no-store");
            response.sendRedirect(web.startLogin(request, ReturnPaths.of(request)).toString());
            return;
        }
        String loginUrl = request.getContextPath() + config.loginPath() + "?return="
                + URLEncoder.encode(ReturnPaths.isAsset(request) ? "/" : ReturnPaths.of(request), StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Discord realm=\"" + request.getContextPath() + "/\", login_url=\""
                + loginUrl + "\"");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"Log in with Discord first.\","
                + "\"login_url\":\"" + jsonEscape(loginUrl) + "\"}");
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
