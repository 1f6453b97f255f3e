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
    /** Where the nodes keep the users' tokens: {@code jdbc} (the shared token store) or {@code session}. */
    final String tokenStore;
    final String clientId;

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
        this.tokenStore = env.getOrDefault("TOKEN_STORE", "session");
        this.clientId = env.getOrDefault("CLIENT_ID", "1100000000000000001");
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
    /** The Discord user of each lost session. */
    final List<String> lostUsers = Collections.synchronizedList(new ArrayList<>());
    /** The calls the harness saw fail because Discord refused the session's access token. */
    final List<TokenAudit.RefusedCall> refusedCalls = Collections.synchronizedList(new ArrayList<>());
    /** Token requests seen in the emulator's journal (polled: it keeps only its last 10,000 requests). */
    final Set<String> journalSeen = ConcurrentHashMap.newKeySet();
    final Map<String, Long> journalCounts = new ConcurrentHashMap<>();
    final AtomicLong journalPolls = new AtomicLong();
    final AtomicLong journalGaps = new AtomicLong();
    volatile long killAt = -1;
    volatile java.time.Instant killWall;
    /** When {@code cluster.sh kill-node 1} was started ({@link #killWall}: when it returned). */
    volatile java.time.Instant killStartWall;
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
        // the emulator's journal, read every 10 s (it keeps its last 10,000 requests), and progress
        Thread harvester = new Thread(() -> {
            while (done.getCount() > 0) {
                pollJournal();
                System.out.printf("  t+%3ds  logins started %d, completed %d, retry pages %d, lost %d, page loads %d%n",
                        (System.nanoTime() - start) / 1_000_000_000L, Math.min(next.get(), logins), completed.sum(),
                        loginRetryPage.sum(), sessionsLost.sum(), pageLoads.sum());
                try {
                    done.await(10, TimeUnit.SECONDS);
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
        pollJournal();
        // what the run left in the database, before anything else happens to it
        TokenAudit audit = readTokens();
        TokenAudit.DbScan db = scanDatabase(audit);
        // "after": once idle pools have shrunk (Jetty's idle timeout and the balancer's keep-alive are 60 s), after a
        // full GC, so that what is left is what the run left behind
        long idle = Long.getLong("idle.seconds", mode.equals("ci") ? 0 : 65);
        if (idle > 0) {
            System.out.printf("reliability: waiting %d s for idle pools to shrink before measuring the nodes%n", idle);
            Thread.sleep(idle * 1000);
        }
        Map<String, String> after = nodeStats(true);
        Map<String, Long> grants = new TreeMap<>(journalCounts);
        Map<String, Long> logLines = grepLogs();
        List<String> secrets = scanSecrets(audit);
        return write(date, elapsed, timedOut.get(), before, after, grants, logLines, secrets, audit, db);
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
                lostUsers.add(String.valueOf(b.userId));
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
                Result json = null;
                if (script != null) {
                    try {
                        json = script.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        ioErrors.increment();
                    }
                }
                if (html.tokenRefused) {
                    refusedCalls.add(new TokenAudit.RefusedCall("profile", b.userId, html.node, html.sent, html.done,
                            json == null ? null : json.node));
                }
                if (json != null && json.status == 503 && json.tokenRefused) {
                    refusedCalls.add(new TokenAudit.RefusedCall("api-me", b.userId, json.node, json.sent, json.done,
                            html.node));
                }
                if (json != null) {
                    {
                        if (json.status == 401) {
                            lost = true;
                            apiMe401.increment();
                            why += (why.isEmpty() ? "" : "; ") + "/api/me on " + json.node + " 401: " + json.snippet;
                        }
                    }
                }
                if (lost) {
                    sessionsLost.increment();
                    lostTimes.add(System.nanoTime());
                    lostUsers.add(String.valueOf(b.userId));
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

    /**
     * One answer: {@code tokenRefused} when the example said Discord refused the session's access token (the JSON
     * {@code token_refused} of {@code /api/me}, the profile's "did not accept the token"); {@code sent} and
     * {@code done} when the request went out and its answer came back (wall clock, as the emulator's).
     */
    record Result(int status, String location, String cls, String snippet, String node, boolean tokenRefused,
            java.time.Instant sent, java.time.Instant done) {
    }

    static final Pattern USER_ID = Pattern.compile("<code id=\"user-id\">([0-9]{1,20})</code>");

    /** One browser's cookies, per origin (host and port), and its requests, recorded. */
    final class Browser {
        final Map<String, Map<String, String>> jar = new ConcurrentHashMap<>();
        /** The Discord user it logged in as (from the profile page). */
        volatile String userId;

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
            java.time.Instant sent = java.time.Instant.now();
            HttpResponse<String> r;
            try {
                r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                answer(kind, 0, "I/O error");
                ioErrors.increment();
                failure(kind + " I/O error: " + e);
                return new Result(0, null, "io", e.toString(), "?", false, sent, java.time.Instant.now());
            }
            java.time.Instant done = java.time.Instant.now();
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
            boolean tokenRefused = body.contains("\"token_refused\"") || body.contains("id=\"guilds-refused\"");
            if (r.statusCode() == 200) {
                Matcher user = USER_ID.matcher(body);
                if (user.find()) {
                    userId = user.group(1);
                }
            }
            answer(kind, r.statusCode(), r.statusCode() == 200 && tokenRefused ? "the guilds refused: Discord did not"
                    + " accept the token" : cls);
            if (r.statusCode() == 500 && !cls.equals("balancer")) {
                nodeServerErrors.increment();
                failure(kind + " 500 from a node: " + snippet(body));
            }
            if (r.statusCode() >= 500 && cls.equals("balancer")) {
                failure(kind + " balancer " + r.statusCode());
            }
            return new Result(r.statusCode(), r.headers().firstValue("Location").orElse(null), cls, snippet(body),
                    r.headers().firstValue("X-Cluster-Node").orElse("balancer"), tokenRefused, sent, done);
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

    /**
     * Reads the token and revocation requests in the emulator's journal and counts the ones not seen before, by grant
     * type and status. The journal keeps only its last 10,000 requests, so it is read every 10 s during the run (a
     * few minutes of traffic at this load) and once after it; a poll whose oldest entry is new while the journal is
     * full may have missed requests, and is counted as a possible gap.
     */
    synchronized void pollJournal() {
        try {
            long size = ((Number) MiniJson.object(MiniJson.parse(adminSend("GET", "/requests?limit=1", null)))
                    .getOrDefault("total", 0L)).longValue();
            boolean full = size >= 10_000;
            boolean gap = false;
            for (String route : List.of("POST /oauth2/token", "POST /oauth2/token/revoke")) {
                String json = adminSend("GET", "/requests?route=" + URLEncoder.encode(route, StandardCharsets.UTF_8)
                        .replace("+", "%20") + "&limit=10000", null);
                boolean oldest = true;
                for (Object o : MiniJson.array(MiniJson.object(MiniJson.parse(json)).get("requests"))) {
                    Map<String, Object> e = MiniJson.object(o);
                    List<Object> grantType = MiniJson.array(MiniJson.object(e.get("form")).get("grant_type"));
                    String what = route.endsWith("/revoke") ? "~revocations (POST /oauth2/token/revoke)"
                            : (grantType.isEmpty() ? "?" : String.valueOf(grantType.get(0))) + " " + e.get("status");
                    boolean isNew = journalSeen.add(route + "|" + e.get("time") + "|" + e.get("status") + "|" + what);
                    if (oldest && isNew && full && journalPolls.get() > 0) {
                        gap = true;
                    }
                    oldest = false;
                    if (isNew) {
                        journalCounts.merge(what, 1L, Long::sum);
                    }
                }
            }
            if (gap) {
                journalGaps.incrementAndGet();
            }
            journalPolls.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            System.out.println("reliability: the emulator's journal could not be read: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every token the emulator issued, with its history (read once the run is over). */
    TokenAudit readTokens() {
        try {
            return TokenAudit.parse(adminSend("GET", "/applications/" + clientId + "/tokens", null));
        } catch (IOException | RuntimeException e) {
            System.out.println("reliability: the emulator's tokens could not be read: " + e);
            return new TokenAudit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TokenAudit();
        }
    }

    /**
     * The cluster's database after the run: a {@code pg_dump --data-only} of it (every table: Jetty's sessions, the
     * token store) and every file of its data directory, scanned for every token value the emulator issued, and the
     * token store's rows checked (see {@link TokenAudit#scanDump}).
     */
    TokenAudit.DbScan scanDatabase(TokenAudit audit) {
        TokenAudit.DbScan scan = new TokenAudit.DbScan();
        String port = env.get("PG_PORT");
        if (port == null) {
            scan.error = "no PG_PORT in cluster.env";
            return scan;
        }
        Map<String, String> state = Map.of();
        try {
            state = readEnv(Path.of(System.getProperty("cluster.dir", env.getOrDefault("CLUSTER_DIR", ".")),
                    "state.env"));
        } catch (IOException e) {
            // no keys: the sealed values are checked for their form only
        }
        String user = env.getOrDefault("PG_USER", "cluster");
        String db = env.getOrDefault("PG_DB", "sessions");
        // what PostgreSQL holds in its buffers goes to the files before they are read
        exec(pgTool("psql"), "-h", "127.0.0.1", "-p", port, "-U", user, "-d", db, "-c", "CHECKPOINT");
        try {
            Path out = Files.createTempFile(logDir.getParent(), "database-", ".dump");
            try {
                String err = exec(pgTool("pg_dump"), "-h", "127.0.0.1", "-p", port, "-U", user, "--data-only",
                        "-f", out.toString(), db);
                String dump = Files.readString(out, StandardCharsets.ISO_8859_1);
                if (!dump.contains("COPY ")) {
                    scan.error = "pg_dump failed: " + snippet(err);
                } else {
                    audit.scanDump(dump, scan, TokenAudit.keys(state.get("TOKEN_STORE_KEYS")));
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            scan.error = "the dump could not be read: " + e;
        }
        String pgDir = env.get("PG_DIR");
        audit.scanDataDirectory(pgDir == null ? null : Path.of(pgDir, "data"), scan);
        return scan;
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
            killStartWall = java.time.Instant.now();
            killLog.add(cluster("kill-node", "1"));
            killAt = System.nanoTime();
            killWall = java.time.Instant.now();
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

    static final Pattern TOKEN_SHAPE = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z0-9]{30}(?![A-Za-z0-9])");

    /** A PostgreSQL client tool of the newest version installed ({@code pg_dump}, {@code psql}). */
    static String pgTool(String name) {
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin/" + name)).filter(Files::isExecutable).sorted().reduce((a, b) -> b)
                    .map(Path::toString).orElse(name);
        } catch (IOException e) {
            return name;
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
            "refreshing the Discord token failed",
            "Discord refused the stored refresh token",
            "Discord refused the stored access token",
            "deleting refused tokens failed",
            "sessions are kept and answered 503 until it answers",
            "a login could not be stored");

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
    List<String> scanSecrets(TokenAudit audit) throws IOException {
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
                long tokens = TokenAudit.matches(line.getBytes(StandardCharsets.ISO_8859_1), line.length(), audit.values);
                for (long t = 0; t < tokens; t++) {
                    found.add(where + ": a token value the emulator issued");
                }
            }
        }
        return found;
    }

    /** Token-shaped strings in the logs that are not known tokens (authorization codes in URLs, for example). */
    Map<String, Long> tokenShapedStrings(Set<String> tokens) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (Path f : logFiles()) {
            for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                Matcher m = TOKEN_SHAPE.matcher(line);
                while (m.find()) {
                    if (mixed(m.group()) && !tokens.contains(m.group())) {
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
            Map<String, Long> grants, Map<String, Long> logLines, List<String> secrets, TokenAudit audit,
            TokenAudit.DbScan db) throws IOException {
        List<String> missed = new ArrayList<>();
        boolean jdbc = tokenStore.equals("jdbc");
        long answers500 = nodeServerErrors.sum();
        if (answers500 > 0) {
            missed.add(answers500 + " answers with status 500 from the nodes (target 0)");
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
        if (audit.values.isEmpty()) {
            missed.add("the emulator listed no token, so token values were not looked for in the logs and the database");
        }
        if (db.error != null) {
            missed.add("the database was not scanned: " + db.error);
        }
        TokenAudit.Kill kill = killWall == null ? null : new TokenAudit.Kill(killStartWall, killWall);
        TokenAudit.RefreshVerdicts verdicts = audit.refreshRefusals(kill);
        long lostByKill;
        synchronized (lostUsers) {
            lostByKill = lostUsers.stream().filter(verdicts.lostRotationUsers::contains).count();
        }
        long lostOther = sessionsLost.sum() - lostByKill;
        if (lostOther > 0) {
            missed.add(lostOther + " sessions lost (target 0" + (lostByKill > 0 ? "; " + lostByKill + " more whose new"
                    + " tokens the killed node took with it" : "") + ")");
        }
        long refreshRefused = grants.getOrDefault("refresh_token 400", 0L);
        // a 400 the emulator recorded no refusal for (an unknown token, a bad request) is not explained either
        long unrecorded = Math.max(0, refreshRefused - verdicts.total());
        long raceRefusals = verdicts.race + unrecorded;
        List<String> callSamples = new ArrayList<>();
        List<TokenAudit.RefusedCall> calls;
        synchronized (refusedCalls) {
            calls = List.copyOf(refusedCalls);
        }
        Map<String, Long> apiClasses = audit.classify(calls.stream().filter(c -> c.kind().equals("api-me")).toList(),
                "GET /users/@me", callSamples, kill);
        Map<String, Long> pageClasses = audit.classify(calls.stream().filter(c -> c.kind().equals("profile")).toList(),
                "GET /users/@me/guilds", callSamples, kill);
        long stale503 = apiClasses.get("stale") + apiClasses.get("not found");
        long plaintext = db.plaintext();
        long notSealed = db.tokenValues - db.sealed;
        if (jdbc) {
            if (plaintext > 0) {
                missed.add(plaintext + " plaintext token values in the database (target 0)");
            }
            if (notSealed > 0) {
                missed.add(notSealed + " token values in discord_tokens not sealed (target 0)");
            }
            if (raceRefusals > 0) {
                missed.add(raceRefusals + " refresh grants refused because of a race (target 0)");
            }
            if (stale503 > 0) {
                missed.add(stale503 + " 503s from /api/me with a token another refresh had replaced before the request"
                        + " (target 0)");
            }
        }
        long revocations = grants.getOrDefault("~revocations (POST /oauth2/token/revoke)", 0L);
        long refreshes = grants.entrySet().stream().filter(e -> e.getKey().startsWith("refresh_token ")).mapToLong(
                Map.Entry::getValue).sum();
        long refreshesOk = grants.getOrDefault("refresh_token 200", 0L);
        long races = logLines.getOrDefault("a refresh race with another node was lost and recovered", 0L);
        long refused = logLines.getOrDefault("refused the session's refresh token", 0L)
                + logLines.getOrDefault("Discord refused the stored refresh token", 0L);

        // the kill window: from the kill to 10 s after node 1 serves again
        long windowEnd = readyAt < 0 ? Long.MAX_VALUE : readyAt + 10_000_000_000L;
        long killFailures = killAt < 0 ? 0 : failureTimes.stream().filter(t -> t[0] >= killAt && t[0] <= windowEnd).count();
        long killLost = killAt < 0 ? 0 : lostTimes.stream().filter(t -> t >= killAt && t <= windowEnd).count();

        StringBuilder md = new StringBuilder();
        md.append("# Reliability\n\n");
        md.append("Written by `bench/reliability.sh` (").append(mode).append(" mode) on ").append(date)
                .append(". Simulated browsers log in with Discord through the cluster's balancer (HAProxy, round robin, no"
                        + " stickiness) in front of the example WAR on Jetty 12 nodes that share their sessions in"
                        + " PostgreSQL" + (jdbc ? " and keep the users' tokens in the shared token store (`discord_tokens`"
                        + " in the same database)" : "") + ", while the Discord emulator fails ")
                .append(pct(FAULT_PROBABILITY)).append(" of its answers on the token, user and guild routes, and node 1"
                        + " is killed with `kill -9` half-way and restarted. Loopback only.\n\n");
        md.append(missed.isEmpty() ? "**Result: every target met.**" : "**Result: targets missed:** "
                + String.join("; ", missed) + ".").append("\n\n");

        md.append("## Configuration\n\n| setting | value |\n|---|---|\n");
        row(md, "logins", Integer.toString(logins));
        row(md, "browsers at once", Integer.toString(concurrency));
        row(md, "nodes", env.getOrDefault("NODES", Long.toString(before.size())));
        row(md, "token store", jdbc ? "`jdbc` (`cluster.sh` default): each user's tokens in one row of `discord_tokens` in"
                + " the cluster's PostgreSQL, sealed with AES-GCM; the sessions hold the identity only; a refresh runs"
                + " once for the cluster under the row's lock" : "`" + tokenStore + "`: the tokens in the shared HTTP"
                + " sessions (`TOKEN_STORE=session`, as before the token store); the token store's targets are reported,"
                + " not enforced");
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
        md.append("| no session lost (a logged-in browser sent back to Discord, or a 401 from `/api/me`), except one whose"
                + " new tokens the killed node took with it (see \"The node kill\") | ").append(lostOther)
                .append(lostByKill > 0 ? " (and " + lostByKill + " by the kill)" : "").append(" | ")
                .append(yes(lostOther == 0)).append(" |\n");
        md.append("| no secret in any log | ").append(secrets.size()).append(" findings in ").append(countLogs())
                .append(" log files | ").append(yes(secrets.isEmpty())).append(" |\n");
        String enforced = jdbc ? "" : " (not a target with the session store)";
        md.append("| no plaintext token value in the database (every access and refresh token the emulator issued, looked"
                + " for in a dump of every table, Jetty's binary session data decoded, and in the data directory's files)"
                + " | ").append(plaintext).append(" found; ").append(db.sealed).append(" of ").append(db.tokenValues)
                .append(" token column values sealed").append(enforced).append(" | ")
                .append(jdbc ? yes(plaintext == 0 && notSealed == 0 && db.error == null) : "–").append(" |\n");
        md.append("| no refresh grant refused because of a race (refused with a refresh token that a refresh had already"
                + " rotated and whose new tokens were then used, or refused for no reason the emulator recorded) | ")
                .append(raceRefusals).append(" of ").append(refreshRefused).append(" refused").append(enforced)
                .append(" | ").append(jdbc ? yes(raceRefusals == 0) : "–").append(" |\n");
        md.append("| no 503 from `/api/me` caused by another node's rotation (Discord refused an access token that a"
                + " refresh had replaced before the browser sent the request, or a refusal the emulator has no record"
                + " of) | ").append(stale503).append(" of ").append(calls.stream().filter(c -> c.kind().equals("api-me"))
                .count()).append(" token refusals").append(enforced).append(" | ").append(jdbc ? yes(stale503 == 0) : "–")
                .append(" |\n");
        md.append("| every login ends on the page, a library retry page or a balancer answer | ")
                .append(loginOther.sum()).append(" others | ").append(yes(loginOther.sum() == 0)).append(" |\n\n");

        if (mode.equals("full")) {
            long apiMe = answers.entrySet().stream().filter(e -> e.getKey().startsWith("api-me ")).mapToLong(
                    e -> e.getValue().sum()).sum();
            long apiMe503 = answers.entrySet().stream().filter(e -> e.getKey().startsWith("api-me 503")).mapToLong(
                    e -> e.getValue().sum()).sum();
            md.append("## Before the token store\n\nThe previous full run, with the tokens in the sessions (`RELIABILITY.md`"
                    + " of Mon, 30 Nov 2026 16:18:36 GMT: 10,000 logins, 64 browsers, 63 s tokens, the same faults and node"
                    + " kill), beside this one.\n\n| | session store, 30 Nov 2026 | this run (" + tokenStore + ") |\n"
                    + "|---|---|---|\n");
            md.append("| refresh grants sent | 2,203 ¹ | ").append(refreshes).append(" |\n");
            md.append("| … refused (`invalid_grant`) | 631 ¹, from races between nodes | ").append(refreshRefused)
                    .append(": ").append(raceRefusals).append(" because of a race, ").append(verdicts.revocation)
                    .append(" by a revocation, ").append(verdicts.lostRotation).append(" by a rotation lost with the"
                    + " killed node |\n");
            md.append("| `/api/me` answers | 18,874 | ").append(apiMe).append(" |\n");
            md.append("| … 503 (the example's: Discord refused the session's access token) | 4,657, a node's copy of the"
                    + " session holding tokens another node had rotated | ").append(apiMe503).append(": ")
                    .append(stale503).append(" stale, ").append(apiClasses.get("in flight")
                    + apiClasses.get("in flight, other node")).append(" in flight |\n");
            md.append("| \"refresh race lost and recovered\" log lines | 10,748 | ").append(races).append(" |\n");
            md.append("| \"refused the session's refresh token\" log lines | 8,244 | ").append(refused).append(" ² |\n");
            md.append("| sessions lost, 500s, secrets in logs | 0, 0, 0 | ").append(sessionsLost.sum())
                    .append(lostByKill > 0 ? " (" + lostByKill + " by the node kill)" : "").append(", ")
                    .append(answers500).append(", ").append(secrets.size()).append(" |\n");
            md.append("| plaintext token values in the database | not looked for (the sessions held them) | ")
                    .append(plaintext).append(" |\n");
            md.append(String.format("| wall time | 1,757 s | %.0f s |%n%n", elapsed / 1e9));
            md.append("¹ Read once after that run from the emulator's journal, which keeps only its last 10,000"
                    + " requests: the window held 778 code exchanges, so these two figures cover roughly the run's last"
                    + " 8 % of logins (the log lines, 10,748 and 8,244, count the whole run). This run reads the journal"
                    + " every 10 s and counts every request.\n\n"
                    + "² With the token store: \"Discord refused the stored refresh token\", logged when Discord refused"
                    + " the refresh that held the row's lock.\n\n");
        }

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
        row(md, "… of which because the killed node took the user's new tokens with it (it had sent a refresh that"
                + " Discord answered, rotating the tokens, and died before storing them; then Discord refused the"
                + " stored refresh or access token; see \"The node kill\")",
                Long.toString(lostByKill));
        row(md, "… of which right after the login (the landing page sent back to Discord)", Long.toString(lostRightAfterLogin.sum()));
        row(md, "… of which with a 401 from `/api/me` (the login ended by a call with the session's token)", Long.toString(apiMe401.sum()));
        row(md, "wall time", String.format("%.0f s (%.1f logins/s)", elapsed / 1e9, attempted.sum() / (elapsed / 1e9)));
        md.append('\n');

        md.append("## Refreshes\n\nCounted from the emulator's journal, read every 10 s during the run and once after"
                + " it (the journal keeps its last 10,000 requests: read once at the end, as before, it held only the"
                + " run's last few minutes): ").append(journalPolls.get()).append(" reads, ").append(journalGaps.get())
                .append(" of them possibly after requests had already left it. Why a refresh grant was refused comes"
                + " from the emulator's record of each token it issued (`GET /__admin/applications/{id}/tokens`): how"
                + " the refresh token had ended (rotated by a refresh, or revoked), and whether the tokens that"
                + " replaced it were ever used.\n\n| | count |\n|---|---|\n");
        row(md, "refresh grants sent to Discord", Long.toString(refreshes));
        row(md, "… answered 200 (rotated: new tokens)", Long.toString(refreshesOk));
        row(md, "… refused (400 `invalid_grant`)", Long.toString(refreshRefused));
        row(md, "&nbsp;&nbsp;… explained by a revocation (the library revokes the grant of a login it could not"
                + " complete: `POST /oauth2/token/revoke`)", Long.toString(verdicts.revocation));
        row(md, "&nbsp;&nbsp;… explained by the node kill (rotated from " + TokenAudit.BEFORE_KILL.toSeconds()
                + " s before it to " + TokenAudit.AFTER_KILL.toSeconds() + " s after it by a refresh whose new tokens nobody ever used: the killed node had sent it and never stored"
                + " the answer)", Long.toString(verdicts.lostRotation)
                + (verdicts.lostRotationTimes.isEmpty() || killWall == null ? "" : " (rotated " + verdicts.lostRotationTimes
                .stream().map(t -> String.format("%+.1f s", Duration.between(killWall, t).toMillis() / 1000.0))
                .collect(Collectors.joining(", ")) + " from the kill)"));
        row(md, "&nbsp;&nbsp;… **because of a race** (the refresh token had been rotated and its new tokens used;"
                + " or never used, far from the kill)",
                Long.toString(verdicts.race));
        row(md, "&nbsp;&nbsp;… with no refusal in the emulator's record (an unknown token, a bad request)",
                Long.toString(unrecorded));
        row(md, "… failed by an injected fault (no answer, 429, 5xx, malformed JSON)", Long.toString(refreshes
                - refreshesOk - refreshRefused));
        grants.forEach((k, v) -> row(md, k.startsWith("~") ? k.substring(1) : "token requests `" + k + "`",
                Long.toString(v)));
        audit.issuedByType.forEach((k, v) -> row(md, "tokens issued by `" + k + "` (emulator)", Long.toString(v)));
        row(md, "refresh races lost and recovered (nodes' INFO line; the session store's recovery)", Long.toString(races));
        row(md, "refresh tokens refused by Discord (nodes' log)", Long.toString(refused));
        md.append('\n');
        verdicts.samples.stream().limit(8).forEach(x -> md.append("- ").append(x).append('\n'));
        if (!verdicts.samples.isEmpty()) {
            md.append('\n');
        }

        long apiRefusals = calls.stream().filter(c -> c.kind().equals("api-me")).count();
        long pageRefusals = calls.size() - apiRefusals;
        md.append("## Access tokens Discord refused\n\nWhen Discord refuses the session's access token (401) to a call"
                + " of the example, `/api/me` answers 503 `token_refused` (the login kept) and `/profile` shows its page"
                + " without the guilds. For each such answer the harness looks up the emulator's refusal of an access"
                + " token of that browser's user on that route between the request's sending and its answer, and the"
                + " token's history: **stale** when a refresh had replaced the token before the browser sent the"
                + " request and the new tokens had been stored (the node used tokens that were no longer the current"
                + " ones: what the session store did when another node had rotated them; the target), **replaced by a"
                + " refresh the killed node never stored** (rotated from " + TokenAudit.BEFORE_KILL.toSeconds()
                + " s before the kill to " + TokenAudit.AFTER_KILL.toSeconds() + " s after it by a refresh whose new tokens nobody ever used: the store still held the old ones,"
                + " see \"The node kill\"), **in flight** when the token was replaced while"
                + " the request was under way (the request had read the then current tokens, and a refresh started by"
                + " the browser's concurrent request or one already running replaced them before its call reached"
                + " Discord: rotation revokes the old access token at once, so no store can prevent this; the library"
                + " could only retry such a call with the new token), `revoked`, `expired`, or `not found` (counted"
                + " with the target).\n\n| | `/api/me` 503 | `/profile` without guilds |\n|---|---|---|\n");
        row3(md, "answers", apiRefusals, pageRefusals);
        for (String c : TokenAudit.CALL_CLASSES) {
            row3(md, "… " + (c.equals("in flight, other node") ? "in flight, the browser's concurrent request answered"
                    + " by the other node" : c.equals("in flight") ? "in flight (the concurrent request on the same node,"
                    + " or none)" : c.equals("lost with the killed node") ? "replaced by a refresh the killed node never"
                    + " stored (see \"The node kill\")" : c), apiClasses.get(c), pageClasses.get(c));
        }
        md.append('\n');
        callSamples.stream().limit(10).forEach(x -> md.append("- ").append(x).append('\n'));
        if (!callSamples.isEmpty()) {
            md.append('\n');
        }

        md.append("## The database\n\nAfter the run, before the cluster stopped: `CHECKPOINT`, then a `pg_dump"
                + " --data-only` of the cluster's database (").append(String.format("%.1f MB", db.dumpBytes / 1e6))
                .append("; rows: ").append(db.rows.isEmpty() ? "none" : db.rows.entrySet().stream().map(e -> "`" + e.getKey()
                + "` " + e.getValue()).collect(Collectors.joining(", "))).append(") and every file of its data directory ("
                + String.format("%d files, %.1f MB", db.dataDirFiles, db.dataDirBytes / 1e6)).append(db.dataDirError == null
                ? "" : "; " + db.dataDirError).append(": tables, indexes and the write-ahead log, so rows updated or"
                + " deleted during the run too) were searched for each of the ").append(audit.values.size()).append(
                " access and refresh token values the emulator issued, as 30 characters anywhere, and the binary"
                + " columns (Jetty's serialized session data, ").append(String.format("%.1f MB", db.sessionDataBytes / 1e6))
                .append(") decoded first. ").append(db.error == null ? "" : "**" + db.error + "** ").append("\n\n"
                + "| | count |\n|---|---|\n");
        row(md, "plaintext token values found", plaintext == 0 ? "0" : plaintext + ": " + db.findings.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        row(md, "rows in `discord_tokens`", Long.toString(db.rows.getOrDefault("discord_tokens", 0L)));
        row(md, "token column values in it", Long.toString(db.tokenValues));
        row(md, "… in the sealed form `kid.nonce.ciphertext`", Long.toString(db.sealed));
        row(md, "… opened with the cluster's key and the row's user id", Long.toString(db.opened));
        row(md, "&nbsp;&nbsp;… a token the emulator issued to that user and still current", Long.toString(db.current));
        row(md, "&nbsp;&nbsp;… a token the emulator issued to that user, since rotated or revoked", Long.toString(db.ended));
        row(md, "&nbsp;&nbsp;… no token the emulator issued to that user", Long.toString(db.unknown));
        md.append('\n');
        db.notSealed.forEach(x -> md.append("- not sealed: ").append(x).append('\n'));

        md.append("## Answers by request kind and status\n\nThe class in brackets says who wrote a 4xx/5xx: `library retry`"
                + " (the library's 502/503 page or JSON, login kept), `library error`, `example app` (the example's own"
                + " JSON when Discord failed a call it made: 502; or refused the session's access token: 503 `token_refused`"
                + " with `Retry-After`, the login kept; see \"Access tokens Discord refused\" for why), `balancer`"
                + " (HAProxy's own answer), `emulator`; a `/profile` page whose guilds Discord refused is a 200 marked as"
                + " such.\n\n"
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
            md.append("Discord rotates a user's tokens when it handles a refresh: the old refresh and access tokens stop"
                    + " working at once, and the answer is the only copy of the new ones. A node killed after it sent a"
                    + " refresh and before it stored the answer takes the user's only usable tokens with it; the store"
                    + " still holds the rotated ones, so the next refresh on the other node is refused (`invalid_grant`)"
                    + " or the next call with the stored access token is (401), and the library ends the user's"
                    + " sessions (it has no token left to act with). The harness tells these apart from a race, and"
                    + " from a stale token, by the emulator's record: the refused token was rotated within "
                    + "from " + TokenAudit.BEFORE_KILL.toSeconds() + " s before the kill to " + TokenAudit.AFTER_KILL.toSeconds()
                    + " s after it by a refresh whose new tokens nobody ever used."
                    + " This run: ").append(verdicts.lostRotation).append(" such refresh grant(s) refused, ")
                    .append(apiClasses.get("lost with the killed node")).append(" `/api/me` 503(s) and ")
                    .append(pageClasses.get("lost with the killed node")).append(" page(s) without guilds with such an"
                    + " access token, ").append(lostByKill).append(" session(s) lost by it. No store can prevent this (with the tokens in"
                    + " the sessions, the killed node's session write is lost the same way).\n\n");
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
                + "`refresh_token` with a value, `Bearer`/`Basic`/`Bot` credentials, and the ").append(audit.values.size())
                .append(" access and refresh token values the emulator issued: ")
                .append(secrets.isEmpty() ? "**none found**." : "**found**:").append('\n');
        secrets.stream().limit(30).forEach(s -> md.append("- ").append(s).append('\n'));
        Map<String, Long> shaped = tokenShapedStrings(audit.values);
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

    static void row3(StringBuilder md, String k, long a, long b) {
        md.append("| ").append(k).append(" | ").append(a).append(" | ").append(b).append(" |\n");
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
