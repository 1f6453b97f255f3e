package dev.discordoauth2.web;

/**
 * Striped locks by session id: the read-modify-write steps of one session (its pending logins, its login state) run
 * one at a time on this node, whatever object the container hands each request for the session. Thread-safe.
 */
final class Locks {
    private final Object[] stripes = new Object[64];

    Locks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    Object of(LoginCore.Session session) {
        return stripes[Math.floorMod(session.id().hashCode(), stripes.length)];
    }
}
