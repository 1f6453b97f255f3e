package dev.discordoauth2.testkit;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link HttpServletRequest} for unit tests of servlets without a container, built in a few calls
 * ({@code TestRequest.get("/profile").contextPath("/app").build()}): method, context path, servlet path and path info,
 * query parameters, headers, cookies, attributes, a session ({@link TestSession}, made by {@code getSession(true)}
 * when none was given) and a {@link ServletContext} (an in-memory one with attributes and init parameters unless
 * given: no library runtime, so {@code DiscordAuth} finds no login in it). Methods it does not model answer their
 * type's default (null, false, 0), as a hand-made proxy would. Put a logged-in user on it with
 * {@code DiscordTestLogin.onto(request)}. The builder is not thread-safe; a built request may be read from several
 * threads.
 */
public final class TestRequest extends HttpServletRequestWrapper {
    private final Builder b;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private volatile HttpSession session;

    private TestRequest(Builder b) {
        super(Fakes.nothing(HttpServletRequest.class));
        this.b = b;
        this.attributes.putAll(b.attributes);
        this.session = b.session;
    }

    /** A {@code GET} of {@code path} (the path inside the application; a query string becomes parameters). */
    public static Builder get(String path) {
        return new Builder("GET", path);
    }

    /** A {@code POST} of {@code path} (form parameters via {@link Builder#parameter}). */
    public static Builder post(String path) {
        return new Builder("POST", path);
    }

    /** A request with any method. */
    public static Builder method(String method, String path) {
        return new Builder(method, path);
    }

