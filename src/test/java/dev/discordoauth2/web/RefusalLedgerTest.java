package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The ledger of tokens Discord refused: undecided within the delay, recovered by other tokens, else revoked. */
class RefusalLedgerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(40);
    private static final Duration LIFETIME = Duration.ofMinutes(31);

    private final RefusalLedger ledger = new RefusalLedger(Clock.fixed(T0, ZoneOffset.UTC), DELAY);

    @Test
    void decideRefreshWhenNothingRefusedThenNone() {
        assertTrue(ledger.isEmpty());
        assertEquals(RefusalLedger.Decision.NONE, ledger.decideRefresh("s", "r1", id -> false, T0));
    }

    @Test
    void decideRefreshWhenSameTokenWithinDelayThenUndecidedAfterItRevoked() {
        ledger.refreshRefused("s", "r1", LIFETIME);
        assertEquals(RefusalLedger.Decision.UNDECIDED, ledger.decideRefresh("s", "r1", id -> false,
                T0.plus(DELAY).minusSeconds(1)));
        assertEquals(RefusalLedger.Decision.UNDECIDED, ledger.decideRefresh("s", "r1", id -> true,
                T0.plus(DELAY).plusSeconds(1)), "a refresh of this session still running here: undecided");
        assertEquals(RefusalLedger.Decision.REVOKED, ledger.decideRefresh("s", "r1", id -> false,
                T0.plus(DELAY).plusSeconds(1)));
    }

    @Test
    void decideRefreshWhenSessionHoldsOtherTokensThenRecoveredAndForgotten() {
        ledger.refreshRefused("s", "r1", LIFETIME);
        assertEquals(RefusalLedger.Decision.RECOVERED, ledger.decideRefresh("s", "r2", id -> false, T0));
        assertEquals(RefusalLedger.Decision.NONE, ledger.decideRefresh("s", "r2", id -> false, T0));
    }

    @Test
    void decideAccessWhenAccessTokenRefusedThenDecidedLikeARefresh() {
        ledger.unauthorized("s", "a1", LIFETIME);
        assertEquals(1, ledger.unauthorizedTokens());
        assertEquals(RefusalLedger.Decision.UNDECIDED, ledger.decideAccess("s", "a1", id -> false, T0));
        assertEquals(RefusalLedger.Decision.REVOKED, ledger.decideAccess("s", "a1", id -> false, T0.plus(DELAY)
                .plusMillis(1)));
        ledger.forget("s");
        assertEquals(0, ledger.unauthorizedTokens());
    }

    @Test
    void digestWhenTokenThenNeverTheTokenItself() {
        String digest = RefusalLedger.digest("secret-token");
        assertFalse(digest.contains("secret"));
        assertEquals(32, digest.length());
    }
}
