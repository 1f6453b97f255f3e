package dev.discordoauth2.servlet.app;

import dev.discordoauth2.web.DiscordLoginEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test app: observes the library's login events as CDI events and keeps what it saw (kind and user id). */
@ApplicationScoped
public class LoginObserver {
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    void loggedIn(@Observes DiscordLoginEvent.LoggedIn event) {
        SEEN.add("LoggedIn:" + event.user().id());
    }

    void loggedOut(@Observes DiscordLoginEvent.LoggedOut event) {
        SEEN.add("LoggedOut:" + event.user().id());
    }
}
