package dev.discordoauth2.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The session cookie's defaults on the cookies the library's own steps cause (a login's start, the session id change
 * at login, {@code request.logout()} through the mechanism): the {@code Set-Cookie} header of the session cookie is
 * read back from the response and given what it lacks — {@code HttpOnly}, {@code SameSite} (the application's
 * configured value, else {@code Lax}) and {@code Secure} with an https redirect URI. The header is what counts, not
 * the {@code SessionCookieConfig}: where {@link DiscordInitializer} did not run (a Jetty base without annotation
 * scanning) the configuration is empty, and some containers (Payara 6, GlassFish) keep a {@code SameSite} set on the
 * configuration without ever sending it. Stateless.
 */
final class SessionCookies {
    private SessionCookies() {
    }

    /** Adds the missing flags to the session cookie this response sets, if any. */
    static void harden(ServletContext context, HttpServletResponse response, boolean secure) {
        if (response.isCommitted()) {
            return;
        }
        SessionCookieConfig config = context.getSessionCookieConfig();
        String name = config.getName();
        String prefix = (name == null || name.isEmpty() ? "JSESSIONID" : name) + "=";
        String sameSite = config.getAttribute("SameSite");
        List<String> headers = new ArrayList<>(response.getHeaders("Set-Cookie"));
        boolean changed = false;
        for (int i = 0; i < headers.size(); i++) {
            String header = headers.get(i);
            if (!header.startsWith(prefix)) {
                continue;
            }
            String lower = header.toLowerCase(Locale.ROOT).replace(" ", "");
            StringBuilder fixed = new StringBuilder(header);
            if (!lower.contains(";httponly")) {
                fixed.append("; HttpOnly");
            }
            if (!lower.contains(";samesite=")) {
                fixed.append("; SameSite=").append(sameSite == null || sameSite.isBlank() ? "Lax" : sameSite);
            }
            if (secure && !lower.contains(";secure")) {
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
