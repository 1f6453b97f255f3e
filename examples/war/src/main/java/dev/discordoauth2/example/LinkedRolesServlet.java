package dev.discordoauth2.example;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.ForbiddenException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.model.User;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordTokens;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Linked roles: shows and updates the user's role connection when the {@code role_connections.write} scope was granted. */
@WebServlet("/linked-roles")
public class LinkedRolesServlet extends HttpServlet {
    /** The outcome of the last POST, shown once by the next GET. */
    static final String NOTICE = LinkedRolesServlet.class.getName() + ".NOTICE";
    static final int MAX_LEVEL = 9999;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        String notice = session == null ? null : (String) session.getAttribute(NOTICE);
        if (notice != null) {
            session.removeAttribute(NOTICE);
        }
        show(request, response, notice);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!DiscordAuth.isSameOrigin(request)) {
            // a form posted from another site (cross-site request forgery): refuse, change nothing
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Cross-site form posts are refused.");
            return;
        }
        Optional<PartialAccessToken> token = DiscordAuth.accessToken(request);
        if (token.isEmpty()) {
            // the login ended meanwhile (a logout in another tab): start it again
            response.sendRedirect(request.getContextPath() + "/oauth2/login?return=%2Flinked-roles");
            return;
        }
        String message;
        try {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("level", level(request.getParameter("level")));
            metadata.put("supporter", request.getParameter("supporter") != null);
            token.get().updateMetadata("discord-oauth2 example",
                    request.getRemoteUser(), metadata);
            message = "Saved.";
        } catch (ForbiddenException e) {
            // Discord no longer accepts the token (revoked elsewhere): the library has ended the login
            response.sendRedirect(request.getContextPath() + "/linked-roles");
            return;
        } catch (IllegalArgumentException | DiscordException e) {
            message = "Not saved: " + e.getMessage();
        }
        // post/redirect/get: the outcome is shown once by the GET, and reloading that page posts nothing again
        request.getSession().setAttribute(NOTICE, message);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/linked-roles");
    }

    /**
     * The level as the form promises it: a whole number from 0 to 9999 (an integer metadata field could hold more,
     * but the page says at most 9999, so the server keeps that promise whatever the browser sends).
     *
     * @throws IllegalArgumentException with the reason, shown to the user
     */
    static int level(String text) {
        int level;
        try {
            level = Integer.parseInt(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the level must be a whole number from 0 to 9999.");
        }
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("the level must be from 0 to 9999; " + level + " is out of range.");
        }
        return level;
    }

    /**
     * What Discord stores, as the labels the page uses: {@code Level 42}, {@code Supporter yes}; the example's fields
     * first, in the form's order (Discord's map has no order), then any others by key.
     */
    static List<String> describe(Map<String, String> metadata) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : List.of("level", "supporter")) {
            if (metadata.containsKey(key)) {
                ordered.put(key, metadata.get(key));
            }
        }
        new TreeMap<>(metadata).forEach(ordered::putIfAbsent);
        List<String> lines = new ArrayList<>();
        ordered.forEach((key, value) -> lines.add(switch (key) {
            case "level" -> "Level " + value;
            case "supporter" -> "Supporter " + ("1".equals(value) ? "yes" : "no");
            default -> key + " " + value;
        }));
        return lines;
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
        Optional<PartialAccessToken> maybeToken = DiscordAuth.accessToken(request);
        if (maybeToken.isEmpty()) {
            response.sendRedirect(request.getContextPath() + "/oauth2/login?return=%2Flinked-roles");
            return;
        }
        PartialAccessToken token = maybeToken.get();
        String current;
        String level = "1";
        boolean supporter = false;
        try {
            User.ApplicationRoleConnection connection = token.fetchMetadata();
            level = connection.metadata().getOrDefault("level", "1");
            supporter = "1".equals(connection.metadata().get("supporter"));
            StringBuilder list = new StringBuilder("<ul class=\"stored\" id=\"current\">");
            describe(connection.metadata()).forEach(line -> list.append("<li>").append(Page.escape(line))
                    .append("</li>"));
            current = connection.platformName().isPresent() ? list.append("</ul>").toString()
                    : "<span id=\"current\">nothing yet</span>";
        } catch (DiscordException e) {
            current = "Discord did not answer: " + Page.escape(e.getMessage());
        }
        Page.render(request, response, "Linked roles", """
                <section class="card"><h1>Linked roles</h1>
                <p>Discord shows this on your profile and grants guild roles by it. Stored now:</p>%s
                %s
                <form method="post" class="stack">
                  <label>Level <input type="number" name="level" id="level" min="0" max="9999" value="%s"></label>
                  <label><input type="checkbox" name="supporter" id="supporter"%s> Supporter</label>
                  <button id="save">Update metadata</button>
                </form></section>""".formatted(current,
                message == null ? "" : "<p class=\"notice" + (message.startsWith("Saved") ? "" : " error")
                        + "\" id=\"notice\">" + Page.escape(message) + "</p>",
                Page.escape(level), supporter ? " checked" : ""));
    }
}
