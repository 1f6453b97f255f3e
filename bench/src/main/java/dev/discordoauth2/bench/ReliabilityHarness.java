package dev.discordoauth2.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reliability harness (issue "Scale-out", items 3 and 4): simulated browsers log in through the cluster's
 * balancer while the Discord emulator fails 5 % of its answers, one node is killed with {@code kill -9} half-way and
 * restarted, and then the run is judged. Writes a Markdown report and exits 1 when a target is missed.
 *
 * <p>Run by {@code bench/reliability.sh}, which starts and stops the cluster ({@code cluster/cluster.sh}); arguments:
 * {@code CLUSTER_ENV LOGINS CONCURRENCY REPORT.md MODE TIME_BOUND_SECONDS}. Every request goes to loopback addresses
 * read from {@code cluster.env}; nothing is started here except {@code cluster.sh kill-node/start-node} and the
 * read-only tools ({@code jcmd}, {@code ss}, {@code pg_dump}), each waited for.
 */
public final class ReliabilityHarness {

    // ---------------------------------------------------------------------------------------------- configuration

    static final double FAULT_PROBABILITY = 0.05;
    /** The faulted routes; {@code -Dfault.routes=ROUTE,ROUTE} (bench/reliability.sh: FAULT_ROUTES) changes them. */
    static final List<String> FAULT_ROUTES = List.of(System.getProperty("fault.routes",
            "POST /oauth2/token,GET /users/@me,GET /users/@me/guilds").split("\\s*,\\s*"));
    static final int PAGES_PER_LOGIN = 4;
    static final long PAGE_GAP_MILLIS = 1_300;

    final Map<String, String> env;
    final int logins;
    final int concurrency;
    final Path report;
    final String mode;
    /** Each node's figures just before the node kill. */
    final Map<String, String> middle = new java.util.concurrent.ConcurrentSkipListMap<>();
    final long timeBoundNanos;
    final URI lb;
    final URI emulator;
    final URI admin;
    final Path logDir;
    final Path clusterScript;
    final double delaySeconds;
    final String clientSecret;
    final String botToken;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    ReliabilityHarness(Map<String, String> env, int logins, int concurrency, Path report, String mode, long timeBound) {
        this.env = env;
        this.logins = logins;
        this.concurrency = concurrency;
        this.report = report;
        this.mode = mode;
        this.timeBoundNanos = TimeUnit.SECONDS.toNanos(timeBound);
        this.lb = URI.create(strip(env.get("LB_URL")));
        this.emulator = URI.create(strip(env.get("EMULATOR_URL")));
        this.admin = URI.create(strip(env.getOrDefault("ADMIN_URL", env.get("EMULATOR_URL") + "/__admin")));
        this.logDir = Path.of(env.get("LOG_DIR"));
        this.clusterScript = Path.of(System.getProperty("cluster.script", "cluster/cluster.sh"));
        this.delaySeconds = Double.parseDouble(System.getProperty("fault.delay", "11"));
        this.clientSecret = firstNonNull(env.get("CLIENT_SECRET"), env.get("DISCORD_CLIENT_SECRET"),
                System.getProperty("client.secret"), "emulator-client-secret");
        this.botToken = firstNonNull(env.get("BOT_TOKEN"), env.get("DISCORD_BOT_TOKEN"), System.getProperty("bot.token"),
                "emulator-bot-token");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = readEnv(Path.of(args[0]));
        ReliabilityHarness h = new ReliabilityHarness(env, Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Path.of(args[3]), args[4], Long.parseLong(args[5]));
        int failures = h.run();
        System.exit(failures == 0 ? 0 : 1);
    }

    // ---------------------------------------------------------------------------------------------- metrics

    /** Latencies per request kind, in microseconds. */
    final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    /** User-facing answers: "kind status class" → count. */
    final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    final LongAdder attempted = new LongAdder();
    final LongAdder finished = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder loginRetryPage = new LongAdder();
    final LongAdder loginBalancer = new LongAdder();
    final LongAdder loginOther = new LongAdder();
    final LongAdder pageLoads = new LongAdder();
    final LongAdder sessionsLost = new LongAdder();
    final LongAdder lostRightAfterLogin = new LongAdder();
    final LongAdder apiMe401 = new LongAdder();
    final LongAdder loginErrorPage = new LongAdder();
    final LongAdder selfRedirects = new LongAdder();
    final LongAdder nodeServerErrors = new LongAdder();
    final LongAdder ioErrors = new LongAdder();
    final List<String> samples = Collections.synchronizedList(new ArrayList<>());
    /** Failures (non-expected answers, I/O errors) and lost sessions with their time, for the kill window. */
    final List<long[]> failureTimes = Collections.synchronizedList(new ArrayList<>());
    final List<Long> lostTimes = Collections.synchronizedList(new ArrayList<>());
    final Set<String> harvestedTokens = ConcurrentHashMap.newKeySet();
    volatile long killAt = -1;
    volatile long restartedAt = -1;
    volatile long readyAt = -1;
    final List<String> killLog = Collections.synchronizedList(new ArrayList<>());
    final long start = System.nanoTime();

