package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reduced reliability run ({@code bench/reliability.sh --ci}: 300 logins through a 2-node cluster with 5 % of
 * Discord's answers failing and node 1 killed half-way), as a test. Opt-in, because it starts PostgreSQL, HAProxy and
 * three JVMs and takes 3 to 5 minutes: {@code mvn -f examples/war/pom.xml verify -Dit.test=ReliabilityIT
 * -Dreliability=true} (or {@code RELIABILITY=1} in the environment). The report lands in
 * {@code bench/target/reliability-ci.md}, the script's output in {@code examples/war/target/reliability-ci.log}.
 */
class ReliabilityIT {

    @Test
    void reducedReliabilityRunMeetsEveryTarget() throws Exception {
        assumeTrue(Boolean.getBoolean("reliability") || "1".equals(System.getenv("RELIABILITY")),
                "the reliability run is opt-in: -Dreliability=true or RELIABILITY=1");
        Path root = Path.of("").toAbsolutePath().resolve("../..").normalize();
        Path script = root.resolve("bench/reliability.sh");
        assumeTrue(Files.isExecutable(script), "no " + script);
        Path log = Path.of("target/reliability-ci.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--ci").directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        String repo = System.getProperty("cluster.maven-repo-local");
        if (repo != null && !repo.isBlank() && !repo.contains("${")) {
            pb.environment().put("M2_REPO", repo);
        }
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroy(); // the script's EXIT trap stops the cluster
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            throw new AssertionError("the reliability run took more than 15 minutes; see " + log);
        }
        assertEquals(0, p.exitValue(), () -> "targets missed; see bench/target/reliability-ci.md and " + log);
    }
}
