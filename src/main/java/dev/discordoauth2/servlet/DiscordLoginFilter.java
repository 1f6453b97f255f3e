package dev.discordoauth2.servlet;

import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.Outcome;
import dev.discordoauth2.web.RoleMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Protects the paths it is mapped to with "Log in with Discord". A request of a logged-in session passes, wrapped so
 * that {@code getUserPrincipal()} is the {@link dev.discordoauth2.web.DiscordPrincipal}, {@code getRemoteUser()} the user id,
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
 * Discord says the e-mail address is verified and the {@code email} scope was granted, and the roles of
 * {@code discord.roles}
 * ({@code admin=80351110224678912,268473310986240001; moderator=...}, user ids per role).
 *
 * <p>When the access token has expired and Discord does not answer the refresh (a transient failure, remembered
 * with a backoff), a navigation gets a 503 page and a script a 503 JSON, both with {@code Retry-After}: the login is
 * kept through a Discord outage. A refresh refused with {@code invalid_grant}, or a token Discord no longer accepts,
 * ends the login.
 *
 * <p>Configuration: see {@link dev.discordoauth2.web.DiscordConfig}; the init-params of the library's components all
 * feed the application's one configuration (two components giving a key different values stop the start-up). A missing or invalid key, or a jar the library needs missing at run
 * time, makes the filter refuse every request with 503 (it fails closed, never open) and is logged once; the
 * library's initializer stops the deployment where the container allows it. Anything the filter's own work throws
 * (never the application's: its exceptions pass) is logged in one line and answered with 503, never let through.
 * A session named in the URL ({@code ;jsessionid=}) is not a login: such a request gets a 400. Thread-safe.
 */
public final class DiscordLoginFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    /** The role every logged-in user has. */
    public static final String ROLE_USER = RoleMapper.DISCORD_USER;
    /** The role of users whose e-mail address Discord has verified. */
    public static final String ROLE_VERIFIED = RoleMapper.DISCORD_VERIFIED;

    private transient Cores.Started started;

    /**
     * Starts the filter. An invalid configuration does not throw: some servers (GlassFish, Payara) would then deploy
     * the application without the filter and serve its protected pages to anyone. Instead the reason is logged once
     * and every request is refused with 503 (fail closed); the library's {@code ServletContainerInitializer} stops
     * the deployment where the container allows it.
     */
    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        super.init(filterConfig);
        started = FrontDoors.start("DiscordLoginFilter", filterConfig.getServletContext(),
                filterConfig::getInitParameter);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest admitted;
        try {
            admitted = admit(request, response);
        } catch (IOException e) {
            throw e; // the answer could not be written: the client went away
        } catch (Throwable e) {
            WebPages.failClosed(request, response, e, "DiscordLoginFilter");
            return;
        }
        if (admitted != null) {
            Cores.Started current = started;
            if (current != null && current.core().config().cookieSessions()) {
                // the login cookies of changes made while the application answers go out before it commits
                chain.doFilter(admitted, LoginCookies.wrap(request, response, current.core()));
                LoginCookies.write(request, response, current.core());
            } else {
                chain.doFilter(admitted, response);
            }
        }
    }

    /** The request to pass on (the logged-in user's, or as it is for the library's own paths), or null when answered. */
    private HttpServletRequest admit(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Cores.Started current = started;
        if (current == null) {
            WebPages.notConfigured(request, response);
            return null;
        }
        LoginCore core = current.core();
        ServletExchange exchange = new ServletExchange(request);
        if (core.route(exchange, null) != LoginCore.Route.OTHER) {
            return request; // the callback and the login path are the callback servlet's
        }
        Outcome outcome = core.protect(exchange);
        if (outcome instanceof Outcome.Pass pass) {
            LoginCookies.write(request, response, core);
            return new AuthenticatedRequest(request, pass.principal(), pass.groups());
        }
        WebPages.render(outcome, request, response, core);
        return null;
    }

    @Override
    public void destroy() {
        Cores.Started current = started;
        started = null;
        if (current != null) {
            Cores.release(getServletContext(), current);
        }
    }
}
