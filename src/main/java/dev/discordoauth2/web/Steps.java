package dev.discordoauth2.web;

import dev.discordoauth2.AuthorizeRequest;
import dev.discordoauth2.AuthorizeRequest.Pkce;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import dev.discordoauth2.web.Outcome;
import dev.discordoauth2.web.Outcome.Failure;
import dev.discordoauth2.web.Outcome.Page;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The login's steps but the callback ({@link Callback}), on the ports of {@link LoginCore}: a request's login after the
 * checks (once per request, kept in a request attribute), the challenge of a request that needs a login (a
 * navigation goes to Discord with a new pending login, state and PKCE; a script gets 401 JSON naming the login URL),
 * the retry answer of a login kept while Discord does not answer, the login path, the logout path and the container's
 * logout. A session named in the URL is never a login. Thread-safe.
 */
final class Steps {
    private static final System.Logger LOG = System.getLogger(Steps.class.getName());
    /** Request attribute: the request's {@link RequestLogin}, computed once per request (see {@link #current}). */
    static final String CURRENT = RequestLogin.class.getName();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DiscordConfig config;
    private final DiscordOAuth2Client client;
    private final LoginChecks checks;
    private final PendingLogins pending;
    private final Clock clock;
    private final LoginEvents events;
    private final LoginCore.SessionStore store;
    private final SharedTokens shared;

    Steps(DiscordConfig config, DiscordOAuth2Client client, LoginChecks checks, PendingLogins pending, Clock clock,
            LoginEvents events, LoginCore.SessionStore store, SharedTokens shared) {
        this.store = store;
        this.shared = shared;
        this.config = config;
        this.client = client;
        this.checks = checks;
        this.pending = pending;
        this.clock = clock;
        this.events = events;
        if (config.scopes().contains("role_connections.write")) {
            LOG.log(System.Logger.Level.INFO, "PKCE is off for this application: Discord refuses it together with "
                    + "the role_connections.write scope; state and the client secret still protect the login");
        }
    }

    // ------------------------------------------------------------------------------------------ every request

    /**
     * The request's login after every check ({@link LoginChecks}), computed once per request: a session that ended
     * meanwhile, and one named in the URL, are nobody's login.
     */
    RequestLogin current(LoginCore.Exchange request) {
        if (request.attribute(CURRENT) instanceof RequestLogin known) {
            return known;
        }
        RequestLogin current = check(request);
        request.setAttribute(CURRENT, current);
        return current;
    }

    /** Forgets the request's {@link RequestLogin}: the login changed during the request (logged in, out). */
    static void changed(LoginCore.Exchange request) {
        request.removeAttribute(CURRENT);
    }

    private RequestLogin check(LoginCore.Exchange request) {
        if (request.sessionNamedInUrl()) {
            return RequestLogin.NONE;
        }
        LoginCore.Session session = session(request);
        if (session == null) {
            return RequestLogin.NONE;
        }
        TokenOutcome outcome = checks.check(session);
        if (outcome instanceof TokenOutcome.Valid valid) {
            return valid.state().current();
        }
        if (outcome instanceof TokenOutcome.Unavailable unavailable) {
            return new RequestLogin(unavailable.state().principal(), outcome);
        }
        return RequestLogin.NONE;
    }

    /** The request's session where the application keeps it, or null when there is none or it ended meanwhile. */
    LoginCore.Session session(LoginCore.Exchange request) {
        try {
            return store.session(request, false);
        } catch (IllegalStateException ended) {
            return null;
        }
    }

    /** The 400 of a request that names its session in the URL: a link can carry another person's session. */
    Outcome refuseUrlSession(LoginCore.Exchange request) {
        LOG.log(System.Logger.Level.WARNING, "refused a request to the login that names its session in the URL "
                + "(;jsessionid): a link can carry another person's session");
        return refuse(request, Failure.SESSION_IN_URL);
    }

    /** A refusal without a link: a page for a browser's navigation, JSON for anything else. */
    static Outcome refuse(LoginCore.Exchange request, Failure failure) {
        if (ReturnPaths.isNavigation(request)) {
            return Page.of(failure);
        }
        return new Outcome.Json(failure.status(), "{\"error\":\"" + failure.code() + "\",\"message\":\""
                + jsonEscape(failure.message()) + "\"}", null, 0);
    }

