package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;

/**
 * The library on GlassFish 8 (Jakarta EE 11 full, Java 21+; the {@code org.glassfish.main.distributions:glassfish} zip
 * from Maven Central, the only GlassFish 8 artifact this build's mirror serves whole), started by the test as its own
 * process on the JDK at {@code java21.home}: the distribution's embedded launcher
 * ({@code org.glassfish.runnablejar.UberMain} from its {@code lib/embedded} and {@code modules}) with a domain
 * directory of its own (the embedded {@code domain.xml} GlassFish ships, its other listeners moved to free loopback
 * ports), serving {@link WildFlyIT}'s two exploded WARs, deployed by the launcher's {@code command.deploy.*}
 * properties. The WARs are those of {@link GlassFishIT}: no server setting. Without the distribution (the build
 * unpacks it with {@code -Dservers=all}) or without Java 21 the class skips, except when {@code CI=true}. The
 * server's console goes to {@code console.log} in its work directory. The checks are {@link TwoWarsSuite}'s.
 */
class GlassFish8IT extends TwoWarsSuite {
    /** What GlassFish 8's embedded launcher opens on Java 21+, as its own {@code glassfish.jar} manifest asks. */
    private static final List<String> JVM_OPTIONS = List.of(
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/sun.nio.fs=ALL-UNNAMED",
            "--add-opens=java.base/sun.net.www.protocol.jrt=ALL-UNNAMED",
            "--add-opens=java.naming/javax.naming.spi=ALL-UNNAMED", "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.vm.annotation=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.vm.annotation=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.loader=ALL-UNNAMED");
    private static final List<String> CLASS_PATH = List.of("lib/embedded/glassfish-embedded-static-shell.jar",
            "lib/bootstrap/simple-glassfish-api.jar", "modules/nucleus-grizzly-all.jar",
            "modules/glassfish-grizzly-extra-all.jar", "modules/weld-osgi-bundle.jar",
            "lib/bootstrap/glassfish-jdk-extensions.jar", "lib/bootstrap/glassfish-jul-extension.jar",
            "lib/bootstrap/glassfish.jar");

    @BeforeAll
    static void startGlassFish8() throws Exception {
        long started = System.nanoTime();
        Path home = Path.of(System.getProperty("glassfish8.home", "glassfish8.home-not-set"));
        Path java = Path.of(System.getProperty("java21.home", "java21.home-not-set"), "bin", "java");
        skipUnless(Files.isRegularFile(home.resolve("modules/kernel.jar")) && Files.isExecutable(java),
                "GlassFish8IT skipped: no GlassFish 8 at " + home + " (the build unpacks it with -Dservers=all) or no "
                + "Java 21+ at " + java + " (-Djava21.home)");
        emulator("GlassFish 8 IT");
        Path work = Files.createTempDirectory(Files.createDirectories(home.getParent().resolve("work")), "run-");
        int port = freePort();
        wars(work, Path.of(System.getProperty("payara.webinf.lib", "payara.webinf.lib-not-set")), port);
        Path domain = domain(home, work.resolve("domain"), java);
        Path properties = work.resolve("embedded.properties");
        Files.writeString(properties, "command.deploy.plain=deploy --contextroot=plain --name=plain "
                + work.resolve("plain.war") + "\ncommand.deploy.jsec=deploy --contextroot=jsec --name=jsec "
                + work.resolve("jsec.war") + "\n", StandardCharsets.ISO_8859_1);
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m",
                "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp"))));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", CLASS_PATH.stream().map(p -> home.resolve(p).toString())
                        .collect(Collectors.joining(File.pathSeparator)),
                "org.glassfish.runnablejar.UberMain", "--port=" + port, "--noInfo", "--domainDir=" + domain,
                "--properties=" + properties));
        server = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile()).start();
        awaitWars("GlassFish 8", work.resolve("console.log"));
        System.out.printf(Locale.ROOT, "GlassFish8IT: GlassFish 8 at %s, both WARs served in %.1f s%n", root,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * A domain directory for the embedded launcher: the {@code domain.xml} of GlassFish's kernel with its IIOP, JMX and
     * JMS ports moved to free ones on the loopback address, a key store of its own (the two aliases the domain's
     * SSL configuration names, each its own subject: GlassFish's secure admin refuses two of one name) and an empty {@code docroot}.
     */
    private static Path domain(Path home, Path domain, Path java) throws Exception {
        Path config = Files.createDirectories(domain.resolve("config"));
        Files.createDirectories(domain.resolve("docroot"));
        String xml;
        try (ZipFile kernel = new ZipFile(home.resolve("modules/kernel.jar").toFile());
                InputStream in = kernel.getInputStream(kernel.getEntry("org/glassfish/embed/domain.xml"))) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String fixed : List.of("3700", "3820", "3920", "8686", "7676")) {
            String attribute = "port=\"" + fixed + "\"";
            assertTrue(xml.contains(attribute), "GlassFish's embedded domain.xml has " + attribute);
            xml = xml.replace(attribute, "port=\"" + freePort() + "\"");
        }
        Files.writeString(config.resolve("domain.xml"), xml.replace("address=\"0.0.0.0\"", "address=\"127.0.0.1\""));
        for (String alias : List.of("s1as", "glassfish-instance")) {
            Process keytool = new ProcessBuilder(java.resolveSibling("keytool").toString(), "-genkeypair", "-alias",
                    alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30", "-dname", "CN=" + alias + ",O=GlassFish8IT",
                    "-storetype", "PKCS12", "-keystore", config.resolve("keystore.p12").toString(), "-storepass",
                    "changeit", "-keypass", "changeit").redirectErrorStream(true)
                    .redirectOutput(domain.resolve("keytool.log").toFile()).start();
            assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
                    "keytool: " + Files.readString(domain.resolve("keytool.log")));
        }
        return domain;
    }
}
