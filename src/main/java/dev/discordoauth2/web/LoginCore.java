package dev.discordoauth2.web;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.PartialAccessToken;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The login of one application, free of any container: the configuration, one {@link DiscordOAuth2Client}, the
 * pending logins, the single-flight token refresh with its backoff, the ledger of refused tokens, the periodic
 * revalidation, the guild rechecks, and each step's {@link Outcome}. The front doors (the web.xml filter and servlets,
 * the Jakarta Security mechanism, the CDI beans) are thin adapters: each hands the core its request as an
 * {@link Exchange} and renders the outcome. The library's initializer (or its Jakarta Security extension) creates one
 * core per application and closes it with the application. Everything the core keeps in a session is one
 * serializable login state and the list of pending logins, under two attributes. Thread-safe.
 */
public final class LoginCore implements AutoCloseable {

    /**
     * A request as the core sees it: what the login's rules read of it, and its session. Adapters implement it over
     * their container's request for the duration of one request; it is used from that request's thread only.
     */
    public interface Exchange {
        /** The HTTP method, e.g. {@code GET}. */
        String method();

        /** A request header's value, or null. */
        String header(String name);

        /** The request's own origin, {@code scheme://host[:port]}, the port left out when it is the default. */
        String origin();

        /** The application's context path ({@code ""} for the root application). */
        String contextPath();

        /** The request's path inside the application as sent (not decoded), e.g. {@code /profile}. */
        String rawPath();

        /** The request's path inside the application as the container mapped it (decoded, normalised). */
        String mappedPath();

        /** The raw query string, or null. */
        String rawQuery();

        /** A request cookie's value, or null. */
        String cookie(String name);

        /** Whether the request names a session (a session cookie, or an id in the URL). */
        boolean namesSession();

        /** Whether the request names its session in the URL ({@code ;jsessionid=}) rather than in a cookie. */
        boolean sessionNamedInUrl();

        /**
         * The request's session; created when {@code create} is true, else null when there is none.
         *
         * @throws IllegalStateException when the session ended meanwhile
         */
        Session session(boolean create);

        /** Gives the request's session a new id (at login) and returns it. */
        Session changeSessionId();

        /** A request attribute, or null: the core keeps its per-request answer there. */
        Object attribute(String name);

        void setAttribute(String name, Object value);

        void removeAttribute(String name);
    }

    /**
     * A session as the core sees it: attributes, its id, its lifetime, and its end. Every method may throw
     * {@link IllegalStateException} when the session ended meanwhile (a logout in another tab).
     */
    public interface Session {
        String id();

        Object get(String name);

        /** Stores a serializable value; a container with a shared store persists it. */
        void set(String name, Object value);

        void remove(String name);

        /** How long the session lives without a request, in seconds; zero or less for ever. */
        int maxInactiveSeconds();

        /** Ends the session. */
        void invalidate();
    }

    /**
     * Where the login's state lives for a request: by default the container's session ({@link #CONTAINER}); an
     * application can keep it elsewhere (a shared store, a sealed cookie) by giving the core its own store. The store
     * hands the core a {@link Session} for the request, and renews it at login (a new id, so that a session known
     * before the login is worth nothing after it). Implementations must be thread-safe.
     */
    public interface SessionStore {
        /**
         * The {@code ServletContext} attribute a web application puts its store under (in a
         * {@code ServletContextListener}) for the library's front doors to use.
         */
        String ATTRIBUTE = SessionStore.class.getName();

        /** The container's session of the request ({@link Exchange#session}, {@link Exchange#changeSessionId}). */
        SessionStore CONTAINER = new SessionStore() {
            @Override
            public Session session(Exchange request, boolean create) {
                return request.session(create);
            }

            @Override
            public Session renew(Exchange request) {
                return request.changeSessionId();
            }

            @Override
            public String toString() {
                return "SessionStore.CONTAINER";
            }
        };

        /**
         * The request's session; created when {@code create} is true, else null when there is none.
         *
         * @throws IllegalStateException when the session ended meanwhile
         */
        Session session(Exchange request, boolean create);