    /**
     * A request that needs a login and has none: a top-level browser navigation is saved as the return path and
     * redirected to Discord (a new pending login: state, PKCE); anything else (XHR, {@code fetch}, JSON clients,
     * non-GET, assets) gets 401 with {@code WWW-Authenticate} and a small JSON body naming the login URL.
     */
    Outcome challenge(LoginCore.Exchange request) {
        if (request.sessionNamedInUrl()) {
            return refuseUrlSession(request);
        }
        String returnTo = returnPath(ReturnPaths.of(request));
        if (ReturnPaths.isNavigation(request)) {
            return toDiscord(request, returnTo);
        }
        String loginUrl = request.contextPath() + config.loginPath() + "?return="
                + URLEncoder.encode(ReturnPaths.isAsset(request) ? "/" : returnTo, StandardCharsets.UTF_8);
        return new Outcome.Json(401, "{\"error\":\"unauthorized\",\"message\":\"Log in with Discord first.\","
                + "\"login_url\":\"" + jsonEscape(loginUrl) + "\"}", "Discord realm=\"" + request.contextPath()
                + "/\", login_url=\"" + loginUrl + "\"", 0);
    }

    /**
     * Starts a login that returns to {@code returnTo} (a local path): a fresh state and PKCE pair kept in the session
     * with the return path, and a 302 to Discord's authorize URL.
     */
    Outcome toDiscord(LoginCore.Exchange request, String returnTo) {
        return toDiscord(request, returnTo, PendingLogin.Purpose.LOGIN, config.scopes(), null);
    }

