package dev.discordoauth2.bench;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.AuthorizeRequest;
import dev.discordoauth2.DiscordOAuth2Client;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark and writes {@code BENCHMARKS.md}: request overhead (bare vs ours in container and cookie mode
 * vs pac4j, load from another process, interleaved rounds), login flow (logins/s, CPU share from JFR, connections
 * opened), client call cost (ours vs the raw JDK client), footprint (session bytes, heap per logged-in user in each
 * mode, the login cookie's bytes, first request after deployment), JMH hot paths, and JFR of the logged-in request. Every figure that compares is a ratio measured in one run, A and B interleaved.
 *
 * <p>Usage: {@code BenchRunner OUTPUT.md [rounds] [seconds]} with the bench class path as {@code java.class.path};
 * {@code BenchRunner first-login [jvms]} prints only the first-login section, {@code BenchRunner profile [seconds]}
 * only the profile of the logged-in request (section 7), {@code BenchRunner footprint} only the footprint (section 4).
 */
public final class BenchRunner {
    private final int rounds;
    private final int seconds;
    private final String classpath = System.getProperty("java.class.path");
    private final StringBuilder md = new StringBuilder();
    /** JFR keeps whole stacks: Jetty's are deeper than its default of 64 frames, which would cut the filter off. */
    private static final String PROFILING = "-XX:FlightRecorderOptions:stackdepth=256";

    private BenchRunner(int rounds, int seconds) {
        this.rounds = rounds;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("first-login")) {
            BenchRunner runner = new BenchRunner(0, 0);
            runner.firstLogin(args.length > 1 ? Integer.parseInt(args[1]) : 5);
            System.out.print(runner.md);
            return;
        }
        if (args.length > 0 && args[0].equals("profile")) {
            BenchRunner runner = new BenchRunner(0, args.length > 1 ? Integer.parseInt(args[1]) : 8);
            try (ServerProcess server = runner.new ServerProcess(PROFILING)) {
                runner.profile(server, logins(server));
            }
            System.out.print(runner.md);
            return;
        }
        if (args.length > 0 && args[0].equals("footprint")) {
            BenchRunner runner = new BenchRunner(0, 0);
            try (ServerProcess server = runner.new ServerProcess()) {
                runner.footprint(server, logins(server));
            }
            System.out.print(runner.md);
            return;
        }
        Path output = Path.of(args.length > 0 ? args[0] : "BENCHMARKS.md");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        BenchRunner runner = new BenchRunner(rounds, seconds);
        runner.run();
        Files.writeString(output, runner.md.toString());
        System.out.println("wrote " + output.toAbsolutePath());
    }

    // ------------------------------------------------------------------------------------------ processes

    /** A BenchServer JVM; closing it closes its standard input, which stops it. */
    private final class ServerProcess implements AutoCloseable {
        final Process process;
        final int port;
        final URI base;

        ServerProcess(String... jvmOptions) throws IOException {
            List<String> command = new ArrayList<>(List.of(java(), "-Xms512m", "-Xmx2g", "-Dsun.net.httpserver.nodelay=true"));
            command.addAll(List.of(jvmOptions));
            command.addAll(List.of("-cp", classpath, BenchServer.class.getName()));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            int p = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    p = Integer.parseInt(line.substring(6).trim());
                    break;
                }
            }
            if (p < 0) {
                throw new IOException("bench server did not start");
            }
            port = p;
            base = URI.create("http://127.0.0.1:" + port + "/");
            Thread drain = new Thread(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (IOException e) {
                    // server gone
                }
            });
            drain.setDaemon(true);
            drain.start();
        }

        String stats(String what) throws IOException, InterruptedException {
            return get(base.resolve("/stats/" + what), null);
        }

        String stats(String what, String cookie) throws IOException, InterruptedException {
            return get(base.resolve("/stats/" + what), cookie);
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            process.waitFor();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs the load generator in its own JVM and returns its output line, split. */
    private String[] generate(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g", "-cp", classpath,
                LoadGenerator.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException("load generator failed: " + String.join(" ", args));
        }
        String[] lines = out.split("\n");
        return lines[lines.length - 1].trim().split(" ");
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static String get(URI uri, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    // ------------------------------------------------------------------------------------------ run

    /**
     * The logged-in browsers the request benchmarks replay: the {@code Cookie} header of ours in container mode
     * (JSESSIONID), of ours in cookie mode (DISCORD_LOGIN; with the login's {@code Set-Cookie} lines), of pac4j.
     */
    private record Logins(String container, LoadGenerator.Session cookieMode, String pac4j) {
        String cookie() {
            return cookieMode.cookieHeader();
        }
    }

    /** One login of each kind, the cookie mode's checked to be served as logged in without any session. */
    private static Logins logins(ServerProcess server) throws Exception {
        Logins logins = new Logins(LoadGenerator.login(server.base, null), LoadGenerator.cookieLogin(server.base),
                LoadGenerator.pac4jLogin(server.base));
        checkCookieMode(server, logins.cookieMode());
        return logins;
    }

    /**
     * The cookie mode's logged-in request is served as logged in (200 and the servlet's body, no cookie set), the
     * browser holds DISCORD_LOGIN only, and without the cookie the same page sends the browser to Discord, with no
     * JSESSIONID anywhere: else the benchmark would measure a redirect, or a session.
     */
    private static void checkCookieMode(ServerProcess server, LoadGenerator.Session login) throws Exception {
        if (!login.names().equals(java.util.Set.of("DISCORD_LOGIN"))) {
            throw new IllegalStateException("the cookie-mode login left cookies " + login.names());
        }
        URI page = server.base.resolve(BenchServer.COOKIE_CONTEXT + "/hello");
        HttpResponse<String> in = HTTP.send(HttpRequest.newBuilder(page).header("Accept", "text/html")
                .header("Cookie", login.cookieHeader()).build(), HttpResponse.BodyHandlers.ofString());
        if (in.statusCode() != 200 || !in.body().equals("hello") || in.headers().firstValue("Set-Cookie").isPresent()) {
            throw new IllegalStateException("the cookie-mode logged-in request answered " + in.statusCode() + " "
                    + in.headers().allValues("Set-Cookie").size() + " Set-Cookie");
        }
        HttpResponse<String> out = HTTP.send(HttpRequest.newBuilder(page).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        String location = out.headers().firstValue("Location").orElse("");
        if (out.statusCode() != 302 || !location.contains("/oauth2/authorize")
                || out.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("JSESSIONID="))) {
            throw new IllegalStateException("the cookie-mode page without a login answered " + out.statusCode());
        }
    }

    private void run() throws Exception {
        header();
        StringBuilder profile = new StringBuilder();
        try (ServerProcess server = new ServerProcess(PROFILING)) {
            Logins logins = logins(server);
            requestOverhead(server, logins);
            int mark = md.length();
            profile(server, logins);
            profile.append(md, mark, md.length());
            md.setLength(mark);
            loginFlow(server);
            clientCalls(server);
            footprint(server, logins);
        }
        jmh();
        firstLogin(5);
        md.append(profile);
        notes();
    }

    private void header() throws IOException, InterruptedException {
        md.append("# Benchmarks\n\n")
                .append("Measured by `bench/run.sh` on ").append(LocalDate.now()).append(". Every comparison is a ratio "
                        + "measured in one run, A and B interleaved in rounds; absolute figures are context only (the "
                        + "machine is shared and noisy). Regenerate with `bench/run.sh`.\n\n")
                .append("## Machine\n\n")
                .append("| | |\n|---|---|\n")
                .append("| CPU | ").append(cpu()).append(" |\n")
                .append("| cores | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n")
                .append("| memory | ").append(memory()).append(" |\n")
                .append("| JVM | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n")
                .append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(" |\n")
                .append("| rounds × seconds | ").append(rounds).append(" × ").append(seconds).append(" s per target |\n\n");
    }

    private static String cpu() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.exists(info)) {
            return System.getProperty("os.arch");
        }
        return Files.readAllLines(info).stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
    }

    private static String memory() throws IOException {
        Path info = Path.of("/proc/meminfo");
        if (!Files.exists(info)) {
            return "?";
        }
        return Files.readAllLines(info).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB").orElse("?");
    }

    // ------------------------------------------------------------------------------------------ 1. requests

    /**
     * Seconds of load before each slice's count starts, in the load generator's JVM and on its connections: a fresh
     * JVM runs its first second or so interpreted and compiling, and which code it ends up with differs from JVM to
     * JVM, so counting from its start made a slice's throughput swing by half between two runs of one target.
     */
    private static final int SLICE_WARM_UP = 2;

    private void requestOverhead(ServerProcess server, Logins logins) throws Exception {
        String[][] targets = {{"bare", "/bare/hello", "-"}, {"bare+session", "/bare/hello", logins.container()},
                {"bare+cookie", "/bare/hello", logins.cookie()}, {"ours", "/discord/hello", logins.container()},
                {"ours-cookie", BenchServer.COOKIE_CONTEXT + "/hello", logins.cookie()},
                {"pac4j", "/pac4j/hello", logins.pac4j()}};
        int concurrency = 16;
        for (String[] t : targets) {
            generate("requests", "127.0.0.1", Integer.toString(server.port), t[1], t[2], Integer.toString(concurrency),
                    "2");
        }
        Map<String, List<double[]>> results = new HashMap<>();
        for (int round = 0; round < rounds; round++) {
            List<String[]> order = new ArrayList<>(List.of(targets));
            Collections.rotate(order, round);
            for (String[] t : order) {
                String[] r = generate("requests", "127.0.0.1", Integer.toString(server.port), t[1], t[2],
                        Integer.toString(concurrency), Integer.toString(seconds), Integer.toString(SLICE_WARM_UP));
                long cpu = Long.parseLong(r[4]);
                results.computeIfAbsent(t[0], k -> new ArrayList<>()).add(new double[] {
                        Double.parseDouble(r[0]) / seconds, Double.parseDouble(r[1]), Double.parseDouble(r[2]),
                        Double.parseDouble(r[3]), cpu < 0 ? Double.NaN
                                : cpu / 1000.0 / Math.max(1, Double.parseDouble(r[0])), Double.parseDouble(r[5])});
            }
        }
        md.append("## 1. Authenticated request overhead\n\n")
                .append("One embedded Jetty 12, a servlet answering `hello` (5 bytes), two applications. The root one: "
                        + "no filter (measured without a cookie, `bare`, and with the logged-in session's cookie, "
                        + "`bare+session`, which makes Jetty resolve and commit the session as it must for any "
                        + "session-based login, and with the cookie-mode login's `DISCORD_LOGIN` cookie, "
                        + "`bare+cookie`: what its bytes cost Jetty's parsing, which any login in a cookie pays); `DiscordLoginFilter` in its default `discord.session=container` mode "
                        + "with a logged-in session (`ours`); pac4j 6 (`jakartaee-pac4j` 8.0.1) `SecurityFilter` with a "
                        + "`FormClient` and a logged-in session (pac4j's default matchers and authorizers). The second, "
                        + "at `").append(BenchServer.COOKIE_CONTEXT).append("` with a session handler like the root's: "
                        + "`DiscordLoginFilter` with `discord.session=cookie` (a 32-byte key) and the `DISCORD_LOGIN` "
                        + "cookie of a login made through the emulator (`ours-cookie`); before the load the runner "
                        + "checks that this request answers 200 with the servlet's body and sets no cookie, that the "
                        + "page without the cookie redirects to Discord, and that no answer of the login set a "
                        + "`JSESSIONID`. Load: keep-alive GETs from a separate JVM, ").append(concurrency)
                .append(" connections, ").append(seconds).append(" s per target per round, target order rotated each "
                        + "round, after a 2 s warm-up each; each slice is counted after ").append(SLICE_WARM_UP)
                .append(" s of the same load in the same load-generator JVM (a fresh JVM's first seconds, interpreted "
                        + "and compiling, are not counted). An answer other than 200 is an error. Server CPU per "
                        + "request: the server JVM's process CPU time over the counted part of the slice (Jetty, the "
                        + "filter, GC and JIT included) divided by its requests.\n\n")
                .append("| target | requests/s (median) | min–max over rounds | p50 µs | p99 µs | errors | "
                        + "answers with a Set-Cookie | server CPU µs/request (median) |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (String[] t : targets) {
            List<double[]> rs = results.get(t[0]);
            md.append("| ").append(t[0]).append(" | ").append(fmt(median(rs, 0))).append(" | ")
                    .append(fmt(min(rs, 0))).append("–").append(fmt(max(rs, 0))).append(" | ")
                    .append(fmt(median(rs, 2))).append(" | ").append(fmt(median(rs, 3))).append(" | ")
                    .append(fmt(sum(rs, 1))).append(" | ").append(fmt(sum(rs, 5))).append(" | ")
                    .append(fmt1(median(rs, 4))).append(" |\n");
        }
        List<Double> oursBare = perRound(results, "ours", "bare", 0);
        List<Double> oursSession = perRound(results, "ours", "bare+session", 0);
        List<Double> cpuSession = perRound(results, "ours", "bare+session", 4);
        List<Double> oursPac4j = perRound(results, "ours", "pac4j", 0);
        List<Double> cookieBare = perRound(results, "ours-cookie", "bare", 0);
        List<Double> cpuCookieBare = perRound(results, "ours-cookie", "bare", 4);
        List<Double> cookiePac4j = perRound(results, "ours-cookie", "pac4j", 0);
        List<Double> cookieOwn = perRound(results, "ours-cookie", "bare+cookie", 0);
        List<Double> cpuCookieOwn = perRound(results, "ours-cookie", "bare+cookie", 4);
        md.append("\n| ratio (per round, then median) | median | min–max | target | median meets it |\n")
                .append("|---|---|---|---|---|\n")
                .append(ratioRow("ours-cookie / bare throughput", cookieBare, 0.97))
                .append(ratioRow("ours-cookie / bare server CPU per request", cpuCookieBare, Double.NaN))
                .append(ratioRow("ours-cookie / bare+cookie throughput (the filter's own cost in cookie mode)",
                        cookieOwn, Double.NaN))
                .append(ratioRow("ours-cookie / bare+cookie server CPU per request", cpuCookieOwn, Double.NaN))
                .append(ratioRow("ours-cookie / pac4j throughput", cookiePac4j, Double.NaN))
                .append(ratioRow("ours / bare+session throughput (the filter's own cost in container mode)",
                        oursSession, 0.99))
                .append(ratioRow("ours / bare+session server CPU per request", cpuSession, Double.NaN))
                .append(ratioRow("ours / bare throughput (container mode: Jetty's session included)", oursBare,
                        Double.NaN))
                .append(ratioRow("ours / pac4j throughput", oursPac4j, 1.0)).append('\n');
        md.append("Per round (requests/s, in the round's order of targets):\n\n")
                .append("| round | order |");
        for (String[] t : targets) {
            md.append(' ').append(t[0]).append(" |");
        }
        md.append(" ours / bare+session | ours-cookie / bare |\n|---|---|");
        md.append("---|".repeat(targets.length + 2)).append('\n');
        for (int i = 0; i < rounds; i++) {
            List<String[]> order = new ArrayList<>(List.of(targets));
            Collections.rotate(order, i);
            md.append("| ").append(i + 1).append(" | ")
                    .append(String.join(", ", order.stream().map(t -> t[0]).toList())).append(" |");
            for (String[] t : targets) {
                md.append(' ').append(fmt(results.get(t[0]).get(i)[0])).append(" |");
            }
            md.append(' ').append(String.format(Locale.ROOT, "%.3f", oursSession.get(i))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3f", cookieBare.get(i))).append(" |\n");
        }
        md.append('\n');
    }

    /** Per round, {@code a}'s value in {@code column} over {@code b}'s. */
    private List<Double> perRound(Map<String, List<double[]>> results, String a, String b, int column) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            ratios.add(results.get(a).get(i)[column] / results.get(b).get(i)[column]);
        }
        return ratios;
    }

    /** A row of the ratio table; {@code target} NaN for none, else met when the median is at least it. */
    private static String ratioRow(String what, List<Double> ratios, double target) {
        String met = Double.isNaN(target) ? "" : median(ratios) >= target ? "yes" : "**no**";
        return "| " + what + " | " + ratio(ratios) + " | " + (Double.isNaN(target) ? "" : "≥ " + fmt2(target)) + " | "
                + met + " |\n";
    }

    // ------------------------------------------------------------------------------------------ 2. logins

    private void loginFlow(ServerProcess server) throws Exception {
        md.append("## 2. Login flow\n\n")
                .append("Complete logins (protected page → authorize on the emulator with auto-approve → callback: "
                        + "token exchange and `GET /users/@me` → protected page) from a separate JVM, ")
                .append(seconds).append(" s per concurrency per round.\n\n")
                .append("| concurrency | logins/s (median) | min–max | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|\n");
        int[] levels = {1, 4, 16};
        Map<Integer, List<double[]>> results = new HashMap<>();
        generate("logins", server.base.toString(), "4", "2");
        server.stats("reset-connections");
        Path jfr = Files.createTempFile("bench-logins", ".jfr");
        server.stats("jfr-start");
        long logins = 0;
        for (int round = 0; round < rounds; round++) {
            for (int c : levels) {
                String[] r = generate("logins", server.base.toString(), Integer.toString(c), Integer.toString(seconds));
                logins += Long.parseLong(r[0]);
                results.computeIfAbsent(c, k -> new ArrayList<>()).add(new double[] {Double.parseDouble(r[0]) / seconds,
                        Double.parseDouble(r[1]), Double.parseDouble(r[2]) / 1000, Double.parseDouble(r[3]) / 1000});
            }
        }
        get(server.base.resolve("/stats/jfr-stop?file=" + jfr), null);
        int connections = Integer.parseInt(server.stats("connections"));
        for (int c : levels) {
            List<double[]> rs = results.get(c);
            md.append("| ").append(c).append(" | ").append(fmt(median(rs, 0))).append(" | ").append(fmt(min(rs, 0)))
                    .append("–").append(fmt(max(rs, 0))).append(" | ").append(fmt2(median(rs, 2))).append(" | ")
                    .append(fmt2(median(rs, 3))).append(" | ").append(fmt(sum(rs, 1))).append(" |\n");
        }
        long[] shares = cpuShares(jfr);
        long total = shares[0] + shares[1] + shares[2];
        md.append("\nCPU samples in the server JVM during these runs (JFR `jdk.ExecutionSample`, 10 ms; a sample is "
                        + "\"ours\" when a library frame is on the stack, \"emulator\" when an emulator frame is):\n\n")
                .append("| where | samples | share |\n|---|---|---|\n")
                .append("| our library (filter, callback, client incl. Jersey/Yasson it calls) | ").append(shares[0])
                .append(" | ").append(pct(shares[0], total)).append(" |\n")
                .append("| the emulator | ").append(shares[1]).append(" | ").append(pct(shares[1], total)).append(" |\n")
                .append("| Jetty and everything else | ").append(shares[2]).append(" | ").append(pct(shares[2], total))
                .append(" |\n\n")
                .append("TCP connections the client opened to the emulator for ").append(logins).append(" logins (")
                .append(logins * 2).append(" API calls): **").append(connections).append("**. The JDK server keeps "
                        + "connections alive, so this counts the client's pool (20 connections at most).\n\n");
        Files.deleteIfExists(jfr);
    }

    /** [ours, emulator, other] execution samples. */
    private static long[] cpuShares(Path jfr) throws IOException {
        long[] counts = new long[3];
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            boolean emulator = false;
            boolean ours = false;
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                String type = f.getMethod().getType().getName();
                if (type.startsWith("dev.discordoauth2.emulator.")) {
                    emulator = true;
                } else if (type.startsWith("dev.discordoauth2.") && !type.startsWith("dev.discordoauth2.bench.")) {
                    ours = true;
                }
            }
            counts[emulator ? 1 : ours ? 0 : 2]++;
        }
        return counts;
    }

    // ------------------------------------------------------------------------------------------ 3. client

    private void clientCalls(ServerProcess server) throws Exception {
        URI api = URI.create("http://127.0.0.1:" + emulatorPort(server) + "/api/v10");
        try (DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId(BenchServer.CLIENT_ID)
                .clientSecret("bench-secret").redirectUri(server.base.resolve("/oauth2/callback"))
                .apiBaseUri(api).authorizeUri(URI.create(api.toString().replace("/api/v10", "/oauth2/authorize")))
                .build()) {
            String code = codeFrom(client);
            AccessToken token = client.exchangeCode(code);
            HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/users/@me"))
                    .header("Authorization", "Bearer " + token.token())
                    .header("User-Agent", "DiscordBot (bench, 1)").build();
            int threads = 8;
            Runnable ours = token::fetchIdentify;
            Runnable jdk = () -> {
                try {
                    HttpResponse<String> r = raw.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("status " + r.statusCode());
                    }
                    try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(r.body()))) {
                        reader.readObject().getString("id");
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            throughput(ours, threads, 2);
            throughput(jdk, threads, 2);
            List<Double> oursRates = new ArrayList<>();
            List<Double> jdkRates = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                double a;
                double b;
                if (round % 2 == 0) {
                    a = throughput(ours, threads, seconds);
                    b = throughput(jdk, threads, seconds);
                } else {
                    b = throughput(jdk, threads, seconds);
                    a = throughput(ours, threads, seconds);
                }
                oursRates.add(a);
                jdkRates.add(b);
                ratios.add(a / b);
            }
            md.append("## 3. Client calls\n\n")
                    .append("`fetchIdentify()` (`GET /users/@me` + JSON-B mapping into `User`) with `DiscordOAuth2Client` "
                            + "vs. a hand-written `java.net.http.HttpClient` doing the same request and parsing the body "
                            + "with JSON-P, against the emulator, ").append(threads).append(" threads, ").append(seconds)
                    .append(" s each, alternating which goes first.\n\n")
                    .append("| client | calls/s (median) | min–max |\n|---|---|---|\n")
                    .append("| ours | ").append(fmt(median(oursRates))).append(" | ").append(fmt(Collections.min(oursRates)))
                    .append("–").append(fmt(Collections.max(oursRates))).append(" |\n")
                    .append("| raw JDK HttpClient | ").append(fmt(median(jdkRates))).append(" | ")
                    .append(fmt(Collections.min(jdkRates))).append("–").append(fmt(Collections.max(jdkRates)))
                    .append(" |\n\n| ratio | median | min–max | target |\n|---|---|---|---|\n")
                    .append("| ours / raw JDK | ").append(ratio(ratios)).append(" | ≥ 0.8 |\n\n");
        }
    }

    private static int emulatorPort(ServerProcess server) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.base.resolve("/discord/hello"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        return URI.create(r.headers().firstValue("Location").orElseThrow()).getPort();
    }

    private static String codeFrom(DiscordOAuth2Client client) throws IOException, InterruptedException {
        URI authorize = client.generateUri(AuthorizeRequest.builder().scopes("identify").build());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.replaceAll(".*[?&]code=([^&]+).*", "$1");
    }

    private static double throughput(Runnable call, int threads, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    call.run();
                    count.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return count.get() / (double) seconds;
    }

    // ------------------------------------------------------------------------------------------ 4. footprint

    private void footprint(ServerProcess server, Logins logins) throws Exception {
        long ourBytes = Long.parseLong(server.stats("session", logins.container()));
        long pac4jBytes = Long.parseLong(server.stats("session", logins.pac4j()));
        String setCookie = logins.cookieMode().lastSet("DISCORD_LOGIN");
        String pair = setCookie.split(";", 2)[0];
        String attributes = setCookie.substring(pair.length());
        int line = ("Set-Cookie: " + setCookie + "\r\n").getBytes(StandardCharsets.US_ASCII).length;
        int sessions = 10_000;
        server.stats("reset-connections");
        long start = Long.parseLong(server.stats("heap"));
        generate("emulator-flows", server.base.toString(), Integer.toString(sessions));
        server.stats("reset-connections");
        long before = Long.parseLong(server.stats("heap"));
        String[] created = server.stats("sessions-created").split(" ");
        String[] ours = generate("discord-logins", server.base.toString(), Integer.toString(sessions));
        server.stats("reset-connections");
        long afterOurs = Long.parseLong(server.stats("heap"));
        String[] cookie = generate("cookie-logins", server.base.toString(), Integer.toString(sessions));
        server.stats("reset-connections");
        long afterCookie = Long.parseLong(server.stats("heap"));
        String[] createdAfter = server.stats("sessions-created").split(" ");
        String[] pac4j = generate("pac4j-logins", server.base.toString(), Integer.toString(sessions));
        long afterPac4j = Long.parseLong(server.stats("heap"));
        generate("emulator-flows", server.base.toString(), Integer.toString(sessions));
        server.stats("reset-connections");
        long end = Long.parseLong(server.stats("heap"));
        long emulatorFirst = before - start;
        long emulatorLast = end - afterPac4j;
        long emulatorShare = (emulatorFirst + emulatorLast) / 2;
        md.append("## 4. Footprint\n\n")
                .append("Heap per logged-in user: in the server JVM, ").append(fmt(sessions)).append(" logins of each "
                        + "kind one after the other from a separate JVM (each a new browser, kept logged in: the "
                        + "container's sessions live 1 h), the used heap read after `System.gc()` four times 100 ms "
                        + "apart (`MemoryMXBean`) before and after each kind. The emulator runs in the same JVM and "
                        + "keeps what each login leaves there (its tokens): ").append(fmt(sessions))
                .append(" emulator-only flows (authorize, token, `/users/@me`) before the logins and as many after "
                        + "them measure that, ").append(perUser(emulatorFirst, sessions)).append(" and ")
                .append(perUser(emulatorLast, sessions)).append("; their mean, ").append(perUser(emulatorShare, sessions))
                .append(", is taken off ours in both modes, and their difference is the method's noise. Logins that "
                        + "failed: container ").append(ours[1]).append(", cookie ").append(cookie[1]).append(", pac4j ")
                .append(pac4j[1]).append(". Scopes: `identify` (the default; the bench configures none).\n\n")
                .append("| | ours, container mode | ours, cookie mode | pac4j | target |\n|---|---|---|---|---|\n")
                .append("| session attributes after a login, Java-serialized | ").append(ourBytes)
                .append(" B | – (no session) | ").append(pac4jBytes).append(" B | ≤ 1 KiB |\n")
                .append("| heap retained per logged-in user (after GC; Jetty's session objects included; ours minus "
                        + "the emulator's share) | ").append(perUser(afterOurs - before - emulatorShare, sessions))
                .append(" | ").append(perUser(afterCookie - afterOurs - emulatorShare, sessions)).append(" | ")
                .append(perUser(afterPac4j - afterCookie, sessions)).append(" | |\n")
                .append("| the same without taking the emulator's share off | ")
                .append(perUser(afterOurs - before, sessions)).append(" | ")
                .append(perUser(afterCookie - afterOurs, sessions)).append(" | ")
                .append(perUser(afterPac4j - afterCookie, sessions)).append(" | |\n")
                .append("| `HttpSession`s Jetty created during these logins | ")
                .append(fmt(Long.parseLong(createdAfter[0]) - Long.parseLong(created[0]))).append(" | ")
                .append(fmt(Long.parseLong(createdAfter[1]) - Long.parseLong(created[1])))
                .append(" (in the whole run: ").append(createdAfter[1]).append(") | | |\n")
                .append("| the login cookie's `Set-Cookie` line, as sent (header name, value, attributes, CRLF) | – | ")
                .append(line).append(" B | – | ≤ 4,000 B |\n")
                .append("| of it `DISCORD_LOGIN=value`, which the browser sends back in every request's `Cookie` "
                        + "header | – | ").append(pair.length()).append(" B | – | |\n\n")
                .append("The login cookie's attributes, measured from the callback's answer: `")
                .append(attributes.trim()).append("`.\n\n");
    }

    private static String perUser(long bytes, int users) {
        return String.format(Locale.ROOT, "%,d B (%.1f MiB in all)", bytes / users, bytes / 1048576.0);
    }

    /**
     * The first login after start-up against later ones, in {@code jvms} fresh server JVMs per variant: the
     * library's start-up warm-up off ({@code -Ddiscord.warm-up=false}, what every start-up did before it existed)
     * and on (the default), the variants alternating. Each JVM's first login begins as soon as the server says
     * {@code READY}; five more logins follow. Loopback only.
     */
    private void firstLogin(int jvms) throws Exception {
        int later = 5;
        String[] variants = {"warm-up off", "warm-up on"};
        Map<String, List<long[]>> results = new HashMap<>();
        for (int i = 0; i < jvms; i++) {
            for (int v = 0; v < variants.length; v++) {
                String variant = variants[(v + i) % variants.length];
                String option = variant.equals("warm-up off") ? "-Ddiscord.warm-up=false" : "-Ddiscord.warm-up=true";
                try (ServerProcess fresh = new ServerProcess(option)) {
                    String[] r = generate("first", fresh.base.toString(), Integer.toString(later));
                    long[] row = new long[r.length];
                    for (int k = 0; k < r.length; k++) {
                        row[k] = Long.parseLong(r[k]);
                    }
                    results.computeIfAbsent(variant, k -> new ArrayList<>()).add(row);
                }
            }
        }
        md.append("## 6. First login after start-up\n\n")
                .append("A fresh server JVM per run, ").append(jvms).append(" per variant, variants alternating; the "
                        + "first login starts as soon as the server is up, then ").append(later)
                .append(" more logins (\"later\": their median). The callback step is the token exchange and "
                        + "`GET /users/@me`; before the warm-up existed it built the Jersey client's runtime and "
                        + "JSON-B's mappings. With the warm-up on, the login core does that in its background pool when "
                        + "the filter starts (`DiscordOAuth2Client.warmUp()`, nothing sent). Medians over the JVMs.\n\n")
                .append("| variant | protected page → Discord, first / later | authorize (emulator), first / later | "
                        + "callback, first | callback, later | callback first / later (median, min–max) |\n")
                .append("|---|---|---|---|---|---|\n");
        for (String variant : variants) {
            List<long[]> rows = results.get(variant);
            List<Double> ratios = new ArrayList<>();
            for (long[] row : rows) {
                ratios.add(row[2] / (double) row[6]);
            }
            md.append("| ").append(variant).append(" | ").append(ms(medianOf(rows, 0))).append(" / ")
                    .append(ms(medianOf(rows, 4))).append(" | ").append(ms(medianOf(rows, 1))).append(" / ")
                    .append(ms(medianOf(rows, 5))).append(" | ").append(ms(medianOf(rows, 2))).append(" | ")
                    .append(ms(medianOf(rows, 6))).append(" | ").append(ratio(ratios)).append(" |\n");
        }
        List<Double> offFirst = new ArrayList<>();
        List<Double> onFirst = new ArrayList<>();
        results.get("warm-up off").forEach(row -> offFirst.add((double) row[2]));
        results.get("warm-up on").forEach(row -> onFirst.add((double) row[2]));
        md.append("\nFirst callback, warm-up on / off (medians): ")
                .append(String.format(Locale.ROOT, "%.2f", median(onFirst) / median(offFirst))).append(".\n\n");
    }

    private static long medianOf(List<long[]> rows, int column) {
        long[] values = rows.stream().mapToLong(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    // ------------------------------------------------------------------------------------------ 7. profile

    /**
     * The application's servlet. Walking a stack from its top, a frame of it, or a {@code doFilter} or {@code service}
     * frame of the container (the chain the filter passed the request to) before any library frame makes the sample
     * the application's, not the filter's.
     */
    private static final String APP = BenchServer.Hello.class.getName();

    /** Recordings per target, the order of targets reversed every other pass. */
    private static final int PROFILE_PASSES = 2;

    /** What the JFR recordings of one target under load show. */
    private static final class Profile {
        long requests;
        long cpuNanos;
        long samples;
        /** Execution samples with a library frame nearer the top than any frame of the application's servlet. */
        long filterSamples;
        /** The filter's own samples by top frame (← the library frame nearest the top). */
        final Map<String, Long> filterFrames = new HashMap<>();
        /** The filter's own samples by library method on the filter's part of the stack (each once per sample). */
        final Map<String, Long> filterTotal = new HashMap<>();
        long allocBytes;
        long filterAllocBytes;
        final Map<String, Long> filterAlloc = new HashMap<>();

        double cpuPerRequest() {
            return cpuNanos / 1000.0 / requests;
        }
    }

    /**
     * JFR of the logged-in request: {@code bare}, {@code bare+session}, {@code ours} (container mode) and
     * {@code ours-cookie} in turn, each under the load of section 1 for {@code seconds}, {@link #PROFILE_PASSES} times
     * (execution samples every 2 ms, allocation samples), in one server JVM. A sample is the filter's own when a library
     * frame is nearer the top of its stack than the chain it passed the request to (see {@link #APP}): the filter's
     * work, the container calls it makes included (session and request attributes, cookies). Then the cookie mode's
     * probe ({@link BenchServer.Probe}): how often the filter opens the request's cookies.
     */
    private void profile(ServerProcess server, Logins logins) throws Exception {
        int concurrency = 16;
        String[][] targets = {{"bare", "/bare/hello", "-"}, {"bare+session", "/bare/hello", logins.container()},
                {"ours", "/discord/hello", logins.container()},
                {"ours-cookie", BenchServer.COOKIE_CONTEXT + "/hello", logins.cookie()}};
        // the warm-up under a recording of its own, thrown away: the JVM's first recording starts JFR itself
        // (classes, buffers, threads), which would be charged to the first target
        Path warmUp = Files.createTempFile("bench-profile-warm-up", ".jfr");
        server.stats("jfr-start?period=2&alloc=5000/s");
        for (String[] t : targets) {
            generate("requests", "127.0.0.1", Integer.toString(server.port), t[1], t[2],
                    Integer.toString(concurrency), "3");
        }
        server.stats("jfr-stop?file=" + warmUp);
        Files.deleteIfExists(warmUp);
        Map<String, Profile> profiles = new HashMap<>();
        for (int pass = 0; pass < PROFILE_PASSES; pass++) {
            List<String[]> order = new ArrayList<>(List.of(targets));
            if (pass % 2 == 1) {
                Collections.reverse(order);
            }
            for (String[] t : order) {
                Path jfr = Files.createTempFile("bench-profile", ".jfr");
                server.stats("jfr-start?period=2&alloc=5000/s");
                long cpuBefore = Long.parseLong(server.stats("cpu"));
                String[] r = generate("requests", "127.0.0.1", Integer.toString(server.port), t[1], t[2],
                        Integer.toString(concurrency), Integer.toString(seconds));
                long cpu = Long.parseLong(server.stats("cpu")) - cpuBefore;
                server.stats("jfr-stop?file=" + jfr);
                if (!r[1].equals("0")) {
                    throw new IllegalStateException(t[0] + " answered " + r[1] + " requests with other than 200");
                }
                Profile p = profiles.computeIfAbsent(t[0], k -> new Profile());
                analyse(jfr, p);
                p.requests += Long.parseLong(r[0]);
                p.cpuNanos += cpu;
                String keep = System.getProperty("bench.jfr-dir"); // -Dbench.jfr-dir=DIR keeps the recordings there
                if (keep != null) {
                    Files.move(jfr, Path.of(keep, "profile-" + t[0] + "-" + pass + ".jfr"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                Files.deleteIfExists(jfr);
            }
        }
        String[] before = server.stats("probe").split(" ");
        String[] probed = generate("requests", "127.0.0.1", Integer.toString(server.port),
                BenchServer.COOKIE_CONTEXT + "/probe/hello", logins.cookie(), Integer.toString(concurrency), "2");
        String[] after = server.stats("probe").split(" ");
        long probeRequests = Long.parseLong(after[0]) - Long.parseLong(before[0]);
        long opens = Long.parseLong(after[1]) - Long.parseLong(before[1]);
        long reads = Long.parseLong(after[2]) - Long.parseLong(before[2]);
        long other = Long.parseLong(after[3]) - Long.parseLong(before[3]);

        md.append("## 7. Profile of the logged-in request\n\n")
                .append("JFR in the server JVM while the load of section 1 runs against one target, ")
                .append(PROFILE_PASSES).append(" recordings of ").append(seconds).append(" s per target, the order of "
                        + "the targets reversed in the second pass, after a 3 s warm-up of each under a recording "
                        + "thrown away (execution samples every 2 ms, allocation samples throttled to 5000/s; one "
                        + "server JVM). A sample is the filter's own when a library frame is nearer the top of its "
                        + "stack than the filter chain it passed the request to: the filter's work with the container "
                        + "calls it makes (session and request attributes, cookies), not the servlet's; in cookie "
                        + "mode this includes the response wrapper's writing of changed cookies when the servlet "
                        + "opens its output. Allocation is JFR's estimate (the samples' weights). JFR samples only "
                        + "threads running Java code: the sample counts are indicative, the allocation figures (from "
                        + "thousands of samples) the firmer part.\n\n")
                .append("| |");
        for (String[] t : targets) {
            md.append(' ').append(t[0]).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(targets.length)).append('\n');
        row("requests", targets, profiles, p -> fmt(p.requests));
        row("server CPU µs/request", targets, profiles, p -> fmt1(p.cpuPerRequest()));
        row("execution samples", targets, profiles, p -> fmt(p.samples));
        row("the filter's own samples", targets, profiles, p -> p.filterSamples == 0 ? "–"
                : fmt(p.filterSamples) + " (" + pct(p.filterSamples, p.samples) + ")");
        row("allocated per request (all threads)", targets, profiles,
                p -> fmt(p.allocBytes / (double) p.requests) + " B");
        row("allocated per request by the filter's own work", targets, profiles, p -> p.filterSamples == 0
                && p.filterAllocBytes == 0 ? "–" : fmt(p.filterAllocBytes / (double) p.requests) + " B");
        md.append('\n');
        md.append("Cookie openings per request: ").append(fmt(probeRequests)).append(" logged-in requests (")
                .append(concurrency).append(" connections, 2 s; ").append(probed[1]).append(" errors) to `")
                .append(BenchServer.COOKIE_CONTEXT).append("/probe/hello`, the same filter and cookie behind a "
                        + "request wrapper that counts what the filter asks of the request: the cookie session's "
                        + "request attribute stored ")
                .append(fmt(opens)).append(" times (").append(per(opens, probeRequests)).append(" per request; "
                        + "`CookieSessions` opens the cookies only when the request has no such attribute, then "
                        + "stores what it opened: each store is one opening), `getCookies()` called ").append(fmt(reads))
                .append(" times (").append(per(reads, probeRequests)).append(" per request), answers other than 200 "
                        + "or with a `Set-Cookie`: ").append(fmt(other)).append(".\n\n");
        for (String name : List.of("ours-cookie", "ours")) {
            Profile p = profiles.get(name);
            int n = name.equals("ours") ? 8 : 12;
            md.append("`").append(name).append("`: the filter's own samples by top frame (← the library frame nearest "
                            + "the top):\n\n")
                    .append("| frame | samples | share of all |\n|---|---|---|\n");
            top(p.filterFrames, n).forEach(e -> md.append("| `").append(e.getKey()).append("` | ").append(e.getValue())
                    .append(" | ").append(pct(e.getValue(), p.samples)).append(" |\n"));
            md.append("\n`").append(name).append("`: the library's methods on the filter's own samples' stacks "
                            + "(total: the samples with the method anywhere on the filter's part of the stack):\n\n")
                    .append("| method | samples | share of all |\n|---|---|---|\n");
            top(p.filterTotal, n).forEach(e -> md.append("| `").append(e.getKey()).append("` | ").append(e.getValue())
                    .append(" | ").append(pct(e.getValue(), p.samples)).append(" |\n"));
            md.append("\n`").append(name).append("`: the filter's own allocation by class (← the library frame nearest "
                            + "the top):\n\n")
                    .append("| allocated | B/request |\n|---|---|\n");
            top(p.filterAlloc, n).forEach(e -> md.append("| `").append(e.getKey()).append("` | ")
                    .append(fmt1(e.getValue() / (double) p.requests)).append(" |\n"));
            md.append('\n');
        }
    }

    private void row(String what, String[][] targets, Map<String, Profile> profiles,
            java.util.function.Function<Profile, String> cell) {
        md.append("| ").append(what).append(" |");
        for (String[] t : targets) {
            md.append(' ').append(cell.apply(profiles.get(t[0]))).append(" |");
        }
        md.append('\n');
    }

    private static String per(long count, long requests) {
        return requests == 0 ? "–" : String.format(Locale.ROOT, "%.2f", count / (double) requests);
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return entries.subList(0, Math.min(n, entries.size()));
    }

    private static boolean library(String owner) {
        return owner.startsWith("dev.discordoauth2.") && !owner.startsWith("dev.discordoauth2.bench.")
                && !owner.startsWith("dev.discordoauth2.emulator.");
    }

    /** Whether a frame that is not the library's belongs to the chain the filter passed the request to. */
    private static boolean chain(RecordedFrame f) {
        String method = f.getMethod().getName();
        return f.getMethod().getType().getName().equals(APP) || method.equals("doFilter") || method.equals("service");
    }

    private static void analyse(Path jfr, Profile p) throws IOException {
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            boolean sample = type.equals("jdk.ExecutionSample");
            boolean alloc = type.equals("jdk.ObjectAllocationSample");
            if (!(sample || alloc) || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            RecordedFrame library = null;
            java.util.Set<String> methods = new java.util.LinkedHashSet<>();
            for (RecordedFrame f : frames) {
                if (library(f.getMethod().getType().getName())) {
                    if (library == null) {
                        library = f;
                    }
                    methods.add(name(f));
                } else if (chain(f)) {
                    break; // the rest of the chain the filter passed the request to, and the servlet; or below
                }
            }
            if (sample) {
                p.samples++;
                if (library != null) {
                    p.filterSamples++;
                    String key = frames.isEmpty() || frames.get(0) == library ? name(library)
                            : name(frames.get(0)) + " ← " + name(library);
                    p.filterFrames.merge(key, 1L, Long::sum);
                    methods.forEach(m -> p.filterTotal.merge(m, 1L, Long::sum));
                }
            } else {
                long weight = e.getLong("weight");
                p.allocBytes += weight;
                if (library != null) {
                    p.filterAllocBytes += weight;
                    String cls = e.getClass("objectClass").getName();
                    p.filterAlloc.merge(cls.substring(cls.lastIndexOf('.') + 1) + " ← " + name(library), weight,
                            Long::sum);
                }
            }
        }
    }

    private static String name(RecordedFrame f) {
        String owner = f.getMethod().getType().getName();
        int lambda = owner.indexOf("$$Lambda");
        if (lambda >= 0) {
            owner = owner.substring(0, lambda + "$$Lambda".length()); // a hidden class: its number means nothing
        }
        return owner.substring(owner.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    // ------------------------------------------------------------------------------------------ 5. JMH

    private void jmh() throws Exception {
        Options options = new OptionsBuilder().include("dev\\.discordoauth2\\..*Benchmark.*").forks(1)
                .warmupIterations(3).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .shouldFailOnError(true).build();
        md.append("## 5. Hot paths (JMH, 1 fork, 3×1 s warm-up, 5×1 s measurement)\n\n")
                .append("| benchmark | score | ± (99.9%) | unit |\n|---|---|---|---|\n");
        for (RunResult result : new Runner(options).run()) {
            var primary = result.getPrimaryResult();
            String name = result.getParams().getBenchmark();
            md.append("| `").append(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1)).append("` | ")
                    .append(String.format(Locale.ROOT, primary.getScore() < 100 ? "%.2f" : "%.1f", primary.getScore())).append(" | ")
                    .append(String.format(Locale.ROOT, primary.getScore() < 100 ? "%.2f" : "%.1f", primary.getScoreError())).append(" | ")
                    .append(primary.getScoreUnit()).append(" |\n");
        }
        md.append('\n');
    }

    private void notes() throws IOException {
        Path analysis = Path.of("bench", "analysis.md");
        if (Files.exists(analysis)) {
            md.append(Files.readString(analysis)).append('\n');
        }
        md.append("## Commands\n\n```\nbench/run.sh            # builds the library and the bench, runs everything, "
                        + "writes BENCHMARKS.md\nbench/run.sh 3 3        # fewer rounds and seconds for a quick look\n"
                        + "bench/run.sh profile 10  # only section 7 (JFR of the logged-in request, both modes), "
                        + "printed\n"
                        + "BENCH_MVN_ARGS=\"-o -Dmaven.repo.local=DIR\" bench/run.sh  # with a local Maven repository "
                        + "of its own\n"
                        + "bench/run.sh first-login 5  # only section 6, printed\n"
                        + "bench/run.sh footprint   # only section 4, printed\n```\n\n"
                        + "The server (`BenchServer`) and the load generator (`LoadGenerator`) run in separate JVMs; the "
                        + "client benchmark and JMH run in the runner's JVM against the server's emulator.\n");
    }

    // ------------------------------------------------------------------------------------------ numbers

    private static double median(List<double[]> rows, int column) {
        List<Double> values = new ArrayList<>();
        for (double[] row : rows) {
            values.add(row[column]);
        }
        return median(values);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).min().orElse(0);
    }

    private static double max(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).max().orElse(0);
    }

    private static double sum(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).sum();
    }

    private static String ratio(List<Double> ratios) {
        return String.format(Locale.ROOT, "%.3f | %.3f–%.3f", median(ratios), Collections.min(ratios),
                Collections.max(ratios));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(long part, long total) {
        return total == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / total);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }
}
