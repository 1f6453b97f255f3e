package dev.discordoauth2.cdi;

import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.servlet.DiscordPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The current request's Discord user and access token, for {@code @Inject DiscordIdentity} in CDI beans. The token is
 * refreshed first when it is about to expire. Request-scoped: one per request, safe to inject anywhere (beans of
 * wider scopes get a proxy that always answers for the current request).
 */
@RequestScoped
public class DiscordIdentity {

    @Inject
    HttpServletRequest request;

    /** The logged-in user, if any. */
    public Optional<DiscordPrincipal> principal() {
        return DiscordAuth.currentUser(request);
    }

    /** The logged-in user's access token, if any. */
    public Optional<PartialAccessToken> accessToken() {
        return DiscordAuth.accessToken(request);
    }

    /** Whether a user is logged in. */
    public boolean isLoggedIn() {
        return principal().isPresent();
    }
}
