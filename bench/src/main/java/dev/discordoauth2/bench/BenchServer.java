package dev.discordoauth2.bench;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.servlet.DiscordCallbackServlet;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.servlet.DiscordLoginFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.pac4j.core.client.Clients;
import org.pac4j.core.config.Config;
import org.pac4j.http.client.indirect.FormClient;
import org.pac4j.http.credentials.authenticator.test.SimpleTestUsernamePasswordAuthenticator;
import org.pac4j.jee.filter.CallbackFilter;
import org.pac4j.jee.filter.SecurityFilter;

/**
 * The system under test, in a JVM of its own: one embedded Jetty 12 with a trivial servlet behind three mappings
 * ({@code /bare/hello} unprotected, {@code /discord/hello} behind {@link DiscordLoginFilter}, {@code /pac4j/hello}
 * behind pac4j's {@code SecurityFilter} with a form client) in the root context, a second context {@value #COOKIE_CONTEXT}
 * with {@code discord.session=cookie} ({@code /c/hello} behind the filter; {@code /c/probe/hello} the same behind a
 * {@link Probe} that counts what the filter asks of the request), the {@link DiscordEmulator} (auto-approving, limits
 * out of the way), and {@code /stats/*} endpoints for footprint, CPU time and JFR ({@code jfr-start?period=MS&alloc=RATE}:
 * execution samples every {@code MS} ms, 10 by default, and allocation samples throttled to {@code RATE}, e.g.
 * {@code 5000/s}, when given). Prints {@code READY <port>} and runs until its
 * standard input closes.
 */
