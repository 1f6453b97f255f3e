package dev.discordoauth2;

import java.util.concurrent.CompletableFuture;

/**
 * A future that stops the work behind it once it ends, however it ends: completed, failed or cancelled (a cancel
 * interrupts or closes what runs, whatever {@code mayInterruptIfRunning} says, since nothing else frees it). The
 * base of the client's asynchronous calls and of the device grant's polling. Thread-safe.
 *
 * @param <T> the result
 */
abstract class StoppingFuture<T> extends CompletableFuture<T> {
    /** Frees the work behind the future (a thread, a timer, a connection); called once it has ended. */
    abstract void stop();

    @Override
    public boolean complete(T value) {
        boolean completed = super.complete(value);
        if (completed) {
            stop();
        }
        return completed;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean completed = super.completeExceptionally(ex);
        if (completed) {
            stop();
        }
        return completed;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            stop();
        }
        return cancelled;
    }
}
