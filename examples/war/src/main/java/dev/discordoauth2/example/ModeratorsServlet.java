package dev.discordoauth2.example;

import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /moderators}: a page only for holders of the application role {@code moderator}, which
 * {@code discord.guild-roles} gives to the holders of a role in a Discord server (in the offline demo: the
 * "Moderators" role of the server "Discord Testers", held by nelly). Behind the login filter; everybody else gets 403.
 */
@WebServlet("/moderators")
public class ModeratorsServlet extends HttpServlet {
    static final String ROLE = "moderator";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DiscordPrincipal user = (DiscordPrincipal) request.getUserPrincipal();
        if (!request.isUserInRole(ROLE)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            Page.render(request, response, "Moderators only", """
                    <section class="card"><h1 id="forbidden">Moderators only</h1>
                    <p>This page is for the moderators of the application's Discord server. %s holds no role there
                    that gives <code>moderator</code>.</p></section>
                    """.formatted(Page.escape(user.displayName())));
            return;
        }
        Page.render(request, response, "Moderators", """
                <section class="card"><h1 id="moderators">Moderators</h1>
                <p>Welcome, %s. You hold a role in the application's Discord server that the configuration maps to
                <code>moderator</code> (<code>discord.guild-roles</code>); Discord is asked again every
                <code>discord.guild-recheck-interval</code>, so a role taken away there ends access here.</p></section>
                """.formatted(Page.escape(user.displayName())));
    }
}
