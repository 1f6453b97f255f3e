package dev.discordoauth2.web;

import dev.discordoauth2.bench.BenchServer;
import dev.discordoauth2.servlet.DiscordLoginFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: one logged-in request through the whole container, in process: Jetty 12 with a {@link LocalConnector} (no
 * sockets, one keep-alive connection, one request at a time), the servlet of section 1 behind no filter with the
 * session's cookie ({@code bareSession}) and behind {@link DiscordLoginFilter} ({@code ours}). The difference is
 * what the filter costs a request, the container calls it makes included, without the load generator and the
 * scheduler of section 1. The session is logged in by a servlet of the benchmark that stores a {@link LoginState} as
 * the callback would (no Discord, nothing sent).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContainerRequestBenchmark {
    private Server server;
    private LocalConnector.LocalEndPoint connection;
    private ByteBuffer bareSession;
    private ByteBuffer ours;

    /** Logs the session in as the callback would, without Discord. */
    public static final class LogIn extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getSession(true).setAttribute(LoginStates.ATTRIBUTE, new LoginState(new DiscordPrincipal(
                    "80351110224678912", "nelly", "Nelly", null, null, null), new DiscordTokens("access",
                    Instant.now().plus(Duration.ofDays(7)), "refresh", List.of("identify")),
                    SessionChecks.validatedAt(Instant.now()), null, 0L));
            response.setContentLength(0);
        }
    }

    /**
     * One kind of container call the filter makes, alone (init-param {@code probe}): the route's paths, the request
     * attribute of the request's login (get, then set), the session's login (the session, then its attribute), the
     * wrapper passed down the chain. What each costs a request, against {@code bareSession}.
     */
    public static final class Probe extends jakarta.servlet.http.HttpFilter {
        private String probe;

        @Override
        public void init() {
            probe = getInitParameter("probe");
        }

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response,
                jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
            HttpServletRequest next = request;
            switch (probe) {
                case "route" -> {
                    if ((request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo())).equals(request.getContextPath() + "/x")) {
                        throw new IllegalStateException();
                    }
                }
                case "attribute" -> {
                    if (request.getAttribute("probe") == null) {
                        request.setAttribute("probe", Boolean.TRUE);
                    }
                }
                case "session" -> {
                    if (request.getRequestedSessionId() == null || request.isRequestedSessionIdFromURL()
                            || request.getSession(false).getAttribute(LoginStates.ATTRIBUTE) == null) {
                        throw new IllegalStateException("not logged in");
                    }
                }
                case "wrapper" -> next = new jakarta.servlet.http.HttpServletRequestWrapper(request);
                default -> throw new IllegalStateException(probe);
            }
            chain.doFilter(next, response);
        }
    }

    private ByteBuffer route;
    private ByteBuffer attribute;
    private ByteBuffer session;
    private ByteBuffer wrapper;

    @Setup
    public void setUp() throws Exception {
        server = new Server();
        LocalConnector connector = new LocalConnector(server);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.SESSIONS);
        context.getSessionHandler().setMaxInactiveInterval(3600);
        context.setInitParameter(DiscordConfig.CLIENT_ID, "100000000000000001");
        context.setInitParameter(DiscordConfig.CLIENT_SECRET, "bench-secret");
        context.setInitParameter(DiscordConfig.REDIRECT_URI, "/oauth2/callback");
        context.setInitParameter(DiscordConfig.WARM_UP, "false");
        context.addServlet(BenchServer.Hello.class, "/bare/hello");
        context.addServlet(BenchServer.Hello.class, "/discord/hello");
        context.addServlet(LogIn.class, "/log-in");
        context.addFilter(DiscordLoginFilter.class, "/discord/*", EnumSet.of(DispatcherType.REQUEST));
        for (String probe : List.of("route", "attribute", "session", "wrapper")) {
            context.addServlet(BenchServer.Hello.class, "/" + probe + "/hello");
            context.addFilter(Probe.class, "/" + probe + "/*", EnumSet.of(DispatcherType.REQUEST))
                    .setInitParameter("probe", probe);
        }
        server.setHandler(context);
        server.start();
        String login = connector.getResponse("GET /log-in HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n");
        String cookie = login.lines().filter(l -> l.regionMatches(true, 0, "Set-Cookie:", 0, 11)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no session: " + login)).substring(11).trim()
                .split(";", 2)[0];
        bareSession = request("/bare/hello", cookie);
        ours = request("/discord/hello", cookie);
        route = request("/route/hello", cookie);
        attribute = request("/attribute/hello", cookie);
        session = request("/session/hello", cookie);
        wrapper = request("/wrapper/hello", cookie);
        connection = connector.connect();
        for (ByteBuffer r : List.of(bareSession, ours, route, attribute, session, wrapper)) {
            String answer = StandardCharsets.ISO_8859_1.decode(send(r)).toString();
            if (!answer.startsWith("HTTP/1.1 200") || !answer.endsWith("hello")) {
                throw new IllegalStateException("not a logged-in answer: " + answer);
            }
        }
    }

    private static ByteBuffer request(String path, String cookie) {
        return ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: bench\r\nAccept: text/html\r\nCookie: " + cookie
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    private ByteBuffer send(ByteBuffer request) throws Exception {
        connection.addInput(request.duplicate());
        return connection.waitForResponse(false, 10, TimeUnit.SECONDS);
    }

    @TearDown
    public void tearDown() throws Exception {
        server.stop();
    }

    @Benchmark
    public ByteBuffer bareSession() throws Exception {
        return send(bareSession);
    }

    @Benchmark
    public ByteBuffer ours() throws Exception {
        return send(ours);
    }

    @Benchmark
    public ByteBuffer probeRoute() throws Exception {
        return send(route);
    }

    @Benchmark
    public ByteBuffer probeAttribute() throws Exception {
        return send(attribute);
    }

    @Benchmark
    public ByteBuffer probeSession() throws Exception {
        return send(session);
    }

    @Benchmark
    public ByteBuffer probeWrapper() throws Exception {
        return send(wrapper);
    }
}
