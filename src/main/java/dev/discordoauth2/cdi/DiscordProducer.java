package dev.discordoauth2.cdi;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.servlet.DiscordConfig;
import dev.discordoauth2.servlet.DiscordWebAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Makes {@code @Inject DiscordOAuth2Client} and {@code @Inject DiscordConfig} work in any CDI 4 application. The
 * client is built from the same configuration as the web components (context-params, MicroProfile Config, system
 * properties, environment; see {@link DiscordConfig}) and is the same instance they use; it is closed when the
 * application stops. Both are {@code @Singleton}: one per application, injected without a proxy because
 * {@code DiscordOAuth2Client} is final. Thread-safe.
 */
@ApplicationScoped
public class DiscordProducer {

    @Inject
    Instance<ServletContext> servletContext;

    /**
     * The lease of each client this producer made, by identity. Static, not a field of the instance: CDI destroys
     * the application context before the singleton one (Weld does), so the disposer runs on a new, empty
     * {@code DiscordProducer}; with the lease in a field it closed only the client and never gave the lease back,
     * and the web components' threads outlived the application (Tomcat reports them at undeploy).
     */
    private static final Map<DiscordOAuth2Client, DiscordWebAccess.Lease> LEASES =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private ServletContext context() {
        return servletContext.isResolvable() ? servletContext.get() : null;
    }

    /** The application's configuration; a missing or invalid key fails with a message naming it. */
    @Produces
    @Singleton
    public DiscordConfig config() {
        ServletContext context = context();
        return DiscordConfig.load(null, context == null ? null : context::getInitParameter);
    }

    /** The application's client, shared with the filter and servlets when they run in the same application. */
    @Produces
    @Singleton
    public DiscordOAuth2Client client(DiscordConfig config) {
        DiscordWebAccess.Lease lease = DiscordWebAccess.acquire(context(), config);
        LEASES.put(lease.client(), lease);
        return lease.client();
    }

    static void close(@Disposes DiscordOAuth2Client client) {
        DiscordWebAccess.Lease lease = LEASES.remove(client);
        if (lease != null) {
            lease.close();
        } else {
            client.close();
        }
    }
}
