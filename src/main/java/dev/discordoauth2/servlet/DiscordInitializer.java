package dev.discordoauth2.servlet;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.LoginCore;
import jakarta.servlet.Registration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs when an application that contains the library starts (registered in {@code META-INF/services}), before any
 * filter or servlet. When the application uses the library — it registers {@link DiscordLoginFilter},
 * {@link DiscordCallbackServlet}, {@link DiscordLogoutServlet} or {@link DiscordWebhookServlet}, carries
 * {@link DiscordAuthenticationMechanismDefinition} (found through {@code @HandlesTypes}), or sets
 * {@code discord.container-authentication=true} — it:
 * <ul>
 * <li>checks that the jars the library needs at run time load, and stops the deployment naming the missing ones;</li>
 * <li>unless {@code discord.session-cookie-defaults=false}: sets safe session-cookie defaults where the application
 * set none ({@code HttpOnly}, {@code SameSite=Lax}, and {@code Secure} when {@code discord.redirect-uri} is an https
 * URL), and session tracking by cookie only where the application left the container's default (which includes the
 * URL, {@code ;jsessionid=}: a link could then carry another person's session);</li>
 * <li>lets the library forget what it holds for a session when the container destroys it;</li>
 * <li>with {@code discord.container-authentication=true}, registers the library's Jakarta Authentication module for
 * the application, so that the container itself authenticates with the Discord login (no web.xml component needed),
 * and stops the deployment where the container has no Jakarta Authentication;</li>
 * <li>once the application's own listeners have run, checks the web components' configuration: a missing or
 * invalid key stops the deployment with one message naming it, on containers that honour a listener's failure
 * (elsewhere the components fail closed with 503). The mechanism checks its own when CDI starts.</li>
 * </ul>
 * Stateless and thread-safe.
 */
@HandlesTypes(DiscordAuthenticationMechanismDefinition.class)
public final class DiscordInitializer implements ServletContainerInitializer {
    private static final System.Logger LOG = System.getLogger(DiscordInitializer.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        List<Registration> ours = Cores.components(context);
        DiscordAuthenticationMechanismDefinition definition = definition(classes);
        boolean containerAuthentication = "true".equalsIgnoreCase(DiscordConfig.lookUp(
                DiscordConfig.CONTAINER_AUTHENTICATION, key -> null, context::getInitParameter));
        if (ours.isEmpty() && definition == null && !containerAuthentication) {
            return;
        }
        Optional<String> missing = Dependencies.missing();
        if (missing.isPresent()) {
            LOG.log(System.Logger.Level.ERROR, missing.get() + "; stopping the deployment");
            throw new IllegalStateException(missing.get());
        }
        // the cookie must be configured now, before the context is initialised; the configuration may still be
        // incomplete here (a listener of the application may provide it), so only these two keys are read
        Function<String, String> first = !ours.isEmpty() ? ours.get(0)::getInitParameter
                : definition != null ? key -> literal(definition, key) : key -> null;
        if (!"false".equalsIgnoreCase(DiscordConfig.lookUp(DiscordConfig.SESSION_COOKIE_DEFAULTS, first,
                context::getInitParameter))) {
            String redirect = DiscordConfig.lookUp(DiscordConfig.REDIRECT_URI, first, context::getInitParameter);
            cookieDefaults(context.getSessionCookieConfig(), redirect != null
                    && redirect.toLowerCase(Locale.ROOT).startsWith("https:"));
            cookieTracking(context);
        }
        context.addListener(new SessionEnd());
        context.setAttribute(Cores.CLOSED_BY_LISTENER, Boolean.TRUE);
        context.addListener(new Close());
        if (definition != null) {
            checkDefinition(definition, context);
        }
        if (containerAuthentication) {
            // the container's authentication: registered now, before the first request; its configuration is the
            // context-params' (and the components', when there are some)
            try {
                ContainerAuthentication.register(context);
            } catch (LinkageError e) {
                String why = DiscordConfig.CONTAINER_AUTHENTICATION + "=true needs Jakarta Authentication "
                        + "(jakarta.security.auth.message), which this container lacks or hides from the application "
                        + "(Jetty hides it: WEB-INF/jetty-ee11-web.xml, or WEB-INF/jetty-ee10-web.xml in Jetty's ee10 "
                        + "environment, shows it, see the README's \"Container security\"): " + e;
                LOG.log(System.Logger.Level.ERROR, why + "; stopping the deployment");
                throw new IllegalStateException(why, e);
            } catch (IllegalStateException e) {
                LOG.log(System.Logger.Level.ERROR, e.getMessage() + "; stopping the deployment");
                throw e;
            }
        }
        if (!ours.isEmpty() || containerAuthentication) {
            // the configuration is checked once the application's own listeners have run (they may set it)
            context.addListener(new Check(List.copyOf(ours)));
        }
    }

