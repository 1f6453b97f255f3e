package dev.discordoauth2.servlet.app;

import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: the user's application roles as the container and the principal know them. */
public class RolesServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        DiscordPrincipal p = (DiscordPrincipal) req.getUserPrincipal();
        resp.getWriter().print("user=" + p.username() + " moderator=" + req.isUserInRole("moderator")
                + " staff=" + req.isUserInRole("staff") + " discord-user=" + req.isUserInRole("discord-user")
                + " guildRoles=" + new java.util.TreeSet<>(p.guildRoles()));
    }
}
