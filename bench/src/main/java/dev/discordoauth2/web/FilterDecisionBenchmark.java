package dev.discordoauth2.web;

import dev.discordoauth2.servlet.DiscordLoginFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: the filter's per-request work for a logged-in session, without a container (in the core's package to reach its
 * package-private code).
 * <ul>
 *   <li>{@code loggedInDecision}: what is left once the session's {@link LoginState} is read: is the token due for
 *       refresh, and the user's groups, cached per state ({@link LoginState#groups}), for {@code isUserInRole};</li>
 *   <li>{@code loggedInDecisionUncachedGroups}: the same with the groups computed anew ({@link Roles#of}),
 *       what every request did before the groups were cached per state;</li>
 *
 *   <li>{@code filterRequest}: the whole {@link DiscordLoginFilter} for one logged-in request, up to the chain: the
 *       route, the request attribute, the session, {@code currentTokens}, the groups and the
 *       {@link AuthenticatedRequest};</li>
 *   <li>{@code returnPathCheck}: the return-path check of a login start.</li>
 * </ul>
 * The request, session and context are plain in-memory stand-ins (a session here takes no lock, as Jetty's does on
 * each call), so these figures are the library's own work, not the container's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FilterDecisionBenchmark {
    private static final String USER = "80351110224678912";
    private static final String CURRENT = Steps.CURRENT;

    private final Clock clock = Clock.systemUTC();
    private final Duration skew = Duration.ofMinutes(1);
    private final DiscordTokens tokens = new DiscordTokens("access", Instant.now().plus(Duration.ofDays(7)), "refresh",
            List.of("identify"));
    private final DiscordPrincipal principal = new DiscordPrincipal(USER, "nelly", "Nelly", null, null, null);
    private final Roles roles = new Roles(Map.of("admin", Set.of(USER)), null);
    private final LoginState state = new LoginState(principal, tokens, SessionChecks.validatedAt(Instant.now()), null,
            0L);

    private DiscordLoginFilter filter;
    private FakeSession session;
    private FakeRequest request;
    private HttpServletResponse response;
    private FilterChain chain;
    private Blackhole blackhole;

    @Setup
    public void setUp(Blackhole bh) throws Exception {
        blackhole = bh;
        Map<String, String> params = Map.of(DiscordConfig.CLIENT_ID, "100000000000000001",
                DiscordConfig.CLIENT_SECRET, "bench-secret", DiscordConfig.REDIRECT_URI, "/oauth2/callback",
                DiscordConfig.ROLES, "admin=" + USER, DiscordConfig.WARM_UP, "false");
        ServletContext context = context(params);
        filter = new DiscordLoginFilter();
        filter.init(new FilterConfig() {
            @Override
            public String getFilterName() {
                return "discord";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return null;
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.emptyEnumeration();
            }
        });
        session = new FakeSession(context);
        session.setAttribute(LoginStates.ATTRIBUTE, state);
        request = new FakeRequest(session, context);
        response = unsupported(HttpServletResponse.class);
        boolean[] passed = new boolean[1];
        filter.doFilter(request, response, (req, res) -> passed[0] = ((HttpServletRequest) req).isUserInRole("admin"));
        request.attributes.remove(CURRENT);
        if (!passed[0]) {
            // else filterRequest would measure the fail-closed answer (a stand-in the core now asks and this one lacks)
            throw new IllegalStateException("the filter did not let the logged-in request through");
        }
        chain = (req, res) -> blackhole.consume(((HttpServletRequest) req).isUserInRole("admin"));
    }

    @TearDown
    public void tearDown() {
        filter.destroy();
    }

    @Benchmark
    public boolean loggedInDecision() {
        return !state.tokens().expiresWithin(skew, clock.instant()) && state.groups(roles).contains("admin");
    }

    @Benchmark
    public boolean loggedInDecisionUncachedGroups() {
        return !state.tokens().expiresWithin(skew, clock.instant())
                && roles.of(state.principal(), state.tokens()).contains("admin");
    }

    /** Each call is a new request of the same logged-in session: the request's attribute of its login is removed. */
    @Benchmark
    public void filterRequest() throws Exception {
        filter.doFilter(request, response, chain);
        request.attributes.remove(CURRENT);
    }

    @Benchmark
    public boolean returnPathCheck() {
        return ReturnPaths.isLocal("/profile?tab=guilds&sort=name");
    }

    // ------------------------------------------------------------------------------------------ stand-ins

    /** A proxy that refuses every call: the stand-ins below answer what the filter asks, nothing else. */
    private static <T> T unsupported(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
        }));
    }

    private static ServletContext context(Map<String, String> params) {
        Map<String, Object> attributes = new HashMap<>();
        return (ServletContext) Proxy.newProxyInstance(ServletContext.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "removeAttribute" -> attributes.remove((String) args[0]);
                    case "getContextPath" -> "";
                    // the core looks for the application's RoleConnectionSource through it (ServiceLoader)
                    case "getClassLoader" -> FilterDecisionBenchmark.class.getClassLoader();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "ServletContext(bench)";
                    default -> throw new UnsupportedOperationException("ServletContext." + method.getName());
                });
    }

    /** A GET of {@code /discord/hello} with the session's cookie, mapped to an exact servlet path. */
    private static final class FakeRequest extends HttpServletRequestWrapper {
        final Map<String, Object> attributes = new HashMap<>();
        private final HttpSession session;
        private final ServletContext context;

        FakeRequest(HttpSession session, ServletContext context) {
            super(unsupported(HttpServletRequest.class));
            this.session = session;
            this.context = context;
        }

        @Override
        public String getRequestURI() {
            return "/discord/hello";
        }

        @Override
        public String getContextPath() {
            return "";
        }

        @Override
        public String getServletPath() {
            return "/discord/hello";
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getMethod() {
            return "GET";
        }

        @Override
        public String getHeader(String name) {
            return name.equalsIgnoreCase("Accept") ? "text/html" : null;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public String getRequestedSessionId() {
            return "bench-session";
        }

        @Override
        public boolean isRequestedSessionIdFromURL() {
            return false;
        }

        @Override
        public boolean isRequestedSessionIdFromCookie() {
            return true;
        }

        @Override
        public HttpSession getSession(boolean create) {
            return session;
        }

        @Override
        public HttpSession getSession() {
            return session;
        }
    }

    /** A live session that never expires on its own. */
    private static final class FakeSession implements HttpSession {
        private final Map<String, Object> attributes = new HashMap<>();
        private final ServletContext context;
        private final long created = System.currentTimeMillis();

        FakeSession(ServletContext context) {
            this.context = context;
        }

        @Override
        public long getCreationTime() {
            return created;
        }

        @Override
        public String getId() {
            return "bench-session";
        }

        @Override
        public long getLastAccessedTime() {
            return created;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public void setMaxInactiveInterval(int interval) {
        }

        @Override
        public int getMaxInactiveInterval() {
            return 3600;
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            return Collections.enumeration(attributes.keySet());
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public void invalidate() {
            throw new UnsupportedOperationException("a logged-in request does not end its session");
        }

        @Override
        public boolean isNew() {
            return false;
        }
    }
}
