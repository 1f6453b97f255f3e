package dev.discordoauth2.web;

import dev.discordoauth2.AccessToken;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The session's Discord tokens: the access token, when it expires, the refresh token (which rotates) and the granted
 * scopes. Serializable with a fixed {@code serialVersionUID}; replaced as a whole on refresh. {@link #toString()}
 * shows no token. Immutable and thread-safe.
 *
 * @param accessToken  the access token
 * @param expiresAt    when it expires
 * @param refreshToken the refresh token, or null
 * @param scopes       the granted scopes
 */
public record DiscordTokens(String accessToken, Instant expiresAt, String refreshToken, List<String> scopes)
        implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public DiscordTokens {
        Objects.requireNonNull(accessToken, "accessToken must not be null");
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
        scopes = List.copyOf(scopes);
    }

    static DiscordTokens of(AccessToken token) {
        return new DiscordTokens(token.token(), token.expiresAt(), token.refreshToken().orElse(null),
                List.copyOf(token.scopes()));
    }

    public Optional<String> refreshTokenValue() {
        return Optional.ofNullable(refreshToken);
    }

    /** Whether the access token expires within {@code skew} of {@code now}. */
    public boolean expiresWithin(Duration skew, Instant now) {
        // now + skew >= expiresAt, compared field by field: now.plus(skew) makes an Instant, and the filter asks on
        // every request
        long seconds = Math.addExact(now.getEpochSecond(), skew.getSeconds());
        if (seconds >= Instant.MAX.getEpochSecond() || seconds <= Instant.MIN.getEpochSecond()) {
            return !now.plus(skew).isBefore(expiresAt); // at the ends of the time-line, as Instant answers (or throws)
        }
        int nanos = now.getNano() + skew.getNano();
        if (nanos >= 1_000_000_000) {
            nanos -= 1_000_000_000;
            seconds++;
        }
        return seconds > expiresAt.getEpochSecond() || seconds == expiresAt.getEpochSecond()
                && nanos >= expiresAt.getNano();
    }

    @Override
    public String toString() {
        return "DiscordTokens[expiresAt=" + expiresAt + ", scopes=" + scopes + ", accessToken=(redacted), refreshToken="
                + (refreshToken == null ? "none" : "(redacted)") + "]";
    }
}
