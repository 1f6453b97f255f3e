package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Jetty 12.1 distribution ({@code jetty-home} from Maven Central, unpacked by the build with {@code -Dservers=all})
 * started by a test as its own process, as a user runs it: {@code java -jar start.jar} on a {@code jetty.base} of its
 * own in a temporary directory, made with {@code --add-modules=http,ee11-deploy,ee11-annotations,ee11-jaspi} (or
 * the same modules of the {@code ee10} environment; the distribution left untouched), on a free port, with exploded WARs in {@code webapps/}. Without the distribution the
 * test skips, except when {@code CI=true}. Jetty's console goes to the base's {@code console.log}; {@link #close()}
 * stops the process by its id.
 */
final class JettyDistribution implements AutoCloseable {
    /**
     * The modules every base of {@code environment} ({@code ee11} or {@code ee10}) has; Jakarta Authentication's, for
     * the library's module, and its default factory.
     */
    static String modules(String environment) {
        return "http,ENV-deploy,ENV-annotations,ENV-jaspi,ENV-jaspi-default-auth-config-factory"
                .replace("ENV", environment);
    }

    private final Process process;
    private final Path base;
    private final String root;

    private JettyDistribution(Process process, Path base, String root) {
        this.process = process;
        this.base = base;
        this.root = root;
    }

    /** The distribution's home, or a skip (a failure with {@code CI=true}) when the build did not unpack it. */
    static Path home(String test) {
        Path home = Path.of(System.getProperty("jetty.home", "jetty.home-not-set"));
        if (!Files.isRegularFile(home.resolve("start.jar"))) {
            String why = test + " skipped: no Jetty distribution at " + home + " (the build unpacks it with "
                    + "-Dservers=all)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + "; CI=true requires this test to run");
            }
            System.out.println(why);
            assumeTrue(false, why);
        }
        return home;
    }

    /** The jars a WAR brings on plain Jetty next to the library (Jersey, Yasson, Parsson, their APIs, HttpClient 5). */
    static Path webInfLib() {
        return Path.of(System.getProperty("jetty.webinf.lib", "jetty.webinf.lib-not-set"));
    }

    /**
     * A new base with {@code wars} (context path without the slash → its web.xml), each with the library jar, the
     * {@link #webInfLib()} jars and the test app's servlets, and the WAR's {@code WEB-INF/jetty-ee11-web.xml} (or
     * {@code ee10}'s) from {@code jettyWebXml} where it names one, in Jetty's {@code environment}; started, every WAR
     * deployed but those in {@code refused}, whose start must fail.
     */
    static JettyDistribution start(Path home, String environment, Path library, Map<String, String> wars,
            Map<String, String> jettyWebXml, java.util.Set<String> refused) throws Exception {
        long started = System.nanoTime();
        Path work = Files.createDirectories(Path.of(System.getProperty("jetty.work", "target/jetty")));
        Path base = Files.createTempDirectory(work, "base-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process add = new ProcessBuilder(java, "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home,
                "jetty.base=" + base, "--add-modules=" + modules(environment))
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(base.resolve("add-modules.log").toFile()).start();
        assertTrue(add.waitFor(120, TimeUnit.SECONDS), "start.jar --add-modules did not end");
        String added = read(base.resolve("add-modules.log"));
        assertEquals(0, add.exitValue(), () -> "start.jar --add-modules: " + added);
        Path webapps = base.resolve("webapps");
        for (Map.Entry<String, String> war : wars.entrySet()) {
            Path dir = webapps.resolve(war.getKey());
            WildFlyIT.war(dir, library, webInfLib(), war.getValue(), "dev/discordoauth2/servlet/app");
            Files.delete(webapps.resolve(war.getKey() + ".dodeploy")); // WildFly's marker
            if (jettyWebXml.containsKey(war.getKey())) {
                Files.writeString(dir.resolve("WEB-INF/jetty-" + environment + "-web.xml"), jettyWebXml.get(war.getKey()));
            }
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path console = base.resolve("console.log");
        Process process = new ProcessBuilder(java, "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home,
                "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port)
                .directory(base.toFile()).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        JettyDistribution jetty = new JettyDistribution(process, base, "http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!read(console).contains(":oejs.Server:main: Started ")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                jetty.close();
                fail("Jetty did not start:\n" + WildFlyIT.tail(console));
            }
            Thread.sleep(100);
        }
        String log = read(console);
        List<String> wrong = new ArrayList<>();
        for (String name : wars.keySet()) {
            boolean up = log.lines().anyMatch(line -> line.contains("Started oeje" + environment.substring(2) + "w.WebAppContext@")
                    && line.contains("{/" + name + ","));
            if (up == refused.contains(name)) {
                wrong.add(name + (up ? " started, but should have been refused" : " did not start"));
            }
        }
        if (!wrong.isEmpty()) {
            jetty.close();
            fail("Jetty: " + wrong + ":\n" + WildFlyIT.tail(console));
        }
        System.out.printf(Locale.ROOT, "Jetty %s at %s, %s deployed in %.1f s%n", version(log), jetty.root,
                wars.keySet(), (System.nanoTime() - started) / 1e9);
        return jetty;
    }

    private static String version(String log) {
        int at = log.indexOf("jetty-12.");
        return at < 0 ? "?" : log.substring(at + "jetty-".length(), log.indexOf(';', at));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** {@code http://127.0.0.1:port}, no trailing slash. */
    String root() {
        return root;
    }

    /** What Jetty wrote to its console so far. */
    String console() throws IOException {
        return read(base.resolve("console.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // Jetty stops its server on SIGTERM
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
