package dev.discordoauth2.cdi;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.LinkedRoles;
import dev.discordoauth2.web.OfflineAccess;
import dev.discordoauth2.web.RoleConnectionSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Makes {@code @Inject DiscordOAuth2Client} and {@code @Inject DiscordConfig} work in any CDI 4 application. In an
 * application whose login runs (the web.xml components, or the Jakarta Security mechanism once started) both are the
 * login core's own: one configuration and one client for the application, closed with it. Otherwise the configuration
 * comes from context-params, MicroProfile Config, system properties and environment (see {@link DiscordConfig}) and
 * the client is this producer's own, closed when the application stops. Both are {@code @Singleton}: one per
 * application, injected without a proxy because {@code DiscordOAuth2Client} is final. Package-private: the container
 * finds it through the library's {@code beans.xml}, and application code injects what it produces, never the producer
 * itself. Thread-safe.
 */
@ApplicationScoped
class DiscordProducer {

    @Inject
    Instance<ServletContext> servletContext;

    @Inject
    Instance<RoleConnectionSource> sources;

    /**
     * The clients this producer made itself (not the login core's), by identity, closed by the disposer. Static, not a
     * field: CDI destroys the application context before the singleton one (Weld does), so the disposer runs on a new
     * {@code DiscordProducer}.
     */
    private static final Map<DiscordOAuth2Client, Boolean> OWN = Collections.synchronizedMap(new IdentityHashMap<>());

    private ServletContext context() {
        return servletContext.isResolvable() ? servletContext.get() : null;
    }

    private Optional<LoginCore> core() {
        ServletContext context = context();
        return context == null ? Optional.empty() : DiscordAuth.loginCore(context);
    }

    /** The application's configuration; a missing or invalid key fails with a message naming it. */
    @Produces
    @Singleton
    public DiscordConfig config() {
        Optional<LoginCore> core = core();
        if (core.isPresent()) {
            return core.get().config();
        }
        ServletContext context = context();
        return DiscordConfig.load(null, context == null ? null : context::getInitParameter);
    }

    /** The application's client: the login's own when the login runs with this configuration. */
    @Produces
    @Singleton
    public DiscordOAuth2Client client(DiscordConfig config) {
        Optional<LoginCore> core = core();
        if (core.isPresent() && core.get().config().equals(config)) {
            return core.get().client();
        }
        DiscordOAuth2Client own = config.newClient();
        OWN.put(own, Boolean.TRUE);
        return own;
    }

    /**
     * The offline API of the application's login ({@link LoginCore#offline()}): stored users' tokens and calls for
     * code without a request. Needs the login to run in this application (its filter, servlets or mechanism).
     */
    @Produces
    @Singleton
    public OfflineAccess offline() {
        return core().orElseThrow(() -> new IllegalStateException("OfflineAccess needs the Discord login to run in "
                + "this application (DiscordLoginFilter, the servlets or the Jakarta Security mechanism) with "
                + "discord.token-store=jdbc")).offline();
    }

    /**
     * The application's linked roles ({@link LoginCore#linkedRoles()}): needs the login to run and a
     * {@link RoleConnectionSource} bean (or another source, see there).
     */
    @Produces
    @Singleton
    public LinkedRoles linkedRoles() {
        Optional<LoginCore> core = core();
        if (core.isPresent() && core.get().linkedRoles().isEmpty() && sources.isResolvable()) {
            core.get().useRoleConnections(sources.get());
        }
        return core.flatMap(LoginCore::linkedRoles).orElseThrow(() -> new IllegalStateException("LinkedRoles needs "
                + "the Discord login to run in this application and a RoleConnectionSource bean"));
    }

    /**
     * When the application starts: a {@link RoleConnectionSource} bean goes to the login if it started before CDI
     * was ready (when it starts later, it finds the bean itself), so that the schema is checked and registered at
     * start; a schema that breaks Discord's rules fails the deployment.
     */
    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // the event's payload is the application's ServletContext (the injected one needs a request); only a login
        // already started is given the bean: starting one here would read the configuration before the application's
        // own listeners have set it (Weld's servlet integration fires this event before them)
        if (event instanceof ServletContext context && sources.isResolvable()
                && context.getAttribute(LoginCore.class.getName()) instanceof LoginCore core
                && core.linkedRoles().isEmpty()) {
            core.useRoleConnections(sources.get());
        }
    }

    static void close(@Disposes DiscordOAuth2Client client) {
        if (OWN.remove(client) != null) {
            client.close();
        }
    }
}
