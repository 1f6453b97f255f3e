package dev.discordoauth2.servlet;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.HttpException;
import dev.discordoauth2.model.User;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Discord's redirect back to the application (map it to the path of {@code discord.redirect-uri}), and the login
 * entry point (map it to {@code discord.login-path} too, default {@code /oauth2/login}).
 *
 * <p>On the callback it checks {@code state} before anything else: a missing, unknown, replayed or expired state is
 * a 400 page and no code is exchanged. {@code error=access_denied} shows a "login cancelled" page (or redirects to
 * {@code discord.login-cancelled-uri}) with a link to try again. Otherwise it exchanges the code with the PKCE
 * verifier, fetches the user, changes the session id ({@code request.changeSessionId()}), stores the
 * {@link DiscordPrincipal} and the {@link DiscordTokens}, and redirects to the saved return path: always a path inside
 * this application, never a URL taken from the request.
 *
 * <p>On the login path, {@code GET ?return=/path} starts a login and returns there afterwards (the path must be
 * local; anything else means {@code discord.after-login-uri}). Thread-safe.
 */
public final class DiscordCallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(DiscordCallbackServlet.class.getName());

    private transient DiscordWeb web;

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
        super.init(servletConfig);
        web = DiscordWeb.start("DiscordCallbackServlet", servletConfig::getInitParameter, servletConfig.getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(web.config.loginPath())) {
            startLogin(request, response);
        } else {
            callback(request, response);
        }
    }

    private void startLogin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requested = request.getParameter("return");
        String returnTo = ReturnPaths.isLocal(requested) ? requested : web.config.afterLoginUri();
        response.setHeader("Cache-Control", "no-store");
        if (DiscordAuth.currentUser(request).isPresent()) {
            response.sendRedirect(request.getContextPath() + returnTo);
            return;
        }
        response.sendRedirect(web.startLogin(request, returnTo).toString());
    }

    private String loginLink(HttpServletRequest request) {
        return request.getContextPath() + web.config.loginPath();
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String state = request.getParameter("state");
        HttpSession session = request.getSession(false);
        if (state == null || state.isEmpty()) {
            WebPages.send(response, 400, "Login failed", "The answer from Discord carries no state. Start the login "
                    + "again.", loginLink(request), "Log in with Discord");
            return;
        }
        Optional<PendingLogin> pending = session == null ? Optional.empty() : web.takePending(session, state);
        if (pending.isEmpty()) {
            WebPages.send(response, 400, "Login expired or already used", "This login link is unknown, was already "
                    + "used, or has expired. Start the login again.", loginLink(request), "Log in with Discord");
            return;
        }
        PendingLogin login = pending.get();
        String error = request.getParameter("error");
        if (error != null) {
            if (error.equals("access_denied")) {
                Optional<String> page = web.config.loginCancelledUri();
                if (page.isPresent()) {
                    response.sendRedirect(request.getContextPath() + page.get());
                    return;
                }
                WebPages.send(response, 200, "Login cancelled", "You cancelled the login with Discord.",
                        loginLink(request) + "?return=" + java.net.URLEncoder.encode(login.returnTo(),
                                java.nio.charset.StandardCharsets.UTF_8), "Try again");
                return;
            }
            WebPages.send(response, 400, "Login failed", "Discord answered: " + error + ".", loginLink(request),
                    "Try again");
            return;
        }
        String code = request.getParameter("code");
        if (code == null || code.isEmpty()) {
            WebPages.send(response, 400, "Login failed", "The answer from Discord carries no code.",
                    loginLink(request), "Try again");
            return;
        }
        AccessToken token;
        DiscordPrincipal principal;
        try {
            token = web.client.exchangeCode(code, login.codeVerifier(), URI.create(login.redirectUri()));
            User user = token.fetchIdentify();
            principal = DiscordPrincipal.of(user);
        } catch (HttpException e) {
            LOG.log(System.Logger.Level.WARNING, "Discord login failed: " + e.getMessage());
            WebPages.send(response, e.status() >= 500 ? 502 : 400, "Login failed", "Discord did not accept the "
                    + "login. Please try again.", loginLink(request), "Try again");
            return;
        } catch (DiscordException e) {
            LOG.log(System.Logger.Level.WARNING, "Discord login failed: " + e.getMessage());
            WebPages.send(response, 502, "Login failed", "Discord could not be reached. Please try again.",
                    loginLink(request), "Try again");
            return;
        }
        if (web.config.requireVerifiedEmail() && !Boolean.TRUE.equals(principal.verified())) {
            revokeQuietly(token.token());
            WebPages.send(response, 403, "E-mail address not verified", "This application needs a Discord account "
                    + "with a verified e-mail address.", null, null);
            return;
        }
        request.changeSessionId();
        HttpSession current = request.getSession();
        current.setAttribute(DiscordWeb.TOKENS, DiscordTokens.of(token));
        current.setAttribute(DiscordWeb.PRINCIPAL, principal);
        response.setHeader("Cache-Control", "no-store");
        String returnTo = ReturnPaths.isLocal(login.returnTo()) ? login.returnTo() : web.config.afterLoginUri();
        response.sendRedirect(request.getContextPath() + returnTo);
    }

    private void revokeQuietly(String token) {
        try {
            web.client.revokeToken(token);
        } catch (DiscordException e) {
            LOG.log(System.Logger.Level.WARNING, "revoking the refused login's token failed: " + e.getMessage());
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
