package dev.discordoauth2.cdi;

import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The current request's Discord user and access token, for {@code @Inject DiscordIdentity} in CDI beans, on any page:
 * the answers are {@link DiscordAuth}'s, with the same checks as the login filter (the token refreshed when it is about
 * to expire, a revoked login or a user who left the required servers logged out, server roles current), made once per
 * request. Request-scoped: one per request, safe to inject anywhere (beans of wider scopes get a proxy that always
 * answers for the current request). Thread-safe as CDI uses it: each instance serves its own request.
 */
@RequestScoped
public class DiscordIdentity {

    @Inject
    HttpServletRequest request;

    /** The logged-in user, if any, after the filter's checks. */
    public Optional<DiscordPrincipal> principal() {
        return DiscordAuth.currentUser(request);
    }

    /** The logged-in user's access token, if any. */
    public Optional<PartialAccessToken> accessToken() {
        return DiscordAuth.accessToken(request);
    }

    /** Whether a user is logged in (after the filter's checks). */
    public boolean isLoggedIn() {
        return principal().isPresent();
    }
}
