package dev.discordoauth2;

import java.time.Duration;
import java.util.Optional;

/**
 * Discord answered 429 and waiting for it would have taken longer than the client's rate-limit budget
 * ({@link DiscordOAuth2Client.Builder#maxRateLimitWait(Duration)}), or the answer was a Cloudflare ban (an HTML 429
 * without {@code Retry-After}, after too many invalid requests from this address). Immutable and thread-safe.
 */
public final class RateLimitedException extends HttpException {
    private static final long serialVersionUID = 1L;
    /** What {@link #retryAfter()} reports for a Cloudflare ban, which says nothing: Discord's restrictions last about an hour. */
    public static final Duration CLOUDFLARE_BAN_RETRY = Duration.ofHours(1);
    /**
     * The longest {@link #retryAfter()} reported: 24 hours, the longest restriction Discord is known to impose (the
     * invalid-request ban). A larger {@code retry_after} or {@code Retry-After} (e.g. {@code 1e10}) is taken as this.
     */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    private final Duration retryAfter;
    private final boolean global;
    private final String scope;
    private final String bucket;
    private final boolean cloudflareBan;

    RateLimitedException(String message, Integer code, String discordMessage, Duration retryAfter,
            boolean global, String scope, String bucket, boolean cloudflareBan) {
        super(message, 429, code, discordMessage, null, null, null);
        this.retryAfter = retryAfter;
        this.global = global;
        this.scope = scope;
        this.bucket = bucket;
        this.cloudflareBan = cloudflareBan;
    }

    /**
     * How long to wait, from the body's {@code retry_after} or the {@code Retry-After} header (or the client's own
     * bucket or global-limit state when refused locally); never negative, at most {@link #MAX_RETRY_AFTER}.
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether the global limit (all routes of this token) was hit. */
    public boolean global() {
        return global;
    }

    /** {@code X-RateLimit-Scope}: {@code user}, {@code global} or {@code shared}, if sent. */
    public Optional<String> scope() {
        return Optional.ofNullable(scope);
    }

    /** {@code X-RateLimit-Bucket}, if sent. */
    public Optional<String> bucket() {
        return Optional.ofNullable(bucket);
    }

    /** Whether this was Cloudflare's HTML ban page rather than Discord's JSON 429. */
    public boolean cloudflareBan() {
        return cloudflareBan;
    }
}
