package dev.discordoauth2.example;

import dev.discordoauth2.web.DiscordBotAddedEvent;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The servers the bot was added to through "Add to server" ({@code /discord/add-to-server}), newest first, the last
 * {@value #KEPT} only, in memory: the library fires a {@link DiscordBotAddedEvent} on its callback, and this bean
 * observes it. The home page lists them. Thread-safe.
 */
@ApplicationScoped
public class BotInstalls {
    static final int KEPT = 5;

    /**
     * One install.
     *
     * @param guildName   the server's name, as Discord's token answer gave it
     * @param guildId     the server's id
     * @param permissions the permission bits granted, as Discord's redirect reported them
     * @param addedBy     the display name of the user who added it, or null when the flow asked for bot scopes only
     */
    public record Install(String guildName, String guildId, long permissions, String addedBy) {
    }

    private final Deque<Install> installs = new ArrayDeque<>();

    void added(@Observes DiscordBotAddedEvent event) {
        remember(new Install(event.guild().name(), event.guild().id(), event.permissions(),
                event.addedBy().map(DiscordPrincipal::displayName).orElse(null)));
    }

    /** Keeps {@code install} as the newest, dropping the oldest past {@value #KEPT}. */
    public synchronized void remember(Install install) {
        installs.addFirst(install);
        while (installs.size() > KEPT) {
            installs.removeLast();
        }
    }

    /** The installs, newest first. */
    public synchronized List<Install> recent() {
        return List.copyOf(installs);
    }
}
