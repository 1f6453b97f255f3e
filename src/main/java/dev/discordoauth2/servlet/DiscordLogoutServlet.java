package dev.discordoauth2.servlet;

import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.Outcome;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Logs out: POST only (GET and others get 405, so a link or an image cannot log anyone out). It revokes the
 * session's token at Discord when {@code discord.revoke-on-logout} is true (the default; Discord then removes the
 * whole authorization), invalidates the session even when revocation fails (the failure is logged), and redirects
 * (303) to {@code discord.after-logout-uri}. A cross-site POST (see {@link DiscordAuth#isSameOrigin}) is refused with
 * 403 and revokes nothing. A misconfiguration, a jar missing at run time, or anything else its work throws is a 503
 * (logged in one line). Thread-safe.
 */
public final class DiscordLogoutServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient Cores.Started started;

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
        super.init(servletConfig);
        started = FrontDoors.start("DiscordLogoutServlet", servletConfig.getServletContext(),
                servletConfig::getInitParameter);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Cores.Started current = started;
            if (current == null) {
                WebPages.notConfigured(request, response);
                return;
            }
            LoginCore core = current.core();
            WebPages.render(core.logout(new ServletExchange(request)), request, response, core);
        } catch (IOException e) {
            throw e; // the answer could not be written: the client went away
        } catch (Throwable e) {
            WebPages.failClosed(request, response, e, "DiscordLogoutServlet");
        }
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
