package dev.discordoauth2.example;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.cdi.DiscordIdentity;
import dev.discordoauth2.model.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.util.Optional;

/** A CDI bean behind {@code /api/me}: the injected client and the current user's token. */
@ApplicationScoped
public class MeResource {
    @Inject
    DiscordOAuth2Client discord;

    @Inject
    DiscordIdentity identity;

    /**
     * The current user as Discord reports it now, as JSON; empty when no valid token can be had.
     *
     * @throws dev.discordoauth2.ForbiddenException when Discord no longer accepts the token (the login then ends)
     */
    public Optional<String> me() {
        Optional<PartialAccessToken> token = identity.accessToken();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        User user = token.get().fetchIdentify();
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", user.id()).add("username", user.username())
                .add("display_name", user.displayName()).add("application", discord.clientId());
        user.email().ifPresent(e -> json.add("email", e));
        user.verified().ifPresent(v -> json.add("verified", v));
        return Optional.of(json.build().toString());
    }
}
