package dev.discordoauth2.servlet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;

/**
 * The library on Open Liberty (the {@code io.openliberty:openliberty-runtime} distribution from Maven Central, its
 * Jakarta EE 10 features), started by the test as its own process ({@code bin/server run}) with a user directory of
 * its own ({@code WLP_USER_DIR}, the distribution left untouched) and a free HTTP port, serving the two exploded WARs
 * of {@link WildFlyIT}: the README's web.xml WAR and the Jakarta Security mechanism WAR, with the same jars in
 * {@code WEB-INF/lib} (Liberty has JSON-B and CDI; its JAX-RS is a feature the server does not enable). The
 * {@code server.xml} is the README's: the features {@code servlet-6.0}, {@code cdi-4.0}, {@code appSecurity-5.0},
 * {@code enterpriseBeansLite-4.0} and {@code jsonb-3.0}, and one {@code <webApplication>} per WAR. Without the
 * distribution (the build unpacks it with {@code -Dservers=all}) the class skips, except when {@code CI=true}. The
 * server's console goes to {@code console.log} in its work directory. The checks are {@link TwoWarsSuite}'s.
 */
class OpenLibertyIT extends TwoWarsSuite {
    /** The README's server.xml for Open Liberty, on {@code port}, with the two WARs under {@code apps}. */
    static String serverXml(int port, Path apps) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <server>
                  <featureManager>
                    <feature>servlet-6.0</feature>
                    <feature>cdi-4.0</feature>
                    <feature>appSecurity-5.0</feature>
                    <feature>enterpriseBeansLite-4.0</feature>
                    <feature>jsonb-3.0</feature>
                  </featureManager>
                  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="%d" httpsPort="-1"/>
                  <applicationMonitor updateTrigger="disabled" dropinsEnabled="false"/>
                  <webApplication location="%s" contextRoot="/plain"/>
                  <webApplication location="%s" contextRoot="/jsec"/>
                </server>
                """.formatted(port, apps.resolve("plain.war"), apps.resolve("jsec.war"));
    }

    @BeforeAll
    static void startLiberty() throws Exception {
        long started = System.nanoTime();
        Path home = Path.of(System.getProperty("liberty.home", "liberty.home-not-set"));
        skipUnless(Files.isRegularFile(home.resolve("bin/server")), "OpenLibertyIT skipped: no Open Liberty at "
                + home + " (the build unpacks it with -Dservers=all)");
        emulator("Open Liberty IT");
        Path work = Files.createTempDirectory(Files.createDirectories(home.getParent().resolve("work")), "run-");
        Path apps = Files.createDirectories(work.resolve("apps"));
        int port = freePort();
        wars(apps, Path.of(System.getProperty("wildfly.webinf.lib", "wildfly.webinf.lib-not-set")), port);
        Path serverDir = Files.createDirectories(work.resolve("usr/servers/it"));
        Files.writeString(serverDir.resolve("server.xml"), serverXml(port, apps));
        ProcessBuilder start = new ProcessBuilder("bash", home.resolve("bin/server").toString(), "run", "it")
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile());
        start.environment().put("WLP_USER_DIR", work.resolve("usr").toString());
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        start.environment().put("JVM_ARGS", "-Xmx512m");
        server = start.start();
        awaitWars("Open Liberty", serverDir.resolve("logs/messages.log"));
        System.out.printf(Locale.ROOT, "OpenLibertyIT: Open Liberty at %s, both WARs started in %.1f s%n", root,
                (System.nanoTime() - started) / 1e9);
    }
}
