package dev.discordoauth2.servlet;

import dev.discordoauth2.web.DiscordLoginEvent;
import java.util.function.Consumer;

/**
 * Delivers the login's {@link DiscordLoginEvent}s and the webhook's {@code DiscordWebhookEvent}s as CDI events
 * ({@code @Observes DiscordLoginEvent.LoggedIn}) in an application that runs CDI; on a container without CDI (Tomcat without Weld) nothing is loaded and nothing is sent.
 * Stateless and thread-safe.
 */
final class CdiEvents {
    private static final System.Logger LOG = System.getLogger(CdiEvents.class.getName());

    private CdiEvents() {
    }

    /** A listener firing CDI events of the login, or null when the CDI API cannot be loaded here. */
    static Consumer<DiscordLoginEvent> listenerOrNull() {
        return listenerOrNull(DiscordLoginEvent.class);
    }

    /** A listener firing CDI events of {@code type}, or null when the CDI API cannot be loaded here. */
    static <E> Consumer<E> listenerOrNull(Class<E> type) {
        try {
            Class.forName("jakarta.enterprise.inject.spi.CDI", false, CdiEvents.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return event -> fire(type, event);
    }

    /**
     * The application's one CDI bean of {@code type}, or null when CDI is not there (or not started yet) or no bean
     * implements it.
     *
     * @throws IllegalStateException when several beans implement it
     */
    static <T> T beanOrNull(Class<T> type) {
        try {
            Class.forName("jakarta.enterprise.inject.spi.CDI", false, CdiEvents.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        jakarta.enterprise.inject.Instance<T> beans;
        try {
            beans = jakarta.enterprise.inject.spi.CDI.current().select(type);
        } catch (IllegalStateException | LinkageError noContainer) {
            return null;
        }
        if (beans.isUnsatisfied()) {
            return null;
        }
        if (beans.isAmbiguous()) {
            throw new IllegalStateException("several CDI beans implement " + type.getName() + "; an application has "
                    + "one");
        }
        Object bean = beans.get();
        if (!type.isInstance(bean)) {
            // CDI answered for classes of another class loader (the library twice on the class path, or another
            // application's container): not this application's bean
            LOG.log(System.Logger.Level.WARNING, "a CDI bean for " + type.getName() + " was found, but of another "
                    + "class loader (" + bean.getClass().getName() + "); it is not used: is the library's jar both in "
                    + "WEB-INF/lib and on the server's class path?");
            return null;
        }
        return type.cast(bean);
    }

    private static <E> void fire(Class<E> type, E event) {
        jakarta.enterprise.inject.spi.BeanManager beans;
        try {
            beans = jakarta.enterprise.inject.spi.CDI.current().getBeanManager();
        } catch (IllegalStateException | LinkageError noContainer) {
            return; // the API is there, but this application does not run CDI
        }
        try {
            beans.getEvent().select(type).fire(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "an observer of " + event.getClass().getSimpleName()
                    + " failed; the library goes on: " + e);
        }
    }
}
