package dev.discordoauth2.web;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

/**
 * What a session remembers about its checks with Discord, kept small because it travels with the session: when the
 * token was last confirmed valid ({@code GET /oauth2/@me} or a refresh), and how many refreshes in a row failed for a
 * transient reason with the time before which no new refresh is tried. Times are epoch milliseconds. Replaced as a
 * whole. Immutable and thread-safe.
 *
 * @param validated   when the token was last known valid (epoch ms)
 * @param failures    refreshes failed in a row
 * @param notBefore   no refresh before this time (epoch ms); 0 when none failed
 */
record SessionChecks(long validated, int failures, long notBefore) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The first refresh backoff; it doubles with each failure up to {@link #MAX_BACKOFF_MS}. */
    static final long FIRST_BACKOFF_MS = 5_000;
    static final long MAX_BACKOFF_MS = 60_000;

    static SessionChecks validatedAt(Instant now) {
        return new SessionChecks(now.toEpochMilli(), 0, 0);
    }

    /** After one more failed refresh at {@code now}; Discord's own {@code retryAfterMs} wins when it is longer. */
    SessionChecks refreshFailed(Instant now, long retryAfterMs) {
        int n = Math.min(failures + 1, 30);
        long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(n - 1, 10));
        return new SessionChecks(validated, n, now.toEpochMilli() + Math.max(backoff, Math.min(retryAfterMs,
                3_600_000L)));
    }

    boolean refreshBlocked(Instant now) {
        return notBefore > now.toEpochMilli();
    }

    long msUntilRefresh(Instant now) {
        return Math.max(0, notBefore - now.toEpochMilli());
    }

    SessionChecks withValidated(long epochMs) {
        return new SessionChecks(epochMs, failures, notBefore);
    }
}
