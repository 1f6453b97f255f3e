package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The node's memory of sessions: bounded by their lifetimes, never cleared wholesale, entries compared by identity. */
class SessionMemoryTest {
    private final AtomicLong now = new AtomicLong();
    private final SessionMemory<Object> memory = new SessionMemory<>(now::get);

    @Test
    void putIfAbsentWhenLiveEntryThenKeptAndReturned() {
        Object first = new Object();
        assertNull(memory.putIfAbsent("s", first, Duration.ofMinutes(1)));
        assertSame(first, memory.putIfAbsent("s", new Object(), Duration.ofMinutes(1)));
        assertSame(first, memory.get("s"));
    }

    @Test
    void getWhenLifetimePassedThenGoneAndReplaceable() {
        Object first = new Object();
        memory.putIfAbsent("s", first, Duration.ofSeconds(10));
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertNull(memory.get("s"), "expired with its session");
        Object second = new Object();
        assertNull(memory.putIfAbsent("s", second, Duration.ofSeconds(10)));
        assertSame(second, memory.get("s"));
    }

    @Test
    void removeWhenAnotherValueThenKept() {
        Object first = new Object();
        memory.putIfAbsent("s", first, Duration.ofMinutes(1));
        assertFalse(memory.remove("s", new Object()));
        assertTrue(memory.remove("s", first));
        assertFalse(memory.containsKey("s"));
    }

    @Test
    void putIfAbsentWhenManyLiveEntriesThenNoneDroppedAndExpiredOnesSwept() {
        for (int i = 0; i < 20_000; i++) {
            memory.putIfAbsent("live-" + i, i, Duration.ofHours(1));
        }
        assertEquals(20_000, memory.size(), "nothing dropped wholesale: every pending decision stays");
        assertEquals(0, memory.get("live-0"));
        for (int i = 0; i < 20_000; i++) {
            memory.putIfAbsent("short-" + i, i, Duration.ofSeconds(1));
        }
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        for (int i = 0; i < 60_000; i++) {
            memory.putIfAbsent("later-" + i, i, Duration.ofHours(1));
        }
        // a sweep at least every time as many entries came as half the memory holds: the expired ones are gone
        assertTrue(memory.size() < 100_000, "the expired ones were swept as new ones came: " + memory.size());
        assertEquals(19_999, memory.get("live-19999"), "the live ones are all there");
    }

    @Test
    void forgetWhenSessionEndsThenGone() {
        memory.putIfAbsent("s", new Object(), Duration.ofHours(1));
        memory.forget("s");
        assertNull(memory.get("s"));
        assertEquals(0, memory.size());
    }
}
