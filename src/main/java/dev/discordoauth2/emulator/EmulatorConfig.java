package dev.discordoauth2.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link DiscordEmulator.Builder} collects: the data set, limits, lifetimes and server options, with the
 * builder's public setters, which check their arguments and return the builder. Kept apart from the builder so that
 * {@link DiscordEmulator} stays about the running emulator; the fields are read once, when the emulator starts. Not
 * thread-safe.
 */
abstract class EmulatorConfig {
    final List<EmulatedApplication> applications = new ArrayList<>();
    final List<EmulatedUser> users = new ArrayList<>();
    final List<EmulatedGuild> guilds = new ArrayList<>();
    final List<EmulatedMember> members = new ArrayList<>();
    final Map<String, List<EmulatedConnection>> connections = new LinkedHashMap<>();
    final List<SeedData.Ban> bans = new ArrayList<>();
    final List<SeedData.BotMembership> botGuilds = new ArrayList<>();
    final Map<String, RateLimiter.Limit> routeLimits = new HashMap<>();
    RateLimiter.Limit defaultLimit;
    RateLimiter.Limit globalLimit = RateLimiter.DISCORD_GLOBAL;
    boolean admin;
    int banThreshold;
    Duration banDuration = Duration.ofHours(1);
    Duration codeLifetime = Duration.ofSeconds(100);
    Duration accessTokenLifetime = Duration.ofSeconds(604800);
    Duration deviceCodeLifetime = Duration.ofSeconds(300);
    Duration deviceInterval = Duration.ofSeconds(5);
    String autoApproveUserId;
    boolean autoApproveInTurn;
    int port;
    int threads = 8;
    PrintStream requestLog;
    java.net.URI webhookUrl;
    final Map<String, java.net.URI> webhookUrls = new LinkedHashMap<>();
    byte[] webhookKeySeed;
    int webhookAttempts = 5;
    Duration webhookBackoff = Duration.ofSeconds(1);

    EmulatorConfig() {
    }

    /** This builder, as the public type its setters return. */
    private DiscordEmulator.Builder self() {
        return (DiscordEmulator.Builder) this;
    }

    /** Adds the demo data set: three users, four guilds, memberships, connections, one ban, the bot in two guilds. */
    public DiscordEmulator.Builder demoData(EmulatedApplication application) {
        DemoData.addTo(self(), application);
        return self();
    }

    public DiscordEmulator.Builder application(EmulatedApplication application) {
        applications.add(Objects.requireNonNull(application, "application must not be null"));
        return self();
    }

    public DiscordEmulator.Builder user(EmulatedUser user) {
        users.add(Objects.requireNonNull(user, "user must not be null"));
        return self();
    }

    public DiscordEmulator.Builder guild(EmulatedGuild guild) {
        guilds.add(Objects.requireNonNull(guild, "guild must not be null"));
        return self();
    }

    public DiscordEmulator.Builder member(EmulatedMember member) {
        members.add(Objects.requireNonNull(member, "member must not be null"));
        return self();
    }

    public DiscordEmulator.Builder connection(String userId, EmulatedConnection connection) {
        connections.computeIfAbsent(userId, k -> new ArrayList<>())
                .add(Objects.requireNonNull(connection, "connection must not be null"));
        return self();
    }

    /** Bans the user from the guild: Add Guild Member answers {@code 40007}. */
    public DiscordEmulator.Builder ban(String guildId, String userId) {
        bans.add(new SeedData.Ban(guildId, userId));
        return self();
    }

    /** Puts the application's bot in the guild with these permissions (a bit field). */
    public DiscordEmulator.Builder botInGuild(String clientId, String guildId, long permissions) {
        botGuilds.add(new SeedData.BotMembership(clientId, guildId, permissions));
        return self();
    }

    /**
     * Limits one route per caller to {@code limit} requests per {@code window}.
     *
     * @param route {@code "METHOD /template"}, e.g. {@code "GET /users/@me"}
     */
    public DiscordEmulator.Builder rateLimit(String route, int limit, Duration window) {
        routeLimits.put(Objects.requireNonNull(route, "route must not be null"),
                new RateLimiter.Limit(limit, window));
        return self();
    }

    /**
     * The limit of every route without its own {@link #rateLimit(String, int, Duration)}, replacing the built-in
     * per-route defaults (5 or 10 per second, see docs/emulator.md).
     */
    public DiscordEmulator.Builder defaultRateLimit(int limit, Duration window) {
        defaultLimit = new RateLimiter.Limit(limit, window);
        return self();
    }

    /** The global limit per caller over all routes (default 50 per second, as Discord's). */
    public DiscordEmulator.Builder globalRateLimit(int limit, Duration window) {
        globalLimit = new RateLimiter.Limit(limit, window);
        return self();
    }

