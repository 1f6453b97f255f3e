package dev.discordoauth2.security.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletContext;

/** Test app: a named bean that an EL expression of the definition reads (here from a context-param). */
@Named
@ApplicationScoped
public class DiscordTestSettings {
    @Inject
    ServletContext context;

    public String getClientSecret() {
        return context.getInitParameter("test.client-secret");
    }
}
