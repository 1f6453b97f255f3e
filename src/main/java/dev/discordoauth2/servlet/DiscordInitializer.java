package dev.discordoauth2.servlet;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Registration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs when an application that contains the library starts (registered in {@code META-INF/services}), before any
 * filter or servlet. When the application registers {@link DiscordLoginFilter}, {@link DiscordCallbackServlet} or
 * {@link DiscordLogoutServlet}, it sets safe session-cookie defaults where the application set none
 * ({@code HttpOnly}, {@code SameSite=Lax}, and {@code Secure} when {@code discord.redirect-uri} is an https URL;
 * {@code discord.session-cookie-defaults=false} leaves the cookie alone), and once the application's own listeners
 * have run it checks the components' configuration: a missing or invalid key stops the deployment with one message
 * naming it, on containers that honour a listener's failure (elsewhere the components fail closed with 503).
 * Stateless and thread-safe.
 */
public final class DiscordInitializer implements ServletContainerInitializer {
    private static final System.Logger LOG = System.getLogger(DiscordInitializer.class.getName());
    private static final Set<String> COMPONENTS = Set.of(DiscordLoginFilter.class.getName(),
            DiscordCallbackServlet.class.getName(), DiscordLogoutServlet.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
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
        // the cookie must be configured now, before the context is initialised; the configuration may still be
        // incomplete here (a listener of the application may provide it), so only these two keys are read
        DiscordConfig.Lookup lookup = new DiscordConfig.Lookup(ours.get(0)::getInitParameter,
                context::getInitParameter, System.getenv());
        if (!"false".equalsIgnoreCase(lookup.apply(DiscordConfig.SESSION_COOKIE_DEFAULTS))) {
            String redirect = lookup.apply(DiscordConfig.REDIRECT_URI);
            cookieDefaults(context.getSessionCookieConfig(), redirect != null
                    && redirect.toLowerCase(Locale.ROOT).startsWith("https:"));
        }
        // the configuration is checked once the application's own listeners have run (they may set it)
        context.addListener(new Check(List.copyOf(ours)));
    }

    /** Checks every component's configuration when the context has been initialised; a bad key stops it. */
    private static final class Check implements ServletContextListener {
        private final List<Registration> registrations;

        Check(List<Registration> registrations) {
            this.registrations = registrations;
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServletContext context = event.getServletContext();
            for (Registration r : registrations) {
                try {
                    DiscordConfig.load(r::getInitParameter, context::getInitParameter);
                } catch (IllegalStateException e) {
                    String simple = r.getClassName().substring(r.getClassName().lastIndexOf('.') + 1);
                    String message = simple + " (" + r.getName() + "): " + e.getMessage();
                    LOG.log(System.Logger.Level.ERROR, "Log in with Discord is not configured; stopping the "
                            + "deployment: " + message);
                    throw new IllegalStateException(message);
                }
            }
        }
    }

    static void cookieDefaults(SessionCookieConfig cookie, boolean https) {
        try {
            if (!cookie.isHttpOnly()) {
                cookie.setHttpOnly(true);
            }
            if (cookie.getAttribute("SameSite") == null) {
                cookie.setAttribute("SameSite", "Lax");
            }
            if (!cookie.isSecure() && https) {
                cookie.setSecure(true);
            }
        } catch (IllegalStateException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "could not set the session cookie's defaults (HttpOnly, "
                    + "SameSite=Lax): " + e.getMessage() + "; configure <session-config> in web.xml");
        }
    }
}