    /** The application's mechanism definition among the classes the container found, or null. */
    private static DiscordAuthenticationMechanismDefinition definition(Set<Class<?>> classes) {
        if (classes != null) {
            for (Class<?> c : classes) {
                DiscordAuthenticationMechanismDefinition d = c.getAnnotation(
                        DiscordAuthenticationMechanismDefinition.class);
                if (d != null) {
                    return d;
                }
            }
        }
        return null;
    }

    /**
     * Checks the mechanism's configuration as far as it can be known before CDI starts: the definition's literal
     * values, then the context-params, system properties and environment. A missing or invalid key stops the
     * deployment, unless its attribute is an EL expression (evaluated later by the mechanism, which reports its own
     * failures). Each attribute {@code fooBar} is the key {@code discord.foo-bar} (see {@link Settings#attributes()}).
     */
    private static void checkDefinition(DiscordAuthenticationMechanismDefinition definition, ServletContext context) {
        java.util.Map<String, String> literals = new java.util.HashMap<>();
        Set<String> expressions = new java.util.HashSet<>();
        for (java.util.Map.Entry<String, Settings.Attribute> attribute : Settings.attributes().entrySet()) {
            String key = attribute.getKey();
            String value = attribute.getValue().value(definition).trim();
            if (value.startsWith("${") || value.startsWith("#{")) {
                expressions.add(key);
            } else if (!value.isEmpty()) {
                literals.put(key, value);
            }
        }
        try {
            DiscordConfig.load(key -> expressions.contains(key) ? "${expression}" : literals.get(key),
                    context::getInitParameter);
        } catch (IllegalStateException e) {
            String message = e.getMessage();
            if (expressions.stream().anyMatch(key -> message.startsWith(key + " "))) {
                return; // the expression's value decides: the mechanism checks it when it evaluates it
            }
            String why = "@DiscordAuthenticationMechanismDefinition: " + message;
            LOG.log(System.Logger.Level.ERROR, "Log in with Discord is not configured; stopping the deployment: " + why);
            throw new IllegalStateException(why);
        }
    }

    /** The definition's value for the one key read here ({@code discord.redirect-uri}), when it is a literal. */
    private static String literal(DiscordAuthenticationMechanismDefinition definition, String key) {
        if (!DiscordConfig.REDIRECT_URI.equals(key)) {
            return null;
        }
        String value = definition.redirectUri().trim();
        return value.startsWith("${") || value.startsWith("#{") ? null : value;
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
            try {
                Cores.componentsConfig(context, registrations);
            } catch (IllegalStateException e) {
                String message = e.getMessage();
                StringBuilder names = new StringBuilder(registrations.isEmpty()
                        ? DiscordConfig.CONTAINER_AUTHENTICATION + "=true" : "");
                for (Registration r : registrations) {
                    names.append(names.length() == 0 ? "" : ", ")
                            .append(r.getClassName().substring(r.getClassName().lastIndexOf('.') + 1)).append(" (")
                            .append(r.getName()).append(')');
                }
                message = names + ": " + message;
                LOG.log(System.Logger.Level.ERROR, "Log in with Discord is not configured; stopping the "
                        + "deployment: " + message);
                throw new IllegalStateException(message);
            }
        }
    }

    /** A session the container destroys (expired, invalidated): the library forgets what this node held for it. */
    private static final class SessionEnd implements HttpSessionListener {
        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            LoginCore core = Cores.of(event.getSession().getServletContext());
            if (core != null) {
                core.sessionEnded(event.getSession().getId());
            }
        }
    }

    /** Closes the application's login core when the application stops (after its filters and servlets). */
    private static final class Close implements ServletContextListener {
        @Override
        public void contextDestroyed(ServletContextEvent event) {
            Cores.close(event.getServletContext());
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

    /**
     * Session tracking by cookie only, where the application kept the container's default and that default also
     * tracks by URL; an application that chose its tracking modes ({@code <tracking-mode>}) keeps them.
     */
    static void cookieTracking(ServletContext context) {
        try {
            Set<SessionTrackingMode> effective = context.getEffectiveSessionTrackingModes();
            Set<SessionTrackingMode> defaults = context.getDefaultSessionTrackingModes();
            if (effective.equals(defaults) && effective.contains(SessionTrackingMode.URL)
                    && defaults.contains(SessionTrackingMode.COOKIE)) {
                context.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
            }
        } catch (IllegalStateException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "could not turn off session tracking by URL: " + e.getMessage()
                    + "; configure <tracking-mode>COOKIE</tracking-mode> in web.xml");
        }
    }
}
