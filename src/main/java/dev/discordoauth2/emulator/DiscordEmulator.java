package dev.discordoauth2.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An in-process fake of Discord's OAuth2 and user API, faithful to Discord's documented behaviour, for tests and
 * offline demos. It runs on the JDK's own HTTP server on a loopback port and serves
 * the authorization page {@code /oauth2/authorize} (a consent form for the configured users, PKCE, {@code prompt=none},
 * the implicit grant, the bot and webhook flows); {@code POST /api/v10/oauth2/token} (authorization code, refresh with
 * rotation, client credentials, device code) and {@code /oauth2/token/revoke} (one token revokes the authorization);
 * the device grant's {@code /oauth2/device/authorize} and activation page ({@link #deviceCodes()}); the Bearer routes
 * {@code /users/@me}, {@code /users/@me/guilds}, {@code .../guilds/{id}/member}, {@code /users/@me/connections}, the
 * role connection, {@code /oauth2/@me}, and the Bot routes Add Guild Member and role connection metadata; rate limits
 * with Discord's headers and 429 bodies; the image CDN's paths with placeholder images ({@link #cdnBaseUri()}); and
 * signed webhook events to a Webhook Events URL ({@link #webhooks()}).
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

    private final EmulatorServer server;
    private final Dispatcher dispatcher;
    private final RateLimiter rateLimiter;
    private final EmulatorClock clock;
    /** The data, for the admin API's views of it (package-private: nothing outside the emulator reads it). */
    final EmulatorData data;
    private final boolean admin;
    private final WebhookEvents webhooks;
    private final DeviceCodes deviceCodes;

    private DiscordEmulator(EmulatorConfig config) throws IOException {
        this.clock = new EmulatorClock();
        Store store = new Store(clock, config.codeLifetime, config.accessTokenLifetime, config.deviceCodeLifetime,
                config.deviceInterval);
        SeedData seed = new SeedData(config.applications, config.users, config.guilds, config.members,
                config.connections, config.bans, config.botGuilds);
        seed.loadInto(store);
        this.webhooks = new WebhookEvents(store, clock, config);
        this.data = new EmulatorData(store, clock, seed);
        AutoApproval autoApproval = AutoApproval.OFF;
        if (config.autoApproveInTurn) {
            autoApproval = AutoApproval.inTurn(config.users.stream().map(EmulatedUser::id).toList());
        } else if (config.autoApproveUserId != null) {
            SeedData.requireUser(store, config.autoApproveUserId);
            autoApproval = AutoApproval.asUser(config.autoApproveUserId);
        }
        this.rateLimiter = new RateLimiter(config.routeLimits, config.defaultLimit, config.globalLimit,
                config.banThreshold, config.banDuration, clock);
        this.dispatcher = new Dispatcher(store, rateLimiter, autoApproval, config.requestLog, webhooks);
        for (String route : config.routeLimits.keySet()) {
            if (!dispatcher.isRoute(route)) {
                throw new UnknownRouteException("rateLimit: no such route: " + route);
            }
        }
        this.admin = config.admin;
        this.server = new EmulatorServer(config.port, config.threads, dispatcher,
                admin ? new AdminApi(this, dispatcher, rateLimiter) : null);
        this.deviceCodes = new DeviceCodes(dispatcher.devices(),
                URI.create(server.baseUri() + DeviceRoutes.ACTIVATE_PATH));
        LOG.log(System.Logger.Level.DEBUG, () -> "Discord emulator listening on " + server.baseUri());
    }

    /** A builder with no applications, users or guilds. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's root, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return server.baseUri();
    }

    /** The API root a client should use, {@code <base>/api/v10}. */
    public URI apiBaseUri() {
        return URI.create(baseUri() + "/api/v10");
    }

    /** The image CDN's base ({@code discord.cdn-base-uri}): the root, as for cdn.discordapp.com; placeholder images. */
    public URI cdnBaseUri() {
        return baseUri();
    }

    /** The authorization page, {@code <base>/oauth2/authorize}. */
    public URI authorizeUri() {
        return URI.create(baseUri() + "/oauth2/authorize");
    }

    /** The token endpoint, {@code <base>/api/v10/oauth2/token}. */
    public URI tokenUri() {
        return URI.create(baseUri() + "/api/v10/oauth2/token");
    }

    /** The port the emulator listens on. */
    public int port() {
        return server.port();
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
     * page again, and {@code APPLICATION_DEAUTHORIZED} goes to its Webhook Events URL. Returns how many live tokens
     * were revoked.
     *
     * @throws IllegalArgumentException when the application or the user is unknown
     */
    public int revokeAuthorization(String clientId, String userId) {
        int revoked = data.revokeAuthorization(clientId, userId);
        webhooks.deauthorized(clientId, userId);
        return revoked;
    }

    /** Its device authorization grant: the activation page, the pending user codes, approving or denying by hand. */
    public DeviceCodes deviceCodes() {
        return deviceCodes;
    }

    /** Its webhook events: the public key, the Webhook Events URLs, sending by hand, the deliveries. */
    public WebhookEvents webhooks() {
        return webhooks;
    }

    /**
     * Clears the test state: every fault (queued and random), the journal and connection count, the recorded webhook
     * deliveries, every rate-limit window, invalid request count and ban, and restores the rate limits given at
     * start. Leaves the data (users, tokens, codes...) and the clock alone; see {@link #restoreData()}.
     */
    public void reset() {
        clearFaults();
        clearJournal();
        webhooks.clearDeliveries();
        rateLimiter.reset();
    }

    /**
     * Restores the data set given at start: users, guilds, memberships, connections, bans, applications (their
     * redirect URIs, Webhook Events URLs, role connection metadata and bot guilds), and forgets every code, token,
     * approval and role connection created since. The clock does not go back.
     */
    public void restoreData() {
        data.restore();
        webhooks.restoreUrls();
    }

    /** The admin API's root, {@code <base>/__admin}, when started with {@link Builder#admin(boolean)}. */
    public java.util.Optional<URI> adminUri() {
        return admin ? java.util.Optional.of(URI.create(baseUri() + AdminApi.PATH)) : java.util.Optional.empty();
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
        return data.isAuthorized(clientId, userId);
    }

    /** The application's current role connection metadata records (after any PUT). */
    public List<EmulatedMetadataField> roleConnectionMetadata(String clientId) {
        return data.roleConnectionMetadata(clientId);
    }

    /**
     * Registers one more redirect URI for the application, as one would in Discord's developer portal; for apps whose
     * address is known only once they run (a random port or context path).
     */
    public void addRedirectUri(String clientId, String redirectUri) {
        data.addRedirectUri(clientId, redirectUri);
    }

    /** The application's registered redirect URIs, in order. */
    List<String> redirectUris(String clientId) {
        return data.redirectUris(clientId);
    }

    /** Whether the user is a member of the guild (e.g. after Add Guild Member). */
    public boolean isMember(String guildId, String userId) {
        return data.member(guildId, userId).isPresent();
    }

    /** The user's membership of the guild, if they are a member. */
    public java.util.Optional<EmulatedMember> member(String guildId, String userId) {
        return data.member(guildId, userId);
    }

    /**
     * Makes the user a member of the guild, or replaces their membership (roles, nickname, permissions) while the
     * emulator runs: {@code GET /users/@me/guilds} and {@code GET /users/@me/guilds/{guild.id}/member} answer with it
     * from the next request on. The guild and the user must be known.
     *
     * @throws IllegalArgumentException when the guild or the user is unknown
     */
    public void putMember(EmulatedMember member) {
        data.putMember(member);
    }

    /**
     * Sets a member's roles (role ids), keeping the rest of the membership.
     *
     * @throws IllegalArgumentException when the user is not a member of the guild, or a role id is not a snowflake
     */
    public void setMemberRoles(String guildId, String userId, List<String> roleIds) {
        data.setMemberRoles(guildId, userId, roleIds);
    }

    /** Removes the user from the guild (they left, or were kicked); returns whether they were a member. */
    public boolean removeMember(String guildId, String userId) {
        return data.removeMember(guildId, userId);
    }

    /** Stops the server at once; requests in flight are cut off. */
    @Override
    public void close() {
        server.stop();
        webhooks.close();
    }

    @Override
    public String toString() {
        return "DiscordEmulator[" + server.baseUri() + "]";
    }

    /** Configures a {@link DiscordEmulator}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder extends EmulatorConfig {
        private Builder() {
        }

        /** Starts the emulator on its loopback port. */
        public DiscordEmulator start() {
            try {
                return new DiscordEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the Discord emulator", e);
            }
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
     * line itself lives in {@code EmulatorMain}.
     */
    public static void main(String[] args) throws InterruptedException {
        EmulatorMain.main(args);
    }
}
