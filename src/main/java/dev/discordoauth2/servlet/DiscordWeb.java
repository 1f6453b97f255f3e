package dev.discordoauth2.servlet;

import dev.discordoauth2.AuthorizeRequest;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.ForbiddenException;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.Pkce;
import dev.discordoauth2.RateLimitedException;
import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the filter, the servlets and the CDI producer of one application share: the configuration, one
 * {@link DiscordOAuth2Client}, the clock, a small background pool for refreshes, checks and revocations, the bound on
 * code exchanges running at once (they run on the callback's own thread, so they cannot take the background pool's
 * threads), and the session bookkeeping (pending logins, single-flight refresh with its failure memory,
 * revalidation), whose node-local memory is bounded by the live sessions ({@link SessionMemory}). Kept in a
 * {@link ServletContext} attribute and reference-counted, so the client and the pool are closed when the last
 * component goes. Thread-safe.
 */
final class DiscordWeb {
    private static final System.Logger LOG = System.getLogger(DiscordLoginFilter.class.getName());
    /** How long a background check (revalidation, the user's servers) may take in all, rate-limit waits included. */
    static final Duration CHECK_BUDGET = Duration.ofSeconds(15);
    /**
     * How long a refresh waits for Discord's answer. Longer than the client's read timeout for other calls: Discord
     * rotates the refresh token when it handles the refresh, so an answer given up early takes the only copy of the
     * session's new tokens with it and the login is lost. Requests wait at most {@code discord.refresh-timeout}; the
     * refresh itself goes on in the background and its answer is applied by the session's next request.
     */
    static final Duration REFRESH_ANSWER_WAIT = Duration.ofSeconds(30);
    /** The session attribute of the login ({@link LoginState}); with {@link #PENDING}, all the library keeps there. */
    static final String LOGIN = LoginState.class.getName();
    /** The session attribute of the logins under way (a list of {@link PendingLogin}, one per tab). */
    static final String PENDING = PendingLogin.class.getName() + "s";
    private static final String REGISTRY = DiscordWeb.class.getName() + ".registry";
    private static final SecureRandom RANDOM = new SecureRandom();

    final DiscordConfig config;
    final DiscordOAuth2Client client;
    /** The client for background checks: each call ends within {@link #CHECK_BUDGET}, its thread then given back. */
    private final DiscordOAuth2Client checkingClient;
    /**
     * The application's registry this runtime is in (a {@link ServletContext} attribute). Kept itself, not the context:
     * the CDI producer may reach the context through a client proxy that no longer works when the application stops.
     */
    private final Map<String, DiscordWeb> registry;
    /**
     * Guards every registry: {@code synchronized (context)} would not do, as the filter and the CDI producer may hold
     * different objects for one context (the context, and a proxy of it).
     */
    private static final Object REGISTRY_LOCK = new Object();
    /** PKCE on every login, except with {@code role_connections.write}, which Discord refuses with PKCE. */
    private final boolean pkce;
    final Clock clock;
    private final Object[] locks = new Object[64];
    private final SessionMemory<Flight<RefreshResult>> refreshing = new SessionMemory<>();
    private final SessionMemory<Flight<Check>> validating = new SessionMemory<>();
    /** Refreshes, checks and revocations: never the code exchange, which runs on the callback's thread. */
    private final ThreadPoolExecutor executor;
    /** Code exchanges running at once ({@code discord.max-concurrent-logins}); past it the callback is a 503. */
    private final Semaphore exchanges;
    /** Discord-native authorization: the user's servers, read at login and kept current. */
    final GuildChecks guilds;
    /** The login's steps on this runtime, for every front door and {@link DiscordAuth}. */
    final LoginFlow flow;
    /**
     * Session id → the refresh token Discord refused for it on this node (see {@link #apply}): another node may have
     * refreshed first. Requests of that session read within {@code discord.refresh-timeout} keep the current token;
     * a request read after it that still holds the refused token ends the login (revoked); one that holds other
     * tokens has recovered the race.
     */
    private final SessionMemory<Refusal> refusedRefresh = new SessionMemory<>();
    /** Session id → the access token Discord answered 401 to on this node, and when (see {@link #suspectRevoked}). */
    private final SessionMemory<Refusal> unauthorized = new SessionMemory<>();
    private int references;

