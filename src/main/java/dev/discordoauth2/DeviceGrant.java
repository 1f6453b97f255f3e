package dev.discordoauth2;

import dev.discordoauth2.DeviceAuthorization.Denied;
import dev.discordoauth2.DeviceAuthorization.Expired;
import dev.discordoauth2.DeviceAuthorization.Granted;
import dev.discordoauth2.DeviceAuthorization.NotGrantedException;
import dev.discordoauth2.DeviceAuthorization.Pending;
import dev.discordoauth2.DeviceAuthorization.PollResult;
import dev.discordoauth2.DeviceAuthorization.SlowDown;
import jakarta.ws.rs.core.Form;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;

/**
 * The device authorization grant behind {@link DiscordOAuth2Client#startDeviceAuthorization},
 * {@link DiscordOAuth2Client#pollDeviceToken} and {@link DiscordOAuth2Client#awaitDeviceToken} and their async twins:
 * the two requests as {@link Operation}s, RFC 8628's four error answers as {@link PollResult}s, and the polling loop,
 * blocking (sleeps of the caller's thread) or async ({@link Polling}: waits on the runner's timer). Stateless.
 */
final class DeviceGrant {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String TOKEN_ROUTE = "POST /oauth2/token";

    private DeviceGrant() {
    }

    static Operation<DeviceAuthorization> start(DiscordOAuth2Client client, Collection<String> scopes) {
        Objects.requireNonNull(scopes, "scopes must not be null");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("startDeviceAuthorization needs at least one scope");
        }
        ClientCore core = client.core();
        ApiCall call = ApplicationCalls.clientAuthenticated(core, ApiCall.of("POST", "/oauth2/device/authorize"),
                new Form().param("scope", String.join(" ", scopes)));
        return new Operation<>(client, call, answer -> {
            Wire.DeviceAuthorizationResponse r = core.wire.read(call, answer.body(),
                    Wire.DeviceAuthorizationResponse.class, false);
            URI page = uri(call, r.verificationUri(), "verification_uri");
            String completeUri = r.verificationUriComplete();
            Optional<URI> complete = completeUri == null || completeUri.isEmpty() ? Optional.empty()
                    : Optional.of(uri(call, completeUri, "verification_uri_complete"));
            return new DeviceAuthorization(r.deviceCode(), r.userCode(), page, complete,
                    core.clock.instant().plusSeconds(r.expiresIn()), Duration.ofSeconds(r.interval()));
        });
    }

    private static URI uri(ApiCall call, String value, String field) {
        try {
            URI uri = new URI(value);
            if (uri.isAbsolute()) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below, without the value
        }
        throw new DiscordException(call.route() + ": Discord's answer is not a valid device authorization: " + field
                + " must be an absolute URI");
    }

    /** One poll: the tokens, or what RFC 8628's error answers mean; other errors are thrown as usual. */
    static Operation<PollResult> poll(DiscordOAuth2Client client, DeviceAuthorization authorization) {
        Objects.requireNonNull(authorization, "authorization must not be null");
        ApiCall call = ApplicationCalls.clientAuthenticated(client.core(), ApiCall.of("POST", "/oauth2/token"),
                new Form().param("grant_type", GRANT_TYPE).param("device_code", authorization.deviceCode()));
        return Operation.recovering(client, call, answer -> new Granted(ApplicationCalls.accessToken(client, call,
                answer)), refused -> outcome(refused, authorization.interval()));
    }

    /** RFC 8628 §3.5's answers (a 4xx with the {@code error}), or {@code null} for any other error. */
    static PollResult outcome(HttpException refused, Duration interval) {
        if (refused.status() < 400 || refused.status() >= 500 || refused instanceof RateLimitedException) {
            return null;
        }
        switch (refused.error().orElse("")) {
            case "authorization_pending":
                return new Pending();
            case "slow_down":
                return new SlowDown(interval.plus(DeviceAuthorization.SLOW_DOWN_INCREMENT));
            case "access_denied":
                return new Denied();
            case "expired_token":
                return new Expired();
            default:
                return null;
        }
    }

    /** How long to wait before the next poll: the interval, or less when the codes expire sooner. */
    private static Duration nextWait(Clock clock, Instant expiresAt, Duration interval) {
        Duration left = Duration.between(clock.instant(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left.compareTo(interval) < 0 ? left : interval;
    }

    /** The blocking loop of {@link DiscordOAuth2Client#awaitDeviceToken}. */
    static AccessToken await(DiscordOAuth2Client client, DeviceAuthorization authorization) {
        Objects.requireNonNull(authorization, "authorization must not be null");
        Clock clock = client.clock();
        Duration interval = authorization.interval();
        while (true) {
            sleep(nextWait(clock, authorization.expiresAt(), interval));
            if (!clock.instant().isBefore(authorization.expiresAt())) {
                throw new NotGrantedException(TOKEN_ROUTE, false);
            }
            PollResult result = poll(client, authorization.withInterval(interval)).run();
            if (result instanceof Granted granted) {
                return granted.token();
            }
            if (result instanceof SlowDown slower) {
                interval = slower.interval();
            } else if (!result.pending()) {
                throw new NotGrantedException(TOKEN_ROUTE, result instanceof Denied);
            }
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiscordException(TOKEN_ROUTE + ": interrupted while waiting to poll for the device token", e);
        }
    }

    /**
     * The async loop of {@link DiscordOAuth2Client.Async#awaitDeviceToken}: each wait a task on the runner's timer,
     * each poll an async call of its own. Completing it from outside (cancel, {@code orTimeout}) cancels the poll in
     * flight and the pending wait; closing the client fails it. Thread-safe: one step runs at a time, each handing
     * the next over through the timer or the poll's completion.
     */
    static final class Polling extends StoppingFuture<AccessToken> {
        private final DiscordOAuth2Client client;
        private final AsyncRunner runner;
        private final DeviceAuthorization authorization;
        private volatile Duration interval;
        private volatile Future<?> timer;
        private volatile CompletableFuture<PollResult> inFlight;

        Polling(DiscordOAuth2Client client, AsyncRunner runner, DeviceAuthorization authorization) {
            this.client = client;
            this.runner = runner;
            this.authorization = Objects.requireNonNull(authorization, "authorization must not be null");
            this.interval = authorization.interval();
        }

        Polling start() {
            runner.track(this);
            waitThenPoll();
            return this;
        }

        private void waitThenPoll() {
            if (isDone()) {
                return;
            }
            timer = runner.schedule(this::poll, nextWait(client.clock(), authorization.expiresAt(), interval)
                    .toNanos(), this);
            if (isDone()) {
                timer.cancel(false);
            }
        }

        /** Runs on the timer thread: starts the poll (an async call) and returns at once. */
        private void poll() {
            if (isDone()) {
                return;
            }
            if (!client.clock().instant().isBefore(authorization.expiresAt())) {
                completeExceptionally(new NotGrantedException(TOKEN_ROUTE, false));
                return;
            }
            CompletableFuture<PollResult> call;
            try {
                call = runner.start(DeviceGrant.poll(client, authorization.withInterval(interval)));
            } catch (RuntimeException e) {
                completeExceptionally(e);
                return;
            }
            inFlight = call;
            if (isDone()) {
                call.cancel(true);
                return;
            }
            call.whenComplete(this::polled);
        }

        private void polled(PollResult result, Throwable failure) {
            if (failure != null) {
                completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else if (result instanceof Granted granted) {
                complete(granted.token());
            } else if (result instanceof SlowDown slower) {
                interval = slower.interval();
                waitThenPoll();
            } else if (result.pending()) {
                waitThenPoll();
            } else {
                completeExceptionally(new NotGrantedException(TOKEN_ROUTE, result instanceof Denied));
            }
        }

        /** Ends the work once this future is done, whoever completed it. */
        @Override
        void stop() {
            runner.done(this);
            Future<?> pending = timer;
            if (pending != null) {
                pending.cancel(false);
            }
            CompletableFuture<PollResult> call = inFlight;
            if (call != null && !call.isDone()) {
                call.cancel(true);
            }
        }
    }
}
