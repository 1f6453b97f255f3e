package dev.discordoauth2.web;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What this node remembers about sessions, by session id, between their requests: a refresh or a check running for a
 * session, a token Discord refused for it. Bounded by what is live: an entry ends when it is taken or removed, when its
 * session ends ({@link #forget}, called when the login ends and when the container destroys the session), and at the
 * latest when its session could have expired since the entry was made (its {@code maxInactiveInterval}, a day for a
 * session that never expires, plus a minute), so an abandoned session's entry cannot outlive it. Expired entries are
 * swept as new ones are added; nothing is ever dropped wholesale. Thread-safe.
 *
 * @param <V> what is remembered; entries are compared by identity in {@link #remove(String, Object)}
 */
final class SessionMemory<V> {
    private static final Duration MARGIN = Duration.ofMinutes(1);
    private static final Duration NEVER_EXPIRING = Duration.ofDays(1);

    private record Entry<V>(V value, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicInteger addedSinceSweep = new AtomicInteger();
    private final LongSupplier nanos;

    SessionMemory() {
        this(System::nanoTime);
    }

    /** With a clock of its own, for tests. */
    SessionMemory(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** How long an entry made now for {@code session} may live: as long as the session could without a request. */
    static Duration lifetimeOf(LoginCore.Session session) {
        int seconds;
        try {
            seconds = session.maxInactiveSeconds();
        } catch (IllegalStateException ended) {
            return MARGIN;
        }
        return (seconds > 0 ? Duration.ofSeconds(seconds) : NEVER_EXPIRING).plus(MARGIN);
    }

    /** The live entry of the session, or null. */
    V get(String sessionId) {
        Entry<V> entry = entries.get(sessionId);
        if (entry == null) {
            return null;
        }
        if (nanos.getAsLong() - entry.expiresAtNanos() >= 0) {
            entries.remove(sessionId, entry);
            return null;
        }
        return entry.value();
    }

    boolean containsKey(String sessionId) {
        return get(sessionId) != null;
    }

    /** Remembers {@code value} unless the session has a live entry, which is returned instead (else null). */
    V putIfAbsent(String sessionId, V value, Duration lifetime) {
        long now = nanos.getAsLong();
        Entry<V> fresh = new Entry<>(value, now + lifetime.toNanos());
        Entry<V> previous = entries.compute(sessionId, (id, old) -> old == null
                || now - old.expiresAtNanos() >= 0 ? fresh : old);
        if (previous != fresh) {
            return previous.value();
        }
        sweepWhenDue(now);
        return null;
    }

    /** Removes the session's entry if it is {@code value} (the same object); true when this call removed it. */
    boolean remove(String sessionId, V value) {
        boolean[] removed = {false};
        entries.computeIfPresent(sessionId, (id, entry) -> {
            if (entry.value() == value) {
                removed[0] = true;
                return null;
            }
            return entry;
        });
        return removed[0];
    }

    /** Forgets the session (its login or the session itself ended). */
    void forget(String sessionId) {
        entries.remove(sessionId);
    }

    /** Whether no entry is held (then no session has a live one). */
    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries held, expired ones not yet swept included. */
    int size() {
        return entries.size();
    }

    /** Sweeps expired entries once as many entries were added as half the map holds (at least 256): amortised O(1). */
    private void sweepWhenDue(long now) {
        if (addedSinceSweep.incrementAndGet() < Math.max(256, entries.size() / 2)) {
            return;
        }
        addedSinceSweep.set(0);
        entries.entrySet().removeIf(e -> now - e.getValue().expiresAtNanos() >= 0);
    }
}
