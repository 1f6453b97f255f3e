package dev.discordoauth2;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the async client's calls run: their attempts on an executor (by default a bounded pool of the client's own:
 * {@code threads} daemon threads and a queue of {@code queueCapacity} attempts, beyond which a call fails with
 * {@link RejectedExecutionException}), their waits on one daemon timer thread that only hands attempts back to the
 * executor. Keeps the calls not yet done so that {@link #close()} ends them. Thread-safe.
 */
final class AsyncRunner implements AutoCloseable {
    private final Executor executor;
    /** The executor when this runner made it (and so shuts it down); {@code null} for the application's. */
    private final ExecutorService ownExecutor;
    private final String description;
    private final ScheduledThreadPoolExecutor timer;
    /** The futures not yet done that {@link #close()} ends: the calls, and the device grant's polling loops. */
    private final Set<java.util.concurrent.CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    AsyncRunner(Executor executor, int threads, int queueCapacity) {
        AtomicInteger count = new AtomicInteger();
        if (executor == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(queueCapacity), daemon("discord-oauth2-async-", count));
            pool.allowCoreThreadTimeOut(true);
            this.ownExecutor = pool;
            this.executor = pool;
            this.description = "the async pool of " + threads + " threads and " + queueCapacity + " queued calls";
        } else {
            this.ownExecutor = null;
            this.executor = executor;
            this.description = "the async executor " + executor;
        }
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("discord-oauth2-async-timer-", count));
        timer.setRemoveOnCancelPolicy(true);
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix, AtomicInteger count) {
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts the operation's first attempt; the future fails at once when the executor refuses it. */
    <T> AsyncCall<T> start(Operation<T> operation) {
        AsyncCall<T> call = new AsyncCall<>(this, operation);
        running.add(call);
        if (closed) {
            call.completeExceptionally(new DiscordException("the client is closed"));
        } else {
            submit(call);
        }
        return call;
    }

    /** Runs the call's next attempt on the executor. */
    void submit(AsyncCall<?> call) {
        try {
            executor.execute(call.task);
        } catch (RejectedExecutionException e) {
            RejectedExecutionException refused = new RejectedExecutionException(closed
                    ? "the client is closed" : description + " refused the call: all threads busy and the queue full;"
                    + " use fewer concurrent calls, or DiscordOAuth2Client.Builder.asyncPool or asyncExecutor", e);
            call.completeExceptionally(refused);
        }
    }

    /** Submits the call's next attempt after {@code nanos}: a timer, not a sleeping thread. */
    Future<?> later(AsyncCall<?> call, long nanos) {
        try {
            return timer.schedule(() -> submit(call), nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            call.completeExceptionally(new DiscordException("the client is closed", e));
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Runs {@code task} on the timer thread after {@code nanos}; it must only hand work on (as {@link #submit} does).
     * When the client is closed, {@code owner} fails instead.
     */
    Future<?> schedule(Runnable task, long nanos, java.util.concurrent.CompletableFuture<?> owner) {
        try {
            return timer.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            owner.completeExceptionally(new DiscordException("the client is closed", e));
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    /** Keeps a future that is no call of its own (a polling loop) so that {@link #close()} ends it too. */
    void track(java.util.concurrent.CompletableFuture<?> future) {
        running.add(future);
        if (closed) {
            future.completeExceptionally(new DiscordException("the client is closed"));
        }
    }

    void done(java.util.concurrent.CompletableFuture<?> future) {
        running.remove(future);
    }

    /** Ends the calls not yet done (with a {@link DiscordException}) and stops the timer and the own pool. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (java.util.concurrent.CompletableFuture<?> call : running) {
            call.completeExceptionally(new DiscordException("the client was closed before the call ended"));
        }
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }
}
