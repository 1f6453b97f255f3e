package dev.discordoauth2.example;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.ForbiddenException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.model.ApplicationRoleConnection;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.servlet.DiscordTokens;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Linked roles: shows and updates the user's role connection when the {@code role_connections.write} scope was granted. */
@WebServlet("/linked-roles")
public class LinkedRolesServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        show(request, response, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!DiscordAuth.isSameOrigin(request)) {
            // a form posted from another site (cross-site request forgery): refuse, change nothing
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Cross-site form posts are refused.");
            return;
        }
        String message;
        try {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("level", Integer.parseInt(request.getParameter("level")));
            metadata.put("supporter", request.getParameter("supporter") != null);
            DiscordAuth.accessToken(request).orElseThrow().updateMetadata("discord-oauth2 example",
                    request.getRemoteUser(), metadata);
            message = "Saved.";
        } catch (NumberFormatException e) {
            message = "The level must be a whole number.";
        } catch (ForbiddenException e) {
            // Discord no longer accepts the token (revoked elsewhere): the library has ended the login
            response.sendRedirect(request.getContextPath() + "/linked-roles");
            return;
        } catch (IllegalArgumentException | DiscordException e) {
            message = "Not saved: " + e.getMessage();
        }
        show(request, response, message);
    }

    private void show(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        boolean granted = DiscordAuth.tokens(request).map(DiscordTokens::scopes)
                .map(s -> s.contains("role_connections.write")).orElse(false);
        if (!granted) {
            Page.render(request, response, "Linked roles", """
                    <section class="card"><h1>Linked roles</h1><p id="not-granted">The <code>role_connections.write</code>
                    scope was not granted. Add it to <code>DISCORD_SCOPES</code> to try this page.</p></section>""");
            return;
        }
        PartialAccessToken token = DiscordAuth.accessToken(request).orElseThrow();
        String current;
        String level = "1";
        boolean supporter = false;
        try {
            ApplicationRoleConnection connection = token.fetchMetadata();
            level = connection.metadata().getOrDefault("level", "1");
            supporter = "1".equals(connection.metadata().get("supporter"));
            current = connection.platformName().isPresent()
                    ? "<code id=\"current\">" + Page.escape(connection.metadata().toString()) + "</code>"
                    : "<span id=\"current\">nothing yet</span>";
        } catch (DiscordException e) {
            current = "Discord did not answer: " + Page.escape(e.getMessage());
        }
        Page.render(request, response, "Linked roles", """
                <section class="card"><h1>Linked roles</h1>
                <p>Discord shows this on your profile and grants guild roles by it. Stored now: %s</p>
                %s
                <form method="post" class="stack">
                  <label>Level <input type="number" name="level" id="level" min="0" max="9999" value="%s"></label>
                  <label><input type="checkbox" name="supporter" id="supporter"%s> Supporter</label>
                  <button id="save">Update metadata</button>
                </form></section>""".formatted(current,
                message == null ? "" : "<p class=\"notice\" id=\"notice\">" + Page.escape(message) + "</p>",
                Page.escape(level), supporter ? " checked" : ""));
    }
}
