package dev.discordoauth2.servlet;

import dev.discordoauth2.web.LoginCore;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * A servlet request as the {@link LoginCore} sees it, for one request on its thread, and its {@link HttpSession} as a
 * {@link LoginCore.Session}. Not thread-safe (a request is not).
 */
final class ServletExchange implements LoginCore.Exchange {
    final HttpServletRequest request;
    private String origin;

    ServletExchange(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public String origin() {
        String known = origin;
        if (known == null) {
            known = LoginCore.origin(request.getScheme(), request.getServerName(), request.getServerPort());
            origin = known;
        }
        return known;
    }

    @Override
    public String contextPath() {
        return request.getContextPath();
    }

    @Override
    public String rawPath() {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    @Override
    public String mappedPath() {
        return mappedPath(request);
    }

    /**
     * The request's path inside the application as the container mapped it: decoded, normalised, without path
     * parameters ({@code /oauth2/callback} for {@code /oauth2/callback;x=1} and {@code /%6Fauth2/callback} alike).
     */
    static String mappedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        // asked on every request: no new string when a part is empty (exact, extension, default and /* mappings)
        String path = pathInfo == null || pathInfo.isEmpty() ? (servletPath == null ? "" : servletPath)
                : servletPath == null || servletPath.isEmpty() ? pathInfo : servletPath + pathInfo;
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String rawQuery() {
        return request.getQueryString();
    }

    @Override
    public String cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (name.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    @Override
    public boolean namesSession() {
        return request.getRequestedSessionId() != null;
    }

    @Override
    public boolean sessionNamedInUrl() {
        return request.getRequestedSessionId() != null && request.isRequestedSessionIdFromURL();
    }

    @Override
    public LoginCore.Session session(boolean create) {
        HttpSession session = request.getSession(create);
        return session == null ? null : new SessionView(session);
    }

    @Override
    public LoginCore.Session changeSessionId() {
        request.changeSessionId();
        return new SessionView(request.getSession());
    }

    @Override
    public Object attribute(String name) {
        return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        request.setAttribute(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        request.removeAttribute(name);
    }

    /** An {@link HttpSession} as the core's session port. */
    record SessionView(HttpSession session) implements LoginCore.Session {
        @Override
        public String id() {
            return session.getId();
        }

        @Override
        public Object get(String name) {
            return session.getAttribute(name);
        }

        @Override
        public void set(String name, Object value) {
            session.setAttribute(name, value);
        }

        @Override
        public void remove(String name) {
            session.removeAttribute(name);
        }

        @Override
        public int maxInactiveSeconds() {
            return session.getMaxInactiveInterval();
        }

        @Override
        public void invalidate() {
            session.invalidate();
        }
    }
}
