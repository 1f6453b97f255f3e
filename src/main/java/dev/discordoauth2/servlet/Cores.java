package dev.discordoauth2.servlet;

import dev.discordoauth2.web.DiscordBotAddedEvent;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.DiscordLoginEvent;
import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.RoleConnectionSource;
import dev.discordoauth2.web.RoleMapper;
import jakarta.servlet.Registration;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The application's one {@link LoginCore}, kept in a {@code ServletContext} attribute: created by the first front door
 * that needs it (after the application's own listeners ran, so a clock, a {@link RoleMapper} or an event listener
 * they put in the context is used, and a {@link LoginCore.SessionStore}), and closed when the application stops (by the initializer's listener, or, where
 * the initializer did not run, by the component that created it). One configuration per application: the web.xml
 * components' init-params all feed it, and two components giving one key different values stop the start-up with a
 * message naming both (see {@link #componentsConfig}). Thread-safe.
 */
final class Cores {
    /** The {@code ServletContext} attribute of the application's core. */
    static final String ATTRIBUTE = LoginCore.class.getName();
    /** Set by the initializer: its listener closes the core when the application stops. */
    static final String CLOSED_BY_LISTENER = LoginCore.class.getName() + ".closedByListener";
    /** The library's web.xml components. */
    static final Set<String> COMPONENTS = Set.of(DiscordLoginFilter.class.getName(),
            DiscordCallbackServlet.class.getName(), DiscordLogoutServlet.class.getName(),
            DiscordWebhookServlet.class.getName());
    private static final Object LOCK = new Object();

    private Cores() {
    }

    /** The application's core, or null when no front door started one. */
    static LoginCore of(ServletContext context) {
        return context.getAttribute(ATTRIBUTE) instanceof LoginCore core ? core : null;
    }

    /**
     * The application's core, created with {@code config} when there is none. Returns the core and whether this call
     * created it.
     *
     * @throws IllegalStateException when the application's core has another configuration
     */
    static Started acquire(ServletContext context, Supplier<DiscordConfig> config, String who) {
        synchronized (LOCK) {
            LoginCore existing = of(context);
            DiscordConfig wanted = config.get();
            if (existing != null) {
                if (!existing.config().equals(wanted)) {
                    throw new IllegalStateException(who + " is configured differently from the application's login, "
                            + "which another front door started: an application has one configuration of Log in with "
                            + "Discord (use the web.xml components or the Jakarta Security mechanism, not both with "
                            + "different settings)");
                }
                return new Started(existing, false);
            }
            LoginCore core = LoginCore.start(wanted, context.getAttribute(DiscordAuth.CLOCK_ATTRIBUTE) instanceof Clock c
                    ? c : null, context.getAttribute(RoleMapper.ATTRIBUTE) instanceof RoleMapper m ? m : null,
                    context.getAttribute(LoginCore.SessionStore.ATTRIBUTE) instanceof LoginCore.SessionStore st ? st
                            : null);
            if (context.getAttribute(DiscordLoginEvent.LISTENER_ATTRIBUTE) instanceof Consumer<?> listener) {
                @SuppressWarnings("unchecked")
                Consumer<DiscordLoginEvent> typed = (Consumer<DiscordLoginEvent>) listener;
                core.addListener(typed);
            }
            Consumer<DiscordLoginEvent> cdi = CdiEvents.listenerOrNull();
            if (cdi != null) {
                core.addListener(cdi);
            }
            Consumer<DiscordBotAddedEvent> bots = CdiEvents.listenerOrNull(DiscordBotAddedEvent.class);
            if (bots != null) {
                core.onBotAdded(bots);
            }
            try {
                RoleConnectionSource source = roleConnectionSource(context);
                if (source != null) {
                    core.useRoleConnections(source);
                }
            } catch (RuntimeException | ServiceConfigurationError e) {
                core.close();
                throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(
                        "the application's RoleConnectionSource could not be had: " + e, e);
            }
            context.setAttribute(ATTRIBUTE, core);
            return new Started(core, true);
        }
    }

    /**
     * The application's linked-roles source: the context attribute, else its CDI bean, else a {@code ServiceLoader}
     * service of the application; null when it has none.
     */
    static RoleConnectionSource roleConnectionSource(ServletContext context) {
        if (context.getAttribute(RoleConnectionSource.ATTRIBUTE) instanceof RoleConnectionSource given) {
            return given;
        }
        RoleConnectionSource bean = CdiEvents.beanOrNull(RoleConnectionSource.class);
        if (bean != null) {
            return bean;
        }
        return ServiceLoader.load(RoleConnectionSource.class, context.getClassLoader()).findFirst().orElse(null);
    }

    /** A core and whether the caller created it (and closes it where no listener does). */
    record Started(LoginCore core, boolean created) {
    }

    /** Closes the application's core, if any (the application stops). */
    static void close(ServletContext context) {
        synchronized (LOCK) {
            LoginCore core = of(context);
            if (core != null) {
                context.removeAttribute(ATTRIBUTE);
                core.close();
            }
        }
    }

    /** Closes {@code core} if it is still the application's (a component that created it, without the listener). */
    static void release(ServletContext context, Started started) {
        if (started == null || !started.created() || context.getAttribute(CLOSED_BY_LISTENER) != null) {
            return;
        }
        synchronized (LOCK) {
            if (of(context) == started.core()) {
                context.removeAttribute(ATTRIBUTE);
            }
        }
        started.core().close();
    }

    /**
     * The library's components registered in the application (filters and servlets); empty when the container does
     * not list its registrations to this caller (the callers then use the component's own init-params).
     */
    static List<Registration> components(ServletContext context) {
        List<Registration> ours = new ArrayList<>();
        try {
            Map<String, ? extends Registration> filters = context.getFilterRegistrations();
            Map<String, ? extends Registration> servlets = context.getServletRegistrations();
            if (filters == null || servlets == null) {
                return List.of(); // a stand-in context (tests) that lists nothing
            }
            filters.values().stream().filter(r -> COMPONENTS.contains(r.getClassName())).forEach(ours::add);
            servlets.values().stream().filter(r -> COMPONENTS.contains(r.getClassName())).forEach(ours::add);
        } catch (UnsupportedOperationException | IllegalStateException notListed) {
            return List.of();
        }
        return ours;
    }

    /**
     * The application's configuration from its web.xml components: every component's init-params together, then the
     * context-params, MicroProfile Config, system properties, environment (see {@link DiscordConfig}).
     *
     * @throws IllegalStateException naming the key when it is missing or invalid, or when two components give it
     *                               different values
     */
    static DiscordConfig componentsConfig(ServletContext context, List<? extends Registration> components) {
        return componentsConfig(context::getInitParameter, components);
    }

    /** {@link #componentsConfig(ServletContext, List)} with the context-params as a function. */
    static DiscordConfig componentsConfig(java.util.function.Function<String, String> contextParams,
            List<? extends Registration> components) {
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (Registration r : components) {
            for (String key : DiscordConfig.KEYS) {
                String value = r.getInitParameter(key);
                if (value == null || value.isBlank()) {
                    continue;
                }
                String known = merged.putIfAbsent(key, value.trim());
                if (known != null && !known.equals(value.trim())) {
                    throw new IllegalStateException(key + " is set differently in the init-params of " + from.get(key)
                            + " and " + name(r) + ": an application has one configuration of Log in with Discord; set "
                            + "it once (a context-param, or the same value in each)");
                }
                from.putIfAbsent(key, name(r));
            }
        }
        return DiscordConfig.load(merged::get, contextParams);
    }

    private static String name(Registration r) {
        return r.getClassName().substring(r.getClassName().lastIndexOf('.') + 1) + " (" + r.getName() + ")";
    }
}
