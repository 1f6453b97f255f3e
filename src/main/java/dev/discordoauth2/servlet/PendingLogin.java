package dev.discordoauth2.servlet;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

/**
 * A login that went to Discord and has not come back: its single-use {@code state}, the PKCE verifier (null when
 * PKCE is off because of {@code role_connections.write}), where to
 * return, the redirect URI used, and when it started. Kept in the session (several at once, one per tab).
 * Immutable and thread-safe.
 */
record PendingLogin(String state, String codeVerifier, String returnTo, String redirectUri, Instant createdAt)
        implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "PendingLogin[returnTo=" + returnTo + ", createdAt=" + createdAt + "]";
    }
}
