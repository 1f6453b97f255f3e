package dev.discordoauth2.web;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the user's Discord servers said at the last check, kept in the session: whether the membership rule admits
 * them, the application roles their server roles give, the looked-up servers they are a member of, when (epoch
 * milliseconds; 0 means "check on the next request", after a token refresh), and, after a failed check, when to try
 * again (0 when the last check succeeded). Immutable and thread-safe; serializable for session stores.
 */
record GuildStanding(boolean admitted, Set<String> roles, Set<String> memberOf, long checkedAtMillis,
        long retryAtMillis) implements Serializable {

    GuildStanding {
        roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        memberOf = Collections.unmodifiableSet(new LinkedHashSet<>(memberOf));
    }

    /**
     * Whether the servers must be read again before a request is authorized: after a failed check, once its retry
     * time has come (whatever the interval); otherwise after a refresh (checked at 0) and once {@code intervalMillis}
     * has passed since the last check (never, for an interval of 0).
     */
    boolean dueAt(long nowMillis, long intervalMillis) {
        if (retryAtMillis > 0L) {
            return nowMillis >= retryAtMillis;
        }
        return checkedAtMillis == 0L || (intervalMillis > 0L && nowMillis >= checkedAtMillis + intervalMillis);
    }

    /** The same standing, to be checked again on the next request (the tokens were refreshed). */
    GuildStanding markedDue() {
        return new GuildStanding(admitted, roles, memberOf, 0L, 0L);
    }

    /** The same standing after a failed check: kept as it is, tried again at {@code retryAtMillis}. */
    GuildStanding retryAt(long retryAtMillis) {
        return new GuildStanding(admitted, roles, memberOf, checkedAtMillis, retryAtMillis);
    }
}
