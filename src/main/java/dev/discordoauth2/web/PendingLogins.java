package dev.discordoauth2.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The logins of a session that went to Discord and have not come back (one per tab), kept in the session under one
 * attribute: added at a login's start (the oldest dropped past {@code discord.max-pending-logins}, expired ones
 * pruned), taken once by the callback whose state matches (compared in constant time; an expired one is taken but
 * not returned), and, when one of them completes, the others superseded: they keep their way back to their page but
 * can no longer exchange a code, until they expire. Thread-safe (the session's lock guards each change).
 */
final class PendingLogins {
    /** The session attribute: a list of {@link PendingLogin}. */
    static final String ATTRIBUTE = PendingLogin.class.getName() + "s";

    private final Locks locks;
    private final Clock clock;
    private final Duration ttl;
    private final int cap;

    PendingLogins(Locks locks, Clock clock, Duration ttl, int cap) {
        this.locks = locks;
        this.clock = clock;
        this.ttl = ttl;
        this.cap = cap;
    }

    /**
     * What the callback found for its state: the pending login (null when none is live), and whether the session held
     * the state at all (expired included), which tells an unknown state from a stale one.
     */
    record Taken(PendingLogin pending, boolean held) {
        static final Taken NOTHING = new Taken(null, false);
    }

    /** Adds {@code login}, dropping expired logins and, past the cap, the oldest. */
    void add(LoginCore.Session session, PendingLogin login) {
        synchronized (locks.of(session)) {
            List<PendingLogin> pending = new ArrayList<>(live(session));
            pending.add(login);
            while (pending.size() > cap) {
                pending.remove(0);
            }
            session.set(ATTRIBUTE, List.copyOf(pending));
        }
    }

    /** Removes and returns the pending login of this state if it has not expired: each state works once. */
    Taken take(LoginCore.Session session, String state) {
        synchronized (locks.of(session)) {
            if (!(session.get(ATTRIBUTE) instanceof List<?> list) || list.isEmpty()) {
                return Taken.NOTHING;
            }
            Instant oldest = clock.instant().minus(ttl);
            List<PendingLogin> rest = new ArrayList<>();
            PendingLogin found = null;
            boolean held = false;
            for (Object o : list) {
                if (!(o instanceof PendingLogin p)) {
                    continue;
                }
                boolean live = p.createdAt().isAfter(oldest);
                if (!held && sameState(p, state)) {
                    held = true;
                    found = live ? p : null;
                } else if (live) {
                    rest.add(p);
                }
            }
            if (rest.size() != list.size()) {
                session.set(ATTRIBUTE, List.copyOf(rest));
            }
            return new Taken(found, held);
        }
    }

    /**
     * After a login: the session's other pending logins (other tabs) are superseded; a pending "Add to server" is
     * not a login and stays as it is. Returns when the last of them
     * expires (epoch ms, for {@link LoginState#pendingUntilMillis()}), or 0 when none is left.
     */
    long supersede(LoginCore.Session session) {
        synchronized (locks.of(session)) {
            List<PendingLogin> live = live(session);
            if (live.isEmpty()) {
                session.remove(ATTRIBUTE);
                return 0L;
            }
            List<PendingLogin> superseded = new ArrayList<>(live.size());
            for (PendingLogin p : live) {
                superseded.add(p.superseded() || p.flow() == PendingLogin.Purpose.ADD_TO_SERVER ? p : p.supersede());
            }
            session.set(ATTRIBUTE, List.copyOf(superseded));
            return expiry(live);
        }
    }

    /** Drops the expired ones; returns when the last one left expires (epoch ms), or 0 when none is left. */
    long prune(LoginCore.Session session) {
        synchronized (locks.of(session)) {
            List<PendingLogin> live = live(session);
            if (live.isEmpty()) {
                session.remove(ATTRIBUTE);
            } else if (session.get(ATTRIBUTE) instanceof List<?> all && all.size() != live.size()) {
                session.set(ATTRIBUTE, List.copyOf(live));
            }
            return expiry(live);
        }
    }

    private long expiry(List<PendingLogin> live) {
        long until = 0L;
        for (PendingLogin p : live) {
            until = Math.max(until, p.createdAt().plus(ttl).toEpochMilli());
        }
        return until;
    }

    private List<PendingLogin> live(LoginCore.Session session) {
        if (!(session.get(ATTRIBUTE) instanceof List<?> list)) {
            return List.of();
        }
        Instant oldest = clock.instant().minus(ttl);
        List<PendingLogin> live = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof PendingLogin p && p.createdAt().isAfter(oldest)) {
                live.add(p);
            }
        }
        return live;
    }

    /** Compares in constant time, so that the answer's timing tells nothing about a stored state. */
    private static boolean sameState(PendingLogin pending, String state) {
        return MessageDigest.isEqual(pending.state().getBytes(StandardCharsets.US_ASCII),
                state.getBytes(StandardCharsets.US_ASCII));
    }
}
