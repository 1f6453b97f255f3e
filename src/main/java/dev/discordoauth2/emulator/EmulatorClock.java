package dev.discordoauth2.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The emulator's clock: the system clock plus an offset that tests advance. Thread-safe. */
final class EmulatorClock {
    private final AtomicLong offsetNanos = new AtomicLong();

    Instant now() {
        return Instant.now().plusNanos(offsetNanos.get());
    }

    void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward: " + duration);
        }
        offsetNanos.addAndGet(duration.toNanos());
    }
}
