package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The refresh backoff a session remembers: 5 s doubling to 60 s, Discord's longer retry_after winning, capped. */
class SessionChecksTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void refreshFailedWhenRepeatedThenBackoffDoublesUpToSixtySeconds() {
        SessionChecks checks = SessionChecks.validatedAt(NOW);
        long[] expected = {5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000};
        for (long ms : expected) {
            checks = checks.refreshFailed(NOW, 0);
            assertEquals(ms, checks.msUntilRefresh(NOW));
        }
        assertTrue(checks.refreshBlocked(NOW.plusSeconds(59)));
        assertFalse(checks.refreshBlocked(NOW.plusSeconds(60)));
    }

    @Test
    void refreshFailedWhenDiscordRetryAfterLongerThenItWinsButIsCappedAtAnHour() {
        assertEquals(42_000, SessionChecks.validatedAt(NOW).refreshFailed(NOW, 42_000).msUntilRefresh(NOW));
        assertEquals(3_600_000, SessionChecks.validatedAt(NOW).refreshFailed(NOW, Long.MAX_VALUE)
                .msUntilRefresh(NOW));
    }

    @Test
    void validatedAtWhenNewThenNothingBlocked() {
        SessionChecks checks = SessionChecks.validatedAt(NOW);
        assertFalse(checks.refreshBlocked(NOW));
        assertEquals(NOW.toEpochMilli(), checks.validated());
        assertEquals(0, checks.failures());
    }
}
