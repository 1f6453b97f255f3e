package dev.discordoauth2.security.handler;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Set;

/** Test app: the identity store behind the BASIC mechanism, one script account ({@code robot}). Stateless. */
@ApplicationScoped
public class RobotStore implements IdentityStore {
    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (credential instanceof UsernamePasswordCredential login && login.compareTo("robot", "robot-secret")) {
            return new CredentialValidationResult("robot", Set.of("api-user"));
        }
        return CredentialValidationResult.INVALID_RESULT;
    }
}
