package dev.discordoauth2.web;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request for the core's unit tests: {@code scheme://host:port/app} with a method, a path, a query, headers and
 * cookies, and a {@link MapSession} (created on demand; the id changes at login). Not thread-safe.
 */
final class TestExchange implements LoginCore.Exchange {
    private String method = "GET";
    private String origin = "http://127.0.0.1:8080";
    private String contextPath = "/app";
    private String path = "/";
    private String query;
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> cookies = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private MapSession session;
    private boolean sessionInUrl;
    private int ids;

    static TestExchange get(String pathAndQuery) {
        TestExchange e = new TestExchange();
        int q = pathAndQuery.indexOf('?');
        e.path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        e.query = q < 0 ? null : pathAndQuery.substring(q + 1);
        return e;
    }

    /** The next request of the same browser: same session and cookies, a new path, no request attributes. */
    TestExchange next(String pathAndQuery) {
        TestExchange e = get(pathAndQuery);
        e.origin = origin;
        e.contextPath = contextPath;
        e.session = session != null && !session.invalid() ? session : null;
        e.cookies.putAll(cookies);
        e.headers.putAll(headers);
        e.ids = ids;
        return e;
    }

    TestExchange method(String m) {
        method = m;
        return this;
    }

    TestExchange origin(String o) {
        origin = o;
        return this;
    }

    TestExchange contextPath(String c) {
        contextPath = c;
        return this;
    }

    TestExchange header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    TestExchange cookie(String name, String value) {
        cookies.put(name, value);
        return this;
    }

    TestExchange sessionInUrl() {
        sessionInUrl = true;
        return this;
    }

    TestExchange session(MapSession s) {
        session = s;
        return this;
    }

    MapSession currentSession() {
        return session;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public String contextPath() {
        return contextPath;
    }

    @Override
    public String rawPath() {
        return path;
    }

    @Override
    public String mappedPath() {
        return path;
    }

    @Override
    public String rawQuery() {
        return query;
    }

    @Override
    public String cookie(String name) {
        return cookies.get(name);
    }

    @Override
    public boolean namesSession() {
        return session != null || sessionInUrl;
    }

    @Override
    public boolean sessionNamedInUrl() {
        return sessionInUrl;
    }

    @Override
    public LoginCore.Session session(boolean create) {
        if (session != null && session.invalid()) {
            session = null;
        }
        if (session == null && create) {
            session = new MapSession("session-" + (++ids));
        }
        return session;
    }

    @Override
    public LoginCore.Session changeSessionId() {
        session(true);
        session.changeId("session-" + (++ids) + "-changed");
        return session;
    }

    @Override
    public Object attribute(String name) {
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
}
