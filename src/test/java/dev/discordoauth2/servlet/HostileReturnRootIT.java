package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.discordoauth2.emulator.DiscordEmulator;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link HostileReturnChecks} at the root context, where {@code /..//evil.example} needs no context path to become
 * {@code //evil.example}.
 *
 * <p>The WAR sets its context path in {@code WEB-INF/jetty-web.xml}: the Arquillian adapter maps a WAR named
 * {@code ROOT.war} to {@code /} only with {@code useArchiveNameAsContext}, which the shared {@code arquillian.xml}
 * leaves off.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileReturnRootIT extends HostileReturnChecks {
    static final DiscordEmulator DISCORD = emulator();

    @Deployment(testable = false)
    static WebArchive atRootContext() {
        return ShrinkWrap.create(WebArchive.class, "ROOT.war").merge(war(DISCORD))
                .addAsWebInfResource(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                        <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                          <Set name="contextPath">/</Set>
                          <Get name="server">
                            <Call name="getDescendant">
                              <Arg><Call class="java.lang.Class" name="forName">
                                <Arg>org.eclipse.jetty.server.handler.ContextHandlerCollection</Arg></Call></Arg>
                              <Call name="mapContexts"/>
                            </Call>
                          </Get>
                        </Configure>
                        """), "jetty-web.xml");
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
    void deploymentWhenStartedThenAtRootContext() {
        assertEquals("", app().contextPath(), base.toString());
    }
}
