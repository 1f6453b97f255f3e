package dev.discordoauth2.example;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.model.RoleConnectionMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/** Registers the example's linked-roles metadata with the bot token when the application starts (if one is set). */
@ApplicationScoped
public class LinkedRolesSetup {
    private static final System.Logger LOG = System.getLogger(LinkedRolesSetup.class.getName());

    @Inject
    DiscordOAuth2Client discord;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (!discord.hasBotToken()) {
            return;
        }
        List<RoleConnectionMetadata> records = List.of(
                RoleConnectionMetadata.of(RoleConnectionMetadata.Type.INTEGER_GREATER_THAN_OR_EQUAL, "level", "Level",
                        "Level on the demo platform"),
                RoleConnectionMetadata.of(RoleConnectionMetadata.Type.BOOLEAN_EQUAL, "supporter", "Supporter",
                        "Supports the demo"));
        try {
            discord.updateLinkedRolesMetadata(records);
        } catch (DiscordException e) {
            LOG.log(System.Logger.Level.WARNING, "registering linked-roles metadata failed: " + e.getMessage());
        }
    }
}
