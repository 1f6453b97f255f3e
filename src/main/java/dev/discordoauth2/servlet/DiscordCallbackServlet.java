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
 * Discord's redirect back to the application (map it to the path of {@code discord.redirect-uri}), and the login
 * entry point (map it to {@code discord.login-path} too, default {@code /oauth2/login}).
 *
 * <p>On the callback it checks {@code state} before anything else: a missing, unknown, replayed or expired state is
 * a 400 page and no code is exchanged. {@code error=access_denied} shows a "login cancelled" page (or redirects to
 * {@code discord.login-cancelled-uri}) with a link to try again. Otherwise it exchanges the code with the PKCE
 * verifier, fetches the user, changes the session id ({@code request.changeSessionId()}), stores the
 * {@link dev.discordoauth2.web.DiscordPrincipal} and the {@link dev.discordoauth2.web.DiscordTokens}, and redirects to the saved return path: always a path inside
 * this application, never a URL taken from the request.
 *
 * <p>On the login path, {@code GET ?return=/path} starts a login and returns there afterwards (the path must be
 * local; anything else means {@code discord.after-login-uri}). Mapped to {@code discord.linked-roles-path} (default
 * {@code /discord/linked-roles}) it is the Linked Roles Verification URL, and to {@code discord.add-to-server-path}
 * (default {@code /discord/add-to-server}) the "Add to server" entry (see {@link LoginCore#verifyLinkedRoles} and
 * {@link LoginCore#addToServer}). A misconfiguration, a jar missing at run time, or
 * anything else its work throws is a 503 (logged in one line), never a stack trace. Thread-safe.
 */
public final class DiscordCallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient Cores.Started started;

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
        super.init(servletConfig);
        started = FrontDoors.start("DiscordCallbackServlet", servletConfig.getServletContext(),
                servletConfig::getInitParameter);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Cores.Started current = started;
            if (current == null) {
                WebPages.notConfigured(request, response);
                return;
            }
            LoginCore core = current.core();
            ServletExchange exchange = new ServletExchange(request);
            Outcome outcome = switch (core.route(exchange, null)) {
                case LOGIN -> core.login(exchange);
                case LINKED_ROLES -> core.verifyLinkedRoles(exchange);
                case ADD_TO_SERVER -> core.addToServer(exchange);
                default -> core.callback(exchange);
            };
            WebPages.render(outcome, request, response, core);
        } catch (IOException e) {
            throw e; // the answer could not be written: the client went away
        } catch (Throwable e) {
            WebPages.failClosed(request, response, e, "DiscordCallbackServlet");
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
