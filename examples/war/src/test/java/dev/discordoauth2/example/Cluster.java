package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.discordoauth2.testkit.TestBrowser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One cluster of {@code cluster/cluster.sh} for a test class: started in a folder only its owner may enter (as a
 * checkout under root's home or a {@code mktemp -d} folder), its {@code cluster.env}, the script's other subcommands,
 * and what the cluster tests share: a browser's login across nodes, the emulator's admin API, the checks that a stop
 * left no process and nothing of PostgreSQL behind. Also the machine checks (PostgreSQL, HAProxy, curl, unzip) with
 * the skip message outside CI.
 */
final class Cluster {
    static final Path SCRIPT = Path.of(System.getProperty("cluster.script", "../../cluster/cluster.sh"))
            .toAbsolutePath().normalize();
    private static final HttpClient ADMIN = HttpClient.newHttpClient();
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*(\\d+)");

    final String name;
    final Path dir;
    final Map<String, String> env;

    private Cluster(String name, Path dir, Map<String, String> env) {
        this.name = name;
        this.dir = dir;
        this.env = env;
    }

    /**
     * Outside CI, skips the calling test class (with a message) when this machine lacks what the script needs:
     * HAProxy, curl and unzip always, PostgreSQL when {@code postgresNeeded}. In CI ({@code CI=true}) nothing is
     * skipped: a missing tool fails the start.
     */
    static void assumeTools(String what, boolean postgresNeeded) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return;
        }
        boolean postgres = !postgresNeeded || hasPostgres();
        boolean haproxy = onPath("haproxy");
        boolean tools = onPath("curl") && onPath("unzip");
        assumeTrue(postgres && haproxy && tools, "Skipped: " + what + " needs Debian's "
                + (postgresNeeded ? "postgresql, " : "") + "haproxy, curl and unzip (apt-get install postgresql "
                + "haproxy curl unzip); postgresql " + (hasPostgres() ? "found" : "missing") + ", haproxy "
                + (haproxy ? "found" : "missing") + ", curl and unzip " + (tools ? "found" : "missing"));
    }

    /** {@code cluster.sh start} with {@code vars}, in a new private folder under the build's target; 300 s at most. */
    static Cluster start(String name, Map<String, String> vars) throws Exception {
        Path target = Path.of(System.getProperty("cluster.target", "target")).toAbsolutePath();
        Path dir = privateFolder(target, name.toLowerCase(java.util.Locale.ROOT) + "-").resolve("cluster");
        Map<String, String> all = new HashMap<>(vars);
        String repo = System.getProperty("cluster.maven-repo-local");
        if (repo != null && !repo.isBlank() && !repo.contains("${")) {
            all.put("MAVEN_REPO_LOCAL", repo);
        }
        long t0 = System.nanoTime();
        Cluster cluster = new Cluster(name, dir, new HashMap<>());
        Process start = cluster.script(all, "start");
        boolean ended = start.waitFor(300, TimeUnit.SECONDS);
        if (!ended || start.exitValue() != 0) {
            if (!ended) {
                start.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = cluster.log("start");
            // whatever the start left running (a failed start stops it itself; a start cut short does not)
            cluster.script(Map.of(), "stop").waitFor(120, TimeUnit.SECONDS);
            fail("cluster.sh start " + (ended ? "failed" : "took over 300 s") + ": " + out);
        }
        cluster.env.putAll(readEnv(dir.resolve("cluster.env")));
        System.out.printf("%s: cluster started in %d s (%s)%n", name,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), dir);
        return cluster;
    }

    /**
     * {@code cluster.sh stop}; then no process names the cluster's folder or works in it, and PostgreSQL (when it ran)
     * left neither its folder nor a process, and its log was kept.
     */
    void stop() throws Exception {
        Process stop = script(Map.of(), "stop");
        if (!stop.waitFor(120, TimeUnit.SECONDS)) {
            stop.destroyForcibly();
            fail("cluster.sh stop took over 120 s: " + log("stop"));
        }
        System.out.println(name + ": cluster stopped: " + log("stop"));
        assertEquals(0, stop.exitValue(), "cluster.sh stop: " + log("stop"));
        if (env.get("PG_DIR") != null) {
            assertNothingLeftOfPostgres(Path.of(env.get("PG_DIR")), Path.of(env.get("LOG_DIR")));
            assertFalse(runs(env.get("PG_PID")), "PostgreSQL's pid " + env.get("PG_PID") + " runs after stop");
        }
        assertEquals(List.of(), processesOf(dir.toString()), "processes of the cluster still running after stop");
    }

    /** Another subcommand ({@code kill-node 2}, {@code start-node 2}); 240 s at most, and it must succeed. */
    void run(String... args) throws Exception {
        Process p = script(Map.of(), args);
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("cluster.sh " + String.join(" ", args) + " took over 240 s");
        }
        assertEquals(0, p.exitValue(), "cluster.sh " + String.join(" ", args) + ": " + log(args[0]));
    }

    private Process script(Map<String, String> vars, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cluster-" + args[0] + ".out").toFile());
        pb.environment().putAll(vars);
        pb.environment().put("CLUSTER_DIR", dir.toString());
        return pb.start();
    }

    String log(String command) {
        try {
            return Files.readString(dir.resolve("cluster-" + command + ".out"));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** A value of {@code cluster.env} ({@code LB_URL}, {@code NODE1_URL}, {@code ADMIN_URL}, ...). */
    String url(String key) {
        return env.get(key);
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    // ------------------------------------------------------------------------------------------ browsers

    /**
     * A browser (the test kit's): keeps its cookies (one jar for every port of 127.0.0.1, as browsers do), follows no
     * redirect, sends {@code Accept: text/html,...} as a navigation does.
     */
    static TestBrowser newBrowser() {
        return new TestBrowser().timeout(Duration.ofSeconds(30));
    }

    /** The raw {@code Location} of an answer, or "" (for messages: a 200 has none). */
    static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElse("");
    }

    boolean toDiscord(HttpResponse<String> response) {
        return (response.statusCode() == 302 || response.statusCode() == 303)
                && location(response).startsWith(url("EMULATOR_URL") + "/oauth2/authorize");
    }

    /** Starts the login on {@code startBase}; the emulator approves at once; the callback goes to {@code callbackBase}. */
    TestBrowser login(String startBase, String callbackBase) {
        return login(newBrowser(), startBase, callbackBase);
    }

    TestBrowser login(TestBrowser browser, String startBase, String callbackBase) {
        HttpResponse<String> toDiscord = browser.get(startBase + "/profile");
        assertTrue(toDiscord(toDiscord), "not sent to Discord: " + toDiscord.statusCode() + " " + toDiscord.body());
        HttpResponse<String> back = browser.get(location(toDiscord));
        assertEquals(302, back.statusCode(), "the emulator's auto-approve: " + back.body());
        String callback = location(back);
        assertTrue(callback.startsWith(url("LB_URL") + "/oauth2/callback?code="), callback);
        HttpResponse<String> done = browser.get(callback.replace(url("LB_URL"), callbackBase));
        assertEquals(302, done.statusCode(), "state and PKCE verifier found on the node the callback reached: "
                + done.statusCode() + " " + done.body());
        assertTrue(location(done).endsWith("/profile"), location(done));
        return browser;
    }

    /** The profile page on {@code base} serves the logged-in user; returns it. */
    static HttpResponse<String> assertServes(TestBrowser browser, String base) {
        HttpResponse<String> r = browser.get(base + "/profile");
        assertEquals(200, r.statusCode(), base + " /profile: " + r.statusCode() + " " + location(r));
        assertTrue(r.body().contains("80351110224678912"), "the logged-in user's profile");
        return r;
    }

    // ------------------------------------------------------------------------------------------ the emulator

    /** {@code method} on the emulator's admin API ({@code path} after {@code /__admin}); the answer's body. */
    String admin(String method, String path) throws Exception {
        HttpResponse<String> r = ADMIN.send(HttpRequest.newBuilder(URI.create(url("ADMIN_URL") + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
        return r.body();
    }

    /** The statuses of the refresh grants in the emulator's journal (since it was last cleared), in order. */
    List<Integer> refreshGrants() throws Exception {
        String journal = admin("GET", "/requests?route=POST%20/oauth2/token&limit=1000");
        List<Integer> statuses = new ArrayList<>();
        for (String entry : journal.split("\"time\"")) {
            Matcher status = STATUS.matcher(entry);
            if (entry.contains("refresh_token") && entry.contains("grant_type") && status.find()) {
                statuses.add(Integer.parseInt(status.group(1)));
            }
        }
        return statuses;
    }

    // ------------------------------------------------------------------------------------------ the machine

    /**
     * A new folder under {@code parent} that only its owner may enter (0700), as {@code mktemp -d} makes them: when
     * the tests run as root, user {@code postgres} can reach nothing below it.
     */
    static Path privateFolder(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /**
     * After a stop: PostgreSQL's temporary folder is gone, no process names it or works in it (PostgreSQL's processes
     * work in their data directory), and its log was kept in LOG_DIR.
     */
    static void assertNothingLeftOfPostgres(Path pgDir, Path logDir) throws IOException {
        assertFalse(Files.exists(pgDir), "PostgreSQL's temporary folder " + pgDir + " is still there after stop");
        assertEquals(List.of(), processesOf(pgDir.toString()), "processes still naming or working in " + pgDir);
        Path log = logDir.resolve("postgresql.log");
        assertTrue(Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS),
                "PostgreSQL's log kept as a file in " + logDir);
        assertTrue(Files.readString(log).contains("database system is ready to accept connections"),
                "PostgreSQL's log, copied at stop: " + Files.readString(log));
    }

    /**
     * The running processes (zombies aside) whose command line contains {@code path} or whose working directory lies
     * under it, as "pid: command line" (Linux: /proc).
     */
    static List<String> processesOf(String path) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String pid = proc.getFileName().toString();
                if (!pid.matches("\\d+") || !runs(pid)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
                    String cwd = "";
                    try {
                        cwd = Files.readSymbolicLink(proc.resolve("cwd")).toString();
                    } catch (IOException | SecurityException notOurs) {
                        // another user's process (when not root): its command line is still read
                    }
                    if (cmdline.contains(path) || cwd.equals(path) || cwd.startsWith(path + "/")) {
                        found.add(pid + ": " + cmdline.trim() + " (in " + cwd + ")");
                    }
                } catch (IOException gone) {
                    // the process ended while the list was read
                }
            }
        }
        return found;
    }

    /** Whether process {@code pid} exists and is not a zombie (ended, waiting for its parent to reap it). */
    static boolean runs(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    static boolean hasPostgres() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.anyMatch(v -> Files.isExecutable(v.resolve("bin/initdb")));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** A PostgreSQL client program of Debian's newest installed version ({@code /usr/lib/postgresql/N/bin}). */
    static Path pgTool(String name) throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                    .max((a, b) -> Integer.compare(version(a), version(b))).orElseThrow(() ->
                            new AssertionError("no " + name + " under /usr/lib/postgresql"));
        }
    }

    private static int version(Path tool) {
        try {
            return Integer.parseInt(tool.getParent().getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The user PostgreSQL runs as: {@code postgres} when the script runs as root (it refuses root), else ours. */
    static String pgUser() {
        return "root".equals(System.getProperty("user.name")) ? "postgres" : System.getProperty("user.name");
    }

    /** One SQL query's answer (unaligned, tuples only) from the cluster's database, as the nodes' user. */
    String sql(String query) throws Exception {
        Process psql = new ProcessBuilder(pgTool("psql").toString(), "-h", "127.0.0.1", "-p", url("PG_PORT"), "-U",
                "cluster", "-d", "sessions", "-tAc", query).redirectErrorStream(true).start();
        String out = new String(psql.getInputStream().readAllBytes()).trim();
        assertTrue(psql.waitFor(20, TimeUnit.SECONDS), "psql " + query);
        assertEquals(0, psql.exitValue(), "psql " + query + ": " + out);
        return out;
    }
}