    /**
     * Starts {@code purpose}'s authorization with {@code scopes}: PKCE unless {@code role_connections.write} is among
     * them (Discord refuses the two together); {@code more} adds parameters (the bot's), or null.
     */
    Outcome toDiscord(LoginCore.Exchange request, String returnTo, PendingLogin.Purpose purpose,
            java.util.List<String> scopes, java.util.function.Consumer<AuthorizeRequest.Builder> more) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Pkce challenge = scopes.contains("role_connections.write") ? null : Pkce.generate();
        String redirectUri = redirectUri(request);
        pending.add(store.session(request, true), new PendingLogin(state, challenge == null ? null : challenge.verifier(),
                returnPath(returnTo), redirectUri, clock.instant(), purpose));
        AuthorizeRequest.Builder authorize = AuthorizeRequest.builder().scopes(scopes).state(state)
                .codeChallenge(challenge).redirectUri(URI.create(redirectUri));
        config.prompt().ifPresent(authorize::prompt);
        if (more != null) {
            more.accept(authorize);
        }
        return new Outcome.Redirect(client.generateUri(authorize.build()).toString(), 302, java.util.List.of(), true);
    }

    /** Discord is not answering and the access token has expired: a retry page or JSON, the login kept. */
    Outcome unavailable(LoginCore.Exchange request, Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        if (ReturnPaths.isNavigation(request)) {
            String again = ReturnPaths.of(request);
            return Page.of(Failure.DISCORD_UNAVAILABLE).retryAfter(seconds)
                    .link(ReturnPaths.isLocal(again) ? Origins.app(request, again) : null, "Try again");
        }
        return new Outcome.Json(503, "{\"error\":\"discord_unavailable\",\"message\":\"Discord is not answering; the "
                + "login is kept. Try again later.\",\"retry_after\":" + seconds + "}", null, seconds);
    }

    /** The redirect URI for this request: the configured absolute URI, or the path resolved against the request. */
    String redirectUri(LoginCore.Exchange request) {
        String configured = config.redirectUri();
        return configured.startsWith("/") ? Origins.app(request, configured) : configured;
    }

    /** Where to go after a login: {@code requested} when it is a safe local path, else {@code discord.after-login-uri}. */
    String returnPath(String requested) {
        return ReturnPaths.isLocal(requested) ? requested : config.afterLoginUri();
    }

    String loginLink(LoginCore.Exchange request) {
        return Origins.app(request, config.loginPath());
    }

    String loginLink(LoginCore.Exchange request, String returnTo) {
        return loginLink(request) + "?return=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    }

    /** A GET to one of the library's own paths: its query, or the refusal (a session named in the URL, a bad query). */
    record OwnGet(Query query, Outcome refusal) {
    }

    OwnGet ownGet(LoginCore.Exchange request) {
        if (request.sessionNamedInUrl()) {
            return new OwnGet(null, refuseUrlSession(request));
        }
        Optional<Query> query = Query.of(request);
        return query.isPresent() ? new OwnGet(query.get(), null) : new OwnGet(null, malformedQuery(request));
    }

    /** The 400 of a malformed query on the library's own GET paths. */
    Outcome malformedQuery(LoginCore.Exchange request) {
        LOG.log(System.Logger.Level.INFO, "refused a request to the login with a malformed query (a bad escape or "
                + "not UTF-8)");
        return Page.of(Failure.BAD_REQUEST).link(loginLink(request), "Log in with Discord");
    }

    // ------------------------------------------------------------------------------------------ login path

    /**
     * The login entry point: {@code GET ?return=/path} starts a login that returns there (a local path, else
     * {@code discord.after-login-uri}); a logged-in user goes straight there; {@code ?cancelled} shows the "login
     * cancelled" page with a link to try again. A malformed query is a 400 page, a session named in the URL too.
     */
    Outcome login(LoginCore.Exchange request) {
        OwnGet get = ownGet(request);
        if (get.refusal() != null) {
            return get.refusal();
        }
        String returnTo = returnPath(get.query().get("return"));
        boolean loggedIn = current(request).loggedIn();
        if (get.query().has("cancelled") && !loggedIn) {
            return Page.of(Failure.LOGIN_CANCELLED).link(loginLink(request, returnTo), "Try again");
        }
        if (loggedIn) {
            return Outcome.Redirect.to(Origins.app(request, returnTo));
        }
        return toDiscord(request, returnTo);
    }

    // ------------------------------------------------------------------------------------------ logout

    /**
     * Logs out: POST only (anything else is 405, so a link or an image cannot log anyone out); a cross-site POST
     * (see {@link Origins#isSameOrigin}) is 403 and revokes nothing. Otherwise the session's grant is revoked at
     * Discord when {@code discord.revoke-on-logout} is true (a failure is logged, the logout goes on), the session is
     * invalidated, and the browser redirected (303) to {@code discord.after-logout-uri}.
     */
    Outcome logout(LoginCore.Exchange request) {
        if (!"POST".equals(request.method())) {
            return Page.of(Failure.METHOD_NOT_ALLOWED).header("Allow", "POST");
        }
        if (!Origins.isSameOrigin(request, trustedOrigin())) {
            LOG.log(System.Logger.Level.WARNING, "refused a cross-site logout request (Origin "
                    + printable(request.header("Origin")) + ")");
            return Page.of(Failure.CROSS_SITE_REQUEST);
        }
        LoginCore.Session session = session(request);
        if (session != null) {
            DiscordPrincipal user = revokeOnLogout(session);
            checks.endSession(session);
            if (user != null) {
                events.loggedOut(user);
            }
        }
        changed(request);
        return new Outcome.Redirect(Origins.app(request, config.afterLogoutUri()), 303, java.util.List.of(), false);
    }

    /**
     * Ends the request's login without invalidating its session (the container's {@code request.logout()}): the
     * grant is revoked as at logout, and the login leaves the session, so that its next request is logged out. The
     * rest of the session is the application's.
     */
    void forget(LoginCore.Exchange request) {
        LoginCore.Session session = session(request);
        if (session != null) {
            DiscordPrincipal user = revokeOnLogout(session);
            checks.removeLogin(session);
            if (user != null) {
                events.loggedOut(user);
            }
        }
        changed(request);
    }

    /** Revokes the session's grant when {@code discord.revoke-on-logout} is on; returns the user, or null. */
    private DiscordPrincipal revokeOnLogout(LoginCore.Session session) {
        LoginState state;
        try {
            state = LoginStates.of(session);
        } catch (IllegalStateException ended) {
            return null; // ended meanwhile: nothing to revoke from here
        }
        if (state == null) {
            return null;
        }
        if (config.revokeOnLogout()) {
            DiscordTokens tokens = state.tokens();
            if (shared != null) {
                // the tokens are the store's: revoked at Discord and deleted, so every session of the user ends
                String userId = state.principal().id();
                try {
                    java.util.Optional<StoredTokens> row = shared.find(userId);
                    if (row.isEmpty()) {
                        return state.principal(); // already ended elsewhere
                    }
                    tokens = SharedTokens.tokensOf(row.get());
                    shared.delete(userId);
                } catch (TokenStoreException e) {
                    LOG.log(System.Logger.Level.WARNING, "the token store could not be reached at logout; this "
                            + "session ends, the user's other sessions end when the grant's refusal is seen: "
                            + e.getMessage());
                    return state.principal();
                }
            }
            try {
                if (tokens.refreshToken() != null) {
                    client.revokeToken(tokens.refreshToken(), TokenTypeHint.REFRESH_TOKEN);
                } else {
                    client.revokeToken(tokens.accessToken(), TokenTypeHint.ACCESS_TOKEN);
                }
            } catch (DiscordException e) {
                LOG.log(System.Logger.Level.WARNING, "revoking the Discord token at logout failed; the session ends "
                        + "anyway: " + e.getMessage());
            }
        }
        return state.principal();
    }

    /** The origin of an absolute redirect URI (the application's public origin behind a proxy), or null. */
    String trustedOrigin() {
        return config.redirectUri().startsWith("/") ? null : Origins.originOf(config.redirectUri());
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

    /** A header value or message for a log line: at most 200 characters, control characters replaced. */
    static String printable(String s) {
        if (s == null) {
            return "none";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
