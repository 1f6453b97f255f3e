package dev.discordoauth2.servlet;

import java.io.IOException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** {@link MechanismSuite} on Payara Micro with the login sealed in a cookie ({@code discord.session=cookie}). */
@RunAsClient
class JakartaSecurityPayaraCookieIT extends MechanismSuite {
    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        return deployment(true);
    }

    @Override
    boolean cookieMode() {
        return true;
    }
}
