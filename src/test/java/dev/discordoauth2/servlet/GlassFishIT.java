package dev.discordoauth2.servlet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;

/**
 * The library on GlassFish 7 (Jakarta EE 10 full; {@code glassfish-embedded-all} 7.0.21 from Maven Central, the
 * newest GlassFish 7 this build's Maven Central mirror serves), started by the test as its own process on a free port
 * with the two exploded WARs of {@link WildFlyIT}: the README's web.xml WAR and the Jakarta Security mechanism WAR.
 * Their {@code WEB-INF/lib} holds the library and the jars GlassFish lacks, as on Payara (GlassFish has Jersey,
 * Yasson and Parsson); no server setting (GlassFish maps groups to roles by default). Without the jar (the build
 * copies it with {@code -Dservers=all}) the class skips, except when {@code CI=true}. The server's console goes to
 * {@code console.log} in its work directory. The checks are {@link TwoWarsSuite}'s.
 */
class GlassFishIT extends TwoWarsSuite {
    @BeforeAll
    static void startGlassFish() throws Exception {
        long started = System.nanoTime();
        Path jar = Path.of(System.getProperty("glassfish.embedded.jar", "glassfish.embedded.jar-not-set"));
        skipUnless(Files.isRegularFile(jar), "GlassFishIT skipped: no GlassFish at " + jar + " (the build copies it "
                + "with -Dservers=all)");
        emulator("GlassFish IT");
        Path work = Files.createTempDirectory(Files.createDirectories(jar.getParent().resolve("work")), "run-");
        int port = freePort();
        wars(work, Path.of(System.getProperty("payara.webinf.lib", "payara.webinf.lib-not-set")), port);
        // GlassFish 7's WebappClassLoader races when Weld loads an application's classes on several threads (an
        // intermittent "CDI deployment failure: <package>", IllegalArgumentException from definePackage; GlassFish
        // issue 25616, fixed in GlassFish 8): Weld deploys on one thread here
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.jboss.weld.bootstrap.concurrentDeployment=false", "-jar", jar.toString(), "--httpPort=" + port, "--noInfo",
                "deploy --contextroot=/plain --name=plain " + work.resolve("plain.war"),
                "deploy --contextroot=/jsec --name=jsec " + work.resolve("jsec.war"))
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile()).start();
        awaitWars("GlassFish", work.resolve("console.log"));
        System.out.printf(Locale.ROOT, "GlassFishIT: GlassFish at %s, both WARs served in %.1f s%n", root,
                (System.nanoTime() - started) / 1e9);
    }
}
