package dev.discordoauth2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord's rate limits as the client sees them. Each answer's {@code X-RateLimit-*} headers update the bucket of
 * its route (routes Discord maps to one {@code X-RateLimit-Bucket} share it); each caller (a token or the client's
 * credentials) has its own buckets, as Discord counts them. Before a request, {@link #reserve} says how long to wait
 * so that a request known to fail is not sent: while a bucket is empty, or while a global limit holds. Requests in
 * flight are counted so that many threads do not overrun one bucket. Time is {@link System#nanoTime()}. Thread-safe.
 *
 * <p>Memory is bounded: a bucket (and a caller's global limit) is forgotten once its reset has passed and no request
 * of it is in flight, in sweeps that run as the map grows (amortised constant time per new bucket), and the maps
 * never hold more than {@code maxBuckets} entries each: when full, expired entries go first, then the least recently
 * used. A forgotten bucket is simply unknown again (one request goes out to learn its limit).
 */
final class RateLimiter {
    /** How long to wait before asking again while other requests of the bucket are out. */
    static final long POLL_NANOS = 5_000_000L;
    /** The longest reset or wait kept: {@link RateLimitedException#MAX_RETRY_AFTER}, so {@code now + wait} never overflows. */
    static final long MAX_WAIT_NANOS = RateLimitedException.MAX_RETRY_AFTER.toNanos();
    private static final double MAX_WAIT_SECONDS = RateLimitedException.MAX_RETRY_AFTER.toSeconds();
    private static final int UNKNOWN = -1;
    private static final int UNLIMITED = -2;

    private static final class Bucket {
        /** The bucket's size; {@link #UNKNOWN} before any answer, {@link #UNLIMITED} when answers carry no headers. */
        int limit = UNKNOWN;
        int remaining;
        /** When the window ends; {@link Long#MAX_VALUE} when not yet known for the current window. */
        long resetAtNanos = Long.MAX_VALUE;
        int inFlight;
    }

    /** The default bound of each map: ten thousand callers' buckets, a few megabytes at most. */
    static final int DEFAULT_MAX_BUCKETS = 10_000;
    private static final int MIN_SWEEP = 64;

    /** Keyed by route template ({@code GET /users/@me}), so bounded by the library's routes. */
    private final Map<String, String> bucketOfRoute = new ConcurrentHashMap<>();
    /** In access order, so that the eldest entry is the least recently used. */
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, Long> globalUntil = new LinkedHashMap<>();
    private final int maxBuckets;
    private int sweepBucketsAt;
    private int sweepGlobalAt;

    RateLimiter() {
        this(DEFAULT_MAX_BUCKETS);
    }

    RateLimiter(int maxBuckets) {
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be at least 1: " + maxBuckets);
        }
        this.maxBuckets = maxBuckets;
        this.sweepBucketsAt = Math.min(maxBuckets, MIN_SWEEP);
        this.sweepGlobalAt = Math.min(maxBuckets, MIN_SWEEP);
    }

    /** How many buckets and global limits are remembered (for tests). */
    synchronized int size() {
        return buckets.size() + globalUntil.size();
    }

    /** Whether a bucket carries nothing worth keeping: nothing in flight, and its window (if known) is over. */
    private static boolean forgettable(Bucket b, long now) {
        return b.inFlight == 0 && (b.limit < 0 || b.resetAtNanos == Long.MAX_VALUE || now - b.resetAtNanos >= 0);
    }

    /** The key's bucket, created (after making room) when not known. */
    private Bucket bucket(String key, long now) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            makeRoom(buckets, now, true);
            bucket = new Bucket();
            buckets.put(key, bucket);
        }
        return bucket;
    }

    /**
     * Before adding to a map: once it reached its sweep mark, drop what is forgettable; if it is still full, drop
     * the eldest down to 90% of the bound. The next mark is twice what is left (at most the bound), so a sweep's
     * cost is paid by the insertions before it.
     */
    private <V> void makeRoom(LinkedHashMap<String, V> map, long now, boolean isBuckets) {
        int mark = isBuckets ? sweepBucketsAt : sweepGlobalAt;
        if (map.size() < mark) {
            return;
        }
        if (isBuckets) {
            buckets.values().removeIf(b -> forgettable(b, now));
        } else {
            globalUntil.values().removeIf(until -> now - until >= 0);
        }
        if (map.size() >= maxBuckets) {
            int target = maxBuckets - Math.max(1, maxBuckets / 10);
            Iterator<V> eldest = map.values().iterator();
            while (map.size() > target && eldest.hasNext()) {
                eldest.next();
                eldest.remove();
            }
        }
        int next = Math.min(maxBuckets, Math.max(MIN_SWEEP, map.size() * 2));
        if (isBuckets) {
            sweepBucketsAt = next;
        } else {
            sweepGlobalAt = next;
        }
    }

    /** A caller's identity for bucketing: a digest of its credential, so the credential itself is not kept. */
    static String identity(String authorization) {
        if (authorization == null) {
            return "anonymous";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(authorization.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String bucketKey(ApiCall call, String identity) {
        String bucket = bucketOfRoute.getOrDefault(call.route(), call.route());
        return identity + "|" + bucket + "|" + (call.topLevelId == null ? "" : call.topLevelId);
    }

    /**
     * What {@link #reserve} decided: go ({@link #nanos} 0, a place is reserved) or wait {@link #nanos} before asking
     * again, and whether that wait is the caller's global limit rather than the route's bucket.
     */
    record Wait(long nanos, boolean global) {
        static final Wait NONE = new Wait(0, false);

        boolean none() {
            return nanos <= 0;
        }
    }

    /**
     * Reserves a place in the call's bucket and returns {@link Wait#NONE}, or returns how long to wait before asking
     * again (nothing reserved) and why. A bucket not yet seen lets one request through until its answer tells the
     * limit.
     */
    synchronized Wait reserve(ApiCall call, String identity, long now) {
        Long global = globalUntil.get(identity);
        if (global != null) {
            if (global - now > 0) {
                return new Wait(global - now, true);
            }
            globalUntil.remove(identity);
        }
        Bucket bucket = bucket(bucketKey(call, identity), now);
        if (bucket.limit == UNLIMITED) {
            bucket.inFlight++;
            return Wait.NONE;
        }
        if (bucket.limit == UNKNOWN) {
            if (bucket.inFlight == 0) {
                bucket.inFlight++;
                return Wait.NONE;
            }
            return new Wait(POLL_NANOS, false);
        }
        if (bucket.resetAtNanos != Long.MAX_VALUE && now - bucket.resetAtNanos >= 0) {
            bucket.remaining = Math.max(0, bucket.limit - bucket.inFlight);
            bucket.resetAtNanos = Long.MAX_VALUE;
        }
        if (bucket.remaining > 0) {
            bucket.remaining--;
            bucket.inFlight++;
            return Wait.NONE;
        }
        return new Wait(bucket.resetAtNanos == Long.MAX_VALUE ? POLL_NANOS : Math.max(1, bucket.resetAtNanos - now),
                false);
    }

    /** Reads the answer's {@code X-RateLimit-*} headers into the bucket and ends the reservation. */
    synchronized void update(ApiCall call, String identity, Map<String, List<Object>> headers, long now) {
        Bucket bucket = buckets.get(bucketKey(call, identity));
        if (bucket != null && bucket.inFlight > 0) {
            bucket.inFlight--;
        }
        String hash = first(headers, "X-RateLimit-Bucket");
        Integer limit = integer(first(headers, "X-RateLimit-Limit"));
        Integer remaining = integer(first(headers, "X-RateLimit-Remaining"));
        Double resetAfter = decimal(first(headers, "X-RateLimit-Reset-After"));
        if (hash == null || limit == null || remaining == null || resetAfter == null) {
            if (bucket != null && bucket.limit == UNKNOWN) {
                bucket.limit = UNLIMITED;
            }
            return;
        }
        if (!hash.equals(bucketOfRoute.get(call.route()))) {
            String oldKey = bucketKey(call, identity);
            bucketOfRoute.put(call.route(), hash);
            String newKey = bucketKey(call, identity);
            Bucket shared = buckets.get(newKey);
            if (shared == null) {
                if (bucket == null) {
                    makeRoom(buckets, now, true);
                }
                buckets.put(newKey, bucket != null ? bucket : new Bucket());
            } else if (bucket != null && bucket != shared) {
                shared.inFlight += bucket.inFlight;
            }
            if (!oldKey.equals(newKey)) {
                buckets.remove(oldKey);
            }
            bucket = buckets.get(newKey);
        }
        if (bucket == null) {
            bucket = bucket(bucketKey(call, identity), now);
        }
        long resetAt = now + (long) (Math.min(resetAfter, MAX_WAIT_SECONDS) * 1e9);
        int left = Math.max(0, remaining - bucket.inFlight);
        boolean sameWindow = bucket.limit >= 0 && bucket.resetAtNanos != Long.MAX_VALUE
                && Math.abs(resetAt - bucket.resetAtNanos) < 50_000_000L;
        bucket.limit = limit;
        bucket.remaining = sameWindow ? Math.min(bucket.remaining, left) : left;
        bucket.resetAtNanos = sameWindow ? Math.min(bucket.resetAtNanos, resetAt) : resetAt;
    }

    /**
     * The call failed before an answer (no connection, a timeout): ends the reservation. When the bucket has no known
     * reset (its window passed before these requests went out), its place is given back: no answer will tell the
     * bucket's state, and without it requests that all fail would empty the bucket for good, every later call
     * waiting for a reset that never comes.
     */
    synchronized void release(ApiCall call, String identity) {
        Bucket bucket = buckets.get(bucketKey(call, identity));
        if (bucket != null && bucket.inFlight > 0) {
            bucket.inFlight--;
            if (bucket.limit > 0 && bucket.resetAtNanos == Long.MAX_VALUE) {
                bucket.remaining = Math.min(bucket.limit - bucket.inFlight, bucket.remaining + 1);
            }
        }
    }

    /** A 429 for the bucket: empty until {@code retryAfterNanos} from now. */
    synchronized void exhausted(ApiCall call, String identity, long retryAfterNanos, long now) {
        Bucket bucket = bucket(bucketKey(call, identity), now);
        if (bucket.limit < 0) {
            bucket.limit = 1;
        }
        bucket.remaining = 0;
        bucket.resetAtNanos = now + Math.min(retryAfterNanos, MAX_WAIT_NANOS);
    }

    /** A global 429: every route of this caller waits. */
    synchronized void globallyLimited(String identity, long retryAfterNanos, long now) {
        if (!globalUntil.containsKey(identity)) {
            makeRoom(globalUntil, now, false);
        }
        globalUntil.put(identity, now + Math.min(retryAfterNanos, MAX_WAIT_NANOS));
    }

    static String first(Map<String, List<Object>> headers, String name) {
        List<Object> values = headers.get(name);
        return values == null || values.isEmpty() || values.get(0) == null ? null : values.get(0).toString();
    }

    static Integer integer(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double decimal(String value) {
        try {
            double d = value == null ? Double.NaN : Double.parseDouble(value.trim());
            return Double.isFinite(d) && d >= 0 ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
