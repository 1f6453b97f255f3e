package dev.discordoauth2.servlet;

import dev.discordoauth2.emulator.DiscordEmulator;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link LoginSuite} with the login sealed in a cookie ({@code discord.session=cookie}): no {@code HttpSession}. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DiscordLoginCookieIT extends LoginSuite {
    static final DiscordEmulator DISCORD = emulator();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return deployment(DISCORD, true);
    }

    @AfterAll
    static void stop() {
        stop(DISCORD);
    }

    @Override
    DiscordEmulator discord() {
        return DISCORD;
    }

    @Override
    boolean cookieMode() {
        return true;
    }
}