    private DiscordWeb(Map<String, DiscordWeb> registry, DiscordConfig config, Clock clock) {
        this.registry = registry;
        this.config = config;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.client = config.newClientBuilder().clock(clock).build();
        this.checkingClient = client.withCallTimeout(CHECK_BUDGET);
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "discord-oauth2-web-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        this.exchanges = new Semaphore(config.maxConcurrentLogins());
        this.guilds = new GuildChecks(config.guildRules(), config.scopes(), executor, config.refreshTimeout(),
                this::update);
        this.pkce = !config.scopes().contains("role_connections.write");
        this.flow = new LoginFlow(this);
        if (!pkce) {
            LOG.log(System.Logger.Level.INFO, "PKCE is off for this application: Discord refuses it together with "
                    + "the role_connections.write scope; state and the client secret still protect the login");
        }
        if (config.warmUp()) {
            executor.execute(this::warmUp);
        }
    }

    /**
     * Builds the client's runtime before the first login needs it (nothing is sent); a failure only means the first
     * login pays the set-up, and that login reports any real problem.
     */
    private void warmUp() {
        long start = System.nanoTime();
        try {
            client.warmUp();
            LOG.log(System.Logger.Level.DEBUG, () -> "the Discord client is warmed up in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "warming up the Discord client failed: " + e);
        }
    }

    /** The shared runtime for this configuration in this application, created on first use. */
    static DiscordWeb acquire(ServletContext context, DiscordConfig config) {
        synchronized (REGISTRY_LOCK) {
            @SuppressWarnings("unchecked")
            Map<String, DiscordWeb> registry = (Map<String, DiscordWeb>) context.getAttribute(REGISTRY);
            if (registry == null) {
                registry = new HashMap<>();
                context.setAttribute(REGISTRY, registry);
            }
            DiscordWeb web = registry.get(config.clientKey());
            if (web == null) {
                Object clock = context.getAttribute(DiscordAuth.CLOCK_ATTRIBUTE);
                web = new DiscordWeb(registry, config, clock instanceof Clock c ? c : Clock.systemUTC());
                registry.put(config.clientKey(), web);
            }
            web.references++;
            return web;
        }
    }

    /**
     * Starts a web component: loads its configuration (its init-params first) and acquires the shared runtime. A
     * missing or invalid key does not throw (some servers would then run the application without the component and
     * so without the login): it is logged once, naming the component and the key, and the result is null, on which
     * the component fails closed with {@link WebPages#notConfigured}.
     */
    static DiscordWeb startOrNull(String component, java.util.function.Function<String, String> initParams,
            ServletContext context) {
        Optional<String> missing = Dependencies.missing();
        if (missing.isPresent()) {
            LOG.log(System.Logger.Level.ERROR, missing.get() + "; " + component + " refuses every request with 503");
            return null;
        }
        try {
            return acquire(context, DiscordConfig.load(initParams, context::getInitParameter));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "Log in with Discord is not configured; " + component + " refuses "
                    + "every request with 503: " + (e instanceof IllegalStateException ? e.getMessage()
                    : e.toString()));
            return null;
        }
    }

    /** The container destroyed a session: every runtime of the application forgets what it held for it. */
    static void sessionEnded(ServletContext context, String sessionId) {
        List<DiscordWeb> webs;
        synchronized (REGISTRY_LOCK) {
            @SuppressWarnings("unchecked")
            Map<String, DiscordWeb> registry = (Map<String, DiscordWeb>) context.getAttribute(REGISTRY);
            webs = registry == null ? List.of() : List.copyOf(registry.values());
        }
        for (DiscordWeb web : webs) {
            web.forgetOnThisNode(sessionId);
        }
    }

    /** Any runtime of this application (for {@link DiscordAuth}), if a component started one. */
    static Optional<DiscordWeb> any(ServletContext context) {
        synchronized (REGISTRY_LOCK) {
            @SuppressWarnings("unchecked")
            Map<String, DiscordWeb> registry = (Map<String, DiscordWeb>) context.getAttribute(REGISTRY);
            return registry == null ? Optional.empty() : registry.values().stream().findFirst();
        }
    }

