package dev.discordoauth2.web;

import dev.discordoauth2.model.Guild;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The application's bot was added to a server through "Add to server" ({@code discord.add-to-server-path}): the
 * server as Discord's token answer names it (not the redirect's {@code guild_id}, which is only a hint), the
 * permissions Discord's redirect reports as granted (the user may have unticked some; the bot's real permissions are
 * the server's to say), the scopes granted, and the user who added it when the flow asked for user scopes too
 * ({@code identify}: they are then logged in as by a login). In a CDI application this is a CDI event
 * ({@code void onAdded(@Observes DiscordBotAddedEvent event)}); elsewhere {@link LoginCore#onBotAdded} receives it.
 * Delivered on the callback's thread before the browser is answered; an observer that throws is logged. Immutable
 * and thread-safe.
 *
 * @param guild       the server the bot was added to
 * @param permissions the permission bits granted, as Discord's redirect reports them
 * @param scopes      the scopes granted ({@code bot} among them)
 * @param user        the user who added it, or null when only bot scopes were asked for
 */
public record DiscordBotAddedEvent(Guild guild, long permissions, Set<String> scopes, DiscordPrincipal user) {
    /**
     * Checks the values.
     *
     * @throws NullPointerException when {@code guild} or {@code scopes} is null
     */
    public DiscordBotAddedEvent {
        Objects.requireNonNull(guild, "guild must not be null");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes must not be null"));
    }

    /** The user who added the bot, when the flow asked for user scopes. */
    public Optional<DiscordPrincipal> addedBy() {
        return Optional.ofNullable(user);
    }
}