    void latency(String kind, long nanos) {
        latencies.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>())).add(nanos / 1000);
    }

    void answer(String kind, int status, String cls) {
        answers.computeIfAbsent(kind + " " + status + (cls.isEmpty() ? "" : " (" + cls + ")"), k -> new LongAdder())
                .increment();
    }

    void failure(String what) {
        failureTimes.add(new long[] {System.nanoTime()});
        if (samples.size() < 40) {
            samples.add(String.format("t+%.1fs %s", (System.nanoTime() - start) / 1e9, what));
        }
    }

    // ---------------------------------------------------------------------------------------------- the run

    int run() throws Exception {
        String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        System.out.printf("reliability: %d logins, %d browsers at once, LB %s, emulator %s%n", logins, concurrency, lb,
                emulator);
        configureEmulator();
        Map<String, String> before = nodeStats(true);
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean timedOut = new AtomicBoolean();
        ExecutorService browsers = Executors.newFixedThreadPool(concurrency);
        ExecutorService side = Executors.newCachedThreadPool();
        CountDownLatch done = new CountDownLatch(concurrency);
        long deadline = start + timeBoundNanos;
        for (int b = 0; b < concurrency; b++) {
            long seed = 1000L + b;
            browsers.execute(() -> {
                Random random = new Random(seed);
                try {
                    while (next.getAndIncrement() < logins) {
                        if (System.nanoTime() > deadline) {
                            timedOut.set(true);
                            break;
                        }
                        try {
                            browse(random, side);
                        } finally {
                            finished.increment();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        // the node kill, half-way through the logins
        Thread killer = new Thread(() -> killAndRestart(next));
        killer.setDaemon(true);
        killer.start();
        // token harvest (for the log scan) and progress
        Thread harvester = new Thread(() -> {
            while (done.getCount() > 0) {
                harvestTokens();
                System.out.printf("  t+%3ds  logins started %d, completed %d, retry pages %d, lost %d, page loads %d%n",
                        (System.nanoTime() - start) / 1_000_000_000L, Math.min(next.get(), logins), completed.sum(),
                        loginRetryPage.sum(), sessionsLost.sum(), pageLoads.sum());
                try {
                    done.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        harvester.setDaemon(true);
        harvester.start();
        done.await();
        long elapsed = System.nanoTime() - start;
        browsers.shutdown();
        side.shutdown();
        killer.join(60_000);
        harvester.join(60_000);
        clearFaults();
        Thread.sleep(2_000);
        harvestTokens();
        // "after": once idle pools have shrunk (Jetty's idle timeout and the balancer's keep-alive are 60 s), after a
        // full GC, so that what is left is what the run left behind
        long idle = Long.getLong("idle.seconds", mode.equals("ci") ? 0 : 65);
        if (idle > 0) {
            System.out.printf("reliability: waiting %d s for idle pools to shrink before measuring the nodes%n", idle);
            Thread.sleep(idle * 1000);
        }
        Map<String, String> after = nodeStats(true);
        Map<String, Long> grants = tokenGrants();
        Map<String, Long> logLines = grepLogs();
        List<String> secrets = scanSecrets();
        return write(date, elapsed, timedOut.get(), before, after, grants, logLines, secrets);
    }

    /** One browser: log in, then load pages over a few seconds, some with a script request at the same time. */
    void browse(Random random, ExecutorService side) throws InterruptedException {
        attempted.increment();
        Browser b = new Browser();
        try {
            Result entry = b.get("entry", lb.resolve("/profile"), true);
            if (!redirectsTo(entry, emulator)) {
                loginFailed(entry, "entry");
                return;
            }
            Result authorize = b.get("authorize", URI.create(entry.location), true);
            if (authorize.status != 302 || authorize.location == null || !authorize.location.contains("/oauth2/callback")) {
                loginFailed(authorize, "authorize");
                return;
            }
            Result callback = b.get("callback", lb.resolve(authorize.location), true);
            if (callback.status != 302 || callback.location == null || redirectsTo(callback, emulator)) {
                loginFailed(callback, "callback");
                return;
            }
            Result landing = b.follow("landing", lb.resolve(callback.location));
            if (redirectsTo(landing, emulator)) {
                // the callback logged the browser in, and the next page sends it back to Discord
                lostRightAfterLogin.increment();
                sessionsLost.increment();
                lostTimes.add(System.nanoTime());
                failure("session lost right after login: callback on " + callback.node + ", landing on "
                        + landing.node + " sent back to Discord");
                return;
            }
            if (landing.status != 200) {
                loginFailed(landing, "landing");
                return;
            }
            completed.increment();
            for (int page = 0; page < PAGES_PER_LOGIN; page++) {
                Thread.sleep(PAGE_GAP_MILLIS / 2 + random.nextInt((int) PAGE_GAP_MILLIS));
                Future<Result> script = random.nextBoolean()
                        ? side.submit(() -> b.get("api-me", lb.resolve("/api/me"), false)) : null;
                Result html = b.follow("profile", lb.resolve("/profile"));
                pageLoads.increment();
                boolean lost = html.status == 302 && redirectsTo(html, emulator);
                String why = lost ? "profile on " + html.node + " sent back to Discord" : "";
                if (script != null) {
                    try {
                        Result json = script.get();
                        if (json.status == 401) {
                            lost = true;
                            apiMe401.increment();
                            why += (why.isEmpty() ? "" : "; ") + "/api/me on " + json.node + " 401: " + json.snippet;
                        }
                    } catch (java.util.concurrent.ExecutionException e) {
                        ioErrors.increment();
                    }
                }
                if (lost) {
                    sessionsLost.increment();
                    lostTimes.add(System.nanoTime());
                    failure("session lost on page " + (page + 1) + ": " + why);
                    return;
                }
            }
        } catch (IOException e) {
            loginOther.increment();
            ioErrors.increment();
            failure("login I/O: " + e);
        }
    }

    void loginFailed(Result r, String step) {
        if (r.cls.equals("library retry")) {
            loginRetryPage.increment();
        } else if (r.cls.equals("library error")) {
            loginErrorPage.increment();
            failure("login " + step + ": library error page " + r.status + " on " + r.node + ": " + r.snippet);
        } else if (r.cls.equals("balancer")) {
            loginBalancer.increment();
            failure("login " + step + ": balancer " + r.status);
        } else {
            loginOther.increment();
            failure("login " + step + ": " + r.status + " " + r.cls + " on " + r.node + " location " + r.location
                    + " " + r.snippet);
        }
    }

    static boolean redirectsTo(Result r, URI target) {
        return r.status == 302 && r.location != null && r.location.startsWith(target.toString());
    }

    record Result(int status, String location, String cls, String snippet, String node) {
    }

    /** One browser's cookies, per origin (host and port), and its requests, recorded. */
    final class Browser {
        final Map<String, Map<String, String>> jar = new ConcurrentHashMap<>();

        /** A navigation that follows redirects inside the application (at most 3), as a browser does. */
        Result follow(String kind, URI uri) throws IOException, InterruptedException {
            Result r = get(kind, uri, true);
            for (int hop = 0; hop < 3 && r.status / 100 == 3 && r.location != null
                    && !r.location.startsWith(emulator.toString()); hop++) {
                selfRedirects.increment();
                if (samples.size() < 40) {
                    samples.add(String.format("t+%.1fs %s redirected inside the application by %s to %s (followed)",
                            (System.nanoTime() - start) / 1e9, kind, r.node, r.location));
                }
                r = get(kind + "-redirected", uri.resolve(r.location), true);
            }
            return r;
        }

        Result get(String kind, URI uri, boolean navigation) throws IOException, InterruptedException {
            String origin = uri.getHost() + ":" + uri.getPort();
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Accept", navigation ? "text/html,application/xhtml+xml" : "application/json");
            if (navigation) {
                req.header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Dest", "document");
            } else {
                req.header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Dest", "empty");
            }
            Map<String, String> cookies = jar.get(origin);
            if (cookies != null && !cookies.isEmpty()) {
                req.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            long t0 = System.nanoTime();
            HttpResponse<String> r;
            try {
                r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                answer(kind, 0, "I/O error");
                ioErrors.increment();
                failure(kind + " I/O error: " + e);
                return new Result(0, null, "io", e.toString(), "?");
            }
            latency(kind, System.nanoTime() - t0);
            for (String c : r.headers().allValues("Set-Cookie")) {
                String[] nv = c.split(";", 2)[0].split("=", 2);
                if (nv.length == 2) {
                    Map<String, String> m = jar.computeIfAbsent(origin, o -> new ConcurrentHashMap<>());
                    if (c.toLowerCase().contains("max-age=0")) {
                        m.remove(nv[0].trim());
                    } else {
                        m.put(nv[0].trim(), nv[1].trim());
                    }
                }
            }
            String body = r.body() == null ? "" : r.body();
            String cls = r.headers().firstValue("X-Cluster-Balancer-Error").isPresent() ? "balancer"
                    : classify(r.statusCode(), body, uri);
            answer(kind, r.statusCode(), cls);
            if (r.statusCode() == 500 && !cls.equals("balancer")) {
                nodeServerErrors.increment();
                failure(kind + " 500 from a node: " + snippet(body));
            }
            if (r.statusCode() >= 500 && cls.equals("balancer")) {
                failure(kind + " balancer " + r.statusCode());
            }
            return new Result(r.statusCode(), r.headers().firstValue("Location").orElse(null), cls, snippet(body),
                    r.headers().firstValue("X-Cluster-Node").orElse("balancer"));
        }
    }

    /** Who answered a 4xx/5xx: the library (its page or JSON), the example app, the balancer, or the emulator. */
    String classify(int status, String body, URI uri) {
        if (status < 400) {
            return "";
        }
        if (uri.getPort() == emulator.getPort()) {
            return "emulator";
        }
        if (body.contains("<main class=\"retry\">") || body.contains("the login is kept. Try again later.")) {
            return "library retry";
        }
        if (body.contains("<main class=\"error\">") || body.contains("Log in with Discord first.")) {
            return "library error";
        }
        if (body.contains("Discord did not answer. Try again.") || body.contains("\"token_refused\"")) {
            return "example app";
        }
        String lower = body.toLowerCase();
        if (lower.contains("cluster balancer") || lower.contains("haproxy") || lower.contains("no server is available")
                || lower.contains("the server returned an invalid or incomplete response")
                || lower.matches("(?s).*<h1>5\\d\\d [a-z ]+</h1>.*") || body.isEmpty()) {
            return "balancer";
        }
        return "other";
    }

    static String snippet(String body) {
        Matcher code = Pattern.compile("<p class=\"code\">([^<]+)</p>").matcher(body);
        if (code.find()) {
            return "library page " + code.group(1);
        }
        String s = body.replaceAll("\\s+", " ");
        return s.length() > 160 ? s.substring(0, 160) : s;
    }

    // ---------------------------------------------------------------------------------------------- the emulator

    void configureEmulator() throws IOException, InterruptedException {
        // the emulator's default limits (10/s on the token route per application, 50/s global) would make this a
        // rate-limit test of the emulator's defaults; raise them, the faults carry the 429s instead
        adminSend("PUT", "/rate-limits/routes", "{\"route\":\"POST /oauth2/token\",\"limit\":100000,\"window\":1}");
        adminSend("PUT", "/rate-limits/global", "{\"limit\":100000,\"window\":1}");
        adminSend("DELETE", "/requests", null);
        String common = "{\"type\":\"status\",\"status\":500,\"body\":{\"message\":\"500: Internal Server Error\",\"code\":0}},"
                + "{\"type\":\"status\",\"status\":502,\"body\":\"<html><body>502 Bad Gateway</body></html>\",\"content_type\":\"text/html\"},"
                + "{\"type\":\"status\",\"status\":503,\"body\":{\"message\":\"503: Service Unavailable\",\"code\":0}},"
                + "{\"type\":\"rate_limited\",\"retry_after\":1.5},"
                + "{\"type\":\"malformed_json\"},"
                + "{\"type\":\"drop\"}";
        int seed = 42;
        for (String route : FAULT_ROUTES) {
            // a delay holds one of the emulator's 8 worker threads for its length: only the token route (about two
            // calls per login) gets the long delay, so the emulator keeps answering everything else
            String faults = "[" + common + (route.equals("POST /oauth2/token") && delaySeconds > 0
                    ? ",{\"type\":\"delay\",\"delay\":" + delaySeconds + "}" : "") + "]";
            adminSend("POST", "/faults/random", "{\"route\":\"" + route + "\",\"probability\":" + FAULT_PROBABILITY
                    + ",\"seed\":" + (seed++) + ",\"faults\":" + faults + "}");
        }
    }

    void clearFaults() {
        try {
            adminSend("DELETE", "/faults", null);
        } catch (IOException | InterruptedException e) {
            System.out.println("could not clear the faults: " + e);
        }
    }

    String adminSend(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin + path)).timeout(Duration.ofSeconds(60));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IOException(method + " " + path + " → " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** Token grants in the emulator's journal, by grant type and status. */
    Map<String, Long> tokenGrants() {
        Map<String, Long> out = new TreeMap<>();
        try {
            String json = adminSend("GET", "/requests?route=" + URLEncoder.encode("POST /oauth2/token",
                    StandardCharsets.UTF_8).replace("+", "%20") + "&limit=10000000", null);
            Matcher m = Pattern.compile("\"status\"\\s*:\\s*(\\d+)|\"grant_type\"\\s*:\\s*\\[\\s*\"([a-z_]+)\"").matcher(json);
            // entries are objects with status before form: pair each grant type with the last status seen
            String status = "?";
            for (String entry : json.split("\\{\"time\"")) {
                Matcher s = Pattern.compile("\"status\"\\s*:\\s*(\\d+)").matcher(entry);
                Matcher g = Pattern.compile("\"grant_type\"\\s*:\\s*\\[\\s*\"([a-z_]+)\"").matcher(entry);
                if (g.find()) {
                    status = s.find() ? s.group(1) : "?";
                    out.merge(g.group(1) + " " + status, 1L, Long::sum);
                }
            }
            m.reset();
            String revokes = adminSend("GET", "/requests?route=" + URLEncoder.encode("POST /oauth2/token/revoke",
                    StandardCharsets.UTF_8).replace("+", "%20") + "&limit=1", null);
            Matcher total = Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(revokes);
            out.put("~revocations (POST /oauth2/token/revoke)", total.find() ? Long.parseLong(total.group(1)) : -1L);
        } catch (IOException | InterruptedException e) {
            out.put("journal unreadable: " + e, 0L);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- the node kill

    void killAndRestart(AtomicInteger next) {
        try {
            while (finished.sum() < logins / 2) {
                if (next.get() >= logins + concurrency) {
                    return;
                }
                Thread.sleep(200);
            }
            middle.putAll(nodeStats(false));
            killLog.add(cluster("kill-node", "1"));
            killAt = System.nanoTime();
            System.out.printf("  t+%3ds  node 1 killed (kill -9)%n", (killAt - start) / 1_000_000_000L);
            Thread.sleep(5_000);
            killLog.add(cluster("start-node", "1"));
            restartedAt = System.nanoTime();
            // ready when node 1 answers directly
            Map<String, String> env2 = readEnv(Path.of(System.getProperty("cluster.env")));
            URI node1 = URI.create(strip(env2.get("NODE1_URL")));
            for (int i = 0; i < 240 && readyAt < 0; i++) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(node1.resolve("/")).timeout(
                            Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() < 500) {
                        readyAt = System.nanoTime();
                    }
                } catch (IOException e) {
                    Thread.sleep(250);
                }
            }
            System.out.printf("  t+%3ds  node 1 restarted, serving again after %.1f s%n",
                    (System.nanoTime() - start) / 1_000_000_000L, readyAt < 0 ? -1 : (readyAt - killAt) / 1e9);
        } catch (Exception e) {
            killLog.add("kill/restart failed: " + e);
        }
    }

    String cluster(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(clusterScript.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CLUSTER_DIR", System.getProperty("cluster.dir"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return String.join(" ", args) + " → exit " + p.exitValue() + (out.isEmpty() ? "" : ": " + snippet(out));
    }

    // ---------------------------------------------------------------------------------------------- nodes

    /** Heap, threads, RSS and open TCP connections per node, by PID from cluster.env (re-read: a restart changes it). */
    /** Heap (after a full GC when {@code gc}), RSS, threads and connections per node. */
    Map<String, String> nodeStats(boolean gc) {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> e;
        try {
            e = readEnv(Path.of(System.getProperty("cluster.env")));
        } catch (IOException ex) {
            e = env;
        }
        String ss = exec("ss", "-tnpH", "state", "established");
        for (int n = 1; n <= 16; n++) {
            String pid = e.get("NODE" + n + "_PID");
            if (pid == null) {
                continue;
            }
            if (gc) {
                exec("jcmd", pid, "GC.run");
            }
            // every generation (Serial GC: "def new generation" and "tenured generation"; others: one heap line)
            String heap = exec("jcmd", pid, "GC.heap_info");
            Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(heap);
            long totalK = 0;
            long usedK = 0;
            boolean found = false;
            while (used.find()) {
                found = true;
                totalK += Long.parseLong(used.group(1));
                usedK += Long.parseLong(used.group(2));
            }
            String heapText = found ? String.format("%.1f MB used of %d MB%s", usedK / 1024.0, totalK / 1024,
                    gc ? " after a full GC" : "") : "n/a";
            String status;
            try {
                status = Files.readString(Path.of("/proc", pid, "status"));
            } catch (IOException ex) {
                status = "";
            }
            String threads = grep(status, "Threads:\\s+(\\d+)");
            String rss = grep(status, "VmRSS:\\s+(\\d+) kB");
            long conns = ss.lines().filter(l -> l.contains("pid=" + pid + ",")).count();
            out.put("node " + n, String.format("pid %s: heap %s, RSS %s MB, %s threads, %d established TCP connections",
                    pid, heapText, rss.isEmpty() ? "n/a" : Long.toString(Long.parseLong(rss) / 1024),
                    threads.isEmpty() ? "n/a" : threads, conns));
        }
        return out;
    }

    static String grep(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "";
    }

    static String exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    // ---------------------------------------------------------------------------------------------- logs and secrets

    static final Pattern SERIALIZED_TOKEN = Pattern.compile("\u0000\u001e([A-Za-z0-9]{30})");
    static final Pattern TOKEN_SHAPE = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z0-9]{30}(?![A-Za-z0-9])");

    /**
     * Collects the access and refresh tokens the sessions hold: the session store (PostgreSQL) is dumped and every
     * token-shaped string (the emulator's tokens are 30 characters of [A-Za-z0-9]) in its binary columns is kept.
     */
    void harvestTokens() {
        String port = env.get("PG_PORT");
        if (port == null) {
            return;
        }
        String dump = exec(pgDump(), "-h", "127.0.0.1", "-p", port, "-U", env.getOrDefault("PG_USER", "cluster"),
                "--data-only", env.getOrDefault("PG_DB", "sessions"));
        if (!dump.contains("COPY ") && !dumpWarned) {
            dumpWarned = true;
            System.out.println("pg_dump of the session store failed: " + snippet(dump));
        }
        Matcher hex = Pattern.compile("\\\\\\\\?x([0-9a-f]{60,})").matcher(dump);
        while (hex.find()) {
            String h = hex.group(1);
            String bytes = new String(HexFormat.of().parseHex(h.length() % 2 == 0 ? h : h.substring(1)),
                    StandardCharsets.ISO_8859_1);
            // Java serialization writes a string as its 2-byte length (30: 0x00 0x1E) and its bytes
            Matcher t = SERIALIZED_TOKEN.matcher(bytes);
            while (t.find()) {
                if (mixed(t.group(1))) {
                    harvestedTokens.add(t.group(1));
                }
            }
        }
    }

    boolean dumpWarned;

    static String pgDump() {
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin/pg_dump")).filter(Files::isExecutable).sorted().reduce((a, b) -> b)
                    .map(Path::toString).orElse("pg_dump");
        } catch (IOException e) {
            return "pg_dump";
        }
    }

    static boolean mixed(String s) {
        return s.chars().anyMatch(Character::isDigit) && s.chars().anyMatch(Character::isUpperCase)
                && s.chars().anyMatch(Character::isLowerCase);
    }

    List<Path> logFiles() throws IOException {
        try (Stream<Path> s = Files.walk(logDir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The library's log lines counted in the report (the causes of lost sessions among them). */
    static final List<String> LOG_KEYS = List.of("a refresh race with another node was lost and recovered",
            "refused the session's refresh token",
            "Discord answered 401 to the session's access token",
            "the session still holds the refresh token Discord refused",
            "the session still holds the access token Discord refused",
            "Discord login failed",
            "the user was asked to try again",
            "refreshing the Discord token failed");

    Map<String, Long> grepLogs() throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String key : LOG_KEYS) {
            out.put(key, 0L);
        }
        out.put("SEVERE/ERROR lines", 0L);
        out.put("WARN/WARNING lines", 0L);
        for (Path f : logFiles()) {
            for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                for (String key : LOG_KEYS) {
                    if (line.contains(key)) {
                        out.merge(key, 1L, Long::sum);
                    }
                }
                if (line.contains("SEVERE") || line.contains(" ERROR ") || line.contains(":ERROR:")) {
                    out.merge("SEVERE/ERROR lines", 1L, Long::sum);
                }
                if (line.contains("WARNING") || line.contains(" WARN ") || line.contains(":WARN:")) {
                    out.merge("WARN/WARNING lines", 1L, Long::sum);
                }
            }
        }
        return out;
    }

    /** Every log line that shows a secret: the client secret, the bot token, a token value, a credential header. */
    List<String> scanSecrets() throws IOException {
        List<String> found = new ArrayList<>();
        Pattern named = Pattern.compile("(access_token|refresh_token)\"?'?\\s*[:=]\\s*\"?([A-Za-z0-9._~+/-]{8,})");
        Pattern bearer = Pattern.compile("(Bearer|Basic|Bot)\\s+([A-Za-z0-9._~+/=-]{12,})");
        for (Path f : logFiles()) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = logDir.relativize(f) + ":" + (i + 1);
                if (line.contains(clientSecret)) {
                    found.add(where + ": the client secret");
                }
                if (line.contains(botToken)) {
                    found.add(where + ": the bot token");
                }
                Matcher m = named.matcher(line);
                while (m.find()) {
                    if (!m.group(2).startsWith("[redacted")) {
                        found.add(where + ": " + m.group(1) + " with a value");
                    }
                }
                m = bearer.matcher(line);
                while (m.find()) {
                    found.add(where + ": an Authorization " + m.group(1) + " credential");
                }
                m = TOKEN_SHAPE.matcher(line);
                while (m.find()) {
                    if (harvestedTokens.contains(m.group())) {
                        found.add(where + ": a token the sessions held");
                    }
                }
            }
        }
        return found;
    }

    /** Token-shaped strings in the logs that are not known tokens (authorization codes in URLs, for example). */
    Map<String, Long> tokenShapedStrings() throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (Path f : logFiles()) {
            for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                Matcher m = TOKEN_SHAPE.matcher(line);
                while (m.find()) {
                    if (mixed(m.group()) && !harvestedTokens.contains(m.group())) {
                        String before = line.substring(Math.max(0, m.start() - 6), m.start());
                        out.merge(logDir.relativize(f) + " after \"" + before + "\"", 1L, Long::sum);
                    }
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- the report

    int write(String date, long elapsed, boolean timedOut, Map<String, String> before, Map<String, String> after,
            Map<String, Long> grants, Map<String, Long> logLines, List<String> secrets) throws IOException {
        List<String> missed = new ArrayList<>();
        long answers500 = nodeServerErrors.sum();
        if (answers500 > 0) {
            missed.add(answers500 + " answers with status 500 from the nodes (target 0)");
        }
        if (sessionsLost.sum() > 0) {
            missed.add(sessionsLost.sum() + " sessions lost (target 0)");
        }
        if (!secrets.isEmpty()) {
            missed.add(secrets.size() + " secrets in the logs (target 0)");
        }
        if (timedOut) {
            missed.add("the time bound (" + TimeUnit.NANOSECONDS.toSeconds(timeBoundNanos) + " s) ended the run before "
                    + logins + " logins");
        }
        if (loginOther.sum() > 0) {
            missed.add(loginOther.sum() + " logins ended neither on the page, a library retry page nor a balancer answer");
        }
        if (killAt < 0) {
            missed.add("node 1 was not killed (run too short?)");
        } else if (readyAt < 0) {
            missed.add("node 1 did not serve again after its restart");
        }
        if (harvestedTokens.isEmpty()) {
            missed.add("no token could be read from the session store, so token values were not looked for in the logs");
        }
        long revocations = grants.getOrDefault("~revocations (POST /oauth2/token/revoke)", 0L);
        long refreshes = grants.entrySet().stream().filter(e -> e.getKey().startsWith("refresh_token ")).mapToLong(
                Map.Entry::getValue).sum();
        long refreshesOk = grants.getOrDefault("refresh_token 200", 0L);
        long races = logLines.getOrDefault("a refresh race with another node was lost and recovered", 0L);
        long refused = logLines.getOrDefault("refused the session's refresh token", 0L);

        // the kill window: from the kill to 10 s after node 1 serves again
        long windowEnd = readyAt < 0 ? Long.MAX_VALUE : readyAt + 10_000_000_000L;
        long killFailures = killAt < 0 ? 0 : failureTimes.stream().filter(t -> t[0] >= killAt && t[0] <= windowEnd).count();
        long killLost = killAt < 0 ? 0 : lostTimes.stream().filter(t -> t >= killAt && t <= windowEnd).count();

        StringBuilder md = new StringBuilder();
        md.append("# Reliability\n\n");
        md.append("Written by `bench/reliability.sh` (").append(mode).append(" mode) on ").append(date)
                .append(". Simulated browsers log in with Discord through the cluster's balancer (HAProxy, round robin, no"
                        + " stickiness) in front of the example WAR on Jetty 12 nodes that share their sessions in"
                        + " PostgreSQL, while the Discord emulator fails ")
                .append(pct(FAULT_PROBABILITY)).append(" of its answers on the token, user and guild routes, and node 1"
                        + " is killed with `kill -9` half-way and restarted. Loopback only.\n\n");
        md.append("**Result: ").append(missed.isEmpty() ? "every target met." : "targets missed:** "
                + String.join("; ", missed) + ".**").append(missed.isEmpty() ? "**" : "").append("\n\n");

        md.append("## Configuration\n\n| setting | value |\n|---|---|\n");
        row(md, "logins", Integer.toString(logins));
        row(md, "browsers at once", Integer.toString(concurrency));
        row(md, "nodes", env.getOrDefault("NODES", Long.toString(before.size())));
        row(md, "access token lifetime (emulator)", env.getOrDefault("ACCESS_TOKEN_LIFETIME", System.getenv().getOrDefault("ACCESS_TOKEN_LIFETIME", "?"))
                + " s; the library refreshes 60 s before expiry (`discord.refresh-skew` default), so a session"
                + " refreshes once its token is older than (lifetime − 60) s");
        row(md, "Discord users", "one per login: the emulator runs with `--users " + env.getOrDefault("EMULATOR_USERS",
                "?") + " --auto-approve each`, so each authorization is the next user in turn (Discord revokes a"
                + " user's whole authorization when one of its tokens is revoked; with one shared user, the"
                + " revocation of one failed login would end every other browser's session)");
        row(md, "per browser", "login (protected page → authorize → callback → page), then " + PAGES_PER_LOGIN
                + " loads of `/profile` (which fetches the guilds) " + (PAGE_GAP_MILLIS / 2) + "–"
                + (PAGE_GAP_MILLIS * 3 / 2) + " ms apart, half of them with `/api/me` (fetches the user) at the same"
                + " time, as a page and its script; one cookie jar per browser, redirects followed by hand");
        row(md, "faults", pct(FAULT_PROBABILITY) + " of the answers of " + FAULT_ROUTES.stream().map(r -> "`" + r + "`")
                .collect(Collectors.joining(", ")) + " (seeded), each one of: 500, 502 (HTML), 503, 429 with `retry_after` 1.5 s,"
                + " malformed JSON, a dropped connection" + (delaySeconds <= 0 || !FAULT_ROUTES.contains("POST /oauth2/token")
                ? "" : ", and on the token route also a delay of " + delaySeconds
                + " s (beyond `discord.refresh-timeout` 5 s, `discord.callback-timeout` 10 s and the client's 10 s read"
                + " timeout; only there, since each delay holds one of the emulator's 8 worker threads)"));
        row(md, "emulator rate limits", "token route and global limit raised to 100000/s (the 429s come from the faults)");
        row(md, "node kill", "`cluster.sh kill-node 1` after half of the logins ended, `cluster.sh start-node 1` 5 s later");
        row(md, "time bound", TimeUnit.NANOSECONDS.toSeconds(timeBoundNanos) + " s");
        row(md, "machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version"));
        md.append('\n');

        md.append("## Targets\n\n| target | result | met |\n|---|---|---|\n");
        md.append("| no answer with status 500 from a node | ").append(answers500).append(" | ").append(yes(answers500 == 0))
                .append(" |\n");
        md.append("| no session lost (a logged-in browser sent back to Discord, or a 401 from `/api/me`) | ")
                .append(sessionsLost.sum()).append(" | ").append(yes(sessionsLost.sum() == 0)).append(" |\n");
        md.append("| no secret in any log | ").append(secrets.size()).append(" findings in ").append(countLogs())
                .append(" log files | ").append(yes(secrets.isEmpty())).append(" |\n");
        md.append("| every login ends on the page, a library retry page or a balancer answer | ")
                .append(loginOther.sum()).append(" others | ").append(yes(loginOther.sum() == 0)).append(" |\n\n");

        md.append("## Logins\n\n| | count |\n|---|---|\n");
        row(md, "attempted", Long.toString(attempted.sum()));
        row(md, "completed (the protected page, 200)", Long.toString(completed.sum()));
        row(md, "ended on the library's retry page (502/503)", Long.toString(loginRetryPage.sum()));
        row(md, "ended on the library's error page (4xx, e.g. Discord refused the code)", Long.toString(loginErrorPage.sum()));
        row(md, "ended on the balancer's own answer", Long.toString(loginBalancer.sum()));
        row(md, "ended otherwise", Long.toString(loginOther.sum()));
        row(md, "page loads after login", Long.toString(pageLoads.sum()));
        row(md, "redirects inside the application on a page load (followed, as a browser does)",
                Long.toString(selfRedirects.sum()));
        row(md, "sessions lost", Long.toString(sessionsLost.sum()));
        row(md, "… of which right after the login (the landing page sent back to Discord)", Long.toString(lostRightAfterLogin.sum()));
        row(md, "… of which with a 401 from `/api/me` (the login ended by a call with the session's token)", Long.toString(apiMe401.sum()));
        row(md, "wall time", String.format("%.0f s (%.1f logins/s)", elapsed / 1e9, attempted.sum() / (elapsed / 1e9)));
        md.append('\n');

        md.append("## Refreshes\n\n| | count |\n|---|---|\n");
        row(md, "refresh grants sent to Discord (emulator journal)", Long.toString(refreshes));
        row(md, "of which answered 200", Long.toString(refreshesOk));
        grants.forEach((k, v) -> row(md, k.startsWith("~") ? k.substring(1) + " (emulator journal)"
                : "token requests `" + k + "`", Long.toString(v)));
        row(md, "refresh races lost and recovered (nodes' INFO line)", Long.toString(races));
        row(md, "refresh tokens refused by Discord (nodes' log)", Long.toString(refused));
        md.append('\n');

        md.append("## Answers by request kind and status\n\nThe class in brackets says who wrote a 4xx/5xx: `library retry`"
                + " (the library's 502/503 page or JSON, login kept), `library error`, `example app` (the example's own"
                + " JSON when Discord failed a call it made: 502; or refused the session's access token, which happens when"
                + " another node renewed the tokens a moment before and this node's copy of the session still holds the"
                + " old ones: 503 with `Retry-After`, the login kept, decided by the session's next request), `balancer` (HAProxy's own answer), `emulator`.\n\n"
                + "| kind | status | count |\n|---|---|---|\n");
        new TreeMap<>(answers).forEach((k, v) -> {
            String[] p = k.split(" ", 2);
            md.append("| ").append(p[0]).append(" | ").append(p[1]).append(" | ").append(v.sum()).append(" |\n");
        });
        md.append('\n');

        md.append("## Latency\n\n| kind | requests | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
        for (String kind : List.of("entry", "authorize", "callback", "landing", "landing-redirected",
                "profile", "profile-redirected", "api-me")) {
            List<Long> l = latencies.getOrDefault(kind, List.of());
            long[] a;
            synchronized (l) {
                a = l.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            if (a.length == 0) {
                continue;
            }
            md.append(String.format("| %s | %d | %.1f | %.1f | %.1f |%n", kind, a.length, a[a.length / 2] / 1000.0,
                    a[Math.min(a.length - 1, (int) (a.length * 0.99))] / 1000.0, a[a.length - 1] / 1000.0));
        }
        md.append('\n');

        md.append("## The node kill\n\n");
        if (killAt < 0) {
            md.append("Node 1 was not killed.\n\n");
        } else {
            md.append(String.format("Node 1 was killed at t+%.0f s and restarted 5 s later; it served again %.1f s after"
                    + " the kill. From the kill until 10 s after it served again: **%d failed requests** (balancer"
                    + " answers, I/O errors, other unexpected answers) and **%d sessions lost**.%n%n",
                    (killAt - start) / 1e9, readyAt < 0 ? -1.0 : (readyAt - killAt) / 1e9, killFailures, killLost));
            killLog.forEach(l -> md.append("- `").append(l.replace('`', '\'')).append("`\n"));
            md.append('\n');
        }

        long idleSeconds = Long.getLong("idle.seconds", mode.equals("ci") ? 0 : 65);
        md.append("## Nodes before, during and after\n\n\"Before\": idle, after a full GC, before the first login."
                + " \"During\": under load, just before node 1 was killed (no GC). \"After\": ")
                .append(idleSeconds > 0 ? idleSeconds + " s after the last request (idle threads and keep-alive"
                        + " connections time out after 60 s), after a full GC" : "right after the last request, after a"
                        + " full GC")
                .append(". Node 1's \"after\" is its restarted process, so node 2 is the one to compare.\n\n"
                        + "| node | before | during | after |\n|---|---|---|---|\n");
        Set<String> nodes = new java.util.TreeSet<>(before.keySet());
        nodes.addAll(after.keySet());
        for (String n : nodes) {
            md.append("| ").append(n).append(" | ").append(before.getOrDefault(n, "–")).append(" | ")
                    .append(middle.getOrDefault(n, "–")).append(" | ").append(after.getOrDefault(n, "–")).append(" |\n");
        }
        md.append("\n");

        md.append("## Logs\n\n| | lines |\n|---|---|\n");
        logLines.forEach((k, v) -> row(md, k, Long.toString(v)));
        md.append("\nSecret scan over every file under LOG_DIR: the client secret, the bot token, `access_token`/"
                + "`refresh_token` with a value, `Bearer`/`Basic`/`Bot` credentials, and ").append(harvestedTokens.size())
                .append(" access and refresh token values read from the session store during the run: ")
                .append(secrets.isEmpty() ? "**none found**." : "**found**:").append('\n');
        secrets.stream().limit(30).forEach(s -> md.append("- ").append(s).append('\n'));
        Map<String, Long> shaped = tokenShapedStrings();
        if (!shaped.isEmpty()) {
            md.append("\nOther token-shaped strings (30 characters of [A-Za-z0-9], not a known token; authorization"
                    + " codes and `state` values in request logs look like this):\n\n");
            shaped.entrySet().stream().limit(20).forEach(e -> md.append("- ").append(e.getKey()).append(": ")
                    .append(e.getValue()).append('\n'));
        }
        if (!samples.isEmpty()) {
            md.append("\n## Sample failures\n\n");
            samples.stream().limit(25).forEach(s -> md.append("- ").append(s.replace("|", "\\|")).append('\n'));
        }
        md.append("\nRun it again with `bench/reliability.sh ").append(logins).append(' ').append(concurrency)
                .append("`.\n");
        Files.writeString(report, md.toString());
        System.out.println(md);
        return missed.size();
    }

    long countLogs() {
        try {
            return logFiles().size();
        } catch (IOException e) {
            return 0;
        }
    }

    static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static String yes(boolean ok) {
        return ok ? "yes" : "**no**";
    }

    static String pct(double p) {
        return String.format("%.0f %%", p * 100);
    }

    static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @SafeVarargs
    static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            line = line.trim();
            if (line.startsWith("export ")) {
                line = line.substring(7);
            }
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq < 1) {
                continue;
            }
            String v = line.substring(eq + 1).trim();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            out.put(line.substring(0, eq).trim(), v);
        }
        return out;
    }
}
