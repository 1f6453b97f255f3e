package dev.discordoauth2.web;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

/**
 * A login that went to Discord and has not come back: its single-use {@code state}, the PKCE verifier (null when
 * PKCE is off because of {@code role_connections.write}), where to return, the redirect URI used, and when it started.
 * Kept in the session (several at once, one per tab). When another tab's login completes first, the others are kept
 * {@code superseded}: without verifier or redirect URI, they can no longer exchange a code, and their callback only
 * brings their tab back to its page (until they expire or the cap drops them). {@code purpose} says which flow went to
 * Discord (null in a session written before it existed: a login). Immutable and thread-safe.
 */
record PendingLogin(String state, String codeVerifier, String returnTo, String redirectUri, Instant createdAt,
        boolean superseded, Purpose purpose) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The flow a state belongs to: the login, the Linked Roles verification, "Add to server". */
    enum Purpose { LOGIN, LINKED_ROLES, ADD_TO_SERVER }

    PendingLogin(String state, String codeVerifier, String returnTo, String redirectUri, Instant createdAt) {
        this(state, codeVerifier, returnTo, redirectUri, createdAt, false, Purpose.LOGIN);
    }

    PendingLogin(String state, String codeVerifier, String returnTo, String redirectUri, Instant createdAt,
            Purpose purpose) {
        this(state, codeVerifier, returnTo, redirectUri, createdAt, false, purpose);
    }

    /** The flow, a login when the session predates the purpose. */
    Purpose flow() {
        return purpose == null ? Purpose.LOGIN : purpose;
    }

    /** This login once another tab's login has logged the session in: a way back to its page, nothing more. */
    PendingLogin supersede() {
        return new PendingLogin(state, null, returnTo, null, createdAt, true, purpose);
    }

    @Override
    public String toString() {
        return "PendingLogin[returnTo=" + returnTo + ", createdAt=" + createdAt
                + (superseded ? ", superseded" : "") + (flow() == Purpose.LOGIN ? "" : ", " + flow()) + "]";
    }
}
