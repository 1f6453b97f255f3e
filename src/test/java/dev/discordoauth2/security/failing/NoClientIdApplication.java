package dev.discordoauth2.security.failing;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;

/** Test app: a mechanism without a client id (and none in the context-params): misconfigured at deployment. */
@ApplicationScoped
@DeclareRoles("discord-user")
@DiscordAuthenticationMechanismDefinition(clientSecret = "secret", redirectUri = "/oauth2/callback")
public class NoClientIdApplication {
}
