package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link ContainerSecuritySuite} on Open Liberty ({@link OpenLibertyIT}'s distribution and start): the application's
 * exploded WAR under {@code /app} with {@code discord.container-authentication=true} and no library filter or servlet,
 * the jars of {@link OpenLibertyIT}'s WARs, and the README's features plus {@code appAuthentication-3.0} (Jakarta
 * Authentication for an application's own module). The library registers its module for Liberty's application
 * context ({@code default_host /app}) as on Tomcat. Liberty passes a request the module answered on to the
 * application's filters, reads {@code SEND_CONTINUE} with a redirect as "go to the form login page" and hands
 * {@code cleanSubject} a read-only {@code Subject}: the module copes with each (see {@code DiscordAuthModule}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerSecurityLibertyIT extends ContainerSecuritySuite {
    private Process server;

    @Override
    boolean cookieMode() {
        return false;
    }

    /** Liberty's {@code getAuthType()} without a caller: its default login method, not null (the caller is none). */
    @Override
    String anonymousAuthType() {
        return "BASIC";
    }

    @BeforeAll
    void startLiberty() throws Exception {
        long started = System.nanoTime();
        Path home = OpenLibertyIT.home(getClass().getSimpleName());
        Path library = Path.of(System.getProperty("tomcat.library.jar", "target/library-jar-not-set.jar"));
        assertTrue(Files.isRegularFile(library), "library jar missing (run in 'verify', after 'package'): " + library);
        startEmulator();
        Path work = Files.createTempDirectory(Files.createDirectories(home.getParent().resolve("work")), "cauth-");
        Path war = work.resolve("apps/app.war");
        WildFlyIT.war(war, library, Path.of(System.getProperty("wildfly.webinf.lib", "wildfly.webinf.lib-not-set")),
                webXml(cookieMode()), "dev/discordoauth2/servlet/app");
        int port = TwoWarsSuite.freePort();
        server = OpenLibertyIT.run(home, work, OpenLibertyIT.serverXml(port, Map.of("/app", war))
                .replace("</featureManager>", "  <feature>appAuthentication-3.0</feature>\n  </featureManager>"));
        Path messages = OpenLibertyIT.messages(work);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(messages) || !Files.readString(messages).contains("CWWKF0011I")) { // the server is ready
            if (!server.isAlive() || System.nanoTime() > deadline) {
                fail("Open Liberty did not start:\n" + WildFlyIT.tail(work.resolve("console.log")));
            }
            Thread.sleep(250);
        }
        assertTrue(Files.readString(messages).contains("CWWKZ0001I: Application app started"),
                () -> "the application did not start:\n" + tail(messages));
        base = "http://127.0.0.1:" + port + "/app";
        System.out.printf(Locale.ROOT, "ContainerSecurityLibertyIT: Open Liberty at %s in %.1f s%n", base,
                (System.nanoTime() - started) / 1e9);
    }

    private static String tail(Path log) {
        try {
            return WildFlyIT.tail(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @AfterAll
    void stopLiberty() throws Exception {
        try {
            TwoWarsSuite.stop(server);
        } finally {
            if (discord != null) {
                discord.close();
            }
        }
    }
}
