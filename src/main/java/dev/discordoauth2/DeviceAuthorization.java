package dev.discordoauth2;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A started device authorization grant (RFC 8628; Discord's "Account Linking on Consoles"), for a device that has no
 * browser or is awkward to type on: a console, a TV, a command-line tool. The flow:
 * <ol>
 *   <li>{@link DiscordOAuth2Client#startDeviceAuthorization} ({@code POST /oauth2/device/authorize}) returns this;</li>
 *   <li>the device shows {@link #userCode()} and {@link #verificationUri()} ({@code https://discord.com/activate}),
 *       or {@link #verificationUriComplete()} as a link or QR code, and the user approves on another device;</li>
 *   <li>the device polls the token endpoint with {@link #deviceCode()} until the user has approved:
 *       {@link DiscordOAuth2Client#awaitDeviceToken} does it all and returns the tokens, or throws
 *       {@link NotGrantedException} when the user denied or the code expired;
 *       {@link DiscordOAuth2Client#pollDeviceToken} is one poll, answering a {@link PollResult}.</li>
 * </ol>
 * The tokens are an ordinary {@link AccessToken} with a refresh token. Discord documents the grant in its Social SDK
 * guides with the scope {@code sdk.social_layer}; whether other scopes are granted this way it does not say.
 *
 * <p>A plain value: it may be stored (the device code is a credential, keep it like a refresh token) and polled from
 * another process, and {@link #withInterval} copies it with a longer interval after a {@link SlowDown}.
 * {@link #toString()} shows the user code but not the device code. Immutable and thread-safe.
 *
 * @param deviceCode              {@code device_code}: what the device polls with (a credential: never show or log it)
 * @param userCode                {@code user_code}: what the user enters on the verification page
 * @param verificationUri         {@code verification_uri}, where the user enters the code
 * @param verificationUriComplete {@code verification_uri_complete}: the same page with the code filled in, if sent
 * @param expiresAt               when the codes expire: the client's clock at the answer plus {@code expires_in}
 * @param interval                {@code interval}: the least time between two polls (5 s when Discord sends none)
 */
public record DeviceAuthorization(String deviceCode, String userCode, URI verificationUri,
        Optional<URI> verificationUriComplete, Instant expiresAt, Duration interval) {

    /** What RFC 8628 §3.5 has the client add to the interval after each {@code slow_down}. */
    public static final Duration SLOW_DOWN_INCREMENT = Duration.ofSeconds(5);

    /**
     * Checks the values.
     *
     * @param deviceCode              the device code, not empty
     * @param userCode                the user code, not empty
     * @param verificationUri         where the user enters the code, absolute
     * @param verificationUriComplete the page with the code filled in, or empty ({@code null} counts as empty)
     * @param expiresAt               when the codes expire
     * @param interval                the least time between two polls, not negative
     * @throws IllegalArgumentException when a value breaks these rules; the message never carries the device code
     */
    public DeviceAuthorization {
        ApplicationCalls.requireText(deviceCode, "deviceCode");
        ApplicationCalls.requireText(userCode, "userCode");
        if (verificationUri == null || !verificationUri.isAbsolute()) {
            throw new IllegalArgumentException("verificationUri must be absolute: " + verificationUri);
        }
        verificationUriComplete = verificationUriComplete == null ? Optional.empty() : verificationUriComplete;
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
    }

    /** A copy polling every {@code interval}, e.g. {@link SlowDown#interval()} after a {@code slow_down}. */
    public DeviceAuthorization withInterval(Duration interval) {
        return new DeviceAuthorization(deviceCode, userCode, verificationUri, verificationUriComplete, expiresAt,
                interval);
    }

    @Override
    public String toString() {
        return "DeviceAuthorization[userCode=" + userCode + ", verificationUri=" + verificationUri
                + ", expiresAt=" + expiresAt + ", interval=" + interval + ", deviceCode=(redacted)]";
    }

    /**
     * What one poll of the token endpoint with the device code said: {@link Granted} with the tokens; the user has
     * not decided yet ({@link Pending}, {@link SlowDown}: poll again later); or the grant is over ({@link Denied},
     * {@link Expired}: start again). RFC 8628 §3.5's {@code authorization_pending}, {@code slow_down},
     * {@code access_denied} and {@code expired_token}; Discord's page does not list them, they are the standard's.
     * Immutable and thread-safe.
     */
    public sealed interface PollResult permits Granted, Pending, SlowDown, Denied, Expired {
        /**
         * Whether the user has not decided yet, so the device should poll again.
         *
         * @return {@code true} for {@link Pending} and {@link SlowDown}
         */
        default boolean pending() {
            return this instanceof Pending || this instanceof SlowDown;
        }
    }

    /**
     * The user approved: the tokens. Immutable and thread-safe.
     *
     * @param token the access token, with its refresh token
     */
    public record Granted(AccessToken token) implements PollResult {
        /**
         * Checks that the token is there.
         *
         * @param token the access token
         * @throws NullPointerException when {@code token} is {@code null}
         */
        public Granted {
            Objects.requireNonNull(token, "token must not be null");
        }
    }

    /** {@code authorization_pending}: the user has not approved yet; poll again after the interval. Immutable. */
    public record Pending() implements PollResult {
    }

    /**
     * {@code slow_down}: still pending, but polled too often; poll again after the new interval, and keep it for all
     * later polls ({@link DeviceAuthorization#withInterval}). Immutable and thread-safe.
     *
     * @param interval the interval to use from now on: the one polled with plus
     *                 {@link DeviceAuthorization#SLOW_DOWN_INCREMENT}
     */
    public record SlowDown(Duration interval) implements PollResult {
        /**
         * Checks the interval.
         *
         * @param interval the new interval, not negative
         * @throws IllegalArgumentException when {@code interval} is null or negative
         */
        public SlowDown {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("interval must not be negative: " + interval);
            }
        }
    }

    /** {@code access_denied}: the user refused. Immutable. */
    public record Denied() implements PollResult {
    }

    /**
     * {@code expired_token}: the codes expired before the user approved (or {@link DeviceAuthorization#expiresAt()}
     * passed on the client's clock, for {@link DiscordOAuth2Client#awaitDeviceToken}). Immutable.
     */
    public record Expired() implements PollResult {
    }

    /**
     * {@link DiscordOAuth2Client#awaitDeviceToken} ended without tokens: the user denied the request, or the codes
     * expired first. Start a new device authorization to try again. The message names what happened, never a code.
     * Immutable and thread-safe.
     */
    public static final class NotGrantedException extends DiscordException {
        private static final long serialVersionUID = 1L;

        private final boolean denied;

        NotGrantedException(String route, boolean denied) {
            super(route + ": " + (denied ? "the user denied the device authorization (access_denied)"
                    : "the device authorization expired before the user approved it (expired_token)"));
            this.denied = denied;
        }

        /**
         * How it ended.
         *
         * @return a {@link Denied} or an {@link Expired}
         */
        public PollResult outcome() {
            return denied ? new Denied() : new Expired();
        }

        /**
         * Whether the user refused.
         *
         * @return {@code true} for {@link Denied}, {@code false} for {@link Expired}
         */
        public boolean denied() {
            return denied;
        }
    }
}
