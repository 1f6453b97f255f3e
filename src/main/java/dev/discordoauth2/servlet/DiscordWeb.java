package dev.discordoauth2.servlet;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.AuthorizeRequest;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.Pkce;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the filter, the servlets and the CDI producer of one application share: the configuration, one
 * {@link DiscordOAuth2Client}, the clock, and the session bookkeeping (pending logins, single-flight refresh). Kept in
 * a {@link ServletContext} attribute and reference-counted, so the client is closed when the last component goes.
 * Thread-safe.
 */
final class DiscordWeb {
    private static final System.Logger LOG = System.getLogger(DiscordLoginFilter.class.getName());
    static final String PRINCIPAL = DiscordPrincipal.class.getName();
    static final String TOKENS = DiscordTokens.class.getName();
    static final String PENDING = PendingLogin.class.getName() + "s";
    private static final String REGISTRY = DiscordWeb.class.getName() + ".registry";
    private static final SecureRandom RANDOM = new SecureRandom();

    final DiscordConfig config;
    final DiscordOAuth2Client client;
    private final ServletContext context;
    /** PKCE on every login, except with {@code role_connections.write}, which Discord refuses with PKCE. */
    private final boolean pkce;
    final Clock clock;
    private final Object[] locks = new Object[64];
    private final Map<String, CompletableFuture<Optional<DiscordTokens>>> refreshing = new ConcurrentHashMap<>();
    private int references;

    private DiscordWeb(ServletContext context, DiscordConfig config, Clock clock) {
        this.context = context;
        this.config = config;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.client = config.newClientBuilder().clock(clock).build();
        this.pkce = !config.scopes().contains("role_connections.write");
        if (!pkce) {
            LOG.log(System.Logger.Level.INFO, "PKCE is off for this application: Discord refuses it together with "
                    + "the role_connections.write scope; state and the client secret still protect the login");
        }
    }

    /** The shared runtime for this configuration in this application, created on first use. */
    static DiscordWeb acquire(ServletContext context, DiscordConfig config) {
        synchronized (context) {
            @SuppressWarnings("unchecked")
            Map<String, DiscordWeb> registry = (Map<String, DiscordWeb>) context.getAttribute(REGISTRY);
            if (registry == null) {
                registry = new HashMap<>();
                context.setAttribute(REGISTRY, registry);
            }
            DiscordWeb web = registry.get(config.clientKey());
            if (web == null) {
                Object clock = context.getAttribute(DiscordAuth.CLOCK_ATTRIBUTE);
                web = new DiscordWeb(context, config, clock instanceof Clock c ? c : Clock.systemUTC());
                registry.put(config.clientKey(), web);
            }
            web.references++;
            return web;
        }
    }

    /**
     * Starts a web component: loads its configuration (its init-params first) and acquires the shared runtime; a
     * missing or invalid key becomes a {@link ServletException} naming the component and the key, which fails the
     * deployment.
     */
    static DiscordWeb start(String component, java.util.function.Function<String, String> initParams,
            ServletContext context) throws jakarta.servlet.ServletException {
        try {
            return acquire(context, DiscordConfig.load(initParams, context::getInitParameter));
        } catch (IllegalStateException e) {
            throw new jakarta.servlet.ServletException(component + ": " + e.getMessage(), e);
        }
    }

    /** Any runtime of this application (for {@link DiscordAuth}), if a component started one. */
    static Optional<DiscordWeb> any(ServletContext context) {
        synchronized (context) {
            @SuppressWarnings("unchecked")
            Map<String, DiscordWeb> registry = (Map<String, DiscordWeb>) context.getAttribute(REGISTRY);
            return registry == null ? Optional.empty() : registry.values().stream().findFirst();
        }
    }

    /** Ends one component's use; the last one closes the client. */
    void release() {
        synchronized (context) {
            if (--references == 0) {
                @SuppressWarnings("unchecked")
                Map<String, DiscordWeb> registry = (Map<String, DiscordWeb>) context.getAttribute(REGISTRY);
                if (registry != null) {
                    registry.remove(config.clientKey());
                }
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
        if (!configured.startsWith("/")) {
            return configured;
        }
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath()
                + configured;
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
        PendingLogin login = new PendingLogin(state, challenge == null ? null : challenge.verifier(), returnTo,
                redirectUri, clock.instant());
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

    /** Removes and returns the pending login of this state, if it exists and has not expired: each state works once. */
    Optional<PendingLogin> takePending(HttpSession session, String state) {
        synchronized (lock(session)) {
            Object value = session.getAttribute(PENDING);
            if (!(value instanceof List<?> list)) {
                return Optional.empty();
            }
            List<PendingLogin> rest = new ArrayList<>();
            PendingLogin found = null;
            for (Object o : list) {
                if (o instanceof PendingLogin p) {
                    if (found == null && java.security.MessageDigest.isEqual(p.state().getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII), state.getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII))) {
                        found = p;
                    } else {
                        rest.add(p);
                    }
                }
            }
            session.setAttribute(PENDING, List.copyOf(rest));
            if (found == null || !found.createdAt().isAfter(clock.instant().minus(config.stateTtl()))) {
                return Optional.empty();
            }
            return Optional.of(found);
        }
    }

    // ------------------------------------------------------------------------------------------ tokens

    /**
     * The session's tokens, refreshed first when they expire within the configured skew. One refresh runs per
     * session however many requests arrive together; the others wait for it and use its result. The rotated
     * refresh token is in the session before any of them proceeds. When Discord answers {@code invalid_grant}
     * (revoked, or the refresh token was already used), the session is invalidated and the result is empty.
     */
    Optional<DiscordTokens> currentTokens(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? Optional.empty() : currentTokens(session);
    }

    /** {@link #currentTokens(HttpServletRequest)} for a session already at hand. */
    Optional<DiscordTokens> currentTokens(HttpSession session) {
        if (!(session.getAttribute(TOKENS) instanceof DiscordTokens tokens)) {
            return Optional.empty();
        }
        if (!tokens.expiresWithin(config.refreshSkew(), clock.instant()) || tokens.refreshToken() == null) {
            return Optional.of(tokens);
        }
        String key = session.getId();
        CompletableFuture<Optional<DiscordTokens>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<DiscordTokens>> running = refreshing.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            mine.complete(refresh(session));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            refreshing.remove(key, mine);
        }
        return mine.join();
    }

    private Optional<DiscordTokens> refresh(HttpSession session) {
        // another request may have refreshed between our read and our turn: read again
        if (!(session.getAttribute(TOKENS) instanceof DiscordTokens tokens)) {
            return Optional.empty();
        }
        if (!tokens.expiresWithin(config.refreshSkew(), clock.instant()) || tokens.refreshToken() == null) {
            return Optional.of(tokens);
        }
        try {
            AccessToken fresh = client.refreshToken(tokens.refreshToken());
            DiscordTokens next = DiscordTokens.of(fresh);
            session.setAttribute(TOKENS, next);
            return Optional.of(next);
        } catch (InvalidGrantException e) {
            LOG.log(System.Logger.Level.INFO, "Discord refused the refresh token (revoked or already used); "
                    + "the user is logged out");
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyInvalid) {
                // nothing left to do
            }
            return Optional.empty();
        } catch (DiscordException e) {
            LOG.log(System.Logger.Level.WARNING, "refreshing the Discord token failed; keeping the current one: "
                    + e.getMessage());
            return Optional.of(tokens);
        }
    }
}
