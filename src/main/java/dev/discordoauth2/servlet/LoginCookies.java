package dev.discordoauth2.servlet;

import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.Outcome;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * With {@code discord.session=cookie}: the login cookies a request changed ({@link LoginCore#responseCookies}), added
 * to its response before the response is committed: by the library's answers ({@link WebPages#render}), before the
 * filter or the mechanism lets a request through, and, for changes made while the application answers (a refresh
 * asked for through {@link DiscordAuth} outside the filter), by {@link #wrap}'s response at its first write, redirect,
 * error or flush. {@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} on https or behind an https redirect URI.
 * Stateless and thread-safe.
 */
final class LoginCookies {
    private LoginCookies() {
    }

    /** Adds the request's changed login cookies to {@code response}; nothing outside cookie mode or once committed. */
    static void write(HttpServletRequest request, HttpServletResponse response, LoginCore core) {
        if (core == null || !core.config().cookieSessions() || response.isCommitted()) {
            return; // the container's session: nothing to write, and nothing allocated on the hot path
        }
        for (Cookie cookie : of(request, core)) {
            response.addCookie(cookie);
        }
    }

    /** The request's changed login cookies as servlet cookies; empty outside cookie mode or when none changed. */
    static java.util.List<Cookie> of(HttpServletRequest request, LoginCore core) {
        if (core == null || !core.config().cookieSessions()) {
            return java.util.List.of();
        }
        ServletExchange exchange = new ServletExchange(request);
        java.util.List<Outcome.Cookie> changed = core.responseCookies(exchange);
        if (changed.isEmpty()) {
            return java.util.List.of();
        }
        boolean secure = request.isSecure() || core.secureCookies(exchange);
        java.util.List<Cookie> cookies = new java.util.ArrayList<>(changed.size());
        for (Outcome.Cookie c : changed) {
            Cookie cookie = new Cookie(c.name(), c.value());
            cookie.setPath(c.path());
            cookie.setMaxAge(c.maxAge());
            cookie.setHttpOnly(true);
            cookie.setSecure(secure);
            cookie.setAttribute("SameSite", "Lax");
            cookies.add(cookie);
        }
        return cookies;
    }

    /** {@code response}, writing the login cookies the request changed before it commits. */
    static HttpServletResponse wrap(HttpServletRequest request, HttpServletResponse response, LoginCore core) {
        return new HttpServletResponseWrapper(response) {
            private void before() {
                write(request, response, core);
            }

            @Override
            public jakarta.servlet.ServletOutputStream getOutputStream() throws IOException {
                before();
                return super.getOutputStream();
            }

            @Override
            public PrintWriter getWriter() throws IOException {
                before();
                return super.getWriter();
            }

            @Override
            public void sendRedirect(String location) throws IOException {
                before();
                super.sendRedirect(location);
            }

            @Override
            public void sendError(int status, String message) throws IOException {
                before();
                super.sendError(status, message);
            }

            @Override
            public void sendError(int status) throws IOException {
                before();
                super.sendError(status);
            }

            @Override
            public void flushBuffer() throws IOException {
                before();
                super.flushBuffer();
            }
        };
    }
}
