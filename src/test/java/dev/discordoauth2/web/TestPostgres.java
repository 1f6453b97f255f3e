package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster for tests, started from Debian's binaries ({@code /usr/lib/postgresql/N/bin}) in a
 * temporary folder, on a free port of 127.0.0.1, trusting local connections as user {@code postgres}. PostgreSQL
 * refuses to run as root: as root the tools run as user {@code postgres} (by {@code runuser}, from {@code /}, in a
 * 0700 folder that user owns), as cluster/cluster.sh does. Without PostgreSQL the test is skipped with a message,
 * except with {@code CI=true}, where it fails. One thread.
 */
public final class TestPostgres implements AutoCloseable {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path dir;
    private final int port;

    private TestPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a cluster, or skips the calling test class (fails it with CI=true) when PostgreSQL is not installed. */
    public static TestPostgres start() throws Exception {
        Path bin = binaries();
        String missing = bin == null ? "no /usr/lib/postgresql/N/bin/initdb (apt-get install postgresql)"
                : ROOT && (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(
                        Path.of("/sbin/runuser"))) ? "running as root without runuser" : null;
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("PostgreSQL is required with CI=true: " + missing);
            }
            Assumptions.abort("PostgreSQL not available, JDBC token store tests skipped: " + missing);
        }
        String tmp = run(List.of("mktemp", "-d", "/tmp/tokenstore-pg.XXXXXXXX"), 10).trim();
        Path dir = Path.of(tmp);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestPostgres pg = new TestPostgres(bin, dir, port);
        try {
            run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U",
                    "postgres", "-E", "UTF8", "--no-sync"), 120);
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("postgresql.log").toString(), "-w", "-t", "60", "-o", "-p " + port + " -k " + dir
                            + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50", "start"), 90);
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max((a, b) -> Integer.compare(version(a), version(b))).orElse(null);
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Runs a command (as postgres when we are root) from /; its output, or a failure with it. */
    private static String run(List<String> command, long seconds) throws Exception {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(Arrays.asList("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).directory(Path.of("/").toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", full) + " took over " + seconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(String.join(" ", full) + " exited with " + p.exitValue() + ": " + text);
        }
        return text;
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** A small pool to the cluster. */
    DriverPool pool(int max) {
        return new DriverPool(url(), user(), null, max, 10);
    }

    /** Stops the cluster ({@code pg_ctl stop -m fast}) and removes its folder. */
    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast",
                        "-w", "-t", "30", "stop"), 60);
            }
        } finally {
            if (dir.getFileName().toString().startsWith("tokenstore-pg.")) {
                run(List.of("rm", "-rf", dir.toString()), 60);
            }
        }
    }
}
