package dev.discordoauth2.servlet.app;

import dev.discordoauth2.servlet.DiscordAuth;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;

/**
 * Test app: hands the application the emulator's clock (a JDK object, so it crosses the web app's class loader) so
 * that tests move time with {@code DiscordEmulator.advanceClock} instead of sleeping.
 */
public class TestClockListener implements ServletContextListener {
    public static final String PROPERTY = "dev.discordoauth2.test.clock";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Object clock = System.getProperties().get(PROPERTY);
        if (clock instanceof Clock) {
            event.getServletContext().setAttribute(DiscordAuth.CLOCK_ATTRIBUTE, clock);
        }
    }
}
