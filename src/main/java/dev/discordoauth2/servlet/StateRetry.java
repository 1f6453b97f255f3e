package dev.discordoauth2.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The callback's one retry of a {@code state} it cannot find in a session the browser named. On a cluster whose
 * container stores a session only after the response (Jetty without {@code flushOnResponseCommit}), the browser can
 * come back from Discord to another node before the login's state reached the shared store. The code has not been
 * used, so loading the same callback again a second later is safe: the answer is a 503 page that reloads itself
 * once ({@code Refresh: 1}), marked by a short-lived cookie naming a digest of the state; the second miss is the
 * usual 400. The page reloads, and links to, the callback's own URL as the library builds it (the application's
 * origin, the configured callback path, Discord's parameters encoded again), never the request's spelling of the path:
 * so the marker cookie, whose path is that callback path, comes back with the reload however the first request spelt
 * it ({@code /oauth2/callback;x=1}, {@code /%6Fauth2/callback}), and no link leaves the application. The first retry
 * on a node logs a warning naming the container setting. Stateless and thread-safe.
 */
final class StateRetry {
    static final String COOKIE = "DISCORD_STATE_RETRY";
    private static final System.Logger LOG = System.getLogger(StateRetry.class.getName());
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private StateRetry() {
    }

    /**
     * Answers with the retry page and returns true when the callback's state is unknown, the browser named a session
     * and this state has not been retried yet; else returns false (and forgets an earlier retry of this state).
     *
     * @param callbackUrl the callback's absolute URL as the library builds it, with Discord's parameters
     */
    static boolean retryOnce(HttpServletRequest request, HttpServletResponse response, String state,
            String callbackUrl) throws IOException {
        if (request.getRequestedSessionId() == null || state.length() > 512) {
            return false; // no session named: waiting cannot help
        }
        String marker = DiscordWeb.digest(state);
        String path = java.net.URI.create(callbackUrl).getRawPath();
        if (marker.equals(cookie(request))) {
            response.addCookie(cookie(request, path, "", 0));
            return false;
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "a login came back from Discord with a state the session it named "
                    + "does not hold; the callback is loaded again in one second. On a cluster, every session write "
                    + "must reach the shared store before the response is sent (Jetty: "
                    + "jetty.session.flushOnResponseCommit=true), else a login started on one node can reach another "
                    + "before its state is stored. Logged once.");
        } else {
            LOG.log(System.Logger.Level.DEBUG, "unknown state on the callback: loaded again in one second");
        }
        response.addCookie(cookie(request, path, marker, 60));
        response.setHeader("Retry-After", "1");
        response.setHeader("Refresh", "1; url=" + callbackUrl);
        WebPages.send(request, response, 503, "state_not_stored_yet", "Finishing the login",
                "This server has not seen the start of your login yet. This page loads again in a second.",
                callbackUrl, "Try again");
        return true;
    }

    /** Forgets a retry once the login went through; {@code callbackPath} the callback's path with the context path. */
    static void forget(HttpServletRequest request, HttpServletResponse response, String callbackPath) {
        if (cookie(request) != null) {
            response.addCookie(cookie(request, callbackPath, "", 0));
        }
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    /** The marker cookie, on {@code path}: the callback's own path, which the retry loads. */
    private static Cookie cookie(HttpServletRequest request, String path, String value, int maxAge) {
        Cookie cookie = new Cookie(COOKIE, value);
        cookie.setPath(path);
        cookie.setMaxAge(maxAge);
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setAttribute("SameSite", "Lax");
        return cookie;
    }
}
