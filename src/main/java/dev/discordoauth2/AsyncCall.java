package dev.discordoauth2;

import java.util.concurrent.Future;

/**
 * The future of one async call, and the task that drives it: each run of {@link #task} makes one attempt of the
 * call's {@link Transport.Exchange} on the async executor; a rate-limit wait or a backoff hands the next attempt to
 * the runner's timer rather than sleeping, so a waiting call holds no thread. Completing the future from outside
 * ({@link #cancel}, {@link #orTimeout}, {@link #complete}...) stops the call: no further attempt or retry, the attempt
 * in flight aborted (its connection closed) and its thread interrupted. Thread-safe.
 */
final class AsyncCall<T> extends StoppingFuture<T> {
    private final AsyncRunner runner;
    private final Operation<T> operation;
    private final Transport.Exchange exchange;
    /** The task handed to the executor; not this future itself, so that no holder of the future can run it. */
    final Runnable task = this::attempt;
    /** The thread running an attempt; guarded by {@code this}. */
    private Thread worker;
    /** Whether {@link #stop()} interrupted {@link #worker}, whose interrupt status is then cleared; guarded. */
    private boolean interrupted;
    private volatile Future<?> timer;

    AsyncCall(AsyncRunner runner, Operation<T> operation) {
        this.runner = runner;
        this.operation = operation;
        this.exchange = operation.exchange();
    }

    private void attempt() {
        synchronized (this) {
            if (isDone()) {
                return;
            }
            worker = Thread.currentThread();
        }
        try {
            Transport.Answer answer = exchange.attempt();
            while (answer == null && exchange.waitNanos() <= 0) {
                answer = exchange.attempt();
            }
            if (answer == null) {
                timer = runner.later(this, exchange.waitNanos());
                if (isDone()) {
                    timer.cancel(false);
                }
                return;
            }
            complete(operation.result(answer));
        } catch (RuntimeException | Error e) {
            if (!isDone() && e instanceof RuntimeException failure) {
                T recovered = operation.recovered(failure);
                if (recovered != null) {
                    complete(recovered);
                    return;
                }
                operation.failed(failure);
            }
            completeExceptionally(e);
        } finally {
            synchronized (this) {
                worker = null;
                if (interrupted) {
                    interrupted = false;
                    Thread.interrupted();
                }
            }
        }
    }

    /** Ends the work once the future is done, whoever completed it. */
    @Override
    void stop() {
        runner.done(this);
        exchange.stop();
        Future<?> pending = timer;
        if (pending != null) {
            pending.cancel(false);
        }
        synchronized (this) {
            if (worker != null && worker != Thread.currentThread()) {
                interrupted = true;
                worker.interrupt();
            }
        }
    }
}
