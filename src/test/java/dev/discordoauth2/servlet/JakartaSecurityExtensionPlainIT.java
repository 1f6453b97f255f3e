package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.security.app.BeansServlet;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The other half of {@link JakartaSecurityExtensionIT}: without {@code @DiscordAuthenticationMechanismDefinition} the
 * extension is loaded (Jakarta Security's API is on this class path) and adds nothing: no mechanism bean, and the
 * CDI producer's configuration from the context-params.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JakartaSecurityExtensionPlainIT {
    static final DiscordEmulator DISCORD = DiscordEmulator.builder()
            .demoData(EmulatedApplication.builder("100000000000000009").clientSecret("context-secret")
                    .redirectUri("http://127.0.0.1/placeholder").build())
            .start();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive plain() {
        return JakartaSecurityExtensionIT.war(DISCORD, "plain", "100000000000000009", BeansServlet.class);
    }

    @AfterAll
    static void stop() {
        DISCORD.close();
    }

    @Test
    void extensionWhenNoDefinitionThenNoMechanismAndTheProducersConfiguration() {
        String body = JakartaSecurityExtensionIT.beans(base);
        assertTrue(body.contains("extension=DiscordSecurityExtension\n"), body);
        assertTrue(body.contains("mechanism=none\n"), body);
        assertTrue(body.contains("clientId=100000000000000009\n"), body);
        assertTrue(body.contains("redirectUri=/context/callback\n"), body);
        assertTrue(body.contains("scopes=identify\n"), body);
        assertTrue(body.contains("client=100000000000000009\n"), body);
    }
}
