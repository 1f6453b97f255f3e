package dev.discordoauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The package-private {@link RateLimiter} driven directly with a virtual clock: its memory stays bounded. */
class RateLimiterTest {
    private static final ApiCall ME = ApiCall.of("GET", "/users/@me");
    private static final long MS = 1_000_000L;

    private static Map<String, List<Object>> headers(String resetAfter) {
        return Map.of("X-RateLimit-Bucket", List.of("abcd1234"), "X-RateLimit-Limit", List.of("5"),
                "X-RateLimit-Remaining", List.of("4"), "X-RateLimit-Reset-After", List.of(resetAfter));
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void reserveWhenMillionIdentitiesWithPassingResetsThenMapStaysSmallAndHeapFlat() {
        RateLimiter limiter = new RateLimiter();
        long before = usedHeap();
        long now = 0;
        int largest = 0;
        for (int i = 0; i < 1_000_000; i++) {
            String identity = "token-" + i;
            assertTrue(limiter.reserve(ME, identity, now).none());
            limiter.update(ME, identity, headers("0.5"), now);
            now += MS;
            largest = Math.max(largest, limiter.size());
        }
        long grown = usedHeap() - before;
        assertTrue(largest <= 2 * 500 + 64 + 1, "about 500 buckets are live at any time; at most " + largest);
        assertTrue(grown < 32L * 1024 * 1024, "heap grew by " + grown / 1024 + " KiB");
    }

    @Test
    void reserveWhenMillionIdentitiesAllStillLiveThenHardCapHolds() {
        RateLimiter limiter = new RateLimiter();
        int largest = 0;
        for (int i = 0; i < 1_000_000; i++) {
            String identity = "token-" + i;
            limiter.reserve(ME, identity, 0);
            limiter.update(ME, identity, headers("3600"), 0);
            largest = Math.max(largest, limiter.size());
        }
        assertTrue(largest <= RateLimiter.DEFAULT_MAX_BUCKETS, "at most " + largest);
    }

    @Test
    void globallyLimitedWhenManyIdentitiesThenBoundedAndExpiredForgotten() {
        RateLimiter limiter = new RateLimiter(100);
        for (int i = 0; i < 10_000; i++) {
            limiter.globallyLimited("token-" + i, 1000 * MS, i * MS);
        }
        assertTrue(limiter.size() <= 100, "at most " + limiter.size());
    }

    @Test
    void releaseWhenEveryRequestOfAWindowFailsWithoutAnswerThenThePlacesComeBack() {
        RateLimiter limiter = new RateLimiter();
        assertTrue(limiter.reserve(ME, "me", 0).none());
        limiter.update(ME, "me", Map.of("X-RateLimit-Bucket", List.of("abcd1234"), "X-RateLimit-Limit",
                List.of("2"), "X-RateLimit-Remaining", List.of("1"), "X-RateLimit-Reset-After", List.of("1")), 0);
        long later = 2_000 * MS; // the window passed: its reset is no longer known
        assertTrue(limiter.reserve(ME, "me", later).none());
        assertTrue(limiter.reserve(ME, "me", later).none());
        assertFalse(limiter.reserve(ME, "me", later).none(), "both places taken");
        limiter.release(ME, "me"); // timed out: no answer, no headers
        limiter.release(ME, "me");
        assertTrue(limiter.reserve(ME, "me", later).none(), "the places of calls without an answer come back");
    }

    @Test
    void reserveWhenBucketEvictedThenUnknownAgainAndOneRequestGoes() {
        RateLimiter limiter = new RateLimiter(4);
        assertTrue(limiter.reserve(ME, "first", 0).none());
        limiter.update(ME, "first", Map.of("X-RateLimit-Bucket", List.of("abcd1234"), "X-RateLimit-Limit",
                List.of("1"), "X-RateLimit-Remaining", List.of("0"), "X-RateLimit-Reset-After", List.of("60")), 0);
        assertFalse(limiter.reserve(ME, "first", 0).none(), "empty for a minute");
        for (int i = 0; i < 10; i++) {
            limiter.reserve(ME, "other-" + i, 0);
            limiter.update(ME, "other-" + i, headers("60"), 0);
        }
        assertTrue(limiter.size() <= 4);
        assertTrue(limiter.reserve(ME, "first", 0).none(), "forgotten, so unknown: one request may learn the limit");
    }

    @Test
    void reserveWhenBucketResetPassedAndIdleThenForgottenAtTheNextSweep() {
        RateLimiter limiter = new RateLimiter();
        for (int i = 0; i < 64; i++) {
            limiter.reserve(ME, "token-" + i, 0);
            limiter.update(ME, "token-" + i, headers("1"), 0);
        }
        assertEquals(64, limiter.size());
        limiter.reserve(ME, "late", 2_000 * MS);
        assertEquals(1, limiter.size(), "the 64 expired buckets went when the 65th was added");
    }

    @Test
    void reserveWhenGlobalLimitHoldsThenWaitSaysGlobal() {
        RateLimiter limiter = new RateLimiter();
        limiter.globallyLimited("me", 30_000 * MS, 0);
        RateLimiter.Wait wait = limiter.reserve(ApiCall.of("GET", "/users/@me/guilds"), "me", 0);
        assertTrue(wait.global());
        assertEquals(30_000 * MS, wait.nanos());
    }

    @Test
    void globallyLimitedWhenRetryAfterHugeThenNoOverflow() {
        RateLimiter limiter = new RateLimiter();
        limiter.globallyLimited("me", Long.MAX_VALUE, 5);
        RateLimiter.Wait wait = limiter.reserve(ME, "me", 5);
        assertTrue(wait.global());
        assertEquals(RateLimitedException.MAX_RETRY_AFTER.toNanos(), wait.nanos());
    }

    @Test
    void updateWhenResetAfterHugeThenResetClampedNotOverflowed() {
        RateLimiter limiter = new RateLimiter();
        limiter.reserve(ME, "me", 1_000);
        limiter.update(ME, "me", Map.of("X-RateLimit-Bucket", List.of("abcd1234"), "X-RateLimit-Limit", List.of("1"),
                "X-RateLimit-Remaining", List.of("0"), "X-RateLimit-Reset-After", List.of("1e300")), 1_000);
        RateLimiter.Wait wait = limiter.reserve(ME, "me", 1_000);
        assertEquals(RateLimitedException.MAX_RETRY_AFTER.toNanos(), wait.nanos(),
                "the bucket stays empty for the clamped reset, not an overflowed one in the past");
    }
}
