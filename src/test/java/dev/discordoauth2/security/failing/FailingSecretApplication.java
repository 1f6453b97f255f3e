package dev.discordoauth2.security.failing;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Test app: a mechanism whose secret is an EL expression that fails every time it is evaluated (at deployment it is
 * left for the first request; then the mechanism is broken for good). Discord's URIs come from context-params.
 */
@ApplicationScoped
@DeclareRoles("discord-user")
@DiscordAuthenticationMechanismDefinition(
        clientId = "100000000000000001",
        clientSecret = "${failingSettings.clientSecret}",
        redirectUri = "/oauth2/callback")
public class FailingSecretApplication {
}
