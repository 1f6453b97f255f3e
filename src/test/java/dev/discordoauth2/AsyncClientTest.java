package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.model.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DiscordOAuth2Client.Async} over real HTTP: waits hold no thread, a cancelled or timed-out call frees its
 * thread and is not retried, a saturated pool refuses at once, and the executor is the application's choice.
 */
class AsyncClientTest {
    private static final String ME = "GET /users/@me";
    private static final String CONNECTIONS = "GET /users/@me/connections";
    private static final Fault HANG = Fault.delay(Duration.ofSeconds(4)).times(3);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        open.add(resource);
        return resource;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void asyncWhenFourCallersWaitOnEmptyBucketThenCallToOtherBucketIsNotStalled() throws Exception {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).rateLimit(ME, 4, Duration.ofSeconds(3))
                .start());
        DiscordOAuth2Client client = closing(client(discord).asyncPool(1, 100)
                .maxRateLimitWait(Duration.ofSeconds(10)).build());
        AccessToken token = login(discord, client, "identify", "connections");
        for (int i = 0; i < 4; i++) {
            token.fetchIdentify();
        }
        List<CompletableFuture<User>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(client.async().fetchIdentify(token));
        }
        long start = System.nanoTime();
        client.async().fetchConnections(token).get(1500, TimeUnit.MILLISECONDS);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), "the four still wait for the bucket's reset");
        assertTrue(tookMillis < 1500, "the only pool thread is not held by the waits; took " + tookMillis + " ms");
        for (CompletableFuture<User> call : waiting) {
            assertEquals(NELLY, call.get(10, TimeUnit.SECONDS).id());
        }
        assertEquals(8, discord.journal(ME).size(), "the waits sent nothing bound to fail");
    }

    @Test
    void cancelWhenCallHangsThenThreadFreedAndNoRetry() throws Exception {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).start());
        DiscordOAuth2Client client = closing(client(discord).asyncPool(1, 10).build());
        AccessToken token = login(discord, client, "identify", "connections");
        discord.injectFault(ME, HANG);
        CompletableFuture<User> hanging = client.async().fetchIdentify(token);
        await(() -> discord.faultsPending(ME) == 2, "the request reached the emulator");
        assertTrue(hanging.cancel(true));
        long start = System.nanoTime();
        assertFalse(client.async().fetchConnections(token).get(2, TimeUnit.SECONDS).isEmpty());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 2000, "the only pool thread was freed at once; took " + tookMillis + " ms");
        assertThrows(CancellationException.class, hanging::join);
        Thread.sleep(300);
        assertEquals(2, discord.faultsPending(ME), "no retry after the cancel (maxRetries is 2, backoff 20 ms)");
    }

    @Test
    void orTimeoutWhenCallHangsThenTimeoutExceptionThreadFreedAndNoRetry() throws Exception {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).start());
        DiscordOAuth2Client client = closing(client(discord).asyncPool(1, 10).build());
        AccessToken token = login(discord, client, "identify", "connections");
        discord.injectFault(ME, HANG);
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.async().fetchIdentify(token)
                .orTimeout(300, TimeUnit.MILLISECONDS).get(3, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertFalse(client.async().fetchConnections(token).get(2, TimeUnit.SECONDS).isEmpty());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 2000, "the timeout freed the only pool thread; took " + tookMillis + " ms");
        Thread.sleep(300);
        assertEquals(2, discord.faultsPending(ME), "no retry after the timeout");
    }

    @Test
    void asyncWhenPoolAndQueueFullThenRejectedExecutionExceptionAtOnce() throws Exception {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).start());
        DiscordOAuth2Client client = closing(client(discord).asyncPool(1, 1).build());
        AccessToken token = login(discord, client, "identify");
        discord.injectFault(ME, HANG);
        CompletableFuture<User> running = client.async().fetchIdentify(token);
        await(() -> discord.faultsPending(ME) == 2, "the first call took the only thread");
        CompletableFuture<User> queued = client.async().fetchIdentify(token);
        CompletableFuture<User> refused = client.async().fetchIdentify(token);
        assertTrue(refused.isCompletedExceptionally(), "refused at once, not queued without bound");
        RejectedExecutionException e = assertInstanceOf(RejectedExecutionException.class,
                assertThrows(ExecutionException.class, refused::get).getCause());
        assertTrue(e.getMessage().startsWith("the async pool of 1 threads and 1 queued calls refused the call: all "
                + "threads busy and the queue full"), e.getMessage());
        assertFalse(queued.isDone());
        running.cancel(true);
        queued.cancel(true);
    }

    @Test
    void asyncExecutorWhenConfiguredThenEveryAttemptRunsOnIt() throws Exception {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).rateLimit(ME, 1, Duration.ofMillis(700))
                .start());
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "application-pool"));
        closing(pool::shutdownNow);
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<String> ranOn = new AtomicReference<>();
        Executor counting = task -> {
            attempts.incrementAndGet();
            pool.execute(() -> {
                ranOn.set(Thread.currentThread().getName());
                task.run();
            });
        };
        DiscordOAuth2Client client = closing(client(discord).asyncExecutor(counting).build());
        AccessToken token = login(discord, client, "identify");
        token.fetchIdentify();
        assertEquals(NELLY, client.async().fetchIdentify(token).get(5, TimeUnit.SECONDS).id());
        assertEquals(2, attempts.get(), "the attempt after the bucket's reset went back to the executor too");
        assertEquals("application-pool", ranOn.get());
        assertEquals(2, discord.journal(ME).size());
    }

    @Test
    void fetchIdentifyWhenThreadInterruptedDuringRateLimitWaitThenEndsAtOnceKeepingInterrupt() throws Exception {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).rateLimit(ME, 1, Duration.ofSeconds(5))
                .start());
        DiscordOAuth2Client client = closing(client(discord).maxRateLimitWait(Duration.ofSeconds(10)).build());
        AccessToken token = login(discord, client, "identify");
        token.fetchIdentify();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                token.fetchIdentify();
            } catch (RuntimeException e) {
                thrown.set(e);
                interrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        Thread.sleep(200);
        caller.interrupt();
        caller.join(1000);
        assertFalse(caller.isAlive(), "the wait for the bucket ended with the interrupt");
        DiscordException e = assertInstanceOf(DiscordException.class, thrown.get());
        assertEquals("GET /users/@me: interrupted while waiting to call Discord", e.getMessage());
        assertTrue(interrupted.get(), "the interrupt status is kept");
        assertEquals(1, discord.journal(ME).size());
    }

    @Test
    void closeWhenAsyncCallWaitsForBucketThenFailsAtOnce() throws Exception {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).rateLimit(ME, 1, Duration.ofSeconds(5))
                .start());
        DiscordOAuth2Client client = client(discord).maxRateLimitWait(Duration.ofSeconds(10)).build();
        AccessToken token = login(discord, client, "identify");
        token.fetchIdentify();
        CompletableFuture<User> waiting = client.async().fetchIdentify(token);
        Thread.sleep(100);
        client.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(1, TimeUnit.SECONDS));
        assertEquals("the client was closed before the call ended", e.getCause().getMessage());
        assertEquals("the client is closed", assertThrows(ExecutionException.class,
                () -> client.async().fetchIdentify(token).get(1, TimeUnit.SECONDS)).getCause().getMessage());
    }

    @Test
    void fetchIdentifyWhenAsyncAndTokenRevokedThenOnUnauthorizedRunsOnceAndForbidden401() throws Exception {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).start());
        DiscordOAuth2Client client = closing(client(discord).build());
        String stored = login(discord, client, "identify").token();
        AtomicInteger unauthorized = new AtomicInteger();
        PartialAccessToken token = client.fromAccessToken(stored, unauthorized::incrementAndGet);
        client.async().revokeToken(stored).get(5, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.async().fetchIdentify(token).get(5, TimeUnit.SECONDS));
        assertEquals(401, assertInstanceOf(ForbiddenException.class, e.getCause()).status());
        assertEquals(1, unauthorized.get(), "the same core as the blocking call: the callback ran once");
    }

    @Test
    void fetchGuildMemberWhenAsyncAndIdNotSnowflakeThenFailedFutureWithoutCall() {
        DiscordEmulator discord = closing(emulator().autoApprove(NELLY).start());
        DiscordOAuth2Client client = closing(client(discord).build());
        PartialAccessToken token = client.fromAccessToken("any-token");
        CompletableFuture<?> refused = client.async().fetchGuildMember(token, "not-an-id");
        assertTrue(refused.isCompletedExceptionally());
        assertEquals("guildId must be a snowflake: not-an-id", assertInstanceOf(IllegalArgumentException.class,
                assertThrows(ExecutionException.class, refused::get).getCause()).getMessage());
        assertTrue(discord.journal().isEmpty(), "nothing sent");
    }
}
