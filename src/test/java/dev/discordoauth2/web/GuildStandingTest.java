package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** When the user's servers must be read again before a request is authorized. */
class GuildStandingTest {
    private static final long MINUTE = 60_000;
    private final GuildStanding checked = new GuildStanding(true, Set.of("moderator"), Set.of("1"), 10 * MINUTE, 0);

    @Test
    void dueAtWhenIntervalPassedThenDueElseNot() {
        assertFalse(checked.dueAt(19 * MINUTE, 10 * MINUTE));
        assertTrue(checked.dueAt(20 * MINUTE, 10 * MINUTE));
    }

    @Test
    void dueAtWhenIntervalZeroThenOnlyAfterARefresh() {
        assertFalse(checked.dueAt(1_000 * MINUTE, 0));
        assertTrue(checked.markedDue().dueAt(10 * MINUTE, 0));
    }

    @Test
    void dueAtWhenCheckFailedThenAtItsRetryTimeWhateverTheInterval() {
        GuildStanding failed = checked.retryAt(21 * MINUTE);
        assertFalse(failed.dueAt(20 * MINUTE + 1, 10 * MINUTE), "not every request before the retry time");
        assertTrue(failed.dueAt(21 * MINUTE, 10 * MINUTE));
        GuildStanding failedWithoutInterval = checked.markedDue().retryAt(11 * MINUTE);
        assertFalse(failedWithoutInterval.dueAt(10 * MINUTE + 30_000, 0), "not on every request after a refresh");
        assertTrue(failedWithoutInterval.dueAt(11 * MINUTE, 0), "interval 0: still retried after the minute");
    }
}
