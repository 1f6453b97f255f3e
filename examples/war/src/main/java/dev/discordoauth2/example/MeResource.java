package dev.discordoauth2.example;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.cdi.DiscordIdentity;
import dev.discordoauth2.model.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/** A CDI bean behind {@code /api/me}: the injected client and the current user's token. */
@ApplicationScoped
public class MeResource {
    @Inject
    DiscordOAuth2Client discord;

    @Inject
    DiscordIdentity identity;

    /** The current user as Discord reports it now, as JSON. */
    public String me() {
        User user = identity.accessToken().orElseThrow().fetchIdentify();
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", user.id()).add("username", user.username())
                .add("display_name", user.displayName()).add("application", discord.clientId());
        user.email().ifPresent(e -> json.add("email", e));
        user.verified().ifPresent(v -> json.add("verified", v));
        return json.build().toString();
    }
}
