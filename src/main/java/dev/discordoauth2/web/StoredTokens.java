package dev.discordoauth2.web;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One Discord user's authorization as a {@link TokenStore} keeps it: Discord has one authorization per user and
 * application, so the user id is the key. {@code refresh} may be null (Discord did not issue one); {@code version}
 * counts the writes of the row (0: never stored) and is what {@link TokenStore#save} compares. {@link #toString()}
 * shows no token. Immutable and thread-safe.
 *
 * @param userId the Discord user id (a snowflake)
 * @param access the access token
 * @param refresh the refresh token, or null
 * @param expiresAt when the access token expires
 * @param scopes the granted scopes
 * @param version the stored version, 0 before the first write
 */
record StoredTokens(String userId, String access, String refresh, Instant expiresAt, List<String> scopes,
        long version) {
    StoredTokens {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = List.copyOf(scopes);
        if (version < 0) {
            throw new IllegalArgumentException("version " + version);
        }
    }

    /** These tokens at {@code newVersion}. */
    StoredTokens withVersion(long newVersion) {
        return new StoredTokens(userId, access, refresh, expiresAt, scopes, newVersion);
    }

    @Override
    public String toString() {
        return "StoredTokens[user " + userId + ", expires " + expiresAt + ", scopes " + scopes + ", version "
                + version + "]";
    }
}
