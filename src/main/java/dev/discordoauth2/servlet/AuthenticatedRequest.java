package dev.discordoauth2.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Map;
import java.util.Set;

/**
 * A request of a logged-in user as the application sees it: {@code getUserPrincipal()} is the
 * {@link DiscordPrincipal}, {@code getRemoteUser()} its name (the user id), {@code getAuthType()} {@code "DISCORD"},
 * and {@code isUserInRole} answers from the mapping documented on {@link DiscordLoginFilter}. One per request.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
    static final String AUTH_TYPE = "DISCORD";
    private final DiscordPrincipal principal;
    private final Map<String, Set<String>> roles;

    AuthenticatedRequest(HttpServletRequest request, DiscordPrincipal principal, Map<String, Set<String>> roles) {
        super(request);
        this.principal = principal;
        this.roles = roles;
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
        return hasRole(principal, roles, role);
    }

    static boolean hasRole(DiscordPrincipal principal, Map<String, Set<String>> roles, String role) {
        if (role == null) {
            return false;
        }
        if (role.equals(DiscordLoginFilter.ROLE_USER)) {
            return true;
        }
        if (role.equals(DiscordLoginFilter.ROLE_VERIFIED)) {
            return Boolean.TRUE.equals(principal.verified());
        }
        Set<String> ids = roles.get(role);
        return ids != null && ids.contains(principal.id());
    }
}
