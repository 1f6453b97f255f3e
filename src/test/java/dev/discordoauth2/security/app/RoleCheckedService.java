package dev.discordoauth2.security.app;

import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.Stateless;

/** Test app: an EJB whose methods the container guards with {@code @RolesAllowed}, from the mechanism's groups. */
@Stateless
@DeclareRoles({"discord-user", "moderator"})
public class RoleCheckedService {

    @RolesAllowed("discord-user")
    public String forMembers() {
        return "members";
    }

    @RolesAllowed("moderator")
    public String forModerators() {
        return "moderators";
    }
}
