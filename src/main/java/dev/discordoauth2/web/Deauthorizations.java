package dev.discordoauth2.web;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The users who removed the application at Discord ({@code APPLICATION_DEAUTHORIZED}), by user id, with when this node
 * learnt it (epoch ms): a session whose login was stored (or last confirmed with Discord) before that is ended at its
 * next request ({@link LoginChecks}). Recording a user again keeps the later time, so a retried event is harmless. An
 * entry is kept for {@link #KEPT}, as long as {@link SessionMemory} keeps an entry of a session that never expires:
 * a session idle longer than its lifetime is gone anyway, and a longer-lived one is caught by the periodic token check
 * ({@code discord.revalidate-interval}), since Discord refuses the removed grant. Expired entries are dropped when
 * looked up and swept as new ones are added. Per node: with the shared token store the event also deletes the
 * user's tokens there, which ends their sessions on every node. Thread-safe.
 */
final class Deauthorizations {
    /** How long a deauthorization is remembered. */
    static final Duration KEPT = Duration.ofDays(1).plusMinutes(1);

    private final ConcurrentHashMap<String, Long> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger addedSinceSweep = new AtomicInteger();
    private final Clock clock;

    Deauthorizations(Clock clock) {
        this.clock = clock;
    }

    /** Records that {@code userId} removed the application now. */
    void record(String userId) {
        long now = clock.millis();
        byUser.merge(userId, now, Math::max);
        if (addedSinceSweep.incrementAndGet() >= Math.max(256, byUser.size() / 2)) {
            addedSinceSweep.set(0);
            byUser.entrySet().removeIf(e -> now - e.getValue() >= KEPT.toMillis());
        }
    }

    /** Whether {@code userId} removed the application at or after {@code storedAtMillis} (and not too long ago). */
    boolean endedSince(String userId, long storedAtMillis, long nowMillis) {
        Long at = byUser.get(userId);
        if (at == null) {
            return false;
        }
        if (nowMillis - at >= KEPT.toMillis()) {
            byUser.remove(userId, at);
            return false;
        }
        return at >= storedAtMillis;
    }

    /** Whether nobody is remembered (then no lookup is needed). */
    boolean isEmpty() {
        return byUser.isEmpty();
    }

    /** The users remembered, expired ones not yet swept included. */
    int size() {
        return byUser.size();
    }
}