public final class BenchServer {
    static final String CLIENT_ID = "100000000000000001";
    static final String NELLY = "80351110224678912";
    /** The context path of the cookie-mode application. */
    static final String COOKIE_CONTEXT = "/c";

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        DiscordEmulator discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(CLIENT_ID).name("bench").clientSecret("bench-secret")
                        .redirectUri("http://127.0.0.1/none").build())
                .autoApprove(NELLY).threads(4)
                .defaultRateLimit(1_000_000, Duration.ofSeconds(1)).globalRateLimit(1_000_000, Duration.ofSeconds(1))
                .start();

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = discordContext("/", discord);

        context.addServlet(Hello.class, "/bare/hello");
        context.addServlet(Hello.class, "/discord/hello");
        context.addServlet(Hello.class, "/pac4j/hello");
        context.addFilter(DiscordLoginFilter.class, "/discord/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(DiscordCallbackServlet.class, "/oauth2/callback");
        context.addServlet(DiscordCallbackServlet.class, "/oauth2/login");

        FormClient form = new FormClient("/pac4j-login", new SimpleTestUsernamePasswordAuthenticator());
        Config pac4j = new Config(new Clients("/pac4jcb", form));
        context.addFilter(new FilterHolder(new SecurityFilter(pac4j, "FormClient")), "/pac4j/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new CallbackFilter(pac4j, "/pac4j/hello")), "/pac4jcb",
                EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(Stats.class, "/stats/*");

        // the same login with discord.session=cookie: an application of its own (one configuration per application),
        // with a session handler like the root's, so that a JSESSIONID would show if anything asked for a session
        ServletContextHandler cookies = discordContext(COOKIE_CONTEXT, discord);
        cookies.setInitParameter(DiscordConfig.SESSION, "cookie");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key); // a fresh key per server JVM, never printed
        cookies.setInitParameter(DiscordConfig.COOKIE_KEYS, "k1:" + Base64.getEncoder().encodeToString(key));
        cookies.addServlet(Hello.class, "/hello");
        cookies.addServlet(Hello.class, "/probe/hello");
        cookies.addFilter(Probe.class, "/probe/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder cookieFilter = cookies.addFilter(DiscordLoginFilter.class, "/hello",
                EnumSet.of(DispatcherType.REQUEST));
        cookies.addFilter(cookieFilter, "/probe/*", EnumSet.of(DispatcherType.REQUEST)); // the same filter, after the probe
        cookies.addServlet(DiscordCallbackServlet.class, "/oauth2/callback");
        cookies.addServlet(DiscordCallbackServlet.class, "/oauth2/login");

        server.setHandler(new ContextHandlerCollection(context, cookies));
        server.start();
        if (!cookieFilter.isStarted()) {
            throw new IllegalStateException("the cookie-mode filter did not start");
        }
        discord.addRedirectUri(CLIENT_ID, "http://127.0.0.1:" + connector.getLocalPort() + "/oauth2/callback");
        discord.addRedirectUri(CLIENT_ID, "http://127.0.0.1:" + connector.getLocalPort() + COOKIE_CONTEXT
                + "/oauth2/callback");
        Stats.emulator = discord;
        Stats.containerSessions = context.getSessionHandler();
        Stats.cookieSessions = cookies.getSessionHandler();
        System.out.println("READY " + connector.getLocalPort());
        System.out.flush();

        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // run until the runner closes our standard input
            }
        }
        server.stop();
        discord.close();
    }

    /** A context with sessions and the login's configuration against {@code discord}. */
    private static ServletContextHandler discordContext(String path, DiscordEmulator discord) {
        ServletContextHandler context = new ServletContextHandler(path, ServletContextHandler.SESSIONS);
        context.getSessionHandler().setMaxInactiveInterval(3600);
        context.setInitParameter(DiscordConfig.CLIENT_ID, CLIENT_ID);
        context.setInitParameter(DiscordConfig.CLIENT_SECRET, "bench-secret");
        context.setInitParameter(DiscordConfig.REDIRECT_URI, "/oauth2/callback");
        context.setInitParameter(DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString());
        context.setInitParameter(DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString());
        return context;
    }

    /**
     * Counts, over the requests it passes on, what the login filter behind it asks of the request: how often it stores
     * the cookie session's request attribute (once per opening of the cookies: {@code CookieSessions} opens them when
     * that attribute is absent and stores the result, a session or {@code FALSE}) and how often it reads the cookies.
     * Only on {@code /c/probe/*}, never on the measured paths.
     */
    public static final class Probe extends HttpFilter {
        private static final long serialVersionUID = 1L;
        /** The attribute {@code CookieSessions} keeps a request's opened cookies in. */
        static final String OPENED = "dev.discordoauth2.web.CookieSessions";
        static final AtomicLong REQUESTS = new AtomicLong();
        static final AtomicLong OPENS = new AtomicLong();
        static final AtomicLong COOKIE_READS = new AtomicLong();
        static final AtomicLong OTHER = new AtomicLong();

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            int[] counts = new int[2];
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public void setAttribute(String name, Object o) {
                    if (OPENED.equals(name)) {
                        counts[0]++;
                    }
                    super.setAttribute(name, o);
                }

                @Override
                public Cookie[] getCookies() {
                    counts[1]++;
                    return super.getCookies();
                }
            }, response);
            REQUESTS.incrementAndGet();
            OPENS.addAndGet(counts[0]);
            COOKIE_READS.addAndGet(counts[1]);
            if (response.getStatus() != 200 || response.containsHeader("Set-Cookie")) {
                OTHER.incrementAndGet();
            }
        }

        static String report() {
            return REQUESTS.get() + " " + OPENS.get() + " " + COOKIE_READS.get() + " " + OTHER.get();
        }
    }

    /** The trivial protected resource: five bytes. */
    public static final class Hello extends HttpServlet {
        private static final byte[] BODY = "hello".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setContentLength(BODY.length);
            response.getOutputStream().write(BODY);
        }
    }

    /** Footprint and profiling hooks for the runner. */
    public static final class Stats extends HttpServlet {
        static volatile DiscordEmulator emulator;
        static volatile SessionHandler containerSessions;
        static volatile SessionHandler cookieSessions;
        private static volatile Recording recording;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String what = request.getPathInfo();
            String answer = switch (what) {
                case "/session" -> Long.toString(sessionBytes(request.getSession(false)));
                case "/heap" -> Long.toString(usedHeapAfterGc());
                // sessions Jetty created in each application since the start: the root's, the cookie mode's
                case "/sessions-created" -> containerSessions.getSessionsCreated() + " "
                        + cookieSessions.getSessionsCreated();
                // requests through the probe, cookie openings, cookie reads, answers not 200 or with a Set-Cookie
                case "/probe" -> Probe.report();
                case "/connections" -> Integer.toString(emulator.connectionCount());
                case "/reset-connections" -> {
                    emulator.clearJournal();
                    yield "0";
                }
                case "/cpu" -> Long.toString(((com.sun.management.OperatingSystemMXBean) ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime());
                case "/jfr-start" -> {
                    Recording r = new Recording();
                    String period = request.getParameter("period");
                    r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(period == null ? 10
                            : Long.parseLong(period)));
                    if (request.getParameter("alloc") != null) {
                        r.enable("jdk.ObjectAllocationSample").with("throttle", request.getParameter("alloc"));
                    }
                    r.start();
                    recording = r;
                    yield "started";
                }
                case "/jfr-stop" -> {
                    Recording r = recording;
                    r.stop();
                    Path file = Path.of(request.getParameter("file"));
                    r.dump(file);
                    r.close();
                    yield file.toString();
                }
                default -> "unknown";
            };
            response.setContentType("text/plain");
            response.getWriter().write(answer);
        }

        /** The session's attributes as Java serialization writes them (what a persistent store keeps). */
        private static long sessionBytes(HttpSession session) throws IOException {
            if (session == null) {
                return -1;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                for (String name : Collections.list(session.getAttributeNames())) {
                    out.writeUTF(name);
                    out.writeObject(session.getAttribute(name));
                }
            }
            return bytes.size();
        }

        private static long usedHeapAfterGc() {
            for (int i = 0; i < 4; i++) {
                System.gc();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
