package dev.discordoauth2.emulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A failure the {@link DiscordEmulator} plays instead of (or before) its normal answer on one route, for the next
 * {@link #times(int) N} requests: a given status and body, a delay, a dropped connection, or a {@code 200} whose JSON
 * is cut off. Injected with {@link DiscordEmulator#injectFault(String, Fault)}. Immutable and thread-safe.
 */
public final class Fault {

    enum Kind { STATUS, DELAY, DROP, MALFORMED_JSON }

    private final Kind kind;
    private final int status;
    private final String contentType;
    private final String body;
    private final Map<String, String> headers;
    private final Duration delay;
    private final int times;

    private Fault(Kind kind, int status, String contentType, String body, Map<String, String> headers,
            Duration delay, int times) {
        this.kind = kind;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.headers = Map.copyOf(headers);
        this.delay = delay;
        this.times = times;
    }

    /** Answers with this status and JSON body (e.g. {@code 503} and a Discord error body). */
    public static Fault status(int status, String jsonBody) {
        return new Fault(Kind.STATUS, status, "application/json", Objects.requireNonNull(jsonBody), Map.of(),
                Duration.ZERO, 1);
    }

    /** Answers with this status, content type and body (e.g. a Cloudflare HTML page). */
    public static Fault status(int status, String contentType, String body) {
        return new Fault(Kind.STATUS, status, Objects.requireNonNull(contentType), Objects.requireNonNull(body),
                Map.of(), Duration.ZERO, 1);
    }

    /** Waits this long, then answers normally (use a client read timeout shorter than the delay). */
    public static Fault delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return new Fault(Kind.DELAY, 0, null, null, Map.of(), delay, 1);
    }

    /**
     * Closes the connection without sending any response. Note that the JDK's {@code HttpClient} silently retries an
     * idempotent request once when the connection closes before any byte came back; use {@code times(2)} to make
     * such a client see the failure.
     */
    public static Fault dropConnection() {
        return new Fault(Kind.DROP, 0, null, null, Map.of(), Duration.ZERO, 1);
    }

    /** Answers {@code 200} with a JSON content type and a body that is not valid JSON. */
    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, 200, "application/json", "{\"id\": \"80351110224678912\", \"user",
                Map.of(), Duration.ZERO, 1);
    }

    /**
     * Answers {@code 429} as Discord does: a {@code retry_after} body, {@code Retry-After} (whole seconds, rounded
     * up), {@code X-RateLimit-Scope} and, for a global limit, {@code X-RateLimit-Global: true}. A {@code shared} 429
     * says "The resource is being rate limited." and is not counted as an invalid request.
     *
     * @param scope {@code "user"}, {@code "global"} or {@code "shared"}
     */
    public static Fault rateLimited(Duration retryAfter, boolean global, String scope) {
        if (retryAfter == null || retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        if (!List.of("user", "global", "shared").contains(scope)) {
            throw new IllegalArgumentException("scope must be user, global or shared: " + scope);
        }
        String seconds = RateLimiter.seconds(retryAfter.toNanos() / 1e9);
        String message = scope.equals("shared") ? "The resource is being rate limited." : "You are being rate limited.";
        Fault fault = status(429, "{\"message\":\"" + message + "\",\"retry_after\":" + seconds + ",\"global\":"
                + global + "}")
                .withHeader("Retry-After", Long.toString((long) Math.ceil(retryAfter.toNanos() / 1e9)))
                .withHeader("X-RateLimit-Scope", scope);
        return global ? fault.withHeader("X-RateLimit-Global", "true") : fault;
    }

    /** The same fault with one more response header (e.g. {@code Retry-After}). */
    public Fault withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new Fault(kind, status, contentType, body, copy, delay, times);
    }

    /** The same fault for the next {@code n} matching requests (default 1). */
    public Fault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + n);
        }
        return new Fault(kind, status, contentType, body, headers, delay, n);
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    String body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }

    Duration delay() {
        return delay;
    }

    int count() {
        return times;
    }

    @Override
    public String toString() {
        return "Fault[" + kind + (kind == Kind.STATUS ? " " + status : "")
                + (kind == Kind.DELAY ? " " + delay : "") + " x" + times + "]";
    }
}
