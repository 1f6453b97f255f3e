package dev.discordoauth2.servlet;

import java.io.IOException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** {@link MechanismSuite} on Payara Micro with the container's session ({@code discord.session=container}). */
@RunAsClient
class JakartaSecurityPayaraIT extends MechanismSuite {
    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        return deployment(false);
    }

    @Override
    boolean cookieMode() {
        return false;
    }
}
