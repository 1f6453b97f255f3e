package dev.discordoauth2.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Discord's rate limits as documented: per-route buckets per caller (a caller is its {@code Authorization} header, or
 * its address when it sends none) with fixed windows, a global limit per caller, the {@code X-RateLimit-*} headers on
 * every answer, 429 answers with {@code Retry-After} and a {@code retry_after} body, and the count of invalid
 * (401/403/429) requests per address over ten minutes, with an optional Cloudflare-style ban. Thread-safe.
 */
final class RateLimiter {

    /** A limit of {@code limit} requests per {@code window}. */
    record Limit(int limit, Duration window) {
        Limit {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1: " + limit);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive: " + window);
            }
        }
    }

    private static final Duration INVALID_WINDOW = Duration.ofMinutes(10);

    /**
     * The emulator's route limits when none are configured. Discord documents the mechanism, not the values ("rate
     * limits should not be hard coded"), so these are chosen to be conservative: the documentation's own example
     * values (a limit of 5 in the header example, 10 in the 429 example), well below the global 50 per second, so a
     * client meets a bucket 429 long before the global one. docs/emulator.md gives the reasoning for each.
     */
    static final Map<String, Limit> BUILT_IN_ROUTE_LIMITS = Map.ofEntries(
            Map.entry("POST /oauth2/token", new Limit(10, Duration.ofSeconds(1))),
            Map.entry("POST /oauth2/token/revoke", new Limit(10, Duration.ofSeconds(1))),
            Map.entry("POST /oauth2/device/authorize", new Limit(10, Duration.ofSeconds(1))),
            Map.entry("GET /oauth2/@me", new Limit(5, Duration.ofSeconds(1))),
            Map.entry("GET /users/@me", new Limit(5, Duration.ofSeconds(1))),
            Map.entry("GET /users/@me/guilds", new Limit(5, Duration.ofSeconds(1))),
            Map.entry("GET /users/@me/guilds/{guild.id}/member", new Limit(5, Duration.ofSeconds(1))),
            Map.entry("GET /users/@me/connections", new Limit(5, Duration.ofSeconds(1))),
            Map.entry("GET /users/@me/applications/{application.id}/role-connection",
                    new Limit(5, Duration.ofSeconds(1))),
            Map.entry("PUT /users/@me/applications/{application.id}/role-connection",
                    new Limit(5, Duration.ofSeconds(1))),
            Map.entry("DELETE /users/@me/applications/{application.id}/role-connection",
                    new Limit(5, Duration.ofSeconds(1))),
            Map.entry("PUT /guilds/{guild.id}/members/{user.id}", new Limit(10, Duration.ofSeconds(1))),
            Map.entry("GET /applications/{application.id}/role-connections/metadata",
                    new Limit(5, Duration.ofSeconds(1))),
            Map.entry("PUT /applications/{application.id}/role-connections/metadata",
                    new Limit(5, Duration.ofSeconds(1))));
    /** The limit of a route missing from {@link #BUILT_IN_ROUTE_LIMITS} when no default is configured. */
    static final Limit BUILT_IN_FALLBACK = new Limit(10, Duration.ofSeconds(1));
    /** Discord's documented global limit: "50 requests per second". */
    static final Limit DISCORD_GLOBAL = new Limit(50, Duration.ofSeconds(1));

    private final Map<String, Limit> initialRouteLimits;
    private final Limit initialDefaultLimit;
    private final Limit initialGlobalLimit;
    private final Map<String, Limit> routeLimits;
    private Limit defaultLimit;
    private Limit globalLimit;
    private final int banThreshold;
    private final Duration banDuration;
    private final EmulatorClock clock;

    private final Map<String, Window> buckets = new HashMap<>();
    private final Map<String, Window> globals = new HashMap<>();
    private final Map<String, Deque<Instant>> invalid = new HashMap<>();
    private final Map<String, Instant> bannedUntil = new HashMap<>();
    private final Map<String, String> bucketHashes = new HashMap<>();

    private static final class Window {
        Instant resetAt;
        int used;
    }

    /**
     * @param routeLimits  limits of single routes
     * @param defaultLimit the limit of every other route, or {@code null} for {@link #BUILT_IN_ROUTE_LIMITS}
     * @param globalLimit  the global limit per caller, or {@code null} for none
     */
    RateLimiter(Map<String, Limit> routeLimits, Limit defaultLimit, Limit globalLimit, int banThreshold,
            Duration banDuration, EmulatorClock clock) {
        this.initialRouteLimits = Map.copyOf(routeLimits);
        this.initialDefaultLimit = defaultLimit;
        this.initialGlobalLimit = globalLimit;
        this.routeLimits = new HashMap<>(routeLimits);
        this.defaultLimit = defaultLimit;
        this.globalLimit = globalLimit;
        this.banThreshold = banThreshold;
        this.banDuration = banDuration;
        this.clock = clock;
    }

    /** The answer to send instead of running the route when the caller is banned, or {@code null}. */
    synchronized Reply banned(String address) {
        Instant until = bannedUntil.get(address);
        Instant now = clock.now();
        if (until == null || !now.isBefore(until)) {
            bannedUntil.remove(address);
            return null;
        }
        return Reply.html(429, """
                <!DOCTYPE html>
                <html><head><title>Access denied | discord.com used Cloudflare to restrict access</title></head>
                <body><h1>Error 1015</h1><h2>You are being rate limited</h2>
                <p>The owner of this website (discord.com) has banned you temporarily from accessing this website.</p>
                </body></html>
                """);
    }

    /**
     * Checks the caller's global limit, then its route bucket, and counts the request against both only when both
     * let it through: a request refused with a bucket 429 does not use up the global allowance (it is counted as an
     * invalid request instead, see {@link #recordStatus}). Returns a 429 to send instead, or {@code null} and leaves
     * the bucket headers in {@code headersOut} for the real answer.
     */
    synchronized Reply acquire(String caller, String route, String topLevelId, Map<String, String> headersOut) {
        Instant now = clock.now();
        Window global = null;
        if (globalLimit != null) {
            global = window(globals, caller, globalLimit, now);
            if (global.used >= globalLimit.limit()) {
                double retry = secondsUntil(global.resetAt, now);
                Reply reply = tooMany(retry, true, "You are being rate limited.");
                reply.header("Retry-After", retryAfterHeader(retry));
                reply.header("X-RateLimit-Global", "true");
                reply.header("X-RateLimit-Scope", "global");
                return reply;
            }
        }
        Limit limit = limitOf(route);
        String key = caller + "\n" + route + "\n" + (topLevelId == null ? "" : topLevelId);
        Window bucket = window(buckets, key, limit, now);
        double resetAfter = secondsUntil(bucket.resetAt, now);
        headersOut.put("X-RateLimit-Limit", Integer.toString(limit.limit()));
        headersOut.put("X-RateLimit-Reset", seconds(bucket.resetAt.toEpochMilli() / 1000.0));
        headersOut.put("X-RateLimit-Reset-After", seconds(resetAfter));
        headersOut.put("X-RateLimit-Bucket", bucketHash(route));
        if (bucket.used >= limit.limit()) {
            headersOut.put("X-RateLimit-Remaining", "0");
            Reply reply = tooMany(resetAfter, false, "You are being rate limited.");
            reply.header("Retry-After", retryAfterHeader(resetAfter));
            headersOut.forEach(reply::header);
            reply.header("X-RateLimit-Scope", "user");
            headersOut.clear();
            return reply;
        }
        bucket.used++;
        if (global != null) {
            global.used++;
        }
        headersOut.put("X-RateLimit-Remaining", Integer.toString(limit.limit() - bucket.used));
        return null;
    }

    /** The limit a route's buckets have now. */
    synchronized Limit limitOf(String route) {
        Limit own = routeLimits.get(route);
        if (own != null) {
            return own;
        }
        return defaultLimit != null ? defaultLimit : BUILT_IN_ROUTE_LIMITS.getOrDefault(route, BUILT_IN_FALLBACK);
    }

    synchronized Limit globalLimit() {
        return globalLimit;
    }

    /** The limits configured for single routes (not the built-in ones). */
    synchronized Map<String, Limit> routeLimits() {
        return Map.copyOf(routeLimits);
    }

    /** The limit of routes without their own, or {@code null} while the built-in table applies. */
    synchronized Limit defaultLimit() {
        return defaultLimit;
    }

    /** Gives a route a new limit; its buckets start afresh. */
    synchronized void setRouteLimit(String route, Limit limit) {
        routeLimits.put(route, limit);
        buckets.keySet().removeIf(key -> key.split("\n", -1)[1].equals(route));
    }

    /** Gives every route without its own limit this one; every bucket starts afresh. */
    synchronized void setDefaultLimit(Limit limit) {
        defaultLimit = limit;
        buckets.clear();
    }

    /** Sets the global limit ({@code null}: none); every caller's global window starts afresh. */
    synchronized void setGlobalLimit(Limit limit) {
        globalLimit = limit;
        globals.clear();
    }

    /** Forgets every window, invalid request and ban, and restores the limits given at start. */
    synchronized void reset() {
        routeLimits.clear();
        routeLimits.putAll(initialRouteLimits);
        defaultLimit = initialDefaultLimit;
        globalLimit = initialGlobalLimit;
        buckets.clear();
        globals.clear();
        invalid.clear();
        bannedUntil.clear();
    }

    /** Counts a 401, 403 or 429 (except {@code shared} 429s) answered to this address; bans past the threshold. */
    synchronized void recordStatus(String address, int status, boolean sharedScope) {
        if (status != 401 && status != 403 && (status != 429 || sharedScope)) {
            return;
        }
        Instant now = clock.now();
        Deque<Instant> times = invalid.computeIfAbsent(address, k -> new ArrayDeque<>());
        times.addLast(now);
        prune(times, now);
        if (banThreshold > 0 && times.size() >= banThreshold) {
            bannedUntil.put(address, now.plus(banDuration));
        }
    }

    synchronized int invalidRequestCount() {
        Instant now = clock.now();
        int total = 0;
        for (Deque<Instant> times : invalid.values()) {
            prune(times, now);
            total += times.size();
        }
        return total;
    }

    private static void prune(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(INVALID_WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }

    private static Window window(Map<String, Window> windows, String key, Limit limit, Instant now) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        if (w.resetAt == null || !now.isBefore(w.resetAt)) {
            w.resetAt = now.plus(limit.window());
            w.used = 0;
        }
        return w;
    }

    private static Reply tooMany(double retryAfter, boolean global, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("retry_after", new BigDecimal(seconds(retryAfter)));
        body.put("global", global);
        return Reply.json(429, body);
    }

    private static double secondsUntil(Instant then, Instant now) {
        return Math.max(0, Duration.between(now, then).toNanos() / 1e9);
    }

    /** Seconds with millisecond precision, as Discord writes them ({@code 64.57}, {@code 1470173023.123}). */
    static String seconds(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.CEILING).stripTrailingZeros().toPlainString();
    }

    private static String retryAfterHeader(double seconds) {
        return Long.toString((long) Math.ceil(seconds));
    }

    private String bucketHash(String route) {
        return bucketHashes.computeIfAbsent(route, r -> {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(r.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest, 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
