package dev.discordoauth2;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends {@link ApiCall}s through the shared JAX-RS client: waits for empty rate-limit buckets instead of sending
 * requests bound to fail, waits out 429s and retries within the rate-limit budget, retries 5xx answers and transport
 * failures of retryable calls with exponential backoff, and turns errors into exceptions. Thread-safe.
 */
final class Transport {
    private static final System.Logger LOG = System.getLogger(DiscordOAuth2Client.class.getName());

    /** A successful answer. */
    record Answer(int status, String body) {
    }

    private final Client client;
    private final URI apiBase;
    private final String userAgent;
    private final RateLimiter limiter = new RateLimiter();
    private final long maxRateLimitWaitNanos;
    private final int maxRetries;
    private final Duration retryBackoff;

    Transport(Client client, URI apiBase, String userAgent, Duration maxRateLimitWait, int maxRetries,
            Duration retryBackoff) {
        this.client = client;
        this.apiBase = apiBase;
        this.userAgent = userAgent;
        this.maxRateLimitWaitNanos = maxRateLimitWait.toNanos();
        this.maxRetries = maxRetries;
        this.retryBackoff = retryBackoff;
    }

    RateLimiter limiter() {
        return limiter;
    }

    Answer send(ApiCall call) {
        String identity = RateLimiter.identity(call.authorization);
        long deadline = System.nanoTime() + maxRateLimitWaitNanos;
        int failures = 0;
        while (true) {
            long now = System.nanoTime();
            RateLimiter.Wait reserved = limiter.reserve(call, identity, now);
            if (!reserved.none()) {
                long wait = reserved.nanos();
                if (now + wait - deadline > 0) {
                    throw reserved.global()
                            ? new Errors.TooManyRequests(Duration.ofNanos(wait), true, "global", null, false, null,
                                    null).toException(call, "; refused locally: the global limit of this caller "
                                    + "holds beyond the rate-limit budget")
                            : new Errors.TooManyRequests(Duration.ofNanos(wait), false, "user", null, false, null,
                                    null).toException(call, "; the bucket is empty and its reset is beyond the "
                                    + "rate-limit budget");
                }
                LOG.log(System.Logger.Level.DEBUG, () -> call.route() + (reserved.global() ? ": global limit"
                        : ": bucket empty") + ", waiting " + wait / 1_000_000 + " ms");
                sleep(wait);
                continue;
            }
            int status;
            String body;
            Map<String, List<Object>> headers;
            Response response = null;
            try {
                response = invoke(call);
                status = response.getStatus();
                headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                headers.putAll(response.getHeaders());
                body = response.hasEntity() ? response.readEntity(String.class) : "";
            } catch (ProcessingException e) {
                limiter.release(call, identity);
                if (call.retryable && failures < maxRetries) {
                    failures++;
                    backoff(call, failures, "transport failure: " + e.getClass().getSimpleName());
                    continue;
                }
                throw new DiscordTransportException(call.route() + " failed: no answer from Discord ("
                        + describe(e) + ")", e);
            } finally {
                if (response != null) {
                    response.close();
                }
            }
            long answered = System.nanoTime();
            limiter.update(call, identity, headers, answered);
            if (status == 429) {
                Errors.TooManyRequests limited = Errors.tooManyRequests(headers, body);
                if (limited.cloudflare()) {
                    throw limited.toException(call, "; not retried, retrying extends the ban");
                }
                long retryNanos = Math.max(1, limited.retryAfter().toNanos());
                if (limited.global()) {
                    limiter.globallyLimited(identity, retryNanos, answered);
                } else if ("shared".equals(limited.scope())) {
                    if (answered + retryNanos - deadline > 0) {
                        throw limited.toException(call, "; beyond the rate-limit budget");
                    }
                    sleep(retryNanos);
                    continue;
                } else {
                    limiter.exhausted(call, identity, retryNanos, answered);
                }
                if (answered + retryNanos - deadline > 0) {
                    throw limited.toException(call, "; beyond the rate-limit budget");
                }
                LOG.log(System.Logger.Level.DEBUG, () -> call.route() + ": 429, retrying after "
                        + limited.retryAfter().toMillis() + " ms");
                continue;
            }
            if (status >= 500 && call.retryable && failures < maxRetries) {
                failures++;
                backoff(call, failures, "HTTP " + status);
                continue;
            }
            LOG.log(System.Logger.Level.DEBUG, () -> call.route() + " -> " + status);
            if (status >= 400) {
                throw Errors.toException(call, status, body);
            }
            return new Answer(status, body);
        }
    }

    private Response invoke(ApiCall call) {
        WebTarget target = client.target(apiBase).path(call.path);
        for (var q : call.query.entrySet()) {
            target = target.queryParam(q.getKey(), q.getValue());
        }
        Invocation.Builder request = target.request(MediaType.APPLICATION_JSON_TYPE).header("User-Agent", userAgent);
        if (call.authorization != null) {
            request = request.header("Authorization", call.authorization);
        }
        return call.body == null ? request.method(call.method) : request.method(call.method, call.body);
    }

    private void backoff(ApiCall call, int failures, String why) {
        long base = retryBackoff.toNanos() << Math.min(failures - 1, 10);
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2 + 1));
        LOG.log(System.Logger.Level.DEBUG, () -> call.route() + ": " + why + ", retry " + failures + " of "
                + maxRetries + " in " + jittered / 1_000_000 + " ms");
        sleep(jittered);
    }

    private static String describe(ProcessingException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String name = cause.getClass().getSimpleName();
        return cause.getMessage() == null ? name : name + ": " + cause.getMessage();
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiscordException("interrupted while waiting to call Discord", e);
        }
    }
}
