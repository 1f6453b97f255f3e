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
    private final Duration connectTimeout;
    private final Duration readTimeout;

    Transport(Client client, URI apiBase, String userAgent, Duration maxRateLimitWait, int maxRetries,
            Duration retryBackoff, Duration connectTimeout, Duration readTimeout) {
        this.client = client;
        this.apiBase = apiBase;
        this.userAgent = userAgent;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxRateLimitWaitNanos = maxRateLimitWait.toNanos();
        this.maxRetries = maxRetries;
        this.retryBackoff = retryBackoff;
    }

    RateLimiter limiter() {
        return limiter;
    }

    /** {@link #send(ApiCall, Duration)} without a call timeout. */
    Answer send(ApiCall call) {
        return send(call, null);
    }

    /**
     * Sends the call, waiting for rate limits and retrying as the class says. With a {@code callTimeout}, the whole
     * call (attempts, backoffs, rate-limit waits) ends by {@code start + callTimeout}: each attempt's connect and
     * read timeouts are cut to the time left, and a wait or retry that would end past the deadline is not begun; a
     * {@link DiscordTimeoutException} says so instead.
     */
    Answer send(ApiCall call, Duration callTimeout) {
        return send(call, callTimeout, null);
    }

    /**
     * As {@link #send(ApiCall, Duration)}, each attempt waiting up to {@code readTimeoutOverride} (when not null)
     * instead of the configured read timeout for Discord's answer. The blocking way to run an {@link Exchange}: its
     * waits are sleeps of the calling thread. An interrupt of the thread ends the call with a
     * {@link DiscordException} (the interrupt status kept) during a wait or before the next attempt; an attempt in
     * flight ends at its read timeout, or at once when the thread is virtual (the JDK closes its socket).
     */
    Answer send(ApiCall call, Duration callTimeout, Duration readTimeoutOverride) {
        Exchange exchange = exchange(call, callTimeout, readTimeoutOverride);
        while (true) {
            Answer answer = exchange.attempt();
            if (answer != null) {
                return answer;
            }
            exchange.sleep();
        }
    }

    /** A new run of the call; see {@link Exchange}. */
    Exchange exchange(ApiCall call, Duration callTimeout, Duration readTimeoutOverride) {
        return new Exchange(call, callTimeout, readTimeoutOverride);
    }

    /**
     * One run of a call: its attempts, and between them the waits for rate limits and backoffs. Whoever runs it calls
     * {@link #attempt()} until it returns the answer (or throws), waiting {@link #waitNanos()} between: a sleep for
     * the blocking client, a timer for the async one, so that no thread is held while a bucket is empty. Not
     * thread-safe: attempts run one after another (handed over with a happens-before edge); {@link #stop()} may be
     * called from any thread.
     */
    final class Exchange {
        private final ApiCall call;
        private final Duration readTimeoutOverride;
        private final Duration readTimeout;
        private final String identity;
        private final long deadline;
        private final Budget budget;
        private int failures;
        private long waitNanos;
        private volatile boolean stopped;
        private volatile JerseyClientFactory.Abort inFlight;

        private Exchange(ApiCall call, Duration callTimeout, Duration readTimeoutOverride) {
            this.call = call;
            this.readTimeoutOverride = readTimeoutOverride;
            this.readTimeout = readTimeoutOverride != null ? readTimeoutOverride : Transport.this.readTimeout;
            this.identity = RateLimiter.identity(call.authorization);
            long start = System.nanoTime();
            this.deadline = start + maxRateLimitWaitNanos;
            this.budget = callTimeout == null ? null : new Budget(call, callTimeout, start);
        }

        /** How long to wait before the next {@link #attempt()}, after one returned {@code null}; may be 0. */
        long waitNanos() {
            return waitNanos;
        }

        /**
         * Ends the run from any thread: no further attempt is made, and the attempt in flight, if any, is aborted
         * (its connection closed), so that the thread running it is freed at once.
         */
        void stop() {
            stopped = true;
            JerseyClientFactory.Abort abort = inFlight;
            if (abort != null) {
                abort.abort();
            }
        }

        boolean stopped() {
            return stopped;
        }

        /** Sleeps {@link #waitNanos()} on the calling thread (the blocking client's wait). */
        void sleep() {
            if (waitNanos > 0) {
                LOG.log(System.Logger.Level.TRACE, () -> call.route() + ": sleeping " + waitNanos / 1_000_000 + " ms");
                try {
                    Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DiscordException(call.route() + ": interrupted while waiting to call Discord", e);
                }
            }
        }

        private Answer waitThen(long nanos) {
            waitNanos = nanos;
            return null;
        }

        /**
         * Makes the next attempt: returns the answer, or {@code null} when the call must wait {@link #waitNanos()}
         * and attempt again (a rate limit, a backoff), or throws what ends the call. A call stopped or whose thread
         * is interrupted throws a {@link DiscordException} without sending anything.
         */
        Answer attempt() {
            if (stopped || Thread.currentThread().isInterrupted()) {
                throw ended(null);
            }
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
                if (budget != null && budget.endsPast(now + wait)) {
                    throw budget.exceeded("leaves no time to wait " + wait / 1_000_000 + " ms for the "
                            + (reserved.global() ? "global rate limit" : "rate-limit bucket"), null);
                }
                LOG.log(System.Logger.Level.DEBUG, () -> call.route() + (reserved.global() ? ": global limit"
                        : ": bucket empty") + ", waiting " + wait / 1_000_000 + " ms");
                return waitThen(wait);
            }
            Duration connectLimit = readTimeoutOverride == null ? null : connectTimeout;
            Duration readLimit = readTimeoutOverride;
            if (budget != null) {
                long left = budget.left(now);
                if (left <= 0) {
                    limiter.release(call, identity);
                    throw budget.exceeded("ran out before attempt " + (budget.attempts + 1), null);
                }
                connectLimit = Duration.ofNanos(Math.min(left, connectTimeout.toNanos()));
                readLimit = Duration.ofNanos(Math.min(left, readTimeout.toNanos()));
                budget.attempts++;
            }
            int status;
            String body;
            Map<String, List<Object>> headers;
            Response response = null;
            JerseyClientFactory.Abort abort = new JerseyClientFactory.Abort();
            inFlight = abort;
            try {
                if (stopped) {
                    abort.abort();
                }
                response = invoke(call, connectLimit, readLimit, abort);
                status = response.getStatus();
                headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                headers.putAll(response.getHeaders());
                body = response.hasEntity() ? response.readEntity(String.class) : "";
            } catch (ProcessingException e) {
                limiter.release(call, identity);
                if (stopped || Thread.currentThread().isInterrupted()) {
                    throw ended(e);
                }
                if (call.retryable && failures < maxRetries) {
                    failures++;
                    long pause = backoffNanos(failures);
                    if (budget != null && budget.endsPast(System.nanoTime() + pause)) {
                        throw budget.exceeded("leaves no time to retry after no answer (" + describe(e) + ")", e);
                    }
                    logBackoff(call, failures, pause, "transport failure: " + e.getClass().getSimpleName());
                    return waitThen(pause);
                }
                if (budget != null && budget.left(System.nanoTime()) <= 1_000_000L) {
                    throw budget.exceeded("passed without an answer (" + describe(e) + ")", e);
                }
                throw new DiscordTransportException(call.route() + " failed: no answer from Discord ("
                        + describe(e) + ")", e);
            } finally {
                inFlight = null;
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
                boolean shared = !limited.global() && "shared".equals(limited.scope());
                if (limited.global()) {
                    limiter.globallyLimited(identity, retryNanos, answered);
                } else if (!shared) {
                    limiter.exhausted(call, identity, retryNanos, answered);
                }
                if (answered + retryNanos - deadline > 0) {
                    throw limited.toException(call, "; beyond the rate-limit budget");
                }
                if (budget != null && budget.endsPast(answered + retryNanos)) {
                    throw budget.exceeded("leaves no time to wait " + retryNanos / 1_000_000 + " ms after a 429",
                            limited.toException(call, ""));
                }
                LOG.log(System.Logger.Level.DEBUG, () -> call.route() + ": 429, retrying after "
                        + limited.retryAfter().toMillis() + " ms");
                // a shared 429 leaves the bucket alone, so the wait is this call's own; otherwise the limiter holds it
                return waitThen(shared ? retryNanos : 0);
            }
            if (status >= 500 && call.retryable && failures < maxRetries) {
                failures++;
                long pause = backoffNanos(failures);
                if (budget != null && budget.endsPast(System.nanoTime() + pause)) {
                    throw budget.exceeded("leaves no time to retry after HTTP " + status,
                            Errors.toException(call, status, body));
                }
                logBackoff(call, failures, pause, "HTTP " + status);
                return waitThen(pause);
            }
            LOG.log(System.Logger.Level.DEBUG, () -> call.route() + " -> " + status);
            if (status >= 400) {
                throw Errors.toException(call, status, body);
            }
            return new Answer(status, body);
        }

        private DiscordException ended(Throwable cause) {
            String why = stopped ? ": cancelled" : ": interrupted";
            return new DiscordException(call.route() + why + (cause == null ? " before the next attempt"
                    : " during an attempt") + "; not retried", cause);
        }
    }

    /** A call's time budget: its deadline and how many attempts it made. Not thread-safe; one per call. */
    private static final class Budget {
        private final ApiCall call;
        private final Duration callTimeout;
        private final long deadline;
        private int attempts;

        Budget(ApiCall call, Duration callTimeout, long start) {
            this.call = call;
            this.callTimeout = callTimeout;
            this.deadline = start + callTimeout.toNanos();
        }

        long left(long now) {
            return deadline - now;
        }

        boolean endsPast(long when) {
            return when - deadline > 0;
        }

        DiscordTimeoutException exceeded(String what, Throwable cause) {
            return new DiscordTimeoutException(call.route() + ": the call timeout of " + callTimeout.toMillis()
                    + " ms " + what + " (" + attempts + (attempts == 1 ? " attempt)" : " attempts)"), callTimeout,
                    cause);
        }
    }

    private Response invoke(ApiCall call, Duration connectLimit, Duration readLimit, JerseyClientFactory.Abort abort) {
        WebTarget target = client.target(apiBase).path(call.path);
        for (var q : call.query.entrySet()) {
            target = target.queryParam(q.getKey(), q.getValue());
        }
        Invocation.Builder request = target.request(MediaType.APPLICATION_JSON_TYPE).header("User-Agent", userAgent)
                .property(JerseyClientFactory.ABORT, abort);
        if (call.authorization != null) {
            request = request.header("Authorization", call.authorization);
        }
        if (readLimit != null) {
            request = JerseyClientFactory.timeouts(request, connectLimit, readLimit);
        }
        return call.body == null ? request.method(call.method) : request.method(call.method, call.body);
    }

    /**
     * Runs one {@code GET /users/@me} through the client's runtime the way {@link #send} does (target, headers,
     * providers, filters, reading the JSON body as text) and has it answered inside the JVM with {@code sampleBody}
     * ({@link JerseyClientFactory#ANSWER_LOCALLY}): the first real call then finds Jersey's runtime built. Sends
     * nothing and opens no connection. Returns the body read.
     */
    String warmUp(String sampleBody) {
        Invocation.Builder request = client.target(apiBase).path("/users/@me").request(MediaType.APPLICATION_JSON_TYPE)
                .header("User-Agent", userAgent).property(JerseyClientFactory.ANSWER_LOCALLY, sampleBody);
        try (Response response = JerseyClientFactory.timeouts(request, connectTimeout, readTimeout).get()) {
            return response.readEntity(String.class);
        }
    }

    private long backoffNanos(int failures) {
        long base = retryBackoff.toNanos() << Math.min(failures - 1, 10);
        return base / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2 + 1));
    }

    private void logBackoff(ApiCall call, int failures, long pause, String why) {
        LOG.log(System.Logger.Level.DEBUG, () -> call.route() + ": " + why + ", retry " + failures + " of "
                + maxRetries + " in " + pause / 1_000_000 + " ms");
    }

    private static String describe(ProcessingException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String name = cause.getClass().getSimpleName();
        return cause.getMessage() == null ? name : name + ": " + cause.getMessage();
    }
}
