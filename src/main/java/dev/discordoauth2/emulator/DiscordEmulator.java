package dev.discordoauth2.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process fake of Discord's OAuth2 and user API, faithful to Discord's documented behaviour, for tests and
 * offline demos. It runs on the JDK's own HTTP server on a loopback port and serves:
 * <ul>
 *   <li>the authorization page {@code /oauth2/authorize} (and {@code /api/oauth2/authorize}): a consent form for
 *       the configured users, PKCE, {@code prompt=none}, the implicit grant, the bot and webhook flows;</li>
 *   <li>{@code POST /api/v10/oauth2/token} (authorization code, refresh with rotation, client credentials) and
 *       {@code /oauth2/token/revoke} (revoking one token revokes the whole authorization);</li>
 *   <li>the Bearer routes {@code /users/@me}, {@code /users/@me/guilds}, {@code .../guilds/{id}/member},
 *       {@code /users/@me/connections}, the role connection, {@code /oauth2/@me}, and the Bot routes Add Guild
 *       Member and role connection metadata;</li>
 *   <li>rate limits with Discord's headers and 429 bodies.</li>
 * </ul>
 * It writes Discord's JSON itself and shares no code with the library's client. Tests control it: a clock to
 * advance ({@link #advanceClock(Duration)}), faults to inject ({@link #injectFault(String, Fault)}), and a journal of
 * every request ({@link #journal()}). Routes are named {@code "METHOD /template"} as in Discord's docs, e.g.
 * {@code "GET /users/@me"} or {@code "PUT /guilds/{guild.id}/members/{user.id}"}.
 *
 * <pre>{@code
 * try (DiscordEmulator discord = DiscordEmulator.builder()
 *         .application(EmulatedApplication.builder("100000000000000001").clientSecret("secret")
 *                 .redirectUri("http://localhost:8080/callback").build())
 *         .user(EmulatedUser.builder("80351110224678912", "nelly").globalName("Nelly").build())
 *         .start()) {
 *     URI api = discord.apiBaseUri();   // http://127.0.0.1:<port>/api/v10
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of clients may call it at once, and tests may use its controls meanwhile. It sets no
 * system property: a JVM that embeds it should run with {@code -Dsun.net.httpserver.nodelay=true}, since the JDK 17
 * server writes each answer's headers and body separately and, without {@code TCP_NODELAY}, the body waits ~40 ms
 * for the client's delayed ACK (the JDK reads the property once per JVM; the standalone {@link #main} sets it).
 */
public final class DiscordEmulator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DiscordEmulator.class.getName());

    private final HttpServer server;
    private final ExecutorService executor;
    private final Store store;
    private final Dispatcher dispatcher;
    private final RateLimiter rateLimiter;
    private final EmulatorClock clock;
    private final URI baseUri;
    private final boolean admin;
    /** What the builder gave, kept to restore the data set ({@link #restoreData()}). */
    private final SeedData seed;

    private DiscordEmulator(Builder builder) throws IOException {
        this.clock = new EmulatorClock();
        this.store = new Store(clock, builder.codeLifetime, builder.accessTokenLifetime);
        this.seed = new SeedData(builder.applications, builder.users, builder.guilds, builder.members,
                builder.connections, builder.bans, builder.botGuilds);
        seed.loadInto(store);
        AutoApproval autoApproval = AutoApproval.OFF;
        if (builder.autoApproveInTurn) {
            autoApproval = AutoApproval.inTurn(builder.users.stream().map(EmulatedUser::id).toList());
        } else if (builder.autoApproveUserId != null) {
            SeedData.requireUser(store, builder.autoApproveUserId);
            autoApproval = AutoApproval.asUser(builder.autoApproveUserId);
        }
        this.rateLimiter = new RateLimiter(builder.routeLimits, builder.defaultLimit, builder.globalLimit,
                builder.banThreshold, builder.banDuration, clock);
        this.dispatcher = new Dispatcher(store, rateLimiter, autoApproval, builder.requestLog);
        for (String route : builder.routeLimits.keySet()) {
            if (!dispatcher.isRoute(route)) {
                throw new UnknownRouteException("rateLimit: no such route: " + route);
            }
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = HttpServer.create(new InetSocketAddress(loopback, builder.port), 128);
        this.executor = Executors.newFixedThreadPool(builder.threads, new DaemonThreads());
        server.setExecutor(executor);
        server.createContext("/", dispatcher);
        this.admin = builder.admin;
        if (admin) {
            server.createContext(AdminApi.PATH, new AdminApi(this, dispatcher, rateLimiter));
        }
        server.start();
        this.baseUri = URI.create("http://" + loopback.getHostAddress() + ":" + server.getAddress().getPort());
        LOG.log(System.Logger.Level.DEBUG, () -> "Discord emulator listening on " + baseUri);
    }

    /** A builder with no applications, users or guilds. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's root, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The API root a client should use, {@code <base>/api/v10}. */
    public URI apiBaseUri() {
        return URI.create(baseUri + "/api/v10");
    }

    /** The authorization page, {@code <base>/oauth2/authorize}. */
    public URI authorizeUri() {
        return URI.create(baseUri + "/oauth2/authorize");
    }

    /** The token endpoint, {@code <base>/api/v10/oauth2/token}. */
    public URI tokenUri() {
        return URI.create(baseUri + "/api/v10/oauth2/token");
    }

    /** The port the emulator listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The emulator's current time: the system clock plus every {@link #advanceClock(Duration) advance}. */
    public Instant now() {
        return clock.now();
    }

    /**
     * The emulator's time as a {@link java.time.Clock} (UTC), for code under test that should see the same time, e.g.
     * {@code DiscordOAuth2Client.Builder.clock(discord.clock())}: {@link #advanceClock(Duration)} moves it too.
     */
    public java.time.Clock clock() {
        return new EmulatorTime(clock, java.time.ZoneOffset.UTC);
    }

    /** A {@link java.time.Clock} that follows the emulator's clock. */
    private static final class EmulatorTime extends java.time.Clock {
        private final EmulatorClock source;
        private final java.time.ZoneId zone;

        EmulatorTime(EmulatorClock source, java.time.ZoneId zone) {
            this.source = source;
            this.zone = zone;
        }

        @Override
        public java.time.ZoneId getZone() {
            return zone;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return new EmulatorTime(source, zone);
        }

        @Override
        public Instant instant() {
            return source.now();
        }
    }

    /** Moves the emulator's clock forward, e.g. past a code's 100 s or a token's lifetime, without sleeping. */
    public void advanceClock(Duration duration) {
        clock.advance(Objects.requireNonNull(duration, "duration must not be null"));
    }

    /**
     * Plays {@code fault} on the next requests of a route (see {@link Fault#times(int)}); faults on one route are
     * played in the order they were injected.
     *
     * @param route {@code "METHOD /template"}, e.g. {@code "POST /oauth2/token"}
     * @throws IllegalArgumentException when no such route is emulated
     */
    public void injectFault(String route, Fault fault) {
        requireRoute(route);
        dispatcher.injectFault(route, Objects.requireNonNull(fault, "fault must not be null"));
    }

    /**
     * How many requests of the route the faults injected with {@link #injectFault(String, Fault)} have yet to meet
     * (their {@link Fault#times(int) times} summed). A fault is played when its request arrives, so a test can wait
     * for this to reach 0 to know that requests held by {@link Fault#delay(Duration)} have reached the emulator
     * (the journal records a request only once it is answered).
     *
     * @throws IllegalArgumentException when no such route is emulated
     */
    public int faultsPending(String route) {
        requireRoute(route);
        return dispatcher.faults().getOrDefault(route, List.of()).stream().mapToInt(Fault::count).sum();
    }

    /** Forgets every fault not yet played. */
    public void clearFaults() {
        dispatcher.clearFaults();
        dispatcher.randomFaults.clear(null);
    }

    /** Forgets the route's faults not yet played and its random faults. */
    public void clearFaults(String route) {
        requireRoute(route);
        dispatcher.clearFaults(route);
        dispatcher.randomFaults.clear(route);
    }

    /**
     * Plays one of {@code faults} (chosen uniformly) on a random share {@code probability} (0 to 1) of the route's
     * requests until cleared, e.g. 5 % of token requests answering 503, for load tests. Replaces the route's earlier
     * random faults; faults injected with {@link #injectFault(String, Fault)} are played first.
     */
    public void injectRandomFaults(String route, double probability, List<Fault> faults) {
        requireRoute(route);
        dispatcher.randomFaults.set(route, probability, List.copyOf(faults), null);
    }

    /** As {@link #injectRandomFaults(String, double, List)}, drawing from a {@link java.util.Random} with this seed. */
    public void injectRandomFaults(String route, double probability, List<Fault> faults, long seed) {
        requireRoute(route);
        dispatcher.randomFaults.set(route, probability, List.copyOf(faults), seed);
    }

    private void requireRoute(String route) {
        if (route == null || !dispatcher.isRoute(route)) {
            throw new UnknownRouteException("no such route: " + route);
        }
    }

    /** Whether {@code "METHOD /template"} names an emulated route. */
    boolean isRoute(String route) {
        return dispatcher.isRoute(route);
    }

    /**
     * Limits one route per caller to {@code limit} requests per {@code window} from now on (its buckets start
     * afresh), as {@link Builder#rateLimit(String, int, Duration)} does at start.
     */
    public void setRateLimit(String route, int limit, Duration window) {
        requireRoute(route);
        rateLimiter.setRouteLimit(route, new RateLimiter.Limit(limit, window));
    }

    /** The limit of every route without its own from now on (replaces the built-in per-route defaults). */
    public void setDefaultRateLimit(int limit, Duration window) {
        rateLimiter.setDefaultLimit(new RateLimiter.Limit(limit, window));
    }

    /** The global limit per caller from now on; every caller's global window starts afresh. */
    public void setGlobalRateLimit(int limit, Duration window) {
        rateLimiter.setGlobalLimit(new RateLimiter.Limit(limit, window));
    }

    /**
     * Revokes the user's authorization of the application, as if the user removed the app under Discord's
     * "Authorized Apps": every access and refresh token of it stops working, and {@code prompt=none} shows the consent
     * page again. Returns how many live tokens were revoked.
     *
     * @throws IllegalArgumentException when the application or the user is unknown
     */
    public int revokeAuthorization(String clientId, String userId) {
        synchronized (store) {
            if (!store.apps.containsKey(clientId)) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            SeedData.requireUser(store, userId);
            Instant now = clock.now();
            int live = (int) store.byAccessToken.values().stream().filter(g -> g.clientId.equals(clientId)
                    && g.userId.equals(userId) && g.usable(now)).count();
            store.revokeAuthorization(clientId, userId);
            return live;
        }
    }

    /**
     * Clears the test state: every fault (queued and random), the journal and connection count, every rate-limit
     * window, invalid request count and ban, and restores the rate limits given at start. Leaves the data (users,
     * tokens, codes...) and the clock alone; see {@link #restoreData()}.
     */
    public void reset() {
        clearFaults();
        clearJournal();
        rateLimiter.reset();
    }

    /**
     * Restores the data set given at start: users, guilds, memberships, connections, bans, applications (their
     * redirect URIs, role connection metadata and bot guilds), and forgets every code, token, approval and role
     * connection created since. The clock does not go back.
     */
    public void restoreData() {
        synchronized (store) {
            store.clear();
            seed.loadInto(store);
        }
    }

    /** The admin API's root, {@code <base>/__admin}, when started with {@link Builder#admin(boolean)}. */
    public java.util.Optional<URI> adminUri() {
        return admin ? java.util.Optional.of(URI.create(baseUri + AdminApi.PATH)) : java.util.Optional.empty();
    }

    /** Thrown for a route name that no emulated route has. */
    static final class UnknownRouteException extends IllegalArgumentException {
        UnknownRouteException(String message) {
            super(message);
        }
    }

    /** Every request received since start or the last {@link #clearJournal()}, oldest first (at most 10,000). */
    public List<RecordedRequest> journal() {
        return dispatcher.journal();
    }

    /** The journal's requests that matched a route, e.g. {@code "POST /oauth2/token"}. */
    public List<RecordedRequest> journal(String route) {
        return dispatcher.journal().stream().filter(r -> route.equals(r.route())).toList();
    }

    /** Empties the journal and the connection count. */
    public void clearJournal() {
        dispatcher.clearJournal();
    }

    /** How many distinct TCP connections sent requests since start or the last {@link #clearJournal()}. */
    public int connectionCount() {
        return dispatcher.connectionCount();
    }

    /** The 401, 403 and 429 answers of the last ten minutes (Discord's invalid request limit counts these). */
    public int invalidRequestCount() {
        return rateLimiter.invalidRequestCount();
    }

    /** Whether the user's authorization of the application has a live token (not revoked, not expired). */
    public boolean isAuthorized(String clientId, String userId) {
        synchronized (store) {
            Instant now = clock.now();
            return store.byAccessToken.values().stream().anyMatch(g -> g.clientId.equals(clientId)
                    && g.userId.equals(userId) && g.usable(now));
        }
    }

    /** The application's current role connection metadata records (after any PUT). */
    public List<EmulatedMetadataField> roleConnectionMetadata(String clientId) {
        synchronized (store) {
            Store.App app = store.apps.get(clientId);
            if (app == null) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            return List.copyOf(app.metadata);
        }
    }

    /**
     * Registers one more redirect URI for the application, as one would in Discord's developer portal; for apps whose
     * address is known only once they run (a random port or context path).
     */
    public void addRedirectUri(String clientId, String redirectUri) {
        URI.create(Objects.requireNonNull(redirectUri, "redirectUri must not be null"));
        synchronized (store) {
            Store.App app = store.apps.get(clientId);
            if (app == null) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            if (!app.redirectUris.contains(redirectUri)) {
                app.redirectUris.add(redirectUri);
            }
        }
    }

    /** The application's registered redirect URIs, in order. */
    List<String> redirectUris(String clientId) {
        synchronized (store) {
            Store.App app = store.apps.get(clientId);
            if (app == null) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            return List.copyOf(app.redirectUris);
        }
    }

    /** Whether the user is a member of the guild (e.g. after Add Guild Member). */
    public boolean isMember(String guildId, String userId) {
        synchronized (store) {
            return store.member(guildId, userId) != null;
        }
    }

    /** The user's membership of the guild, if they are a member. */
    public java.util.Optional<EmulatedMember> member(String guildId, String userId) {
        synchronized (store) {
            return java.util.Optional.ofNullable(store.member(guildId, userId));
        }
    }

    /**
     * Makes the user a member of the guild, or replaces their membership (roles, nickname, permissions) while the
     * emulator runs: {@code GET /users/@me/guilds} and {@code GET /users/@me/guilds/{guild.id}/member} answer with it
     * from the next request on. The guild and the user must be known.
     *
     * @throws IllegalArgumentException when the guild or the user is unknown
     */
    public void putMember(EmulatedMember member) {
        Objects.requireNonNull(member, "member must not be null");
        synchronized (store) {
            if (!store.guilds.containsKey(member.guildId())) {
                throw new IllegalArgumentException("unknown guild " + member.guildId());
            }
            if (!store.users.containsKey(member.userId())) {
                throw new IllegalArgumentException("unknown user " + member.userId());
            }
            store.addMember(member);
        }
    }

    /**
     * Sets a member's roles (role ids), keeping the rest of the membership.
     *
     * @throws IllegalArgumentException when the user is not a member of the guild, or a role id is not a snowflake
     */
    public void setMemberRoles(String guildId, String userId, List<String> roleIds) {
        for (String role : roleIds) {
            Snowflakes.require(role, "role id");
        }
        synchronized (store) {
            EmulatedMember m = store.member(guildId, userId);
            if (m == null) {
                throw new IllegalArgumentException("user " + userId + " is not a member of guild " + guildId);
            }
            store.addMember(new EmulatedMember(m.guildId(), m.userId(), m.nick(), roleIds, m.joinedAt(),
                    m.permissions(), m.deaf(), m.mute()));
        }
    }

    /** Removes the user from the guild (they left, or were kicked); returns whether they were a member. */
    public boolean removeMember(String guildId, String userId) {
        synchronized (store) {
            Map<String, EmulatedMember> byUser = store.members.get(guildId);
            return byUser != null && byUser.remove(userId) != null;
        }
    }

    /** Stops the server at once; requests in flight are cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DiscordEmulator[" + baseUri + "]";
    }

    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "discord-emulator-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** Configures a {@link DiscordEmulator}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private final List<EmulatedApplication> applications = new ArrayList<>();
        private final List<EmulatedUser> users = new ArrayList<>();
        private final List<EmulatedGuild> guilds = new ArrayList<>();
        private final List<EmulatedMember> members = new ArrayList<>();
        private final Map<String, List<EmulatedConnection>> connections = new LinkedHashMap<>();
        private final List<SeedData.Ban> bans = new ArrayList<>();
        private final List<SeedData.BotMembership> botGuilds = new ArrayList<>();
        private final Map<String, RateLimiter.Limit> routeLimits = new HashMap<>();
        private RateLimiter.Limit defaultLimit;
        private RateLimiter.Limit globalLimit = RateLimiter.DISCORD_GLOBAL;
        private boolean admin;
        private int banThreshold;
        private Duration banDuration = Duration.ofHours(1);
        private Duration codeLifetime = Duration.ofSeconds(100);
        private Duration accessTokenLifetime = Duration.ofSeconds(604800);
        private String autoApproveUserId;
        private boolean autoApproveInTurn;
        private int port;
        private int threads = 8;
        private PrintStream requestLog;

        private Builder() {
        }

        /** Adds the demo data set: three users, four guilds, memberships, connections, one ban, the bot in two guilds. */
        public Builder demoData(EmulatedApplication application) {
            DemoData.addTo(this, application);
            return this;
        }

        public Builder application(EmulatedApplication application) {
            applications.add(Objects.requireNonNull(application, "application must not be null"));
            return this;
        }

        public Builder user(EmulatedUser user) {
            users.add(Objects.requireNonNull(user, "user must not be null"));
            return this;
        }

        public Builder guild(EmulatedGuild guild) {
            guilds.add(Objects.requireNonNull(guild, "guild must not be null"));
            return this;
        }

        public Builder member(EmulatedMember member) {
            members.add(Objects.requireNonNull(member, "member must not be null"));
            return this;
        }

        public Builder connection(String userId, EmulatedConnection connection) {
            connections.computeIfAbsent(userId, k -> new ArrayList<>())
                    .add(Objects.requireNonNull(connection, "connection must not be null"));
            return this;
        }

        /** Bans the user from the guild: Add Guild Member answers {@code 40007}. */
        public Builder ban(String guildId, String userId) {
            bans.add(new SeedData.Ban(guildId, userId));
            return this;
        }

        /** Puts the application's bot in the guild with these permissions (a bit field). */
        public Builder botInGuild(String clientId, String guildId, long permissions) {
            botGuilds.add(new SeedData.BotMembership(clientId, guildId, permissions));
            return this;
        }

        /**
         * Limits one route per caller to {@code limit} requests per {@code window}.
         *
         * @param route {@code "METHOD /template"}, e.g. {@code "GET /users/@me"}
         */
        public Builder rateLimit(String route, int limit, Duration window) {
            routeLimits.put(Objects.requireNonNull(route, "route must not be null"),
                    new RateLimiter.Limit(limit, window));
            return this;
        }

        /**
         * The limit of every route without its own {@link #rateLimit(String, int, Duration)}, replacing the built-in
         * per-route defaults (5 or 10 per second, see docs/emulator.md).
         */
        public Builder defaultRateLimit(int limit, Duration window) {
            defaultLimit = new RateLimiter.Limit(limit, window);
            return this;
        }

        /** The global limit per caller over all routes (default 50 per second, as Discord's). */
        public Builder globalRateLimit(int limit, Duration window) {
            globalLimit = new RateLimiter.Limit(limit, window);
            return this;
        }

        /**
         * Bans an address for {@code banDuration} once it has had {@code threshold} invalid (401, 403, 429) answers
         * within ten minutes, as Cloudflare does at 10,000: every request then gets an HTML 429 without
         * {@code Retry-After}. Off by default.
         */
        public Builder invalidRequestBan(int threshold, Duration banDuration) {
            if (threshold < 1) {
                throw new IllegalArgumentException("threshold must be at least 1: " + threshold);
            }
            this.banThreshold = threshold;
            this.banDuration = Objects.requireNonNull(banDuration, "banDuration must not be null");
            return this;
        }

        /** How long an authorization code can be exchanged (default 100 s, as Discord's). */
        public Builder codeLifetime(Duration codeLifetime) {
            this.codeLifetime = positive(codeLifetime, "codeLifetime");
            return this;
        }

        /** {@code expires_in} of access tokens (default 604800 s, seven days). */
        public Builder accessTokenLifetime(Duration accessTokenLifetime) {
            this.accessTokenLifetime = positive(accessTokenLifetime, "accessTokenLifetime");
            return this;
        }

        /**
         * Serves the admin API under {@code /__admin} (JSON over HTTP, loopback callers only) so that other processes
         * can inject faults, move the clock, read the journal, change rate limits and reset. Off by default.
         */
        public Builder admin(boolean enabled) {
            this.admin = enabled;
            return this;
        }

        /** Skips the consent page: every authorization request is approved at once as this user. */
        public Builder autoApprove(String userId) {
            this.autoApproveUserId = userId;
            this.autoApproveInTurn = false;
            return this;
        }

        /**
         * Skips the consent page: each authorization request is approved at once by the next of the emulator's users
         * in turn, in the order they were added (with {@link #generatedUsers(int)}, concurrent simulated browsers are
         * distinct Discord users, so that revoking one user's authorization leaves the others' sessions alone).
         */
        public Builder autoApproveEachUserInTurn() {
            this.autoApproveInTurn = true;
            this.autoApproveUserId = null;
            return this;
        }

        /**
         * Adds {@code count} generated users {@code user1} … {@code userN} with fixed snowflake ids (the same on every
         * start), a verified e-mail address {@code userN@example.com} and locale {@code en-US}.
         */
        public Builder generatedUsers(int count) {
            if (count < 0 || count > GENERATED_USERS_MAX) {
                throw new IllegalArgumentException("generated users must be 0-" + GENERATED_USERS_MAX + ": " + count);
            }
            for (int i = 1; i <= count; i++) {
                users.add(EmulatedUser.builder(generatedUserId(i), "user" + i).globalName("User " + i)
                        .email("user" + i + "@example.com").verified(true).locale("en-US").build());
            }
            return this;
        }

        /** The loopback port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Worker threads (default 8). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Prints one line per request (time, address, method, path, status, duration) to this stream. */
        public Builder logRequestsTo(PrintStream out) {
            this.requestLog = out;
            return this;
        }

        /** Starts the emulator on its loopback port. */
        public DiscordEmulator start() {
            try {
                return new DiscordEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the Discord emulator", e);
            }
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }

    /** The most users {@link Builder#generatedUsers(int)} adds. */
    public static final int GENERATED_USERS_MAX = 1_000_000;

    /**
     * The id of generated user {@code n} (1-based): a snowflake of 2022-01-01 plus {@code n / 4096} ms, increment
     * {@code n % 4096}, so ids are unique, stable across starts and 18 digits long.
     */
    public static String generatedUserId(int n) {
        long millis = 1640995200000L - Snowflakes.DISCORD_EPOCH + n / 4096;
        return Long.toUnsignedString((millis << 22) | (n % 4096));
    }

    /**
     * Runs the emulator standalone with the demo data set, until the JVM stops; {@code --help} lists the flags. This
     * is the launch name scripts use ({@code java -cp ... dev.discordoauth2.emulator.DiscordEmulator}); the command
     * line itself lives in {@link EmulatorMain}.
     */
    public static void main(String[] args) throws InterruptedException {
        EmulatorMain.main(args);
    }
}
