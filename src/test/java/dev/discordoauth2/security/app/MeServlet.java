package dev.discordoauth2.security.app;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.cdi.DiscordIdentity;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Test app: a page for {@code discord-user} that prints what the container, Jakarta Security and the library's CDI
 * beans say about the caller, and calls Discord with the session's token through the injected client's config.
 */
@WebServlet("/me")
@ServletSecurity(@HttpConstraint(rolesAllowed = "discord-user"))
public class MeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    DiscordOAuth2Client client;

    @Inject
    DiscordIdentity identity;

    @Inject
    SecurityContext security;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        StringBuilder out = new StringBuilder();
        out.append("remoteUser=").append(request.getRemoteUser()).append('\n');
        out.append("authType=").append(request.getAuthType()).append('\n');
        out.append("caller=").append(security.getCallerPrincipal() == null ? null
                : security.getCallerPrincipal().getName()).append('\n');
        out.append("principalType=").append(request.getUserPrincipal() == null ? null
                : request.getUserPrincipal().getClass().getSimpleName()).append('\n');
        for (String role : List.of("discord-user", "discord-verified", "admin", "moderator")) {
            out.append("role.").append(role).append('=').append(security.isCallerInRole(role)).append('/')
                    .append(request.isUserInRole(role)).append('\n');
        }
        out.append("identity=").append(identity.principal().map(p -> p.username()).orElse("none")).append('\n');
        out.append("client=").append(client.clientId()).append(' ').append(client.apiBaseUri()).append('\n');
        out.append("me=").append(identity.accessToken().map(t -> t.fetchIdentify().id()).orElse("none"))
                .append('\n');
        response.getWriter().print(out);
    }
}
