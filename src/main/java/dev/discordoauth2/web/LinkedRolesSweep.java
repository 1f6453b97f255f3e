package dev.discordoauth2.web;

import dev.discordoauth2.RateLimitedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A sweep of {@link LinkedRoles#update} over every user of the shared token store, page by page in user-id order, a
 * few users at a time on threads of its own. Discord's rate limits are waited out: the client waits for its buckets
 * and retries a 429 within its budget, and a 429 that outlasts that budget puts the user back after the wait (at most
 * {@value #ATTEMPTS} times), so no 429 is counted as a failure. {@link #progress()} says how far it is;
 * {@link #stop()} ends it after the users in hand. A user that fails (Discord down, the source refusing a value)
 * is counted and logged, and the sweep goes on. Thread-safe.
 */
public final class LinkedRolesSweep {
    private static final System.Logger LOG = System.getLogger(LinkedRolesSweep.class.getName());
    static final int PAGE = 200;
    static final int ATTEMPTS = 5;
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(1);
    private static final AtomicInteger SWEEPS = new AtomicInteger();

    /**
     * How far a sweep is.
     *
     * @param pushed        users whose connection was pushed
     * @param nothingToPush users the source had no connection for
     * @param notConnected  users whose stored grant lacks {@code role_connections.write}
     * @param grantEnded    users whose grant has ended (no tokens stored, or Discord refused them)
     * @param failed        users that failed otherwise (logged)
     * @param finished      whether the sweep is over (every user, or stopped)
     * @param stopped       whether it was stopped before the end
     */
    public record Progress(int pushed, int nothingToPush, int notConnected, int grantEnded, int failed,
            boolean finished, boolean stopped) {
        /** The users handled so far. */
        public int handled() {
            return pushed + nothingToPush + notConnected + grantEnded + failed;
        }
    }

    private final LinkedRoles roles;
    private final OfflineAccess offline;
    private final int concurrency;
    private final Consumer<LinkedRolesSweep> onEnd;
    private final AtomicInteger pushed = new AtomicInteger();
    private final AtomicInteger nothing = new AtomicInteger();
    private final AtomicInteger notConnected = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch over = new CountDownLatch(1);
    private volatile boolean finished;

    private LinkedRolesSweep(LinkedRoles roles, OfflineAccess offline, int concurrency,
            Consumer<LinkedRolesSweep> onEnd) {
        this.roles = roles;
        this.offline = offline;
        this.concurrency = concurrency;
        this.onEnd = onEnd;
    }

    static LinkedRolesSweep start(LinkedRoles roles, OfflineAccess offline, int concurrency,
            Consumer<LinkedRolesSweep> onEnd) {
        LinkedRolesSweep sweep = new LinkedRolesSweep(roles, offline, concurrency, onEnd);
        Thread thread = new Thread(sweep::run, "discord-linked-roles-sweep-" + SWEEPS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        return sweep;
    }

    /** How far the sweep is now. */
    public Progress progress() {
        return new Progress(pushed.get(), nothing.get(), notConnected.get(), ended.get(), failed.get(), finished,
                finished && stop.get());
    }

    /** Ends the sweep after the users in hand; {@link #await} tells when it is over. */
    public void stop() {
        stop.set(true);
    }

    /**
     * Waits until the sweep is over, at most {@code timeout}.
     *
     * @return the progress then (see {@link Progress#finished()})
     * @throws InterruptedException when interrupted while waiting
     */
    public Progress await(Duration timeout) throws InterruptedException {
        over.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return progress();
    }

    private void run() {
        long start = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, Thread.currentThread().getName() + "-worker");
            thread.setDaemon(true);
            return thread;
        });
        Semaphore slots = new Semaphore(concurrency);
        try {
            String after = null;
            while (!stop.get()) {
                List<String> page = page(after);
                if (page == null) {
                    break;
                }
                for (String userId : page) {
                    if (stop.get()) {
                        break;
                    }
                    slots.acquire();
                    workers.execute(() -> {
                        try {
                            one(userId);
                        } finally {
                            slots.release();
                        }
                    });
                }
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1);
            }
            slots.acquire(concurrency);
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
        } finally {
            workers.shutdownNow();
            finished = true;
            over.countDown();
            onEnd.accept(this);
            Progress p = progress();
            LOG.log(System.Logger.Level.INFO, "linked roles: sweep " + (p.stopped() ? "stopped" : "done") + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms: " + p.pushed() + " pushed, " + p.nothingToPush()
                    + " with nothing to push, " + p.notConnected() + " not connected, " + p.grantEnded()
                    + " whose grant has ended, " + p.failed() + " failed");
        }
    }

    /** The next page of user ids; null when the store stays unreachable (counted as the sweep's end, logged). */
    private List<String> page(String after) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return offline.userIds(after, PAGE);
            } catch (TokenStoreException e) {
                if (attempt == 3) {
                    LOG.log(System.Logger.Level.WARNING, "linked roles: the sweep ends early, the token store does "
                            + "not answer: " + e.getMessage());
                    stop.set(true);
                    return null;
                }
                Thread.sleep(2_000L * attempt);
            }
        }
    }

    private void one(String userId) {
        for (int attempt = 1; attempt <= ATTEMPTS && !stop.get(); attempt++) {
            try {
                switch (roles.update(userId)) {
                    case PUSHED -> pushed.incrementAndGet();
                    case NOTHING_TO_PUSH -> nothing.incrementAndGet();
                    case NOT_CONNECTED -> notConnected.incrementAndGet();
                    case GRANT_ENDED -> ended.incrementAndGet();
                }
                return;
            } catch (RateLimitedException e) {
                Duration wait = e.retryAfter().compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : e.retryAfter();
                LOG.log(System.Logger.Level.DEBUG, () -> "linked roles: rate limited, user " + userId + " again in "
                        + wait.toMillis() + " ms");
                try {
                    Thread.sleep(Math.max(1, wait.toMillis()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } catch (RuntimeException e) {
                int count = failed.incrementAndGet();
                LOG.log(count <= 3 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, "linked roles: the "
                        + "sweep could not update user " + userId + ": " + e.getMessage()
                        + (count == 3 ? " (further failures are logged at DEBUG)" : ""));
                return;
            }
        }
        if (!stop.get() && !Thread.currentThread().isInterrupted()) {
            failed.incrementAndGet(); // rate limited every time
        }
    }

    @Override
    public String toString() {
        return "LinkedRolesSweep" + progress();
    }
}
