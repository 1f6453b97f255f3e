package dev.discordoauth2.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Delivers {@link DiscordLoginEvent}s to the application's listeners (a {@code ServletContext} attribute, and CDI's
 * event bus through the library's CDI integration), on the calling thread; a listener that throws is logged and does
 * not change the login. Thread-safe.
 */
final class LoginEvents {
    private static final System.Logger LOG = System.getLogger(LoginEvents.class.getName());

    private final List<Consumer<DiscordLoginEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<DiscordBotAddedEvent>> botListeners = new CopyOnWriteArrayList<>();

    void add(Consumer<DiscordLoginEvent> listener) {
        listeners.add(listener);
    }

    void addBotListener(Consumer<DiscordBotAddedEvent> listener) {
        botListeners.add(listener);
    }

    void botAdded(DiscordBotAddedEvent event) {
        for (Consumer<DiscordBotAddedEvent> listener : botListeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a listener of DiscordBotAddedEvent failed; the library goes on: "
                        + e);
            }
        }
    }

    void loggedIn(DiscordPrincipal user) {
        fire(new DiscordLoginEvent.LoggedIn(user));
    }

    void loggedOut(DiscordPrincipal user) {
        fire(new DiscordLoginEvent.LoggedOut(user));
    }

    void refreshed(DiscordPrincipal user) {
        fire(new DiscordLoginEvent.TokensRefreshed(user));
    }

    void ended(DiscordPrincipal user, DiscordLoginEvent.Reason reason) {
        fire(new DiscordLoginEvent.LoginEnded(user, reason));
    }

    private void fire(DiscordLoginEvent event) {
        for (Consumer<DiscordLoginEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a listener of " + event.getClass().getSimpleName()
                        + " failed; the login goes on: " + e);
            }
        }
    }
}
