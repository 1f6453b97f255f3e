package dev.discordoauth2;

import java.time.Duration;

/**
 * A call did not finish within its call timeout ({@link DiscordOAuth2Client#withCallTimeout(Duration)},
 * {@link DiscordOAuth2Client.Builder#callTimeout(Duration)}): the answer did not come in the time left, or a retry,
 * backoff or rate-limit wait would have ended past the deadline, so it was not started. The message names the route
 * and the budget; the cause, if any, is what the last attempt ran into (a {@link HttpException} such as a 503, a
 * {@link RateLimitedException}, or the connector's timeout). Like its parent, the request may or may not have reached
 * Discord. Immutable and thread-safe.
 */
public final class DiscordTimeoutException extends DiscordTransportException {
    private static final long serialVersionUID = 1L;

    private final Duration callTimeout;

    /**
     * @param message     names the route and the budget, never a credential
     * @param callTimeout the budget that ran out
     * @param cause       what the last attempt ran into, or {@code null}
     */
    DiscordTimeoutException(String message, Duration callTimeout, Throwable cause) {
        super(message, cause);
        this.callTimeout = callTimeout;
    }

    /** The call's time budget that ran out. */
    public Duration callTimeout() {
        return callTimeout;
    }
}