        /** Gives the request's session a new identity at login, keeping its content, and returns it. */
        Session renew(Exchange request);
    }

    private final DiscordConfig config;
    private final CoreParts parts;

    private LoginCore(DiscordConfig config, Clock clock, RoleMapper mapper, SessionStore store) {
        SessionStore sessions = store == null ? SessionStore.CONTAINER : store;
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.parts = new CoreParts(config, clock, mapper, sessions);
    }

    /**
     * A core for {@code config}: {@code clock} replaces the system clock (tests; null for the system's),
     * {@code mapper} adds the application's roles (null for none). Close it when the application stops.
     */
    public static LoginCore start(DiscordConfig config, Clock clock, RoleMapper mapper) {
        return new LoginCore(config, clock, mapper, null);
    }

    /** {@link #start(DiscordConfig, Clock, RoleMapper)} with the login's state kept in {@code store} (null: the container's session). */
    public static LoginCore start(DiscordConfig config, Clock clock, RoleMapper mapper, SessionStore store) {
        return new LoginCore(config, clock, mapper, store);
    }

    /** The application's configuration. */
    public DiscordConfig config() {
        return config;
    }

    /** The application's client (the same one the login uses); closed with the core. */
    public DiscordOAuth2Client client() {
        return parts.client;
    }

    /** Adds a receiver of the login's events (called on the request's thread; one that throws is logged). */
    public void addListener(Consumer<DiscordLoginEvent> listener) {
        parts.events.add(Objects.requireNonNull(listener, "listener must not be null"));
    }

    // ------------------------------------------------------------------------------------------ the steps

    /** Which of the library's own paths a request is on. */
    public enum Route { CALLBACK, LOGIN, LOGOUT, OTHER }

    /** The route of {@code request} by its mapped path; {@code logoutPath} null when logout has no path here. */
    public Route route(Exchange request, String logoutPath) {
        String path = request.mappedPath();
        if (path.equals(config.callbackPath(request.contextPath()))) {
            return Route.CALLBACK;
        }
        if (path.equals(config.loginPath())) {
            return Route.LOGIN;
        }
        return path.equals(logoutPath) ? Route.LOGOUT : Route.OTHER;
    }

    /**
     * A request to a protected resource: {@link Outcome.Pass} with the user and their groups when the session's
     * login holds after every check (tokens refreshed when due, refusals decided, the user's servers rechecked);
     * else a retry answer while Discord does not answer an expired token's refresh, or the challenge (a navigation
     * goes to Discord, anything else gets 401 JSON).
     */
    public Outcome protect(Exchange request) {
        RequestLogin login = parts.steps.current(request);
        if (login.outcome() instanceof TokenOutcome.Valid valid) {
            return new Outcome.Pass(login.principal(), valid.state().groups(parts.roles));
        }
        if (login.outcome() instanceof TokenOutcome.Unavailable unavailable) {
            return parts.steps.unavailable(request, unavailable.retryAfter());
        }
        return parts.steps.challenge(request);
    }

    /**
     * The request's login without a challenge (a public resource): {@link Outcome.Pass} with the user, or with
     * nobody; a login kept while Discord does not answer passes as nobody.
     */
    public Outcome.Pass peek(Exchange request) {
        RequestLogin login = parts.steps.current(request);
        if (login.outcome() instanceof TokenOutcome.Valid valid) {
            return new Outcome.Pass(login.principal(), valid.state().groups(parts.roles));
        }
        return Outcome.Pass.NOBODY;
    }

    /** The challenge of a request that needs a login (see {@link #protect}). */
    public Outcome challenge(Exchange request) {
        return parts.steps.challenge(request);
    }

    /** Discord's redirect back: finishes the login (see {@code Callback}). */
    public Outcome callback(Exchange request) {
        return parts.callback.handle(request);
    }

    /** The login path: {@code ?return=/path} starts a login, {@code ?cancelled} the "login cancelled" page. */
    public Outcome login(Exchange request) {
        return parts.steps.login(request);
    }

