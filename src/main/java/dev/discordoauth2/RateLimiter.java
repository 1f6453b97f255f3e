package dev.discordoauth2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord's rate limits as the client sees them. Each answer's {@code X-RateLimit-*} headers update the bucket of
 * its route (routes Discord maps to one {@code X-RateLimit-Bucket} share it); each caller (a token or the client's
 * credentials) has its own buckets, as Discord counts them. Before a request, {@link #reserve} says how long to wait
 * so that a request known to fail is not sent: while a bucket is empty, or while a global limit holds. Requests in
 * flight are counted so that many threads do not overrun one bucket. Time is {@link System#nanoTime()}. Thread-safe.
 */
final class RateLimiter {
    /** How long to wait before asking again while other requests of the bucket are out. */
    static final long POLL_NANOS = 5_000_000L;
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

    private final Map<String, String> bucketOfRoute = new ConcurrentHashMap<>();
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final Map<String, Long> globalUntil = new HashMap<>();

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
     * Reserves a place in the call's bucket and returns 0, or returns the nanoseconds to wait before asking again
     * (nothing reserved). A bucket not yet seen lets one request through until its answer tells the limit.
     */
    synchronized long reserve(ApiCall call, String identity, long now) {
        Long global = globalUntil.get(identity);
        if (global != null) {
            if (global - now > 0) {
                return global - now;
            }
            globalUntil.remove(identity);
        }
        Bucket bucket = buckets.computeIfAbsent(bucketKey(call, identity), k -> new Bucket());
        if (bucket.limit == UNLIMITED) {
            bucket.inFlight++;
            return 0;
        }
        if (bucket.limit == UNKNOWN) {
            if (bucket.inFlight == 0) {
                bucket.inFlight++;
                return 0;
            }
            return POLL_NANOS;
        }
        if (bucket.resetAtNanos != Long.MAX_VALUE && now - bucket.resetAtNanos >= 0) {
            bucket.remaining = Math.max(0, bucket.limit - bucket.inFlight);
            bucket.resetAtNanos = Long.MAX_VALUE;
        }
        if (bucket.remaining > 0) {
            bucket.remaining--;
            bucket.inFlight++;
            return 0;
        }
        return bucket.resetAtNanos == Long.MAX_VALUE ? POLL_NANOS : Math.max(1, bucket.resetAtNanos - now);
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
                buckets.put(newKey, bucket != null ? bucket : new Bucket());
            } else if (bucket != null && bucket != shared) {
                shared.inFlight += bucket.inFlight;
            }
            if (!oldKey.equals(newKey)) {
                buckets.remove(oldKey);
            }
            bucket = buckets.get(newKey);
        }
        long resetAt = now + (long) (resetAfter * 1e9);
        int left = Math.max(0, remaining - bucket.inFlight);
        boolean sameWindow = bucket.limit >= 0 && bucket.resetAtNanos != Long.MAX_VALUE
                && Math.abs(resetAt - bucket.resetAtNanos) < 50_000_000L;
        bucket.limit = limit;
        bucket.remaining = sameWindow ? Math.min(bucket.remaining, left) : left;
        bucket.resetAtNanos = sameWindow ? Math.min(bucket.resetAtNanos, resetAt) : resetAt;
    }

    /** The call failed before an answer: ends the reservation. */
    synchronized void release(ApiCall call, String identity) {
        Bucket bucket = buckets.get(bucketKey(call, identity));
        if (bucket != null && bucket.inFlight > 0) {
            bucket.inFlight--;
        }
    }

    /** A 429 for the bucket: empty until {@code retryAfterNanos} from now. */
    synchronized void exhausted(ApiCall call, String identity, long retryAfterNanos, long now) {
        Bucket bucket = buckets.computeIfAbsent(bucketKey(call, identity), k -> new Bucket());
        if (bucket.limit < 0) {
            bucket.limit = 1;
        }
        bucket.remaining = 0;
        bucket.resetAtNanos = now + retryAfterNanos;
    }

    /** A global 429: every route of this caller waits. */
    synchronized void globallyLimited(String identity, long retryAfterNanos, long now) {
        globalUntil.put(identity, now + retryAfterNanos);
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
