package dev.discordoauth2.servlet;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.DiscordTransportException;
import dev.discordoauth2.HttpException;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.RateLimitedException;
import dev.discordoauth2.TokenTypeHint;
import dev.discordoauth2.model.User;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        web = DiscordWeb.startOrNull("DiscordCallbackServlet", servletConfig::getInitParameter,
                servletConfig.getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (web == null) {
            WebPages.notConfigured(request, response);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        try {
            if (path.equals(web.config.loginPath())) {
                startLogin(request, response);
            } else {
                callback(request, response);
            }
        } catch (RuntimeException e) {
            // a defect, not an input: the user gets a short page, the log the detail (never a token: none is in it)
            LOG.log(System.Logger.Level.ERROR, "the Discord login failed unexpectedly", e);
            if (!response.isCommitted()) {
                response.reset();
                WebPages.send(request, response, 500, "internal_error", "Login failed", "Something went wrong on our side. Please try again.",
                        loginLink(request), "Log in with Discord");
            }
        }
    }

    private void startLogin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String returnTo = web.returnPath(request.getParameter("return"));
        response.setHeader("Cache-Control", "no-store");
        if (request.getParameter("cancelled") != null && DiscordAuth.currentUser(request).isEmpty()) {
            WebPages.send(request, response, 200, "login_cancelled", "Login cancelled", "You cancelled the login "
                    + "with Discord. Nothing was shared with this application.", loginLink(request, returnTo),
                    "Try again");
            return;
        }
        if (DiscordAuth.currentUser(request).isPresent()) {
            response.sendRedirect(Origins.app(request, returnTo));
            return;
        }
        String authorize = web.startLogin(request, returnTo).toString();
        web.hardenSessionCookie(request, response);
        response.sendRedirect(authorize);
    }

    private String loginLink(HttpServletRequest request) {
        return Origins.app(request, web.config.loginPath());
    }

    private String loginLink(HttpServletRequest request, String returnTo) {
        return loginLink(request) + "?return=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String state = request.getParameter("state");
        HttpSession session = DiscordAuth.session(request);
        if (state == null || state.isEmpty()) {
            WebPages.send(request, response, 400, "missing_state", "Login failed", "The answer from Discord carries no state. Start the login "
                    + "again.", loginLink(request), "Log in with Discord");
            return;
        }
        Optional<PendingLogin> pending = Optional.empty();
        boolean stateHeld = false;
        try {
            stateHeld = session != null && state.length() <= 512 && web.holdsState(session, state);
            pending = session == null || state.length() > 512 ? Optional.empty() : web.takePending(session, state);
        } catch (IllegalStateException ended) {
            // the session ended meanwhile: the state is unknown
        }
        if (pending.isEmpty() && DiscordAuth.currentUser(request).isPresent()) {
            // already logged in (another tab's login, or Back to Discord's page): nothing to do but go on
            response.setHeader("Cache-Control", "no-store");
            response.sendRedirect(Origins.app(request, web.config.afterLoginUri()));
            return;
        }
        if (pending.isEmpty()) {
            if (!stateHeld && StateRetry.retryOnce(request, response, state)) {
                return;
            }
            WebPages.send(request, response, 400, "invalid_state", "Login expired or already used", "This login link is unknown, was already "
                    + "used, or has expired. Start the login again.", loginLink(request), "Log in with Discord");
            return;
        }
        PendingLogin login = pending.get();
        StateRetry.forget(request, response);
        String error = request.getParameter("error");
        if (error != null) {
            if (error.equals("access_denied")) {
                Optional<String> page = web.config.loginCancelledUri();
                if (page.isPresent()) {
                    response.sendRedirect(Origins.app(request, page.get()));
                    return;
                }
                // a clean address: no error, error_description or state left in the address bar
                response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                response.setHeader("Location", loginLink(request, login.returnTo()) + "&cancelled");
                return;
            }
            WebPages.send(request, response, 400, "authorization_error", "Login failed", "Discord did not complete the login.",
                    loginLink(request, login.returnTo()), "Try again");
            return;
        }
        String code = request.getParameter("code");
        if (code == null || code.isEmpty() || code.length() > 512) {
            WebPages.send(request, response, 400, "missing_code", "Login failed", "The answer from Discord carries no valid code.",
                    loginLink(request, login.returnTo()), "Try again");
            return;
        }
        Login done;
        CompletableFuture<Login> attempt = web.async(() -> login(code, login));
        try {
            done = attempt.get(web.config.callbackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // the user sees the retry page; a login that still completes is revoked, never left authorized
            attempt.thenAccept(late -> web.revokeQuietly(late.token().token(), TokenTypeHint.ACCESS_TOKEN,
                    "the login finished after its time budget"));
            LOG.log(System.Logger.Level.WARNING, "Discord login took longer than " + web.config.callbackTimeout()
                    + "; the user was asked to try again");
            retryPage(request, response, 503, "discord_timeout", 5, "Discord is not answering", "Discord did not answer in time. "
                    + "Please try again in a few seconds.", login);
            return;
        } catch (ExecutionException e) {
            failed(request, response, e.getCause(), login);
            return;
        }
        DiscordPrincipal principal = done.principal();
        if (web.config.requireVerifiedEmail() && !Boolean.TRUE.equals(principal.verified())) {
            web.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN, "e-mail address not verified");
            WebPages.send(request, response, 403, "email_not_verified", "E-mail address not verified", "This application needs a Discord account "
                    + "with a verified e-mail address.", null, null);
            return;
        }
        HttpSession current;
        try {
            request.changeSessionId();
            current = request.getSession();
            current.removeAttribute(DiscordWeb.PENDING);
            current.setAttribute(DiscordWeb.TOKENS, DiscordTokens.of(done.token()));
            current.setAttribute(DiscordWeb.CHECKS, SessionChecks.validatedAt(web.clock.instant()));
            current.setAttribute(DiscordWeb.PRINCIPAL, principal);
        } catch (IllegalStateException ended) {
            web.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN, "the session ended during the login");
            WebPages.send(request, response, 400, "session_ended", "Login expired", "The session ended during the login. Start the login "
                    + "again.", loginLink(request, login.returnTo()), "Log in with Discord");
            return;
        }
        web.hardenSessionCookie(request, response);
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(Origins.app(request, web.returnPath(login.returnTo())));
    }

    /** A finished code exchange: the tokens and the user they belong to. */
    private record Login(AccessToken token, DiscordPrincipal principal) {
    }

    /**
     * Exchanges the code and fetches the user; when the user cannot be had, the just-issued grant is revoked so that
     * no half-done login stays authorized at Discord.
     */
    private Login login(String code, PendingLogin login) {
        AccessToken token = web.client.exchangeCode(code, login.codeVerifier(), URI.create(login.redirectUri()));
        try {
            User user = token.fetchIdentify();
            return new Login(token, DiscordPrincipal.of(user));
        } catch (RuntimeException e) {
            web.revokeQuietly(token.token(), TokenTypeHint.ACCESS_TOKEN, "the login could not be completed");
            throw e;
        }
    }

    /** Maps a failed login to its page: retry pages for Discord's troubles, 400 for a refused code. */
    private void failed(HttpServletRequest request, HttpServletResponse response, Throwable cause, PendingLogin login)
            throws IOException {
        LOG.log(System.Logger.Level.WARNING, "Discord login failed: " + (cause == null ? "unknown" : cause.getMessage()));
        if (cause instanceof RateLimitedException limited) {
            retryPage(request, response, 503, "discord_busy", limited.retryAfter().toSeconds(), "Discord is busy", "Discord is "
                    + "limiting requests right now. Please try again shortly.", login);
        } else if (cause instanceof InvalidGrantException) {
            WebPages.send(request, response, 400, "invalid_grant", "Login expired or already used", "Discord no longer accepts this login. "
                    + "Start the login again.", loginLink(request, login.returnTo()), "Log in with Discord");
        } else if (cause instanceof HttpException http && http.status() < 500) {
            WebPages.send(request, response, 400, "login_refused", "Login failed", "Discord did not accept the login. Please try again.",
                    loginLink(request, login.returnTo()), "Try again");
        } else if (cause instanceof DiscordTransportException) {
            retryPage(request, response, 503, "discord_unreachable", 5, "Discord is not answering", "Discord could not be reached. Please "
                    + "try again in a few seconds.", login);
        } else {
            // 5xx, malformed answers, anything unexpected
            retryPage(request, response, 502, "discord_bad_answer", 5, "Discord answered wrongly", "Discord's answer could not be used. "
                    + "Please try again in a few seconds.", login);
        }
    }

    private void retryPage(HttpServletRequest request, HttpServletResponse response, int status, String code,
            long retryAfter, String title, String message, PendingLogin login) throws IOException {
        long seconds = Math.max(1, Math.min(retryAfter, 86_400));
        response.setHeader("Retry-After", Long.toString(seconds));
        request.setAttribute(DiscordAuth.ERROR_RETRY_AFTER, seconds);
        WebPages.send(request, response, status, code, title, message, loginLink(request, login.returnTo()),
                "Try again");
    }

    @Override
    public void destroy() {
        if (web != null) {
            web.release();
            web = null;
        }
    }
}