    /** The logout path: POST from the application's own pages, revoke, end the session, 303. */
    public Outcome logout(Exchange request) {
        return parts.steps.logout(request);
    }

    /** Ends the request's login and keeps its session (the container's {@code request.logout()}). */
    public void forget(Exchange request) {
        parts.steps.forget(request);
    }

    /** The request's login after the checks: the user, if a login holds (kept while Discord does not answer too). */
    public Optional<DiscordPrincipal> user(Exchange request) {
        return Optional.ofNullable(parts.steps.current(request).principal());
    }

    /** The session's tokens, if a login holds and a valid access token can be had now. */
    public Optional<DiscordTokens> tokens(Exchange request) {
        return parts.steps.current(request).outcome() instanceof TokenOutcome.Valid valid ? Optional.of(valid.tokens())
                : Optional.empty();
    }

    /**
     * The session's access token for the user API; a 401 from Discord to a call made with it counts as a refusal of
     * the login (decided on the session's next request).
     */
    public Optional<PartialAccessToken> accessToken(Exchange request) {
        Optional<DiscordTokens> tokens = tokens(request);
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        Session session = parts.steps.session(request);
        return session == null ? Optional.empty() : Optional.of(parts.checks.accessTokenFor(session, tokens.get()));
    }

    /** Whether a state-changing request comes from the application's own pages (see the logout's rule). */
    public boolean isSameOrigin(Exchange request) {
        return Origins.isSameOrigin(request, parts.steps.trustedOrigin());
    }

    /** {@link #isSameOrigin(Exchange)} without a configuration: only the request's own origin is trusted. */
    public static boolean isSameOrigin(Exchange request, String trustedOrigin) {
        return Origins.isSameOrigin(request, trustedOrigin);
    }

    /** A refusal of {@code failure}: a page for a navigation, JSON for a script. */
    public static Outcome refuse(Exchange request, Outcome.Failure failure) {
        return Steps.refuse(request, failure);
    }

    /** {@code scheme://host[:port]} for an adapter's {@link Exchange#origin()}, the default port left out. */
    public static String origin(String scheme, String host, int port) {
        return Origins.of(scheme, host, port);
    }

    /**
     * Puts a login of {@code principal} with {@code tokens} into {@code session} where the callback puts one after a
     * login, replacing any login there: the tokens count as checked with Discord just now, no server standing is
     * known yet (with {@code discord.guilds} configured, the next request checks it), and the server roles are the
     * principal's ({@link DiscordPrincipal#withGuildRoles}). For tests (the test kit's {@code DiscordTestLogin}) and
     * for front doors that log a user in by other means; it does not change the session's id, end pending logins or
     * fire a login event, as the callback does. The session must belong to an application that shares these classes.
     */
    public static void storeLogin(Session session, DiscordPrincipal principal, DiscordTokens tokens) {
        Objects.requireNonNull(session, "session must not be null");
        Objects.requireNonNull(principal, "principal must not be null");
        Objects.requireNonNull(tokens, "tokens must not be null");
        session.set(LoginStates.ATTRIBUTE, new LoginState(principal, tokens,
                SessionChecks.validatedAt(java.time.Instant.now()), null, 0L));
    }

    /** The container destroyed a session: the core forgets what this node held for it. */
    public void sessionEnded(String sessionId) {
        parts.checks.forget(sessionId);
    }

    /** How many sessions this node remembers something for, per kind (bounded by the live sessions). */
    public Map<String, Integer> remembered() {
        return parts.checks.remembered();
    }

    /** The redirect URI is https: the session cookie gets {@code Secure}. */
    public boolean secureCookies(Exchange request) {
        return parts.steps.redirectUri(request).regionMatches(true, 0, "https:", 0, 6);
    }

    /** Stops the background work and closes the client. */
    @Override
    public void close() {
        parts.background.close();
        parts.client.close();
    }

    @Override
    public String toString() {
        return "LoginCore[" + config + "]";
    }

