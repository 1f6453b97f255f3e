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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator, run by {@link BenchRunner} in a JVM of its own so that it does not share the server's CPU
 * bookkeeping. Modes:
 * <ul>
 *   <li>{@code requests HOST PORT PATH COOKIE CONCURRENCY SECONDS [WARM-UP]}: keep-alive GETs on raw sockets, one
 *       connection per worker, counted for {@code SECONDS} after {@code WARM-UP} seconds (default 0) of the same load
 *       on the same connections, so that the count is of this JVM compiled, not of its start; {@code COOKIE} is the
 *       {@code Cookie} header's value or {@code -}; prints {@code ok errors p50_us p99_us server_cpu_ns set_cookies}
 *       (errors of the warm-up included; an answer other than 200 is an error; the server's CPU time -1 without a
 *       warm-up; {@code set_cookies} the answers, counted or not, that carried a {@code Set-Cookie});</li>
 *   <li>{@code logins BASE CONCURRENCY SECONDS}: complete Discord logins (protected page, authorize, callback,
 *       protected page); prints {@code ok errors p50_us p99_us};</li>
 *   <li>{@code pac4j-logins BASE COUNT}, {@code discord-logins BASE COUNT} and {@code cookie-logins BASE COUNT}: that
 *       many logins (pac4j's, ours in container mode, ours in cookie mode), kept (sessions for the heap measurement);
 *       prints {@code ok errors};</li>
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
            case "discord-logins" -> countedLogins(URI.create(args[1]), Integer.parseInt(args[2]), "discord");
            case "cookie-logins" -> countedLogins(URI.create(args[1]), Integer.parseInt(args[2]), "cookie");
            case "pac4j-logins" -> countedLogins(URI.create(args[1]), Integer.parseInt(args[2]), "pac4j");
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
        AtomicLong setCookies = new AtomicLong();
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
                            int answer = readResponse(in);
                            long took = System.nanoTime() - start;
                            if ((answer & SET_COOKIE) != 0) {
                                setCookies.incrementAndGet();
                            }
                            if ((answer & STATUS) != 200) {
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
        report(latencies, errors.get(), cpu, setCookies.get());
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

    /** {@link #readResponse}'s status bits. */
    private static final int STATUS = 0xFFFF;
    /** {@link #readResponse}'s bit for an answer with a {@code Set-Cookie} header. */
    private static final int SET_COOKIE = 1 << 16;

    /**
     * Reads one HTTP/1.1 response with a Content-Length body; returns its status ({@link #STATUS}), with
     * {@link #SET_COOKIE} when it set a cookie.
     */
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
            } else if (line.regionMatches(true, 0, "Set-Cookie:", 0, 11)) {
                status |= SET_COOKIE;
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
        report(latencies, errors, -1, 0);
    }

    /** Prints {@code ok errors p50_us p99_us server_cpu_ns set_cookies} (the CPU time -1 when not measured). */
    private static void report(List<long[]> latencies, long errors, long serverCpuNanos, long setCookies) {
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
        System.out.println(total + " " + errors + " " + p50 + " " + p99 + " " + (serverCpuNanos >= 0 ? serverCpuNanos
                : -1) + " " + setCookies);
    }

    // ------------------------------------------------------------------------------------------ logins

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * One browser's cookies on the app, by name (the emulator sets none with auto-approve), and every
     * {@code Set-Cookie} value the app sent, in order.
     */
    static final class Session {
        private final Map<String, String> cookies = new LinkedHashMap<>();
        final List<String> setCookies = new ArrayList<>();

        HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/html");
            if (!cookies.isEmpty() && uri.getPort() == appPort) {
                b.header("Cookie", cookieHeader());
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (uri.getPort() == appPort) {
                for (String line : r.headers().allValues("Set-Cookie")) {
                    setCookies.add(line);
                    String pair = line.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    String name = pair.substring(0, eq).trim();
                    String value = pair.substring(eq + 1).trim();
                    if (value.isEmpty() || line.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                        cookies.remove(name); // deleted
                    } else {
                        cookies.put(name, value);
                    }
                }
            }
            return r;
        }

        /** The {@code Cookie} header this browser sends the app now. */
        String cookieHeader() {
            List<String> pairs = new ArrayList<>();
            cookies.forEach((name, value) -> pairs.add(name + "=" + value));
            return String.join("; ", pairs);
        }

        /** The names of the cookies it holds. */
        java.util.Set<String> names() {
            return cookies.keySet();
        }

        /** The last {@code Set-Cookie} value that set cookie {@code name} (not deleted it), or null. */
        String lastSet(String name) {
            String last = null;
            for (String line : setCookies) {
                if (line.startsWith(name + "=") && !line.startsWith(name + "=;")) {
                    last = line;
                }
            }
            return last;
        }
    }

    private static volatile int appPort;

    /** A full Discord login in container mode; returns the {@code Cookie} header of the logged-in session. */
    static String login(URI base, long[] steps) throws IOException, InterruptedException {
        return loginAt(base, "/discord/hello", steps).cookieHeader();
    }

    /**
     * A full Discord login in cookie mode ({@code /c/hello}), refused (IOException) if any answer set a
     * {@code JSESSIONID}.
     */
    static Session cookieLogin(URI base) throws IOException, InterruptedException {
        Session s = loginAt(base, BenchServer.COOKIE_CONTEXT + "/hello", null);
        for (String line : s.setCookies) {
            if (line.startsWith("JSESSIONID=")) {
                throw new IOException("the cookie-mode login set a JSESSIONID");
            }
        }
        return s;
    }

    /**
     * A full Discord login starting at the protected page {@code path}; the page must then answer 200 with its
     * body, not a redirect.
     */
    static Session loginAt(URI base, String path, long[] steps) throws IOException, InterruptedException {
        appPort = base.getPort();
        Session s = new Session();
        long t0 = System.nanoTime();
        HttpResponse<String> toDiscord = s.get(base.resolve(path));
        long t1 = System.nanoTime();
        HttpResponse<String> authorized = s.get(URI.create(location(toDiscord)));
        long t2 = System.nanoTime();
        HttpResponse<String> callback = s.get(base.resolve(location(authorized)));
        long t3 = System.nanoTime();
        HttpResponse<String> page = s.get(base.resolve(location(callback)));
        long t4 = System.nanoTime();
        if (page.statusCode() != 200 || !page.body().equals("hello")) {
            throw new IOException("login ended with " + page.statusCode());
        }
        if (steps != null) {
            steps[0] = (t1 - t0) / 1000;
            steps[1] = (t2 - t1) / 1000;
            steps[2] = (t3 - t2) / 1000;
            steps[3] = (t4 - t3) / 1000;
        }
        return s;
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

    private static void countedLogins(URI base, int count, String kind) {
        int ok = 0;
        int errors = 0;
        for (int i = 0; i < count; i++) {
            try {
                switch (kind) {
                    case "pac4j" -> pac4jLogin(base);
                    case "cookie" -> cookieLogin(base);
                    default -> login(base, null);
                }
                ok++;
            } catch (IOException | InterruptedException e) {
                errors++;
            }
        }
        System.out.println(ok + " " + errors);
    }

    /**
     * What the emulator retains per login without any app session: authorize (auto-approved, with a PKCE challenge
     * as the library's logins send, which the emulator keeps with the code), token exchange and {@code /users/@me},
     * straight from this process, {@code count} times.
     */
    private static void emulatorFlows(URI base, int count) throws Exception {
        HttpResponse<String> toDiscord = HTTP.send(HttpRequest.newBuilder(base.resolve("/discord/hello"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
        String verifier = url.encodeToString(random);
        String challenge = url.encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        URI authorize = URI.create(location(toDiscord).replaceAll("([?&]code_challenge=)[^&]*", "$1" + challenge));
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
                            + "&redirect_uri=" + java.net.URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                            + "&code_verifier=" + verifier)).build(),
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
