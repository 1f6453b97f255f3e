package dev.discordoauth2.servlet;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Registration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs when an application that contains the library starts (registered in {@code META-INF/services}), before any
 * filter or servlet: when the application registers {@link DiscordLoginFilter}, {@link DiscordCallbackServlet} or
 * {@link DiscordLogoutServlet}, it checks their configuration and stops the deployment with the one message naming
 * the bad key (on containers that honour an initializer's failure; elsewhere the components fail closed with 503),
 * and it sets safe session-cookie defaults where the application set none: {@code HttpOnly}, {@code SameSite=Lax},
 * and {@code Secure} when {@code discord.redirect-uri} is an https URL. {@code discord.session-cookie-defaults=false}
 * leaves the cookie alone. Stateless and thread-safe.
 */
public final class DiscordInitializer implements ServletContainerInitializer {
    private static final System.Logger LOG = System.getLogger(DiscordInitializer.class.getName());
    private static final Set<String> COMPONENTS = Set.of(DiscordLoginFilter.class.getName(),
            DiscordCallbackServlet.class.getName(), DiscordLogoutServlet.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        List<Registration> ours = new ArrayList<>();
        for (FilterRegistration r : context.getFilterRegistrations().values()) {
            if (COMPONENTS.contains(r.getClassName())) {
                ours.add(r);
            }
        }
        for (ServletRegistration r : context.getServletRegistrations().values()) {
            if (COMPONENTS.contains(r.getClassName())) {
                ours.add(r);
            }
        }
        if (ours.isEmpty()) {
            return;
        }
        DiscordConfig config = null;
        for (Registration r : ours) {
            try {
                DiscordConfig loaded = DiscordConfig.load(r::getInitParameter, context::getInitParameter);
                config = config == null ? loaded : config;
            } catch (IllegalStateException e) {
                String simple = r.getClassName().substring(r.getClassName().lastIndexOf('.') + 1);
                String message = simple + " (" + r.getName() + "): " + e.getMessage();
                LOG.log(System.Logger.Level.ERROR, "Log in with Discord is not configured; stopping the deployment: "
                        + message);
                throw new ServletException(message);
            }
        }
        if (config.sessionCookieDefaults()) {
            cookieDefaults(context.getSessionCookieConfig(), config);
        }
    }

    static void cookieDefaults(SessionCookieConfig cookie, DiscordConfig config) {
        try {
            if (!cookie.isHttpOnly()) {
                cookie.setHttpOnly(true);
            }
            if (cookie.getAttribute("SameSite") == null) {
                cookie.setAttribute("SameSite", "Lax");
            }
            if (!cookie.isSecure() && config.redirectUri().toLowerCase(Locale.ROOT).startsWith("https:")) {
                cookie.setSecure(true);
            }
        } catch (IllegalStateException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "could not set the session cookie's defaults (HttpOnly, "
                    + "SameSite=Lax): " + e.getMessage() + "; configure <session-config> in web.xml");
        }
    }
}