    /** Ends one component's use; the last one closes the client. */
    void release() {
        synchronized (REGISTRY_LOCK) {
            if (--references == 0) {
                registry.remove(config.clientKey(), this);
                executor.shutdownNow();
                client.close();
            }
        }
    }

    private Object lock(HttpSession session) {
        return locks[Math.floorMod(session.getId().hashCode(), locks.length)];
    }

    // ------------------------------------------------------------------------------------------ login start

    /** The redirect URI for this request: the configured absolute URI, or the path resolved against the request. */
    String redirectUri(HttpServletRequest request) {
        String configured = config.redirectUri();
        return configured.startsWith("/") ? Origins.app(request, configured) : configured;
    }

    /** The origin of an absolute redirect URI (the application's public origin behind a proxy), or null. */
    String trustedOrigin() {
        return config.redirectUri().startsWith("/") ? null : Origins.originOf(config.redirectUri());
    }

    /** The session-cookie fallback of {@link SessionCookies}, when {@code discord.session-cookie-defaults} is on. */
    void hardenSessionCookie(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        if (config.sessionCookieDefaults()) {
            SessionCookies.harden(request.getServletContext(), response,
                    redirectUri(request).toLowerCase(java.util.Locale.ROOT).startsWith("https:"));
        }
    }

    /** Where to go after a login: {@code requested} when it is a safe local path, else {@code discord.after-login-uri}. */
    String returnPath(String requested) {
        return ReturnPaths.isLocal(requested) ? requested : config.afterLoginUri();
    }