    /**
     * What a step of the login decided for a request, as a value the front door renders in its own terms (the filter's
     * chain, an {@code AuthenticationStatus}, {@code sendError} with request attributes): go on (a user, or nobody), a
     * redirect, a page, or a JSON answer for a script. Every answer the library writes itself is one of these; the
     * front doors add {@code Cache-Control: no-store}. Immutable and thread-safe.
     */
    public sealed interface Outcome permits Outcome.Pass, Outcome.Redirect, Outcome.Page, Outcome.Json {

        /**
         * Whether the browser goes on after this answer (a redirect or an informational page: Jakarta Security's
         * {@code SEND_CONTINUE}) rather than being refused ({@code SEND_FAILURE}); a {@link Pass} goes on too.
         */
        boolean goesOn();

        /**
         * The request goes on to the application: as {@code principal} with {@code groups}, or as nobody when
         * {@code principal} is null (a public resource).
         */
        record Pass(DiscordPrincipal principal, Set<String> groups) implements Outcome {
            static final Pass NOBODY = new Pass(null, Set.of());

            public Pass {
                groups = Set.copyOf(groups);
            }

            @Override
            public boolean goesOn() {
                return true;
            }
        }

        /**
         * A redirect ({@code status} 302 or 303) to an absolute {@code location}, with the cookies to set;
         * {@code session} when the response may carry a session cookie the library caused (a login started, the id
         * changed at login), which the front door gives the library's cookie defaults.
         */
        record Redirect(String location, int status, List<Cookie> cookies, boolean session) implements Outcome {
            public Redirect {
                cookies = List.copyOf(cookies);
            }

            static Redirect to(String location) {
                return new Redirect(location, 302, List.of(), false);
            }

            Redirect withCookies(List<Cookie> more) {
                return new Redirect(location, status, more, session);
            }

            @Override
            public boolean goesOn() {
                return true;
            }
        }

        /**
         * A page for a person: the failure (its status, code and title), the message shown, an optional link
         * ({@code link} absolute, or null) with its text, {@code retryAfter} seconds for retry pages (0 for none), a
         * {@code refresh} URL the page reloads after a second (or null), extra headers (such as {@code Allow}) and
         * cookies.
         */
        record Page(Failure failure, String message, String link, String linkText, long retryAfter, String refresh,
                Map<String, String> headers, List<Cookie> cookies) implements Outcome {
            public Page {
                headers = Map.copyOf(headers);
                cookies = List.copyOf(cookies);
            }

            static Page of(Failure failure) {
                return new Page(failure, failure.message(), null, null, 0, null, Map.of(), List.of());
            }

            Page link(String href, String text) {
                return new Page(failure, message, href, text, retryAfter, refresh, headers, cookies);
            }

            Page message(String text) {
                return new Page(failure, text, link, linkText, retryAfter, refresh, headers, cookies);
            }

            Page retryAfter(long seconds) {
                return new Page(failure, message, link, linkText, Math.max(1, Math.min(seconds, 86_400)), refresh,
                        headers, cookies);
            }

            Page refresh(String url) {
                return new Page(failure, message, link, linkText, retryAfter, url, headers, cookies);
            }

            Page header(String name, String value) {
                Map<String, String> more = new java.util.LinkedHashMap<>(headers);
                more.put(name, value);
                return new Page(failure, message, link, linkText, retryAfter, refresh, more, cookies);
            }

            Page cookies(List<Cookie> more) {
                return new Page(failure, message, link, linkText, retryAfter, refresh, headers, more);
            }

            public int status() {
                return failure.status();
            }

            @Override
            public boolean goesOn() {
                return failure.status() < 400;
            }
        }

        /**
         * A JSON answer for a script ({@code fetch}, XHR, API clients): {@code status}, the body, a
         * {@code WWW-Authenticate} value (or null) and {@code retryAfter} seconds (0 for none).
         */
        record Json(int status, String body, String wwwAuthenticate, long retryAfter) implements Outcome {
            @Override
            public boolean goesOn() {
                return false;
            }
        }

