package dev.discordoauth2.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator, run by {@link BenchRunner} in a JVM of its own so that it does not share the server's CPU
 * bookkeeping. Modes:
 * <ul>
 *   <li>{@code requests HOST PORT PATH COOKIE CONCURRENCY SECONDS [WARM-UP]}: keep-alive GETs on raw sockets, one
 *       connection per worker, counted for {@code SECONDS} after {@code WARM-UP} seconds (default 0) of the same load
 *       on the same connections, so that the count is of this JVM compiled, not of its start; prints
 *       {@code ok errors p50_us p99_us} (errors of the warm-up included);</li>
 *   <li>{@code logins BASE CONCURRENCY SECONDS}: complete Discord logins (protected page, authorize, callback,
 *       protected page); prints {@code ok errors p50_us p99_us};</li>
 *   <li>{@code pac4j-logins BASE COUNT} and {@code discord-logins BASE COUNT}: that many logins, kept (sessions for the
 *       heap measurement); prints {@code ok errors};</li>
 *   <li>{@code first BASE [LATER]}: the first login after deployment and {@code LATER} more (default 1), step by
 *       step; prints the first login's four step durations and the later logins' medians, in µs.</li>
 * </ul>
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "requests" -> requests(args[1], Integer.parseInt(args[2]), args[3], args[4], Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), args.length > 7 ? Integer.parseInt(args[7]) : 0);
            case "logins" -> logins(URI.create(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "discord-logins" -> countedLogins(URI.create(args[1]), Integer.parseInt(args[2]), false);
            case "pac4j-logins" -> countedLogins(URI.create(args[1]), Integer.parseInt(args[2]), true);
            case "first" -> first(URI.create(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 1);
            case "emulator-flows" -> emulatorFlows(URI.create(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    // ------------------------------------------------------------------------------------------ raw requests

    private static void requests(String host, int port, String path, String cookie, int concurrency, int seconds,
            int warmUpSeconds) throws InterruptedException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: text/html\r\n"
                + (cookie.equals("-") ? "" : "Cookie: " + cookie + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long from = System.nanoTime() + warmUpSeconds * 1_000_000_000L;
        long end = from + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            long[] lat = new long[4_000_000 / concurrency];
            latencies.add(lat);
            Thread t = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    try (Socket socket = new Socket()) {
                        socket.setTcpNoDelay(true);
                        socket.connect(new InetSocketAddress(host, port));
                        OutputStream out = socket.getOutputStream();
                        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                        while (System.nanoTime() < end) {
                            long start = System.nanoTime();
                            out.write(request);
                            out.flush();
                            int status = readResponse(in);
                            long took = System.nanoTime() - start;
                            if (status != 200) {
                                errors.incrementAndGet();
                            } else if (start - from >= 0 && n < lat.length - 1) {
                                lat[n++] = took;
                            }
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
                lat[lat.length - 1] = n;
            });
            workers.add(t);
            t.start();
        }
        long cpu = -1;
        if (warmUpSeconds > 0) {
            // the server's CPU time over the counted part (BenchServer's /stats/cpu), read from here: only this JVM
            // knows when that part starts
            Thread.sleep(Math.max(0, (from - System.nanoTime()) / 1_000_000));
            long before = serverCpu(host, port);
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
            cpu = serverCpu(host, port) - before;
        }
        for (Thread t : workers) {
            t.join();
        }
        report(latencies, errors.get(), cpu);
    }

    /** The server JVM's process CPU time in ns ({@code /stats/cpu} of {@link BenchServer}), or a large negative. */
    private static long serverCpu(String host, int port) {
        try (Socket socket = new Socket(host, port)) {
            socket.getOutputStream().write(("GET /stats/cpu HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return Long.parseLong(answer.substring(answer.indexOf("\r\n\r\n") + 4).trim());
        } catch (IOException | RuntimeException e) {
            return Long.MIN_VALUE / 4;
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.append((char) b);
            last4 = (last4 << 8) | b;
        }
        String text = head.toString();
        int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        long skipped = 0;
        while (skipped < length) {
            long s = in.skip(length - skipped);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("short body");
                }
                s = 1;
            }
            skipped += s;
        }
        return status;
    }

    private static void report(List<long[]> latencies, long errors) {
        report(latencies, errors, -1);
    }

    /** Prints {@code ok errors p50_us p99_us}, and the server's CPU ns over the count when measured. */
    private static void report(List<long[]> latencies, long errors, long serverCpuNanos) {
        int total = 0;
        for (long[] lat : latencies) {
            total += (int) lat[lat.length - 1];
        }
        long[] all = new long[total];
        int i = 0;
        for (long[] lat : latencies) {
            int n = (int) lat[lat.length - 1];
            System.arraycopy(lat, 0, all, i, n);
            i += n;
        }
        Arrays.sort(all);
        long p50 = all.length == 0 ? 0 : all[all.length / 2] / 1000;
        long p99 = all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1000;
        System.out.println(total + " " + errors + " " + p50 + " " + p99 + (serverCpuNanos >= 0 ? " " + serverCpuNanos
                : ""));
    }

    // ------------------------------------------------------------------------------------------ logins

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** One browser's cookies (at most one per host here: JSESSIONID on the app, the emulator sets none with auto-approve). */
    private static final class Session {
        String cookie;

        HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/html");
            if (cookie != null && uri.getPort() == appPort) {
                b.header("Cookie", cookie);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (uri.getPort() == appPort) {
                r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.split(";", 2)[0]);
            }
            return r;
        }
    }

    private static volatile int appPort;

    /** A full Discord login; returns the JSESSIONID cookie of the logged-in session. */
    static String login(URI base, long[] steps) throws IOException, InterruptedException {
        appPort = base.getPort();
        Session s = new Session();
        long t0 = System.nanoTime();
        HttpResponse<String> toDiscord = s.get(base.resolve("/discord/hello"));
        long t1 = System.nanoTime();
        HttpResponse<String> authorized = s.get(URI.create(location(toDiscord)));
        long t2 = System.nanoTime();
        HttpResponse<String> callback = s.get(base.resolve(location(authorized)));
        long t3 = System.nanoTime();
        HttpResponse<String> page = s.get(base.resolve(location(callback)));
        long t4 = System.nanoTime();
        if (page.statusCode() != 200) {
            throw new IOException("login ended with " + page.statusCode());
        }
        if (steps != null) {
            steps[0] = (t1 - t0) / 1000;
            steps[1] = (t2 - t1) / 1000;
            steps[2] = (t3 - t2) / 1000;
            steps[3] = (t4 - t3) / 1000;
        }
        return s.cookie;
    }

    /** A pac4j form login; returns its JSESSIONID cookie. */
    static String pac4jLogin(URI base) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/pac4jcb?client_name=FormClient"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=bench&password=bench")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new IOException("no session: "
                + r.statusCode())).split(";", 2)[0];
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(base.resolve("/pac4j/hello"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        if (page.statusCode() != 200) {
            throw new IOException("pac4j login ended with " + page.statusCode());
        }
        return cookie;
    }

    private static String location(HttpResponse<String> r) throws IOException {
        return r.headers().firstValue("Location").orElseThrow(() -> new IOException("no redirect: " + r.statusCode()
                + " " + r.uri()));
    }

    private static void logins(URI base, int concurrency, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            long[] lat = new long[200_000];
            latencies.add(lat);
            Thread t = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                        login(base, null);
                        if (n < lat.length - 1) {
                            lat[n++] = System.nanoTime() - start;
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    }
                }
                lat[lat.length - 1] = n;
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        report(latencies, errors.get());
    }

    private static void countedLogins(URI base, int count, boolean pac4j) {
        int ok = 0;
        int errors = 0;
        for (int i = 0; i < count; i++) {
            try {
                if (pac4j) {
                    pac4jLogin(base);
                } else {
                    login(base, null);
                }
                ok++;
            } catch (IOException | InterruptedException e) {
                errors++;
            }
        }
        System.out.println(ok + " " + errors);
    }

    /**
     * What the emulator retains per login without any app session: authorize (auto-approved), token exchange and
     * {@code /users/@me}, straight from this process, {@code count} times.
     */
    private static void emulatorFlows(URI base, int count) throws IOException, InterruptedException {
        HttpResponse<String> toDiscord = HTTP.send(HttpRequest.newBuilder(base.resolve("/discord/hello"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        URI authorize = URI.create(location(toDiscord).replaceAll("&code_challenge=[^&]*&code_challenge_method=S256", ""));
        URI token = URI.create(authorize.getScheme() + "://" + authorize.getAuthority() + "/api/v10/oauth2/token");
        String redirect = base.resolve("/oauth2/callback").toString();
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((BenchServer.CLIENT_ID + ":bench-secret")
                .getBytes(StandardCharsets.UTF_8));
        int ok = 0;
        for (int i = 0; i < count; i++) {
            String code = location(HTTP.send(HttpRequest.newBuilder(authorize).build(),
                    HttpResponse.BodyHandlers.ofString())).replaceAll(".*[?&]code=([^&]+).*", "$1");
            HttpResponse<String> tokens = HTTP.send(HttpRequest.newBuilder(token).header("Authorization", basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code
                            + "&redirect_uri=" + java.net.URLEncoder.encode(redirect, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String access = tokens.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(URI.create(token.toString()
                    .replace("/oauth2/token", "/users/@me"))).header("Authorization", "Bearer " + access).build(),
                    HttpResponse.BodyHandlers.ofString());
            ok += me.statusCode() == 200 ? 1 : 0;
        }
        System.out.println(ok + " " + (count - ok));
    }

    private static void first(URI base, int later) throws IOException, InterruptedException {
        long[] first = new long[4];
        login(base, first);
        long[][] steps = new long[4][later];
        for (int i = 0; i < later; i++) {
            long[] one = new long[4];
            login(base, one);
            for (int step = 0; step < 4; step++) {
                steps[step][i] = one[step];
            }
        }
        long[] medians = new long[4];
        for (int step = 0; step < 4; step++) {
            Arrays.sort(steps[step]);
            medians[step] = steps[step][later / 2];
        }
        System.out.println(String.join(" ", Arrays.stream(first).mapToObj(Long::toString).toList()) + " "
                + String.join(" ", Arrays.stream(medians).mapToObj(Long::toString).toList()));
    }
}
