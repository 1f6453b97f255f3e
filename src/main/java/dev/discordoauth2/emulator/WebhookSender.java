package dev.discordoauth2.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts signed webhook payloads on the emulator's own executor (two daemon threads; the JDK client's asynchronous
 * send, so a slow endpoint holds no thread), each attempt with Discord's 3-second limit, and retries a failed event
 * with exponential backoff up to a bounded number of attempts. A {@code PING} and a wrongly signed check get one
 * attempt. Records every delivery, newest 1,000 kept. Thread-safe.
 */
final class WebhookSender {
    /** Discord's limit: an endpoint answers within 3 seconds (webhook-events.mdx "Responding to Events"). */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);
    private static final int KEPT = 1000;

    final int attempts;
    final Duration firstBackoff;
    private final WebhookKeys keys;
    private final EmulatorClock clock;
    private final ScheduledExecutorService executor;
    /** Made at the first delivery, so that an emulator that sends none starts no client threads. */
    private HttpClient http;
    private final AtomicLong ids = new AtomicLong();
    private final Deque<Entry> recorded = new ArrayDeque<>();

    WebhookSender(WebhookKeys keys, EmulatorClock clock, int attempts, Duration firstBackoff) {
        this.keys = keys;
        this.clock = clock;
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "discord-emulator-webhooks-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).executor(executor)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    /** One delivery while it runs; its snapshot is a {@link WebhookDelivery}. Guarded by itself. */
    private static final class Entry {
        final long id;
        final String applicationId;
        final URI url;
        final String type;
        final String body;
        final boolean invalidSignature;
        final int maxAttempts;
        WebhookDelivery.State state = WebhookDelivery.State.PENDING;
        int attempts;
        int lastStatus;
        String lastError;

        Entry(long id, String applicationId, URI url, String type, String body, boolean invalid, int maxAttempts) {
            this.id = id;
            this.applicationId = applicationId;
            this.url = url;
            this.type = type;
            this.body = body;
            this.invalidSignature = invalid;
            this.maxAttempts = maxAttempts;
        }

        synchronized WebhookDelivery snapshot() {
            return new WebhookDelivery(id, applicationId, url, type, body, invalidSignature, state, attempts,
                    lastStatus, lastError);
        }
    }

    /** Queues the payload for {@code url}; returns its delivery as it stands (pending). */
    WebhookDelivery send(String applicationId, URI url, String type, String body, boolean invalidSignature) {
        boolean once = WebhookPayloads.PING.equals(type) || invalidSignature;
        Entry entry = new Entry(ids.incrementAndGet(), applicationId, url, type, body, invalidSignature,
                once ? 1 : attempts);
        synchronized (recorded) {
            recorded.addLast(entry);
            while (recorded.size() > KEPT) {
                recorded.removeFirst();
            }
        }
        schedule(entry, Duration.ZERO);
        return entry.snapshot();
    }

    private void schedule(Entry entry, Duration after) {
        try {
            executor.schedule(() -> attempt(entry), after.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            synchronized (entry) {
                entry.state = WebhookDelivery.State.FAILED;
                entry.lastError = "the emulator stopped";
            }
        }
    }

    private void attempt(Entry entry) {
        byte[] body = entry.body.getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(clock.now().getEpochSecond());
        String signature = keys.sign(timestamp, body);
        if (entry.invalidSignature) {
            signature = corrupt(signature);
        }
        HttpRequest request = HttpRequest.newBuilder(entry.url).timeout(ANSWER_WITHIN)
                .header("Content-Type", "application/json")
                .header("X-Signature-Ed25519", signature)
                .header("X-Signature-Timestamp", timestamp)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        synchronized (entry) {
            entry.attempts++;
        }
        http().sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            boolean retry;
            synchronized (entry) {
                entry.lastStatus = response == null ? 0 : response.statusCode();
                entry.lastError = failure != null ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
                        : acknowledged(entry, entry.lastStatus) ? null : "answered " + entry.lastStatus;
                if (entry.lastError == null) {
                    entry.state = WebhookDelivery.State.DELIVERED;
                    return;
                }
                retry = entry.attempts < entry.maxAttempts;
                if (!retry) {
                    entry.state = WebhookDelivery.State.FAILED;
                }
            }
            if (retry) {
                schedule(entry, backoff(entry.attempts));
            }
        });
    }

    /** What counts as received: a PING needs 204, a wrongly signed check 401, an event any 2xx. */
    private static boolean acknowledged(Entry entry, int status) {
        if (entry.invalidSignature) {
            return status == 401;
        }
        return WebhookPayloads.PING.equals(entry.type) ? status == 204 : status / 100 == 2;
    }

    /** The wait before attempt {@code done + 1}: the first backoff, doubled after each further failure. */
    Duration backoff(int done) {
        return firstBackoff.multipliedBy(1L << Math.min(done - 1, 20));
    }

    /** The signature with its first byte changed: still 128 hex digits, never valid. */
    private static String corrupt(String hex) {
        int first = Integer.parseInt(hex.substring(0, 2), 16) ^ 0x01;
        return String.format("%02x", first) + hex.substring(2);
    }

    List<WebhookDelivery> deliveries() {
        synchronized (recorded) {
            return recorded.stream().map(Entry::snapshot).toList();
        }
    }

    void clear() {
        synchronized (recorded) {
            recorded.clear();
        }
    }

    void close() {
        executor.shutdownNow();
    }
}
