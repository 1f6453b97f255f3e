package dev.discordoauth2.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fallback for the session cookie's defaults where {@link DiscordInitializer} did not run (a container started
 * without annotation scanning, e.g. a Jetty base without the {@code ee10-annotations} module): after the web
 * components create a session or change its id, the session cookie they caused is sent {@code HttpOnly} and
 * {@code SameSite=Lax} (and {@code Secure} with an https redirect URI), unless the application configured the cookie.
 * Stateless.
 */
final class SessionCookies {
    private SessionCookies() {
    }

    /** Whether the context's cookie configuration already carries the defaults (set by the initializer or the app). */
    static boolean configured(ServletContext context) {
        SessionCookieConfig cookie = context.getSessionCookieConfig();
        return cookie.isHttpOnly() && cookie.getAttribute("SameSite") != null;
    }

    /** Adds the missing flags to the session cookie this response sets, if any. */
    static void harden(ServletContext context, HttpServletResponse response, boolean secure) {
        if (configured(context) || response.isCommitted()) {
            return;
        }
        String name = context.getSessionCookieConfig().getName();
        String prefix = (name == null || name.isEmpty() ? "JSESSIONID" : name) + "=";
        List<String> headers = new ArrayList<>(response.getHeaders("Set-Cookie"));
        boolean changed = false;
        for (int i = 0; i < headers.size(); i++) {
            String header = headers.get(i);
            if (!header.startsWith(prefix)) {
                continue;
            }
            String lower = header.toLowerCase(Locale.ROOT);
            StringBuilder fixed = new StringBuilder(header);
            if (!lower.contains("; httponly")) {
                fixed.append("; HttpOnly");
            }
            if (!lower.contains("; samesite=")) {
                fixed.append("; SameSite=Lax");
            }
            if (secure && !lower.contains("; secure")) {
                fixed.append("; Secure");
            }
            changed |= fixed.length() != header.length();
            headers.set(i, fixed.toString());
        }
        if (changed) {
            response.setHeader("Set-Cookie", headers.get(0));
            for (int i = 1; i < headers.size(); i++) {
                response.addHeader("Set-Cookie", headers.get(i));
            }
        }
    }
}
