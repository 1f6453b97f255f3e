package dev.discordoauth2.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
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
    /** The README's server.xml for Open Liberty, on {@code port}: context root → the WAR's location. */
    static String serverXml(int port, Map<String, Path> webApplications) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <server>
                  <featureManager>
                    <feature>servlet-6.0</feature>
                    <feature>cdi-4.0</feature>
                    <feature>appSecurity-5.0</feature>
                    <feature>enterpriseBeansLite-4.0</feature>
                    <feature>jsonb-3.0</feature>
                  </featureManager>
                """);
        xml.append("  <httpEndpoint id=\"defaultHttpEndpoint\" host=\"127.0.0.1\" httpPort=\"").append(port)
                .append("\" httpsPort=\"-1\"/>\n")
                .append("  <applicationMonitor updateTrigger=\"disabled\" dropinsEnabled=\"false\"/>\n");
        webApplications.forEach((contextRoot, war) -> xml.append("  <webApplication location=\"").append(war)
                .append("\" contextRoot=\"").append(contextRoot).append("\"/>\n"));
        return xml.append("</server>\n").toString();
    }

    /** Open Liberty's home, or a skip (a failure with {@code CI=true}) when the build did not unpack it. */
    static Path home(String test) {
        Path home = Path.of(System.getProperty("liberty.home", "liberty.home-not-set"));
        skipUnless(Files.isRegularFile(home.resolve("bin/server")), test + " skipped: no Open Liberty at " + home
                + " (the build unpacks it with -Dservers=all)");
        return home;
    }

    /**
     * Starts server {@code it} of a user directory of its own under {@code work} ({@code WLP_USER_DIR}) with
     * {@code serverXml}: {@code bin/server run}, whose process is the server's JVM; its console in
     * {@code work/console.log}, its messages in {@link #messages}.
     */
    static Process run(Path home, Path work, String serverXml) throws IOException {
        Path serverDir = Files.createDirectories(work.resolve("usr/servers/it"));
        Files.writeString(serverDir.resolve("server.xml"), serverXml);
        ProcessBuilder start = new ProcessBuilder("bash", home.resolve("bin/server").toString(), "run", "it")
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile());
        start.environment().put("WLP_USER_DIR", work.resolve("usr").toString());
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        start.environment().put("JVM_ARGS", "-Xmx512m");
        return start.start();
    }

    static Path messages(Path work) {
        return work.resolve("usr/servers/it/logs/messages.log");
    }

    @BeforeAll
    static void startLiberty() throws Exception {
        long started = System.nanoTime();
        Path home = home("OpenLibertyIT");
        emulator("Open Liberty IT");
        Path work = Files.createTempDirectory(Files.createDirectories(home.getParent().resolve("work")), "run-");
        Path apps = Files.createDirectories(work.resolve("apps"));
        int port = freePort();
        wars(apps, Path.of(System.getProperty("wildfly.webinf.lib", "wildfly.webinf.lib-not-set")), port);
        server = run(home, work, serverXml(port, Map.of("/plain", apps.resolve("plain.war"), "/jsec",
                apps.resolve("jsec.war"))));
        awaitWars("Open Liberty", messages(work));
        System.out.printf(Locale.ROOT, "OpenLibertyIT: Open Liberty at %s, both WARs started in %.1f s%n", root,
                (System.nanoTime() - started) / 1e9);
    }
}
