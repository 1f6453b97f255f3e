package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reduced reliability run as a test: {@code bench/reliability.sh --ci}, 300 logins by 16 simulated browsers (one
 * Discord user each) through HAProxy in front of two Jetty 12 JVMs sharing their sessions in PostgreSQL, 5 % of
 * Discord's answers faulted through the emulator's admin API, node 1 killed with {@code kill -9} half-way and
 * restarted, the tokens in the shared token store (cluster.sh's default). Passes when the script's report meets every
 * target: no 500 from a node, no session lost (other than one whose rotated tokens the killed node took with it), no
 * secret in a log, no plaintext token value in the database, no refresh grant refused because of a race, no stale 503
 * from {@code /api/me}, every login ending on the page, a retry page or a balancer answer. The script builds only the harness here
 * ({@code BUILD=harness}): the library is installed and the WAR packaged by the time integration tests run. Needs
 * Debian's {@code postgresql}, {@code haproxy}, {@code curl} and {@code unzip}: outside CI without them it is skipped
 * with a message; in CI ({@code CI=true}) it must run. About three minutes on two cores. The report lands in
 * {@code bench/target/reliability-ci.md}, the script's output in {@code examples/war/target/reliability-ci.log}.
 */
class ReliabilityIT {

    @Test
    void reducedReliabilityRunWhenNodeKilledAndDiscordFaultyThenEveryTargetMet() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean postgres = Cluster.hasPostgres();
        boolean haproxy = Cluster.onPath("haproxy");
        boolean tools = Cluster.onPath("curl") && Cluster.onPath("unzip");
        if (!ci) {
            assumeTrue(postgres && haproxy && tools, "Skipped: the reliability run needs Debian's postgresql, "
                    + "haproxy, curl and unzip (apt-get install postgresql haproxy curl unzip); postgresql "
                    + (postgres ? "found" : "missing") + ", haproxy " + (haproxy ? "found" : "missing")
                    + ", curl and unzip " + (tools ? "found" : "missing"));
        }
        Path root = Path.of("").toAbsolutePath().resolve("../..").normalize();
        Path script = root.resolve("bench/reliability.sh");
        assertTrue(Files.isExecutable(script), "no " + script);
        Path log = Path.of("target/reliability-ci.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Path clusterDir = Files.createTempDirectory(log.getParent(), "reliability-");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--ci").directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("BUILD", "harness");
        pb.environment().put("CLUSTER_DIR", clusterDir.toString());
        String repo = System.getProperty("cluster.maven-repo-local");
        if (repo != null && !repo.isBlank() && !repo.contains("${")) {
            pb.environment().put("M2_REPO", repo);
        }
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroy(); // SIGTERM: the script's EXIT trap stops the cluster it started
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            // whatever the script could not stop itself, by the PIDs the cluster recorded
            ProcessBuilder stop = new ProcessBuilder(root.resolve("cluster/cluster.sh").toString(), "stop")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            stop.environment().put("CLUSTER_DIR", clusterDir.toString());
            stop.start().waitFor(120, TimeUnit.SECONDS);
            throw new AssertionError("the reliability run took more than 15 minutes; see " + log);
        }
        assertEquals(0, p.exitValue(), () -> "targets missed (exit " + p.exitValue()
                + "); see bench/target/reliability-ci.md and " + log + ":\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (java.io.IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
