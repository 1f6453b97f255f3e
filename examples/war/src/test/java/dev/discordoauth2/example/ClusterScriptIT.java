package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster/cluster.sh start} when it fails after PostgreSQL started, from a directory user {@code postgres}
 * cannot enter (as a checkout under root's home or a {@code mktemp -d} folder): the start stops what it started, and
 * neither PostgreSQL's temporary folder nor a process naming it or the cluster's directory is left; PostgreSQL's log
 * is kept in the cluster's log directory. The failure is a node that cannot start ({@code JETTY_HOME} with an empty
 * {@code start.jar}), right after PostgreSQL and the emulator: a few seconds, no Jetty. Needs Debian's
 * {@code postgresql} and {@code haproxy} like {@link ClusterIT}: outside CI without them it is skipped with a
 * message; in CI ({@code CI=true}) it must run.
 */
class ClusterScriptIT {
    private static final Path SCRIPT = Path.of(System.getProperty("cluster.script", "../../cluster/cluster.sh"))
            .toAbsolutePath().normalize();
    private static final Pattern PG_DIR = Pattern.compile("cluster: postgresql: data, log and socket in (\\S+)");

    @Test
    void startWhenANodeCannotStartThenNothingLeftOfPostgres() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean postgres = Cluster.hasPostgres();
        boolean haproxy = Cluster.onPath("haproxy");
        boolean tools = Cluster.onPath("curl") && Cluster.onPath("unzip");
        if (!ci) {
            assumeTrue(postgres && haproxy && tools, "Skipped: the cluster script test needs Debian's postgresql, "
                    + "haproxy, curl and unzip (apt-get install postgresql haproxy curl unzip); postgresql "
                    + (postgres ? "found" : "missing") + ", haproxy " + (haproxy ? "found" : "missing")
                    + ", curl and unzip " + (tools ? "found" : "missing"));
        }
        Path target = Path.of(System.getProperty("cluster.target", "target")).toAbsolutePath();
        Path home = Cluster.privateFolder(target, "cluster-script-it-");
        Path clusterDir = home.resolve("cluster");
        Path brokenJetty = Files.createDirectories(home.resolve("jetty-home-broken"));
        Files.createFile(brokenJetty.resolve("start.jar")); // java -jar fails at once: node1 never starts
        Path out = home.resolve("cluster-start.out");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "start").redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("CLUSTER_DIR", clusterDir.toString());
        pb.environment().put("NODES", "1");
        pb.environment().put("JETTY_HOME", brokenJetty.toString());
        String repo = System.getProperty("cluster.maven-repo-local");
        if (repo != null && !repo.isBlank() && !repo.contains("${")) {
            pb.environment().put("MAVEN_REPO_LOCAL", repo); // the JDBC driver, fetched once into target/cluster-dist
        }
        long t0 = System.nanoTime();
        Process start = pb.start();
        if (!start.waitFor(180, TimeUnit.SECONDS)) {
            start.destroyForcibly();
            fail("cluster.sh start took over 180 s: " + Files.readString(out));
        }
        String output = Files.readString(out);
        System.out.printf("ClusterScriptIT: the failed start took %d s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        assertNotEquals(0, start.exitValue(), "a start without a working Jetty fails: " + output);
        assertTrue(output.contains("node1 did not start"), "PostgreSQL started, node1 did not: " + output);
        assertTrue(output.contains("start failed, stopping what started"), output);
        Matcher m = PG_DIR.matcher(output);
        assertTrue(m.find(), "the script names PostgreSQL's folder: " + output);
        Path pgDir = Path.of(m.group(1));
        assertFalse(pgDir.startsWith(home), "PostgreSQL's folder is outside the 0700 folder: " + pgDir);
        Cluster.assertNothingLeftOfPostgres(pgDir, clusterDir.resolve("logs"));
        assertEquals(List.of(), Cluster.processesOf(clusterDir.toString()),
                "processes of the cluster still running after the failed start");
        assertFalse(Files.exists(clusterDir.resolve("cluster.env")), "no cluster.env after a failed start");

        // a stop after the failed start finds nothing to do and succeeds
        ProcessBuilder stopPb = new ProcessBuilder("bash", SCRIPT.toString(), "stop").redirectErrorStream(true);
        stopPb.environment().put("CLUSTER_DIR", clusterDir.toString());
        Process stop = stopPb.start();
        stop.getOutputStream().close();
        String stopOutput = new String(stop.getInputStream().readAllBytes());
        assertTrue(stop.waitFor(60, TimeUnit.SECONDS), "cluster.sh stop: " + stopOutput);
        assertEquals(0, stop.exitValue(), "cluster.sh stop after the failed start: " + stopOutput);
    }
}