    /**
     * Bans an address for {@code banDuration} once it has had {@code threshold} invalid (401, 403, 429) answers
     * within ten minutes, as Cloudflare does at 10,000: every request then gets an HTML 429 without
     * {@code Retry-After}. Off by default.
     */
    public DiscordEmulator.Builder invalidRequestBan(int threshold, Duration banDuration) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1: " + threshold);
        }
        this.banThreshold = threshold;
        this.banDuration = Objects.requireNonNull(banDuration, "banDuration must not be null");
        return self();
    }

    /** How long an authorization code can be exchanged (default 100 s, as Discord's). */
    public DiscordEmulator.Builder codeLifetime(Duration codeLifetime) {
        this.codeLifetime = positive(codeLifetime, "codeLifetime");
        return self();
    }

    /** {@code expires_in} of access tokens (default 604800 s, seven days). */
    public DiscordEmulator.Builder accessTokenLifetime(Duration accessTokenLifetime) {
        this.accessTokenLifetime = positive(accessTokenLifetime, "accessTokenLifetime");
        return self();
    }

    /**
     * {@code expires_in} of device authorizations: how long the user has to enter the code and the device to poll
     * (default 300 s, as Discord's documented answer says).
     */
    public DiscordEmulator.Builder deviceCodeLifetime(Duration deviceCodeLifetime) {
        this.deviceCodeLifetime = positive(deviceCodeLifetime, "deviceCodeLifetime");
        return self();
    }

    /**
     * {@code interval} of device authorizations, whole seconds (default 5 s, as Discord's documented answer says): a
     * device polling again sooner is answered {@code slow_down}, and must wait 5 s longer from then on.
     */
    public DiscordEmulator.Builder deviceInterval(Duration deviceInterval) {
        this.deviceInterval = wholeSeconds(deviceInterval, "deviceInterval");
        return self();
    }

    /** {@code d} when it is at least one second and whole seconds ({@code interval} is an integer on the wire). */
    static Duration wholeSeconds(Duration d, String name) {
        if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0 || d.getNano() != 0) {
            throw new IllegalArgumentException(name + " must be whole seconds, at least 1: " + d);
        }
        return d;
    }

    /**
     * Serves the admin API under {@code /__admin} (JSON over HTTP, loopback callers only) so that other processes
     * can inject faults, move the clock, read the journal, change rate limits and reset. Off by default.
     */
    public DiscordEmulator.Builder admin(boolean enabled) {
        this.admin = enabled;
        return self();
    }

    /** Skips the consent page: every authorization request is approved at once as this user. */
    public DiscordEmulator.Builder autoApprove(String userId) {
        this.autoApproveUserId = userId;
        this.autoApproveInTurn = false;
        return self();
    }

    /**
     * Skips the consent page: each authorization request is approved at once by the next of the emulator's users
     * in turn, in the order they were added (with {@link #generatedUsers(int)}, concurrent simulated browsers are
     * distinct Discord users, so that revoking one user's authorization leaves the others' sessions alone).
     */
    public DiscordEmulator.Builder autoApproveEachUserInTurn() {
        this.autoApproveInTurn = true;
        this.autoApproveUserId = null;
        return self();
    }

    /**
     * Adds {@code count} generated users {@code user1} … {@code userN} with fixed snowflake ids (the same on every
     * start), a verified e-mail address {@code userN@example.com} and locale {@code en-US}.
     */
    public DiscordEmulator.Builder generatedUsers(int count) {
        if (count < 0 || count > DiscordEmulator.GENERATED_USERS_MAX) {
            throw new IllegalArgumentException(
                    "generated users must be 0-" + DiscordEmulator.GENERATED_USERS_MAX + ": " + count);
        }
        for (int i = 1; i <= count; i++) {
            users.add(EmulatedUser.builder(DiscordEmulator.generatedUserId(i), "user" + i).globalName("User " + i)
                    .email("user" + i + "@example.com").verified(true).locale("en-US").build());
        }
        return self();
    }

    /** The loopback port to listen on; 0 (the default) picks a free one. */
    public DiscordEmulator.Builder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        this.port = port;
        return self();
    }

    /** Worker threads (default 8). */
    public DiscordEmulator.Builder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
        return self();
    }

    /** Prints one line per request (time, address, method, path, status, duration) to this stream. */
    public DiscordEmulator.Builder logRequestsTo(PrintStream out) {
        this.requestLog = out;
        return self();
    }

    /**
     * The Webhook Events URL of every application without its own: the emulator sends it Discord's signed webhook
     * events ({@code APPLICATION_AUTHORIZED} after a consent, {@code APPLICATION_DEAUTHORIZED} after a revocation).
     * None by default. A URL given here gets no {@code PING} at start; one set at run time does.
     */
    public DiscordEmulator.Builder webhookUrl(java.net.URI url) {
        this.webhookUrl = webhookUri(url);
        return self();
    }

    /** The application's own Webhook Events URL, as set under "Webhooks" in Discord's developer portal. */
    public DiscordEmulator.Builder webhookUrl(String clientId, java.net.URI url) {
        webhookUrls.put(Objects.requireNonNull(clientId, "clientId must not be null"), webhookUri(url));
        return self();
    }

    /**
     * Makes the emulator's Ed25519 key pair from this 32-byte seed (the RFC 8032 private key), so that its public key
     * is the same on every start; by default the pair is random per emulator.
     */
    public DiscordEmulator.Builder webhookKeySeed(byte[] seed) {
        if (seed == null || seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
        }
        this.webhookKeySeed = seed.clone();
        return self();
    }

    /**
     * How often an event is tried (default 5) and the wait after the first failure (default 1 s, doubling after each
     * further one); a {@code PING} is tried once.
     */
    public DiscordEmulator.Builder webhookRetry(int attempts, Duration firstBackoff) {
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException("attempts must be 1-20: " + attempts);
        }
        this.webhookAttempts = attempts;
        this.webhookBackoff = positive(firstBackoff, "firstBackoff");
        return self();
    }

    private static java.net.URI webhookUri(java.net.URI url) {
        if (url == null || !url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("a Webhook Events URL is absolute http or https: " + url);
        }
        return url;
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }
}
