package dev.discordoauth2.servlet;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.DiscordTimeoutException;
import dev.discordoauth2.DiscordTransportException;
import dev.discordoauth2.HttpException;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.RateLimitedException;
import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import dev.discordoauth2.model.User;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The login itself, once, for every front door: the web.xml filter and servlets and the Jakarta Security mechanism
 * are thin adapters over these steps. Each step reads and writes the request, its session and its response (pages,
 * redirects, JSON), and says what it did as a {@link Result} that the adapter maps to its own terms (pass the request
 * on, or an {@code AuthenticationStatus}). The rules live here: when to redirect and when to answer 401, the return
 * path, state and PKCE, the code exchange with its time budget, the session id change, the retry and error pages,
 * the same-origin check and revocation at logout, the groups of a user. A session named in the URL
 * ({@code ;jsessionid=}) is never used for a login: it could be an attacker's. Thread-safe: it holds only the
 * application's {@link DiscordWeb}.
 */
final class LoginFlow {
    /** The loggers keep the names of the components whose steps they log, so that logging configurations still apply. */
    private static final System.Logger LOG = System.getLogger(DiscordCallbackServlet.class.getName());
    private static final System.Logger LOGOUT_LOG = System.getLogger(DiscordLogoutServlet.class.getName());

    /** What a step did with the response. */
    enum Result {
        /** Sent a redirect or an informational page: the browser goes on (Jakarta Security: SEND_CONTINUE). */
        CONTINUE,
        /** Sent a refusal: an error or retry page, or 401/403/405 (Jakarta Security: SEND_FAILURE). */
        FAILED
    }

    /** Which of the library's own paths a request is on. */
    enum Route { CALLBACK, LOGIN, LOGOUT, OTHER }

    /**
     * The request's login: the session's principal, or null, and its tokens' outcome ({@link TokenOutcome#LOGGED_OUT}
     * when there is no principal). Immutable.
     */
    record Current(DiscordPrincipal principal, TokenOutcome outcome) {
        static final Current NONE = new Current(null, TokenOutcome.LOGGED_OUT);

        /** Whether the login holds (its tokens are valid, or kept while Discord does not answer). */
        boolean loggedIn() {
            return principal != null;
        }
    }

    /** Request attribute: the request's {@link Current}, computed once per request (see {@link #current}). */
    private static final String CURRENT = Current.class.getName();

    final DiscordWeb web;

    LoginFlow(DiscordWeb web) {
        this.web = web;
    }

    DiscordConfig config() {
        return web.config;
    }

