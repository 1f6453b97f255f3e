package dev.discordoauth2.servlet;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the user's Discord servers said at the last check, kept in the session: whether the membership rule admits
 * them, the application roles their server roles give, the looked-up servers they are a member of, and when (epoch
 * milliseconds). Immutable and thread-safe; serializable for session stores.
 */
record GuildStanding(boolean admitted, Set<String> roles, Set<String> memberOf, long checkedAtMillis)
        implements Serializable {

    GuildStanding {
        roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        memberOf = Collections.unmodifiableSet(new LinkedHashSet<>(memberOf));
    }
}
