package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link HostileReturnChecks} under a context path (the WAR is served at {@code /export<n>discord}). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileReturnIT extends HostileReturnChecks {
    static final DiscordEmulator DISCORD = emulator();

    @Deployment(testable = false)
    static WebArchive underContextPath() {
        return war(DISCORD);
    }

    @AfterAll
    static void stop() {
        stop(DISCORD);
    }

    @Override
    DiscordEmulator discord() {
        return DISCORD;
    }

    @Test
    void deploymentWhenStartedThenUnderContextPath() {
        assertTrue(app().contextPath().length() > 1, base.toString());
    }
}
