package dev.discordoauth2.servlet.app;

import dev.discordoauth2.servlet.DiscordAuth;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Test app: hands the application a clock (the emulator's, from {@link TestClockListener#PROPERTY}) that throws a
 * {@link NoClassDefFoundError} while the system property {@value #FAIL} is {@code true}: an {@code Error} in the
 * middle of the library's own work, as a jar missing at run time causes one.
 */
public class FaultyClockListener implements ServletContextListener {
    public static final String FAIL = "dev.discordoauth2.test.clock-fails";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Clock clock = System.getProperties().get(TestClockListener.PROPERTY) instanceof Clock c ? c
                : Clock.systemUTC();
        event.getServletContext().setAttribute(DiscordAuth.CLOCK_ATTRIBUTE, new Faulty(clock));
    }

    private static final class Faulty extends Clock {
        private final Clock clock;

        Faulty(Clock clock) {
            this.clock = clock;
        }

        @Override
        public ZoneId getZone() {
            return clock.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new Faulty(clock.withZone(zone));
        }

        @Override
        public Instant instant() {
            if (Boolean.getBoolean(FAIL)) {
                throw new NoClassDefFoundError("org/apache/hc/core5/util/Timeout");
            }
            return clock.instant();
        }
    }
}
