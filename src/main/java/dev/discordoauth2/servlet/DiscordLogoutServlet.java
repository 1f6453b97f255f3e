package dev.discordoauth2.servlet;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.TokenTypeHint;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * Logs out: POST only (GET and others get 405, so a link or an image cannot log anyone out). It revokes the
 * session's token at Discord when {@code discord.revoke-on-logout} is true (the default; Discord then removes the
 * whole authorization), invalidates the session even when revocation fails (the failure is logged), and redirects
 * (303) to {@code discord.after-logout-uri}. A cross-site POST (see {@link DiscordAuth#isSameOrigin}) is refused with
 * 403 and revokes nothing. Thread-safe.
 */
public final class DiscordLogoutServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(DiscordLogoutServlet.class.getName());

    private transient DiscordWeb web;

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
        super.init(servletConfig);
        web = DiscordWeb.startOrNull("DiscordLogoutServlet", servletConfig::getInitParameter,
                servletConfig.getServletContext());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (web == null) {
            WebPages.notConfigured(request, response);
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            WebPages.send(request, response, 405, "method_not_allowed", "Method not allowed", "Log out with a POST request (a form button).", null,
                    null);
            return;
        }
        if (!Origins.isSameOrigin(request, web.trustedOrigin())) {
            LOG.log(System.Logger.Level.WARNING, "refused a cross-site logout request (Origin "
                    + WebPages.printable(request.getHeader("Origin")) + ")");
            WebPages.send(request, response, 403, "cross_site_request", "Forbidden", "Log out from this application's own pages.", null, null);
            return;
        }
        super.service(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = DiscordAuth.session(request);
        if (session != null) {
            try {
                if (web.config.revokeOnLogout() && session.getAttribute(DiscordWeb.TOKENS) instanceof DiscordTokens t) {
                    revoke(t);
                }
            } catch (IllegalStateException ended) {
                // ended meanwhile: nothing to revoke from here
            }
            web.endLogin(session);
        }
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", Origins.app(request, web.config.afterLogoutUri()));
    }

    private void revoke(DiscordTokens t) {
        try {
            if (t.refreshToken() != null) {
                web.client.revokeToken(t.refreshToken(), TokenTypeHint.REFRESH_TOKEN);
            } else {
                web.client.revokeToken(t.accessToken(), TokenTypeHint.ACCESS_TOKEN);
            }
        } catch (DiscordException e) {
            LOG.log(System.Logger.Level.WARNING, "revoking the Discord token at logout failed; the session "
                    + "ends anyway: " + e.getMessage());
        }
    }

    @Override
    public void destroy() {
        if (web != null) {
            web.release();
            web = null;
        }
    }
}
