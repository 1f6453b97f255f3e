package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link ContainerSecuritySuite} on embedded Tomcat: the application is an unpacked WAR under {@code /app} as in
 * {@link TomcatIT} (the library jar in {@code WEB-INF/lib} only, its initializer found through the jar's
 * {@code META-INF/services}), with {@code discord.container-authentication=true} and no {@code <login-config>}: Tomcat's
 * Jakarta Authentication calls the library's module before its constraints. One Tomcat for the class, on a free port;
 * {@link ContainerSecurityTomcatCookieIT} runs it all again with {@code discord.session=cookie}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerSecurityTomcatIT extends ContainerSecuritySuite {
    private Tomcat tomcat;

    @Override
    boolean cookieMode() {
        return false;
    }

    @BeforeAll
    void startTomcat() throws Exception {
        long started = System.nanoTime();
        Path library = Path.of(System.getProperty("tomcat.library.jar", "target/library-jar-not-set.jar"));
        assertTrue(Files.isRegularFile(library), "library jar missing (run in 'verify', after 'package'): " + library);
        Path work = Files.createDirectories(Path.of(System.getProperty("tomcat.work", "target/tomcat")));
        Path run = Files.createTempDirectory(work, "container-security-");
        startEmulator();
        Path war = run.resolve("app");
        TomcatIT.copyWar(library, war, webXml(cookieMode()));
        tomcat = new Tomcat();
        tomcat.setBaseDir(run.resolve("base").toString());
        tomcat.setPort(0);
        tomcat.getConnector();
        URL libraryLocation = DiscordEmulator.class.getProtectionDomain().getCodeSource().getLocation();
        Context context = TomcatIT.deployWithoutCdi(tomcat, "/app", war, new TomcatIT.WithoutLibrary(
                ContainerSecurityTomcatIT.class.getClassLoader(), libraryLocation));
        tomcat.start();
        assertEquals(LifecycleState.STARTED, context.getState(), "the web app did not start: see the log above");
        base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/app";
        String major = System.getProperty("tomcat.expected.major");
        if (major != null) { // the tomcat11 execution: Tomcat 11 instead of 10.1 on the class path
            assertEquals(major, ServerInfo.getServerNumber().substring(0, ServerInfo.getServerNumber().indexOf('.')),
                    ServerInfo.getServerInfo());
        }
        System.out.printf(Locale.ROOT, "%s: Tomcat %s serving %s, started in %.1f s%n", getClass().getSimpleName(),
                ServerInfo.getServerNumber(), base, (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    void stopTomcat() throws Exception {
        try {
            if (tomcat != null) {
                tomcat.stop();
                tomcat.destroy();
            }
        } finally {
            if (discord != null) {
                discord.close();
            }
        }
    }
}
