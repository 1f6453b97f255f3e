package dev.discordoauth2.security.failing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/** Test app: a named bean whose secret cannot be read. */
@Named
@ApplicationScoped
public class FailingSettings {
    public String getClientSecret() {
        throw new IllegalStateException("the vault is sealed");
    }
}
