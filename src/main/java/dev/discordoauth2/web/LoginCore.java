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
 * The login of one application, free of any container: the configuration, one {@link DiscordOAuth2Client}, the pending
 * logins, the single-flight refresh, the refusal ledger, the revalidation, the guild rechecks, each step's
 * {@link Outcome}. The front doors (the web.xml components, the Jakarta Security mechanism, CDI) are thin adapters:
 * each hands the core an {@link Exchange} and renders the outcome. One core per application, closed with it; it keeps
 * a login state and the pending logins per session (or sealed cookie: {@code discord.session=cookie}). Thread-safe.
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
        /** The {@code ServletContext} attribute a web application puts its store under, for the front doors. */
        String ATTRIBUTE = SessionStore.class.getName();

        /** The container's session of the request ({@link Exchange#session}, {@link Exchange#changeSessionId}). */
        SessionStore CONTAINER = ContainerSessions.INSTANCE;

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
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.parts = new CoreParts(config, clock, mapper, store);
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
    public enum Route { CALLBACK, LOGIN, LOGOUT, LINKED_ROLES, ADD_TO_SERVER, OTHER }

    /** The route of {@code request} by its mapped path; {@code logoutPath} null when logout has no path here. */
    public Route route(Exchange request, String logoutPath) {
        String path = request.mappedPath();
        if (path.equals(config.callbackPath(request.contextPath()))) {
            return Route.CALLBACK;
        }
        if (path.equals(config.loginPath())) {
            return Route.LOGIN;
        }
        return path.equals(parts.flows.linkedRolesPath()) ? Route.LINKED_ROLES
                : path.equals(parts.flows.addToServerPath()) ? Route.ADD_TO_SERVER
                : path.equals(logoutPath) ? Route.LOGOUT : Route.OTHER;
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

    /** The Linked Roles Verification URL ({@code discord.linked-roles-path}, see {@link LinkedRoles}); 404 without a source. */
    public Outcome verifyLinkedRoles(Exchange request) {
        return parts.flows.startLinkedRoles(request);
    }

    /** "Add to server" ({@code discord.add-to-server-path}), whose callback fires {@link DiscordBotAddedEvent}. */
    public Outcome addToServer(Exchange request) {
        return parts.flows.startAddToServer(request);
    }

    /**
     * Gives the core the application's {@link RoleConnectionSource}, once: the schema is checked now and registered
     * with Discord in the background when Discord holds another.
     *
     * @throws IllegalStateException naming the schema's record that breaks Discord's rules, or when another source
     *         was given before
     */
    public LinkedRoles useRoleConnections(RoleConnectionSource source) {
        return parts.useRoleConnections(source);
    }

    /** The application's linked roles, once it gave a {@link RoleConnectionSource}. */
    public Optional<LinkedRoles> linkedRoles() {
        return Optional.ofNullable(parts.linkedRoles.get());
    }

    /** Adds a listener of "Add to server" (CDI applications observe {@link DiscordBotAddedEvent} instead). */
    public void onBotAdded(Consumer<DiscordBotAddedEvent> listener) {
        parts.events.addBotListener(Objects.requireNonNull(listener, "listener must not be null"));
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
        RequestLogin login = parts.steps.current(request);
        if (!(login.outcome() instanceof TokenOutcome.Valid valid)) {
            return Optional.empty();
        }
        Session session = parts.steps.session(request);
        return session == null ? Optional.empty()
                : Optional.of(parts.checks.accessTokenFor(session, login.principal(), valid.tokens()));
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
        LoginStates.storeFresh(session, principal, tokens);
    }

    /**
     * {@link #storeLogin(Session, DiscordPrincipal, DiscordTokens)} for this core's application: with the shared token
     * store the tokens go there (replacing the user's) and the session holds the login without them.
     *
     * @throws TokenStoreException when the shared token store cannot be reached
     */
    public void storeLoginOf(Session session, DiscordPrincipal principal, DiscordTokens tokens) {
        parts.storeLogin(session, principal, tokens);
    }

    /**
     * {@link #storeLoginOf(Session, DiscordPrincipal, DiscordTokens)} into the request's session as this core keeps
     * it, made when missing: the container's, or with {@code discord.session=cookie} the sealed login cookie that
     * {@link #responseCookies} then carries (no {@code HttpSession} is made).
     */
    public void storeLoginOf(Exchange request, DiscordPrincipal principal, DiscordTokens tokens) {
        parts.storeLogin(parts.sessions.session(request, true), principal, tokens);
    }

    /**
     * Ends the logins of user {@code userId}, who removed the application at Discord ({@code APPLICATION_DEAUTHORIZED},
     * see {@code DiscordWebhookServlet}): each session whose login of that user was stored (or last confirmed with
     * Discord) before now is ended at its next request ({@link DiscordLoginEvent.Reason#REVOKED}); a later login is
     * not affected. Quick (nothing is sent) and idempotent. The record is kept a day, the longest this node keeps
     * anything for a session; a session living longer is ended by the periodic token check, since Discord refuses the
     * removed grant. With the shared token store ({@code discord.token-store=jdbc}) the user's stored tokens are
     * deleted too, so the sessions of every node end at their next request.
     *
     * @throws TokenStoreException when the shared token store cannot be reached (this node's sessions end anyway)
     */
    public void endLoginsOf(String userId) {
        parts.deauthorizations.record(Objects.requireNonNull(userId, "userId must not be null"));
        if (parts.shared != null) {
            parts.shared.delete(userId);
        }
    }

    /**
     * Code that acts for users without a request (a scheduled job, a message listener): their stored tokens,
     * refreshed when due, and the calls made with them. Needs the shared token store; with the session store every
     * call throws {@link IllegalStateException}.
     */
    public OfflineAccess offline() {
        return parts.offline;
    }

    /** The container destroyed a session: the core forgets what this node held for it. */
    public void sessionEnded(String sessionId) {
        parts.checks.forget(sessionId);
    }

    /** How many sessions this node remembers something for, per kind (bounded by the live sessions). */
    public Map<String, Integer> remembered() {
        return parts.checks.remembered();
    }

    /** With {@code discord.session=cookie}: the login cookies the request changed, for the response; else none. */
    public List<Outcome.Cookie> responseCookies(Exchange request) {
        return parts.sessions instanceof CookieSessions cookies ? cookies.responseCookies(request) : List.of();
    }

    /** The redirect URI is https: the session cookie gets {@code Secure}. */
    public boolean secureCookies(Exchange request) {
        return parts.steps.redirectUri(request).regionMatches(true, 0, "https:", 0, 6);
    }

    /** Stops the background work and closes the client. */
    @Override
    public void close() {
        parts.closeLinkedRoles();
        parts.background.close();
        if (parts.shared != null) {
            parts.shared.close();
        }
        parts.client.close();
    }

    /** The core's parts (the package's tests). */
    CoreParts parts() {
        return parts;
    }

    @Override
    public String toString() {
        return "LoginCore[" + config + "]";
    }
}
