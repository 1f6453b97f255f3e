package dev.discordoauth2.servlet;

import dev.discordoauth2.web.DiscordConfig;
import jakarta.servlet.ServletContext;
import java.util.Optional;

/**
 * How a web.xml component starts: the jars the library needs load, and the application's core is there (created from
 * the components' configuration when none is). A failure does not throw (some servers would then run the application
 * without the component, and so without the login): it is logged once, naming the component and the reason, and the
 * component fails closed with 503. Stateless.
 */
final class FrontDoors {
    private static final System.Logger LOG = System.getLogger(DiscordLoginFilter.class.getName());

    private FrontDoors() {
    }

    /** The application's core for {@code component}, or null when it cannot work (logged). */
    static Cores.Started start(String component, ServletContext context,
            java.util.function.Function<String, String> ownInitParams) {
        Optional<String> missing = Dependencies.missing();
        if (missing.isPresent()) {
            LOG.log(System.Logger.Level.ERROR, missing.get() + "; " + component + " refuses every request with 503");
            return null;
        }
        try {
            java.util.List<jakarta.servlet.Registration> components = Cores.components(context);
            return Cores.acquire(context, () -> components.isEmpty()
                    ? DiscordConfig.load(ownInitParams, context::getInitParameter)
                    : Cores.componentsConfig(context, components), component);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "Log in with Discord is not configured; " + component + " refuses "
                    + "every request with 503: " + (e instanceof IllegalStateException ? e.getMessage()
                    : e.toString()));
            return null;
        }
    }
}
