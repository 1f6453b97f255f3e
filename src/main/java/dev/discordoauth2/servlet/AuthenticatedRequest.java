package dev.discordoauth2.servlet;

import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Set;

/**
 * A request of a logged-in user as the application sees it: {@code getUserPrincipal()} is the
 * {@link DiscordPrincipal}, {@code getRemoteUser()} its name (the user id), {@code getAuthType()} {@code "DISCORD"},
 * and {@code isUserInRole} answers from the user's groups (computed by the login core). One per request.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
    static final String AUTH_TYPE = "DISCORD";
    private final DiscordPrincipal principal;
    private final Set<String> groups;

    AuthenticatedRequest(HttpServletRequest request, DiscordPrincipal principal, Set<String> groups) {
        super(request);
        this.principal = principal;
        this.groups = groups;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public String getAuthType() {
        return AUTH_TYPE;
    }

    @Override
    public boolean isUserInRole(String role) {
        return role != null && groups.contains(role);
    }
}