        /** A cookie the library sets itself, {@code HttpOnly} and {@code SameSite=Lax}; {@code maxAge} 0 deletes it. */
        record Cookie(String name, String value, String path, int maxAge) {
        }

        /**
         * The library's failures and pages: the status, a short machine-readable code (also in the request attribute
         * {@code dev.discordoauth2.error.code} for the application's own error pages), a title and a message for
         * people.
         */
        enum Failure {
            MISSING_STATE(400, "missing_state", "Login failed",
                    "The answer from Discord carries no state. Start the login again."),
            INVALID_STATE(400, "invalid_state", "Login expired or already used",
                    "This login link is unknown, was already used, or has expired. Start the login again."),
            STATE_NOT_STORED_YET(503, "state_not_stored_yet", "Finishing the login",
                    "This server has not seen the start of your login yet. This page loads again in a second."),
            LOGIN_CANCELLED(200, "login_cancelled", "Login cancelled",
                    "You cancelled the login with Discord. Nothing was shared with this application."),
            AUTHORIZATION_ERROR(400, "authorization_error", "Login failed", "Discord did not complete the login."),
            MISSING_CODE(400, "missing_code", "Login failed", "The answer from Discord carries no valid code."),
            LOGIN_BUSY(503, "login_busy", "Too many logins at once",
                    "Many people are logging in right now. Please try again in a few seconds."),
            DISCORD_TIMEOUT(503, "discord_timeout", "Discord is not answering",
                    "Discord did not answer in time. Please try again in a few seconds."),
            DISCORD_BUSY(503, "discord_busy", "Discord is busy",
                    "Discord is limiting requests right now. Please try again shortly."),
            DISCORD_UNREACHABLE(503, "discord_unreachable", "Discord is not answering",
                    "Discord could not be reached. Please try again in a few seconds."),
            DISCORD_BAD_ANSWER(502, "discord_bad_answer", "Discord answered wrongly",
                    "Discord's answer could not be used. Please try again in a few seconds."),
            DISCORD_UNAVAILABLE(503, "discord_unavailable", "Discord is not answering",
                    "Your login is kept, but Discord did not answer in time. Please try again in a few seconds."),
            INVALID_GRANT(400, "invalid_grant", "Login expired or already used",
                    "Discord no longer accepts this login. Start the login again."),
            LOGIN_REFUSED(400, "login_refused", "Login failed", "Discord did not accept the login. Please try again."),
            EMAIL_NOT_VERIFIED(403, "email_not_verified", "E-mail address not verified",
                    "This application needs a Discord account with a verified e-mail address."),
            NOT_A_MEMBER(403, "not_a_member", "Members only",
                    "This application is for the members of its Discord server."),
            SESSION_ENDED(400, "session_ended", "Login expired",
                    "The session ended during the login. Start the login again."),
            SESSION_IN_URL(400, "session_in_url", "Login refused",
                    "This address carries a session identifier. Open the application's own page and log in from "
                            + "there."),
            BAD_REQUEST(400, "bad_request", "Bad request", "This address is malformed. Start the login again."),
            METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed",
                    "Log out with a POST request (a form button)."),
            CROSS_SITE_REQUEST(403, "cross_site_request", "Forbidden", "Log out from this application's own pages."),
            UNAUTHORIZED(401, "unauthorized", "Log in first", "Log in with Discord first."),
            NOT_CONFIGURED(503, "not_configured", "Service unavailable",
                    "The login of this application is not configured. Its administrator has been told why in the "
                            + "server log."),
            INTERNAL_ERROR(503, "internal_error", "Service unavailable",
                    "Something went wrong on our side. Please try again later.");

            private final int status;
            private final String code;
            private final String title;
            private final String message;

            Failure(int status, String code, String title, String message) {
                this.status = status;
                this.code = code;
                this.title = title;
                this.message = message;
            }

            public int status() {
                return status;
            }

            public String code() {
                return code;
            }

            public String title() {
                return title;
            }

            public String message() {
                return message;
            }
        }
    }
}