    /**
     * Starts a login: a fresh state and PKCE pair kept in the session with the return path (the oldest pending login
     * dropped past the limit, expired ones pruned), and the authorize URL to send the browser to.
     */
    URI startLogin(HttpServletRequest request, String returnTo) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Pkce challenge = pkce ? Pkce.generate() : null;
        String redirectUri = redirectUri(request);
        HttpSession session = request.getSession(true);
        PendingLogin login = new PendingLogin(state, challenge == null ? null : challenge.verifier(),
                returnPath(returnTo), redirectUri, clock.instant());
        synchronized (lock(session)) {
            List<PendingLogin> pending = new ArrayList<>(livePending(session));
            pending.add(login);
            while (pending.size() > config.maxPendingLogins()) {
                pending.remove(0);
            }
            session.setAttribute(PENDING, List.copyOf(pending));
        }
        AuthorizeRequest.Builder authorize = AuthorizeRequest.builder().scopes(config.scopes()).state(state)
                .codeChallenge(challenge).redirectUri(URI.create(redirectUri));
        config.prompt().ifPresent(authorize::prompt);
        return client.generateUri(authorize.build());
    }

    private List<PendingLogin> livePending(HttpSession session) {
        Object value = session.getAttribute(PENDING);
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        Instant oldest = clock.instant().minus(config.stateTtl());
        List<PendingLogin> live = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof PendingLogin p && p.createdAt().isAfter(oldest)) {
                live.add(p);
            }
        }
        return live;
    }

    /**
     * What the callback found for its state: the pending login (null when none is live), and whether the session held
     * the state at all (expired included), which tells an unknown state from a stale one.
     */
    record Taken(PendingLogin pending, boolean held) {
    }

    /**
     * Removes and returns the pending login of this state, if it exists and has not expired: each state works once.
     * Expired pending logins leave the session too.
     */
    Taken takePending(HttpSession session, String state) {
        synchronized (lock(session)) {
            Object value = session.getAttribute(PENDING);
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                return new Taken(null, false);
            }
            Instant oldest = clock.instant().minus(config.stateTtl());
            List<PendingLogin> rest = new ArrayList<>();
            PendingLogin found = null;
            boolean held = false;
            for (Object o : list) {
                if (!(o instanceof PendingLogin p)) {
                    continue;
                }
                boolean live = p.createdAt().isAfter(oldest);
                if (!held && sameState(p, state)) {
                    held = true;
                    found = live ? p : null;
                } else if (live) {
                    rest.add(p);
                }
            }
            if (rest.size() != list.size()) {
                session.setAttribute(PENDING, List.copyOf(rest));
            }
            return new Taken(found, held);
        }
    }

    /**
     * After a login: the session's other pending logins (other tabs) can no longer exchange a code, but their callbacks
     * still bring their tabs back to their pages until they expire ({@code discord.state-ttl}) or the cap drops them.
     * Returns when the last of them expires (epoch ms, for {@link LoginState#pendingUntilMillis()}), or 0 for none.
     */
    long supersedePending(HttpSession session) {
        synchronized (lock(session)) {
            List<PendingLogin> live = livePending(session);
            if (live.isEmpty()) {
                session.removeAttribute(PENDING);
                return 0L;
            }
            List<PendingLogin> superseded = new ArrayList<>(live.size());
            long until = 0L;
            for (PendingLogin p : live) {
                superseded.add(p.superseded() ? p : p.supersede());
                until = Math.max(until, p.createdAt().plus(config.stateTtl()).toEpochMilli());
            }
            session.setAttribute(PENDING, List.copyOf(superseded));
            return until;
        }
    }

    /** Compares in constant time, so that the answer's timing tells nothing about a stored state. */
    private static boolean sameState(PendingLogin pending, String state) {
        return java.security.MessageDigest.isEqual(pending.state().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                state.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    // ------------------------------------------------------------------------------------------ tokens

    /** A refresh running (or finished and not yet applied) for one session, with the refresh token it used. */
    private record Flight<T>(String usedToken, CompletableFuture<T> result) {
    }

    /** How a refresh ended: new tokens, refused by Discord ({@code invalid_grant}), or a transient failure. */
    private sealed interface RefreshResult {
    }

    private record Refreshed(DiscordTokens tokens) implements RefreshResult {
    }

    private record Refused() implements RefreshResult {
    }

    private record Failed(String reason, Duration retryAfter, Instant at) implements RefreshResult {
    }

    /** How a revalidation ended. */
    private enum Check { VALID, REVOKED, FAILED }

    /** The session's login, or null when it holds none. */
    static LoginState state(HttpSession session) {
        return session.getAttribute(LOGIN) instanceof LoginState s ? s : null;
    }

    /**
     * Replaces the session's login with {@code change} applied to it, under the session's lock (so that two requests
     * of one session changing different parts do not undo each other); nothing when it holds no login any more.
     * Returns the new state, or null.
     */
    LoginState update(HttpSession session, java.util.function.UnaryOperator<LoginState> change) {
        synchronized (lock(session)) {
            LoginState current = state(session);
            if (current == null) {
                return null;
            }
            LoginState next = change.apply(current);
            if (next != current) {
                session.setAttribute(LOGIN, next);
            }
            return next;
        }
    }

    /**
     * The session's login, checked. When its tokens expire within the configured skew they are refreshed first: one
     * refresh per session however many requests arrive together, each request waiting at most
     * {@code discord.refresh-timeout} (a refresh that takes longer goes on, and its tokens are applied by the
     * session's next request, so a rotated refresh token is never lost). A failed refresh is remembered with a
     * backoff (5 s doubling to 60 s, or Discord's {@code retry_after} when longer); meanwhile the current access token
     * is used while it is valid, and once it has expired the outcome is {@link TokenOutcome.Unavailable}.
     * {@code invalid_grant} ends the login. A session that ends meanwhile (logout in another tab) is simply logged
     * out. Also starts the periodic check of the token with {@code GET /oauth2/@me} in the background and applies its
     * result, and, with Discord-native authorization, reads the user's servers again when due (after a refresh, or
     * once the recheck interval has passed), the request waiting for that answer (see {@link GuildChecks#poll}).
     * Reads the session's login once; writes it only when something changed.
     */
    TokenOutcome currentTokens(HttpSession session) {
        try {
            LoginState state = state(session);
            if (state == null) {
                return TokenOutcome.LOGGED_OUT;
            }
            DiscordTokens tokens = state.tokens();
            Instant now = clock.instant();
            // Containers lock the session for each call (Jetty does, and every request of a session contends for
            // that lock): the id is read once, and only when this node remembers something of some session; with
            // nothing remembered there is nothing to look up.
            String id = remembersAny() ? session.getId() : null;
            // tokens Discord refused on this node are decided once the session is read again (see Refusal)
            switch (decide(refusedRefresh, "refresh token", id, tokens.refreshToken(), now)) {
                case REVOKED -> {
                    return endLogin(session);
                }
                case UNDECIDED -> {
                    // do not refresh with the refused token again; the winning node may not have stored yet
                    return keepOrUnavailable(state, now, config.refreshTimeout());
                }
                case RECOVERED, NONE -> { }
            }
            if (decide(unauthorized, "access token", id, tokens.accessToken(), now) == Decision.REVOKED) {
                return endLogin(session);
            }
            boolean due = tokens.expiresWithin(config.refreshSkew(), now);
            state = revalidate(session, id, state, due, now);
            if (state.pendingUntilMillis() != 0 && now.toEpochMilli() >= state.pendingUntilMillis()) {
                state = dropSupersededPending(session);
            }
            TokenOutcome outcome;
            if (!due) {
                outcome = state.valid();
            } else if (tokens.refreshToken() == null) {
                outcome = now.isBefore(tokens.expiresAt()) ? state.valid() : endLogin(session);
            } else {
                outcome = refresh(session, state, now);
            }
            if (!(outcome instanceof TokenOutcome.Valid valid) || !guilds.active()) {
                return outcome;
            }
            GuildChecks.Verdict verdict = guilds.poll(session, valid.state(), checkingClient::fromAccessToken, now);
            if (verdict == GuildChecks.Verdict.LEFT) {
                // left the required servers: the grant is of no use to anybody any more
                DiscordTokens current = valid.tokens();
                revokeQuietly(current.refreshToken() != null ? current.refreshToken() : current.accessToken(),
                        "the user is no longer a member of the required Discord servers");
                return endLogin(session);
            }
            if (verdict == GuildChecks.Verdict.UPDATED) {
                LoginState updated = state(session);
                return updated == null ? TokenOutcome.LOGGED_OUT : updated.valid();
            }
            return outcome;
        } catch (IllegalStateException ended) {
            return TokenOutcome.LOGGED_OUT;
        }
    }

    /** Other tabs' superseded pending logins have expired: they leave the session (see {@link #supersedePending}). */
    private LoginState dropSupersededPending(HttpSession session) {
        synchronized (lock(session)) {
            List<PendingLogin> live = livePending(session);
            if (live.isEmpty()) {
                session.removeAttribute(PENDING);
            } else if (session.getAttribute(PENDING) instanceof List<?> all && all.size() != live.size()) {
                session.setAttribute(PENDING, List.copyOf(live));
            }
            long until = live.isEmpty() ? 0L : live.stream().mapToLong(p -> p.createdAt().plus(config.stateTtl())
                    .toEpochMilli()).max().orElse(0L);
            LoginState updated = update(session, s -> s.withPendingUntil(until));
            return updated;
        }
    }

    private TokenOutcome refresh(HttpSession session, LoginState state, Instant now) {
        DiscordTokens tokens = state.tokens();
        String key = session.getId();
        Flight<RefreshResult> flight = refreshing.get(key);
        if (flight == null) {
            SessionChecks checks = state.checks();
            if (checks.refreshBlocked(now)) {
                return keepOrUnavailable(state, now, Duration.ofMillis(checks.msUntilRefresh(now)));
            }
            Flight<RefreshResult> mine = new Flight<>(tokens.refreshToken(), new CompletableFuture<>());
            Flight<RefreshResult> running = refreshing.putIfAbsent(key, mine, SessionMemory.lifetimeOf(session));
            if (running == null) {
                launchRefresh(mine);
                flight = mine;
            } else {
                flight = running;
            }
        }
        RefreshResult result;
        try {
            result = flight.result().get(config.refreshTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, "the token refresh takes longer than " + config.refreshTimeout()
                    + "; it goes on in the background");
            return stillLoggedIn(session) ? keepOrUnavailable(state, now, Duration.ofSeconds(5))
                    : TokenOutcome.LOGGED_OUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stillLoggedIn(session) ? keepOrUnavailable(state, now, Duration.ofSeconds(5))
                    : TokenOutcome.LOGGED_OUT;
        } catch (ExecutionException e) {
            result = new Failed(e.getCause() == null ? "unexpected failure" : e.getCause().toString(), Duration.ZERO,
                    clock.instant());
        }
        return apply(session, key, flight, result);
    }

    private void launchRefresh(Flight<RefreshResult> flight) {
        try {
            executor.execute(() -> flight.result().complete(refreshNow(flight.usedToken())));
        } catch (RejectedExecutionException e) {
            flight.result().complete(new Failed("too many refreshes at once", Duration.ZERO, clock.instant()));
        }
    }

    private RefreshResult refreshNow(String refreshToken) {
        try {
            return new Refreshed(DiscordTokens.of(client.withReadTimeout(REFRESH_ANSWER_WAIT)
                    .refreshToken(refreshToken)));
        } catch (InvalidGrantException e) {
            return new Refused();
        } catch (RateLimitedException e) {
            return new Failed(e.getMessage(), e.retryAfter(), clock.instant());
        } catch (DiscordException e) {
            return new Failed(e.getMessage(), Duration.ZERO, clock.instant());
        } catch (RuntimeException e) {
            return new Failed(e.toString(), Duration.ZERO, clock.instant());
        }
    }

    /** Applies a finished refresh to the session; only the first request to see it writes, the others read. */
    private TokenOutcome apply(HttpSession session, String key, Flight<RefreshResult> flight, RefreshResult result) {
        Instant now = clock.instant();
        synchronized (lock(session)) {
            boolean first = refreshing.remove(key, flight);
            LoginState current = state(session);
            if (current == null) {
                if (first && result instanceof Refreshed r) {
                    revokeQuietly(r.tokens().refreshToken(), "the session ended while its tokens were refreshed");
                }
                return TokenOutcome.LOGGED_OUT;
            }
            boolean stillOurs = flight.usedToken().equals(current.tokens().refreshToken());
            if (!first || !stillOurs) {
                // another request applied this result, or newer tokens are in the session already
                return current.tokens().expiresWithin(config.refreshSkew(), now) ? keepOrUnavailable(current, now,
                        Duration.ofMillis(Math.max(1000, current.checks().msUntilRefresh(now))))
                        : current.valid();
            }
            if (result instanceof Refreshed r) {
                // memberships and roles are read again with the new tokens
                LoginState next = current.withTokens(r.tokens(), SessionChecks.validatedAt(now));
                if (next.standing() != null) {
                    next = next.withStanding(next.standing().markedDue());
                }
                session.setAttribute(LOGIN, next);
                return next.valid();
            }
            if (result instanceof Refused) {
                // revoked, or another node refreshed this session first (Discord's rotation then refuses our
                // token): the session's next request, loaded again from the store, decides. Nothing is written
                // here, so the other node's newer tokens in the store are not overwritten.
                rememberRefusal(session, flight.usedToken(), now);
                LOG.log(System.Logger.Level.INFO, "Discord refused the session's refresh token (revoked, or "
                        + "another node refreshed first); decided when the session is read again");
                return keepOrUnavailable(current, now, config.refreshTimeout());
            }
            Failed failed = (Failed) result;
            SessionChecks next = current.checks().refreshFailed(failed.at(), failed.retryAfter().toMillis());
            LoginState updated = current.withChecks(next);
            session.setAttribute(LOGIN, updated);
            LOG.log(System.Logger.Level.WARNING, "refreshing the Discord token failed (" + next.failures()
                    + " in a row, next try in " + next.msUntilRefresh(now) / 1000 + " s): " + failed.reason());
            return keepOrUnavailable(updated, now, Duration.ofMillis(next.msUntilRefresh(now)));
        }
    }

    /** Remembers, on this node and for as long as the session may live, that Discord refused its refresh token. */
    private void rememberRefusal(HttpSession session, String refreshToken, Instant at) {
        refusedRefresh.putIfAbsent(session.getId(), new Refusal(digest(refreshToken), at),
                SessionMemory.lifetimeOf(session));
    }

    /**
     * A token Discord refused on this node (its digest) and when: a refresh token answered {@code invalid_grant}, or
     * an access token answered 401. Either means revoked, or rotated by another node whose tokens this request's copy
     * of the session does not have yet. It is decided by the session's next requests: other tokens in the session
     * mean a rotation (recovered); the same token read after {@code discord.refresh-timeout}, with no refresh of this
     * session running here, means revoked.
     */
    private record Refusal(String digest, Instant at) {
    }

    /**
     * How long after a refusal a session still holding the refused token counts as revoked: until any refresh that
     * may have rotated it on another node has had its answer ({@link #REFRESH_ANSWER_WAIT}) and that node a request
     * to store it in ({@code discord.refresh-timeout}).
     */
    private Duration decisionDelay() {
        return REFRESH_ANSWER_WAIT.plus(config.refreshTimeout());
    }

    private enum Decision { NONE, RECOVERED, UNDECIDED, REVOKED }

    /** {@code sessionId} null: this node remembers nothing of any session (see {@link #remembersAny}). */
    private Decision decide(SessionMemory<Refusal> refusals, String what, String sessionId, String token,
            Instant now) {
        Refusal refusal = sessionId == null ? null : refusals.get(sessionId);
        if (refusal == null) {
            return Decision.NONE;
        }
        if (token == null || !refusal.digest().equals(digest(token))) {
            refusals.remove(sessionId, refusal);
            LOG.log(System.Logger.Level.INFO, "a refresh race with another node was lost and recovered: the " + what
                    + " Discord refused was rotated there, and the session holds the tokens that node stored");
            return Decision.RECOVERED;
        }
        if (now.isBefore(refusal.at().plus(decisionDelay())) || refreshing.containsKey(sessionId)) {
            return Decision.UNDECIDED;
        }
        LOG.log(System.Logger.Level.INFO, "the session still holds the " + what + " Discord refused: revoked; the "
                + "user is logged out");
        return Decision.REVOKED;
    }

    /** A digest of a token, so that node memory never holds the token itself. */
    static String digest(String token) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(
                    token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the session still holds a login (false when it ended meanwhile: a logout in another tab). */
    private static boolean stillLoggedIn(HttpSession session) {
        try {
            return state(session) != null;
        } catch (IllegalStateException ended) {
            return false;
        }
    }

    private static TokenOutcome keepOrUnavailable(LoginState state, Instant now, Duration retryAfter) {
        if (now.isBefore(state.tokens().expiresAt())) {
            return state.valid();
        }
        return new TokenOutcome.Unavailable(state, retryAfter.compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : retryAfter);
    }

    /**
     * The periodic check of the session's token ({@code discord.revalidate-interval}): when due, starts
     * {@code GET /oauth2/@me} in the background and lets the request go on; a later request applies the answer (a
     * revoked token is then decided like any refusal, see {@link #suspectRevoked}). Returns the session's login,
     * updated when an answer was applied. {@code sessionId} is null when this node remembers nothing of any session;
     * {@code due}: the tokens expire within the refresh skew.
     */
    private LoginState revalidate(HttpSession session, String sessionId, LoginState state, boolean due, Instant now) {
        Duration interval = config.revalidateInterval();
        if (interval.isZero()) {
            return state;
        }
        DiscordTokens tokens = state.tokens();
        Flight<Check> flight = sessionId == null ? null : validating.get(sessionId);
        if (flight != null && flight.result().isDone()) {
            if (validating.remove(sessionId, flight) && flight.usedToken().equals(tokens.accessToken())) {
                Check check = flight.result().getNow(Check.FAILED);
                long validated;
                if (check == Check.REVOKED && now.isBefore(tokens.expiresAt())
                        && !refreshing.containsKey(sessionId)) {
                    suspectRevoked(sessionId, tokens.accessToken(), SessionMemory.lifetimeOf(session));
                    validated = now.toEpochMilli(); // decided like any refusal; no new check of the token meanwhile
                } else {
                    // a failed check is tried again after a minute
                    validated = check == Check.VALID ? now.toEpochMilli()
                            : now.minus(interval).plusSeconds(60).toEpochMilli();
                }
                LoginState updated = update(session, s -> s.withChecks(s.checks().withValidated(validated)));
                return updated == null ? state : updated;
            }
            return state;
        }
        if (flight != null || due) {
            return state; // a check is running, or the token is due for a refresh, which checks it anyway
        }
        if (now.toEpochMilli() - state.checks().validated() < interval.toMillis()) {
            return state;
        }
        Flight<Check> mine = new Flight<>(tokens.accessToken(), new CompletableFuture<>());
        String key = sessionId != null ? sessionId : session.getId();
        if (validating.putIfAbsent(key, mine, SessionMemory.lifetimeOf(session)) == null) {
            launchCheck(mine);
        }
        return state;
    }

    private void launchCheck(Flight<Check> flight) {
        String accessToken = flight.usedToken();
        CompletableFuture<Check> result = flight.result();
        try {
            executor.execute(() -> {
                try {
                    checkingClient.fromAccessToken(accessToken).fetchAuthorizationInfo();
                    result.complete(Check.VALID);
                } catch (ForbiddenException e) {
                    result.complete(e.status() == 401 ? Check.REVOKED : Check.FAILED);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "checking the session's token failed: " + e.getMessage());
                    result.complete(Check.FAILED);
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(Check.FAILED);
        }
    }

    /**
     * Whether this node remembers anything of any session that a request's checks look up: a refusal, a check of a
     * token. (A refresh running is looked up only when the tokens are due, a server lookup only with guild rules.)
     */
    private boolean remembersAny() {
        return !refusedRefresh.isEmpty() || !unauthorized.isEmpty() || !validating.isEmpty();
    }

    /** What this node remembers of a session whose login ends: refreshes, checks, refusals, server lookups. */
    void forgetOnThisNode(String sessionId) {
        refreshing.forget(sessionId);
        validating.forget(sessionId);
        refusedRefresh.forget(sessionId);
        unauthorized.forget(sessionId);
        guilds.forget(sessionId);
    }

    /** How many sessions this node remembers something for, per kind (tests: bounded by what is live). */
    Map<String, Integer> remembered() {
        return Map.of("refreshing", refreshing.size(), "validating", validating.size(), "refusedRefresh",
                refusedRefresh.size(), "unauthorized", unauthorized.size(), "guilds", guilds.remembered());
    }

    /** Ends the session's login: the session is invalidated (its next navigation goes to Discord again). */
    TokenOutcome endLogin(HttpSession session) {
        try {
            forgetOnThisNode(session.getId());
            session.invalidate();
        } catch (IllegalStateException alreadyInvalid) {
            // nothing left to do
        }
        return TokenOutcome.LOGGED_OUT;
    }

    /**
     * Ends the session's login but keeps the session (the container's {@code request.logout()}): the principal, the
     * tokens and their checks leave it, and this node forgets the session's refreshes and refusals.
     */
    void forgetLogin(HttpSession session) {
        try {
            forgetOnThisNode(session.getId());
            session.removeAttribute(LOGIN);
            session.removeAttribute(PENDING);
        } catch (IllegalStateException alreadyInvalid) {
            // nothing left to do
        }
    }

    /**
     * The session's access token for application calls: a 401 from Discord to any call made with it ends the login.
     */
    PartialAccessToken accessTokenFor(HttpSession session, DiscordTokens tokens) {
        String accessToken = tokens.accessToken();
        String sessionId = session.getId();
        Duration lifetime = SessionMemory.lifetimeOf(session);
        return client.fromAccessToken(accessToken, () -> suspectRevoked(sessionId, accessToken, lifetime));
    }

    /**
     * Discord answered 401 to the session's access token. It was revoked, or another node refreshed the session (a
     * rotation kills the old access token) and this request read the session before that node stored the new
     * tokens. Decided like a refused refresh: a request that reads the session after {@code discord.refresh-timeout}
     * and still holds this token ends the login; one that holds other tokens shows it was a rotation.
     */
    private void suspectRevoked(String sessionId, String accessToken, Duration lifetime) {
        if (unauthorized.putIfAbsent(sessionId, new Refusal(digest(accessToken), clock.instant()), lifetime) == null) {
            LOG.log(System.Logger.Level.INFO, "Discord answered 401 to the session's access token (revoked, or "
                    + "rotated by another node); decided when the session is read again");
        }
    }

    void revokeQuietly(String token, String why) {
        revokeQuietly(token, TokenTypeHint.REFRESH_TOKEN, why);
    }

    void revokeQuietly(String token, TokenTypeHint hint, String why) {
        if (token == null) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    client.revokeToken(token, hint);
                } catch (DiscordException e) {
                    LOG.log(System.Logger.Level.WARNING, "revoking a token (" + why + ") failed: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "revoking a token (" + why + ") was not possible: too busy");
        }
    }

    /**
     * Takes one of the {@code discord.max-concurrent-logins} places for a code exchange; false when all are taken
     * (the callback then answers 503). A place taken must be given back with {@link #endExchange()}.
     */
    boolean startExchange() {
        return exchanges.tryAcquire();
    }

    void endExchange() {
        exchanges.release();
    }
}
