package dev.discordoauth2.security.app;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Test app: turns on the Jakarta Security mechanism. The client id and the paths are literals, the secret an EL
 * expression over a CDI bean; Discord's URIs are left empty, so they come from the web.xml context-params (the
 * emulator's address is known only when the test runs).
 */
@ApplicationScoped
@DeclareRoles({"discord-user", "discord-verified", "admin", "moderator"})
@DiscordAuthenticationMechanismDefinition(
        clientId = "100000000000000005",
        clientSecret = "${discordTestSettings.clientSecret}",
        redirectUri = "/oauth2/callback",
        scopes = "identify email",
        roles = "admin=80351110224678912; moderator=268473310986240001")
public class SecuredApplication {
}
