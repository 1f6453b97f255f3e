package dev.discordoauth2.servlet;

import dev.discordoauth2.web.DiscordLoginEvent;
import java.util.function.Consumer;

/**
 * Delivers the login's {@link DiscordLoginEvent}s as CDI events ({@code @Observes DiscordLoginEvent.LoggedIn}) in an
 * application that runs CDI; on a container without CDI (Tomcat without Weld) nothing is loaded and nothing is sent.
 * Stateless and thread-safe.
 */
final class CdiEvents {
    private static final System.Logger LOG = System.getLogger(CdiEvents.class.getName());

    private CdiEvents() {
    }

    /** A listener firing CDI events, or null when the CDI API cannot be loaded here. */
    static Consumer<DiscordLoginEvent> listenerOrNull() {
        try {
            Class.forName("jakarta.enterprise.inject.spi.CDI", false, CdiEvents.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return CdiEvents::fire;
    }

    private static void fire(DiscordLoginEvent event) {
        jakarta.enterprise.inject.spi.BeanManager beans;
        try {
            beans = jakarta.enterprise.inject.spi.CDI.current().getBeanManager();
        } catch (IllegalStateException | LinkageError noContainer) {
            return; // the API is there, but this application does not run CDI
        }
        try {
            beans.getEvent().select(DiscordLoginEvent.class).fire(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "an observer of " + event.getClass().getSimpleName()
                    + " failed; the login goes on: " + e);
        }
    }
}