    /** A {@link ServletContext} in memory: attributes, these init parameters, context path {@code contextPath}. */
    public static ServletContext servletContext(String contextPath, Map<String, String> initParameters) {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        Map<String, String> params = Map.copyOf(initParameters);
        return (ServletContext) Proxy.newProxyInstance(TestRequest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> {
                        if (args[1] == null) {
                            attributes.remove((String) args[0]);
                        } else {
                            attributes.put((String) args[0], args[1]);
                        }
                        yield null;
                    }
                    case "removeAttribute" -> {
                        attributes.remove((String) args[0]);
                        yield null;
                    }
                    case "getAttributeNames" -> Collections.enumeration(List.copyOf(attributes.keySet()));
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    case "getContextPath" -> contextPath;
                    case "getClassLoader" -> TestRequest.class.getClassLoader();
                    case "getMajorVersion" -> 6;
                    case "getMinorVersion" -> 0;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "TestRequest.servletContext(" + contextPath + ")";
                    default -> Fakes.defaultValue(method.getReturnType());
                });
    }

    /** Builds a {@link TestRequest}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String path;
        private final Map<String, List<String>> parameters = new LinkedHashMap<>();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private final List<Cookie> cookies = new ArrayList<>();
        private String contextPath = "";
        private String servletPath;
        private String query;
        private String scheme = "http";
        private String serverName = "localhost";
        private int serverPort = 8080;
        private String remoteAddr = "127.0.0.1";
        private HttpSession session;
        private ServletContext context;

        private Builder(String method, String path) {
            this.method = Objects.requireNonNull(method).toUpperCase(Locale.ROOT);
            int q = path.indexOf('?');
            this.path = q < 0 ? path : path.substring(0, q);
            if (q >= 0) {
                this.query = path.substring(q + 1);
                TestBrowser.query("http://x/?" + query).forEach(this::parameter);
            }
        }

        /** The context path ({@code ""} for the root application, else {@code "/app"}). */
        public Builder contextPath(String value) {
            this.contextPath = Objects.requireNonNull(value);
            return this;
        }

        /** The servlet path; by default the whole path (no path info). */
        public Builder servletPath(String value) {
            this.servletPath = value;
            return this;
        }

        public Builder parameter(String name, String value) {
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        public Builder header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
            return this;
        }

        public Builder cookie(String name, String value) {
            cookies.add(new Cookie(name, value));
            return this;
        }

        public Builder attribute(String name, Object value) {
            attributes.put(name, value);
            return this;
        }

        /** Scheme, host and port of the request's URL (default {@code http://localhost:8080}). */
        public Builder server(String scheme, String host, int port) {
            this.scheme = scheme;
            this.serverName = host;
            this.serverPort = port;
            return this;
        }

        public Builder remoteAddr(String value) {
            this.remoteAddr = value;
            return this;
        }

        /** The request's session (else none until {@code getSession(true)} makes a {@link TestSession}). */
        public Builder session(HttpSession value) {
            this.session = value;
            return this;
        }

        /** The application's context (else one of {@link #servletContext(String, Map)} without init parameters). */
        public Builder servletContext(ServletContext value) {
            this.context = value;
            return this;
        }

        public TestRequest build() {
            if (context == null) {
                context = TestRequest.servletContext(contextPath, Map.of());
            }
            return new TestRequest(this);
        }
    }

    @Override
    public String getMethod() {
        return b.method;
    }

    @Override
    public String getContextPath() {
        return b.contextPath;
    }

    @Override
    public String getServletPath() {
        return b.servletPath != null ? b.servletPath : b.path;
    }

    @Override
    public String getPathInfo() {
        return b.servletPath != null && b.path.length() > b.servletPath.length()
                ? b.path.substring(b.servletPath.length()) : null;
    }

    @Override
    public String getRequestURI() {
        return b.contextPath + b.path;
    }

    @Override
    public StringBuffer getRequestURL() {
        boolean defaultPort = b.scheme.equals("http") && b.serverPort == 80
                || b.scheme.equals("https") && b.serverPort == 443;
        return new StringBuffer(b.scheme + "://" + b.serverName + (defaultPort ? "" : ":" + b.serverPort)
                + getRequestURI());
    }

    @Override
    public String getQueryString() {
        return b.query;
    }

    @Override
    public String getScheme() {
        return b.scheme;
    }

    @Override
    public String getServerName() {
        return b.serverName;
    }

    @Override
    public int getServerPort() {
        return b.serverPort;
    }

    @Override
    public boolean isSecure() {
        return b.scheme.equals("https");
    }

    @Override
    public String getRemoteAddr() {
        return b.remoteAddr;
    }

    @Override
    public String getParameter(String name) {
        List<String> values = b.parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String[] getParameterValues(String name) {
        List<String> values = b.parameters.get(name);
        return values == null ? null : values.toArray(String[]::new);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        Map<String, String[]> out = new LinkedHashMap<>();
        b.parameters.forEach((name, values) -> out.put(name, values.toArray(String[]::new)));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(b.parameters.keySet());
    }

    @Override
    public String getHeader(String name) {
        List<String> values = b.headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(b.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(b.headers.keySet());
    }

    @Override
    public int getIntHeader(String name) {
        String value = getHeader(name);
        return value == null ? -1 : Integer.parseInt(value);
    }

    @Override
    public Cookie[] getCookies() {
        return b.cookies.isEmpty() ? null : b.cookies.toArray(Cookie[]::new);
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(List.copyOf(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public HttpSession getSession(boolean create) {
        HttpSession current = session;
        if (current instanceof TestSession test && !test.isValid()) {
            current = null;
        }
        if (current == null && create) {
            synchronized (this) {
                current = session instanceof TestSession test && test.isValid() ? test : new TestSession(b.context);
                session = current;
            }
        }
        return current;
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public String getRequestedSessionId() {
        return null;
    }

    @Override
    public ServletContext getServletContext() {
        return b.context;
    }

    @Override
    public String getContentType() {
        return getHeader("Content-Type");
    }

    @Override
    public String getCharacterEncoding() {
        return "UTF-8";
    }

    @Override
    public Locale getLocale() {
        return Locale.ENGLISH;
    }

    @Override
    public String toString() {
        return "TestRequest[" + b.method + " " + getRequestURI() + (b.query == null ? "" : "?" + b.query) + "]";
    }
}