    /** The request's path inside the application, e.g. {@code /oauth2/callback}. */
    static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /**
     * The request's path inside the application as the container mapped it: decoded, normalised, without path
     * parameters ({@code /oauth2/callback} for {@code /oauth2/callback;x=1} and {@code /%6Fauth2/callback} alike).
     */
    static String mappedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        // asked on every request: no new string when a part is empty (exact, extension, default and /* mappings)
        String path = pathInfo == null || pathInfo.isEmpty() ? (servletPath == null ? "" : servletPath)
                : servletPath == null || servletPath.isEmpty() ? pathInfo : servletPath + pathInfo;
        return path.isEmpty() ? "/" : path;
    }

    /**
     * Which route the request is on, by its mapped path (whatever its spelling); {@code logoutPath} null when logout
     * is not handled on a path of its own here.
     */
    Route route(HttpServletRequest request, String logoutPath) {
        String path = mappedPath(request);
        if (path.equals(web.config.callbackPath(request.getContextPath()))) {
            return Route.CALLBACK;
        }
        if (path.equals(web.config.loginPath())) {
            return Route.LOGIN;
        }
        return path.equals(logoutPath) ? Route.LOGOUT : Route.OTHER;
    }

    /**
     * Whether the request names its session in the URL ({@code ;jsessionid=...}) rather than in a cookie. Such a
     * session is never used for a login: a link can carry an attacker's session (login CSRF).
     */
    static boolean sessionFromUrl(HttpServletRequest request) {
        return request.getRequestedSessionId() != null && request.isRequestedSessionIdFromURL();
    }

    /** The 400 of a request that names its session in the URL. */
    static Result refuseUrlSession(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LOG.log(System.Logger.Level.WARNING, "refused a request to the login that names its session in the URL "
                + "(;jsessionid): a link can carry another person's session");
        WebPages.refuse(request, response, 400, "session_in_url", "Login refused", "This address carries a session "
                + "identifier. Open the application's own page and log in from there.");
        return Result.FAILED;
    }

    // ------------------------------------------------------------------------------------------ every request

    /**
     * The session's login: its principal and its tokens, refreshed first when due (single-flight, see
     * {@link DiscordWeb#currentTokens(HttpSession)}), with every check of the filter: refusals and revocation, the
     * periodic token check, the user's servers. A session that ended meanwhile, and one named in the URL, are logged
     * out. Computed once per request and kept in a request attribute, so that the filter, {@link DiscordAuth} and the
     * CDI beans of one request see one answer and make one check.
     */
    Current current(HttpServletRequest request) {
        if (request.getAttribute(CURRENT) instanceof Current known) {
            return known;
        }
        Current current = check(request);
        request.setAttribute(CURRENT, current);
        return current;
    }

    /** Forgets the request's {@link Current}: the login changed during the request (logged in, out). */
    static void changed(HttpServletRequest request) {
        request.removeAttribute(CURRENT);
    }

    private Current check(HttpServletRequest request) {
        if (sessionFromUrl(request)) {
            return Current.NONE;
        }
        HttpSession session = DiscordAuth.session(request);
        if (session == null) {
            return Current.NONE;
        }
        TokenOutcome outcome = web.currentTokens(session);
        if (outcome instanceof TokenOutcome.Valid valid) {
            return valid.state().current();
        }
        if (outcome instanceof TokenOutcome.Unavailable unavailable) {
            return new Current(unavailable.state().principal(), outcome);
        }
        return Current.NONE;
    }

    /**
     * The groups (roles) of a logged-in user: {@value DiscordLoginFilter#ROLE_USER} always,
     * {@value DiscordLoginFilter#ROLE_VERIFIED} when Discord says the e-mail address is verified and the {@code email}
     * scope was granted, each role of {@code discord.roles} that lists the user's id, and the roles their Discord
     * server roles give ({@code discord.guild-roles}, kept in the principal).
     */
    Set<String> groups(LoginState state) {
        return state.groups(web.config.roles());
    }

    static Set<String> groups(DiscordPrincipal principal, DiscordTokens tokens, Map<String, Set<String>> roles) {
        Set<String> groups = new LinkedHashSet<>();
        groups.add(DiscordLoginFilter.ROLE_USER);
        if (Boolean.TRUE.equals(principal.verified()) && tokens.scopes().contains("email")) {
            groups.add(DiscordLoginFilter.ROLE_VERIFIED);
        }
        roles.forEach((role, ids) -> {
            if (ids.contains(principal.id())) {
                groups.add(role);
            }
        });
        groups.addAll(principal.guildRoles());
        return Set.copyOf(groups);
    }

    /**
     * A request that needs a login and has none: a top-level browser navigation is saved as the return path and
     * redirected to Discord (a new pending login: state, PKCE); anything else (XHR, {@code fetch}, JSON clients,
     * non-GET, assets) gets 401 with {@code WWW-Authenticate} and a small JSON body naming the login URL.
     */
    Result challenge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (sessionFromUrl(request)) {
            return refuseUrlSession(request, response);
        }
        String returnTo = web.returnPath(ReturnPaths.of(request));
        if (ReturnPaths.isNavigation(request)) {
            redirectToDiscord(request, response, returnTo);
            return Result.CONTINUE;
        }
        String loginUrl = request.getContextPath() + web.config.loginPath() + "?return="
                + URLEncoder.encode(ReturnPaths.isAsset(request) ? "/" : returnTo, StandardCharsets.UTF_8);
        response.setHeader("WWW-Authenticate", "Discord realm=\"" + request.getContextPath() + "/\", login_url=\""
                + loginUrl + "\"");
        WebPages.json(response, HttpServletResponse.SC_UNAUTHORIZED, "{\"error\":\"unauthorized\",\"message\":"
                + "\"Log in with Discord first.\",\"login_url\":\"" + jsonEscape(loginUrl) + "\"}");
        return Result.FAILED;
    }

    /** Starts a login that returns to {@code returnTo} (a local path) and redirects (302) to Discord. */
    void redirectToDiscord(HttpServletRequest request, HttpServletResponse response, String returnTo)
            throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String authorize = web.startLogin(request, returnTo).toString();
        web.hardenSessionCookie(request, response);
        response.sendRedirect(authorize);
    }

    /** Discord is not answering and the access token has expired: a retry page or JSON, the login kept. */
    Result unavailable(HttpServletRequest request, HttpServletResponse response, Duration retryAfter)
            throws IOException {
        long seconds = Math.max(1, retryAfter.toSeconds());
        response.setHeader("Retry-After", Long.toString(seconds));
        request.setAttribute(DiscordAuth.ERROR_RETRY_AFTER, seconds);
        if (ReturnPaths.isNavigation(request)) {
            WebPages.send(request, response, 503, "discord_unavailable", "Discord is not answering", "Your login is "
                    + "kept, but Discord did not answer in time. Please try again in a few seconds.",
                    ReturnPaths.isLocal(ReturnPaths.of(request)) ? Origins.app(request, ReturnPaths.of(request)) : null,
                    "Try again");
            return Result.FAILED;
        }
        WebPages.json(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "{\"error\":\"discord_unavailable\","
                + "\"message\":\"Discord is not answering; the login is kept. Try again later.\",\"retry_after\":"
                + seconds + "}");
        return Result.FAILED;
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

    // ------------------------------------------------------------------------------------------ login path

    /**
     * The login entry point: {@code GET ?return=/path} starts a login that returns there (a local path, else
     * {@code discord.after-login-uri}); a logged-in user goes straight there; {@code ?cancelled} shows the "login
     * cancelled" page with a link to try again. A malformed query is a 400 page, a session named in the URL too.
     */
    Result login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (sessionFromUrl(request)) {
            return refuseUrlSession(request, response);
        }
        Optional<Query> query = Query.of(request);
        if (query.isEmpty()) {
            return malformedQuery(request, response);
        }
        String returnTo = web.returnPath(query.get().get("return"));
        response.setHeader("Cache-Control", "no-store");
        boolean loggedIn = current(request).loggedIn();
        if (query.get().has("cancelled") && !loggedIn) {
            WebPages.send(request, response, 200, "login_cancelled", "Login cancelled", "You cancelled the login "
                    + "with Discord. Nothing was shared with this application.", loginLink(request, returnTo),
                    "Try again");
            return Result.CONTINUE;
        }
        if (loggedIn) {
            response.sendRedirect(Origins.app(request, returnTo));
            return Result.CONTINUE;
        }
        redirectToDiscord(request, response, returnTo);
        return Result.CONTINUE;
    }

    private Result malformedQuery(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LOG.log(System.Logger.Level.INFO, "refused a request to the login with a malformed query (a bad escape or "
                + "not UTF-8)");
        WebPages.send(request, response, 400, "bad_request", "Bad request", "This address is malformed. Start the "
                + "login again.", loginLink(request), "Log in with Discord");
        return Result.FAILED;
    }

    private String loginLink(HttpServletRequest request) {
        return Origins.app(request, web.config.loginPath());
    }

    private String loginLink(HttpServletRequest request, String returnTo) {
        return loginLink(request) + "?return=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------ callback

    /**
     * Discord's redirect back. {@code state} is checked before anything else: missing, unknown, replayed or expired
     * is a 400 page and no code is exchanged; so is a session named in the URL and a malformed query.
     * {@code error=access_denied} leads to the "login cancelled" page (or {@code discord.login-cancelled-uri}). The
     * state of a tab whose login another tab completed first brings that tab to its own page, no code exchanged.
     * Otherwise the code is exchanged with the PKCE verifier on this request's thread (at most
     * {@code discord.max-concurrent-logins} at once, else a 503 retry page) within {@code discord.callback-timeout},
     * every call to Discord cut to the time left, the user fetched, the session id changed, the principal and tokens
     * stored, and the browser redirected (302) to the saved return path. Discord's failures are retry pages (503/502
     * with {@code Retry-After}) or 400 pages; a login that cannot be completed after the code exchange revokes the
     * grant it got.
     */
    Result callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (sessionFromUrl(request)) {
            return refuseUrlSession(request, response);
        }
        Optional<Query> parsed = Query.of(request);
        if (parsed.isEmpty()) {
            return malformedQuery(request, response);
        }
        Query query = parsed.get();
        String state = query.get("state");
        HttpSession session = DiscordAuth.session(request);
        if (state == null || state.isEmpty()) {
            WebPages.send(request, response, 400, "missing_state", "Login failed", "The answer from Discord carries no "
                    + "state. Start the login again.", loginLink(request), "Log in with Discord");
            return Result.FAILED;
        }
        DiscordWeb.Taken taken = new DiscordWeb.Taken(null, false);
        try {
            if (session != null && state.length() <= 512) {
                taken = web.takePending(session, state);
            }
        } catch (IllegalStateException ended) {
            // the session ended meanwhile: the state is unknown
        }
        PendingLogin login = taken.pending();
        if (login != null && login.superseded()) {
            // another tab's login completed first: this tab goes back to its own page, its code is not needed
            StateRetry.forget(request, response, request.getContextPath()
                + web.config.callbackPath(request.getContextPath()));
            if (current(request).loggedIn()) {
                response.setHeader("Cache-Control", "no-store");
                response.sendRedirect(Origins.app(request, web.returnPath(login.returnTo())));
                return Result.CONTINUE;
            }
            login = null;
        }
        if (login == null && current(request).loggedIn()) {
            // already logged in (Back to Discord's page, a state used before): nothing to do but go on
            response.setHeader("Cache-Control", "no-store");
            response.sendRedirect(Origins.app(request, web.config.afterLoginUri()));
            return Result.CONTINUE;
        }
        if (login == null) {
            if (!taken.held() && StateRetry.retryOnce(request, response, state, callbackUrl(request, query))) {
                return Result.CONTINUE; // a page that loads the callback again in a second
            }
            WebPages.send(request, response, 400, "invalid_state", "Login expired or already used", "This login link "
                    + "is unknown, was already used, or has expired. Start the login again.", loginLink(request),
                    "Log in with Discord");
            return Result.FAILED;
        }
        StateRetry.forget(request, response, request.getContextPath()
                + web.config.callbackPath(request.getContextPath()));
        String error = query.get("error");
        if (error != null) {
            if (error.equals("access_denied")) {
                Optional<String> page = web.config.loginCancelledUri();
                if (page.isPresent()) {
                    response.sendRedirect(Origins.app(request, page.get()));
                    return Result.CONTINUE;
                }
                // a clean address: no error, error_description or state left in the address bar
                response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                response.setHeader("Location", loginLink(request, login.returnTo()) + "&cancelled");
                return Result.CONTINUE;
            }
            WebPages.send(request, response, 400, "authorization_error", "Login failed", "Discord did not complete the "
                    + "login.", loginLink(request, login.returnTo()), "Try again");
            return Result.FAILED;
        }
        String code = query.get("code");
        if (code == null || code.isEmpty() || code.length() > 512) {
            WebPages.send(request, response, 400, "missing_code", "Login failed", "The answer from Discord carries no "
                    + "valid code.", loginLink(request, login.returnTo()), "Try again");
            return Result.FAILED;
        }
        if (!web.startExchange()) {
            LOG.log(System.Logger.Level.WARNING, "more than " + web.config.maxConcurrentLogins() + " logins are "
                    + "being completed at once (" + DiscordConfig.MAX_CONCURRENT_LOGINS + "); the user was asked to "
                    + "try again");
            return retryPage(request, response, 503, "login_busy", 2, "Too many logins at once", "Many people are "
                    + "logging in right now. Please try again in a few seconds.", login);
        }
        Exchanged done;
        try {
            done = exchange(code, login);
        } catch (DiscordTimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Discord login took longer than " + web.config.callbackTimeout()
                    + "; the user was asked to try again (" + e.getMessage() + ")");
            if (e.getCause() instanceof RateLimitedException limited) {
                // the budget ran out waiting for Discord's rate limit: the user waits as long as Discord asks
                return retryPage(request, response, 503, "discord_busy", limited.retryAfter().toSeconds(), "Discord "
                        + "is busy", "Discord is limiting requests right now. Please try again shortly.", login);
            }
            return retryPage(request, response, 503, "discord_timeout", 5, "Discord is not answering", "Discord did "
                    + "not answer in time. Please try again in a few seconds.", login);
        } catch (RuntimeException e) {
            return failed(request, response, e, login);
        } finally {
            web.endExchange();
        }
        DiscordPrincipal principal = done.principal();
        if (web.config.requireVerifiedEmail() && !Boolean.TRUE.equals(principal.verified())) {
            web.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN, "e-mail address not verified");
            WebPages.send(request, response, 403, "email_not_verified", "E-mail address not verified", "This "
                    + "application needs a Discord account with a verified e-mail address.", null, null);
            return Result.FAILED;
        }
        if (done.standing() != null && !done.standing().admitted()) {
            web.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN, "not a member of the required servers");
            GuildRules rules = web.guilds.rules();
            WebPages.send(request, response, 403, "not_a_member", "Members only", "This application is for the "
                    + "members of " + (rules.requiredGuilds().size() == 1 ? "its Discord server"
                    : rules.requireAll() ? "all of its Discord servers" : "one of its Discord servers")
                    + (rules.inviteUrl().isPresent() ? ". Join, then log in again." : "."),
                    rules.inviteUrl().orElse(null), "Join the server");
            return Result.FAILED;
        }
        try {
            request.changeSessionId();
            HttpSession current = request.getSession();
            long pendingUntil = web.supersedePending(current);
            current.setAttribute(DiscordWeb.LOGIN, new LoginState(principal, DiscordTokens.of(done.token()),
                    SessionChecks.validatedAt(web.clock.instant()), done.standing(), pendingUntil));
            changed(request);
        } catch (IllegalStateException ended) {
            web.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN, "the session ended during the login");
            WebPages.send(request, response, 400, "session_ended", "Login expired", "The session ended during the "
                    + "login. Start the login again.", loginLink(request, login.returnTo()), "Log in with Discord");
            return Result.FAILED;
        }
        web.hardenSessionCookie(request, response);
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(Origins.app(request, web.returnPath(login.returnTo())));
        return Result.CONTINUE;
    }

    /**
     * The callback's own URL for a retry: the application's origin and the callback path the library serves, with
     * Discord's parameters encoded again; never the request's own spelling of the path.
     */
    private String callbackUrl(HttpServletRequest request, Query query) {
        StringBuilder url = new StringBuilder(Origins.app(request, web.config.callbackPath(request.getContextPath())));
        char separator = '?';
        for (String name : new String[] {"code", "state", "error", "error_description"}) {
            String value = query.get(name);
            if (value != null) {
                url.append(separator).append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return url.toString();
    }

    /** A finished code exchange: the tokens and the user they belong to. */
    private record Exchanged(AccessToken token, DiscordPrincipal principal, GuildStanding standing) {
    }

    /**
     * Exchanges the code and fetches the user (and their servers), every call cut to what is left of
     * {@code discord.callback-timeout}, so the request's thread is given back once the budget is spent; when the user
     * cannot be had, the just-issued grant is revoked so that no half-done login stays authorized at Discord.
     *
     * @throws DiscordTimeoutException when the budget ran out
     */
    private Exchanged exchange(String code, PendingLogin login) {
        Duration budget = web.config.callbackTimeout();
        long deadline = System.nanoTime() + budget.toNanos();
        AccessToken token = web.client.withCallTimeout(budget).exchangeCode(code, login.codeVerifier(),
                URI.create(login.redirectUri()));
        try {
            User user = within(deadline, budget).fromAccessToken(token.token()).fetchIdentify();
            GuildStanding standing = null;
            if (web.guilds.active()) {
                PartialAccessToken lookup = within(deadline, budget).fromAccessToken(token.token());
                standing = web.guilds.lookUp(lookup, web.clock.instant());
            }
            DiscordPrincipal principal = DiscordPrincipal.of(user);
            return new Exchanged(token, standing == null ? principal : principal.withGuildRoles(standing.roles()),
                    standing);
        } catch (RuntimeException e) {
            web.revokeQuietly(token.token(), TokenTypeHint.ACCESS_TOKEN, "the login could not be completed");
            throw e;
        }
    }

    /** The client, its calls cut to the time left until {@code deadline} (of a {@code budget}). */
    private DiscordOAuth2Client within(long deadline, Duration budget) {
        long left = deadline - System.nanoTime();
        // none left: the view's first call ends at once with the DiscordTimeoutException
        return web.client.withCallTimeout(Duration.ofNanos(Math.max(1, left)));
    }

    /** Maps a failed login to its page: retry pages for Discord's troubles, 400 for a refused code. */
    private Result failed(HttpServletRequest request, HttpServletResponse response, RuntimeException cause,
            PendingLogin login) throws IOException {
        if (!(cause instanceof DiscordException)) {
            throw cause; // a defect, not Discord: the front door answers 503 and logs it
        }
        LOG.log(System.Logger.Level.WARNING, "Discord login failed: " + cause.getMessage());
        if (cause instanceof RateLimitedException limited) {
            return retryPage(request, response, 503, "discord_busy", limited.retryAfter().toSeconds(), "Discord is "
                    + "busy", "Discord is limiting requests right now. Please try again shortly.", login);
        } else if (cause instanceof InvalidGrantException) {
            WebPages.send(request, response, 400, "invalid_grant", "Login expired or already used", "Discord no longer "
                    + "accepts this login. Start the login again.", loginLink(request, login.returnTo()),
                    "Log in with Discord");
        } else if (cause instanceof HttpException http && http.status() < 500) {
            WebPages.send(request, response, 400, "login_refused", "Login failed", "Discord did not accept the login. "
                    + "Please try again.", loginLink(request, login.returnTo()), "Try again");
        } else if (cause instanceof DiscordTransportException) {
            return retryPage(request, response, 503, "discord_unreachable", 5, "Discord is not answering", "Discord "
                    + "could not be reached. Please try again in a few seconds.", login);
        } else {
            // 5xx, malformed answers
            return retryPage(request, response, 502, "discord_bad_answer", 5, "Discord answered wrongly", "Discord's "
                    + "answer could not be used. Please try again in a few seconds.", login);
        }
        return Result.FAILED;
    }

    private Result retryPage(HttpServletRequest request, HttpServletResponse response, int status, String code,
            long retryAfter, String title, String message, PendingLogin login) throws IOException {
        long seconds = Math.max(1, Math.min(retryAfter, 86_400));
        response.setHeader("Retry-After", Long.toString(seconds));
        request.setAttribute(DiscordAuth.ERROR_RETRY_AFTER, seconds);
        WebPages.send(request, response, status, code, title, message, loginLink(request, login.returnTo()),
                "Try again");
        return Result.FAILED;
    }

    // ------------------------------------------------------------------------------------------ logout

    /**
     * Logs out: POST only (anything else is 405, so a link or an image cannot log anyone out); a cross-site POST
     * (see {@link Origins#isSameOrigin}) is 403 and revokes nothing. Otherwise the session's grant is revoked at
     * Discord when {@code discord.revoke-on-logout} is true (a failure is logged, the logout goes on), the session is
     * invalidated, and the browser redirected (303) to {@code discord.after-logout-uri}.
     */
    Result logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            WebPages.send(request, response, 405, "method_not_allowed", "Method not allowed", "Log out with a POST "
                    + "request (a form button).", null, null);
            return Result.FAILED;
        }
        if (!Origins.isSameOrigin(request, web.trustedOrigin())) {
            LOGOUT_LOG.log(System.Logger.Level.WARNING, "refused a cross-site logout request (Origin "
                    + WebPages.printable(request.getHeader("Origin")) + ")");
            WebPages.send(request, response, 403, "cross_site_request", "Forbidden", "Log out from this application's "
                    + "own pages.", null, null);
            return Result.FAILED;
        }
        HttpSession session = DiscordAuth.session(request);
        if (session != null) {
            revokeOnLogout(session);
            web.endLogin(session);
        }
        changed(request);
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", Origins.app(request, web.config.afterLogoutUri()));
        return Result.CONTINUE;
    }

    /**
     * Ends the request's login without invalidating its session (the container's {@code request.logout()}): the
     * grant is revoked as at logout, and the principal, tokens and checks leave the session, so that its next
     * request is logged out. The rest of the session is the application's.
     */
    void forget(HttpServletRequest request) {
        HttpSession session = DiscordAuth.session(request);
        if (session != null) {
            revokeOnLogout(session);
            web.forgetLogin(session);
        }
        changed(request);
    }

    private void revokeOnLogout(HttpSession session) {
        DiscordTokens tokens;
        try {
            LoginState state = DiscordWeb.state(session);
            if (!web.config.revokeOnLogout() || state == null) {
                return;
            }
            tokens = state.tokens();
        } catch (IllegalStateException ended) {
            return; // ended meanwhile: nothing to revoke from here
        }
        try {
            if (tokens.refreshToken() != null) {
                web.client.revokeToken(tokens.refreshToken(), TokenTypeHint.REFRESH_TOKEN);
            } else {
                web.client.revokeToken(tokens.accessToken(), TokenTypeHint.ACCESS_TOKEN);
            }
        } catch (DiscordException e) {
            LOGOUT_LOG.log(System.Logger.Level.WARNING, "revoking the Discord token at logout failed; the session "
                    + "ends anyway: " + e.getMessage());
        }
    }
}
