package dev.discordoauth2.emulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** A {@link Clock} that follows an emulator's clock, as {@link DiscordEmulator#clock()} hands out. Thread-safe. */
final class EmulatorTime extends Clock {
    private final EmulatorClock source;
    private final ZoneId zone;

    EmulatorTime(EmulatorClock source, ZoneId zone) {
        this.source = source;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new EmulatorTime(source, zone);
    }

    @Override
    public Instant instant() {
        return source.now();
    }
}
