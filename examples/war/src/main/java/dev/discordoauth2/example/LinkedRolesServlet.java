package dev.discordoauth2.example;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.ForbiddenException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.model.User;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordTokens;
import dev.discordoauth2.web.LinkedRoles;
import jakarta.inject.Inject;
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

/**
 * Linked roles: shows the user's role connection as Discord holds it, and when the {@code role_connections.write}
 * scope was granted, a form that saves their level and supporter flag on the {@link DemoPlatform} and pushes the
 * platform's connection to Discord with {@link LinkedRoles#push(PartialAccessToken, String)}. It also names the
 * application's Linked Roles Verification URL, the library's {@code /discord/linked-roles}, where Discord sends users
 * who connect from a server's linked roles.
 */
@WebServlet("/linked-roles")
public class LinkedRolesServlet extends HttpServlet {
    /** The outcome of the last POST, shown once by the next GET. */
    static final String NOTICE = LinkedRolesServlet.class.getName() + ".NOTICE";
    static final String SAVED = "Saved.";
    static final int MAX_LEVEL = DemoPlatform.MAX_LEVEL;
    /** The verification URL's path in web.xml: the library's default {@code discord.linked-roles-path}. */
    static final String VERIFICATION_PATH = "/discord/linked-roles";

    @Inject
    LinkedRoles linkedRoles;

    @Inject
    DemoPlatform platform;

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
        String userId = request.getRemoteUser();
        String message;
        try {
            DemoPlatform.Account account = new DemoPlatform.Account(level(request.getParameter("level")),
                    request.getParameter("supporter") != null);
            platform.save(userId, account);
            // the platform's connection for the user (what the verification URL pushes too), checked against the schema
            linkedRoles.push(token.get(), userId);
            message = SAVED;
        } catch (ForbiddenException e) {
            // Discord no longer accepts the token (revoked elsewhere): the library has ended the login
            response.sendRedirect(request.getContextPath() + "/linked-roles");
            return;
        } catch (IllegalArgumentException e) {
            message = "Not saved: " + e.getMessage();
        } catch (DiscordException e) {
            message = "Saved here, but Discord did not take it: " + e.getMessage();
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

    /**
     * The paragraph naming the application's Linked Roles Verification URL (for the developer portal's General
     * Information page), with a link to it.
     */
    static String verificationUrl(HttpServletRequest request) {
        String url = Page.appUrl(request) + VERIFICATION_PATH;
        return """
                <p>Discord's <em>Linked Roles Verification URL</em> for this application is <a id="verification-url"
                href="%s">%s</a>: a user who connects from a server's linked roles lands there, logs in with
                <code>role_connections.write</code>, and Discord gets their connection from this platform.</p>"""
                .formatted(Page.escape(url), Page.escape(url));
    }

    private void show(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        boolean granted = DiscordAuth.tokens(request).map(DiscordTokens::scopes)
                .map(s -> s.contains(LinkedRoles.SCOPE)).orElse(false);
        if (!granted) {
            Page.render(request, response, "Linked roles", """
                    <section class="card"><h1>Linked roles</h1><p id="not-granted">The <code>role_connections.write</code>
                    scope was not granted. Add it to <code>DISCORD_SCOPES</code> to try this page.</p>
                    %s</section>""".formatted(verificationUrl(request)));
            return;
        }
        Optional<PartialAccessToken> maybeToken = DiscordAuth.accessToken(request);
        if (maybeToken.isEmpty()) {
            response.sendRedirect(request.getContextPath() + "/oauth2/login?return=%2Flinked-roles");
            return;
        }
        String current;
        try {
            User.ApplicationRoleConnection connection = maybeToken.get().fetchMetadata();
            StringBuilder list = new StringBuilder("<ul class=\"stored\" id=\"current\">");
            describe(connection.metadata()).forEach(line -> list.append("<li>").append(Page.escape(line))
                    .append("</li>"));
            current = connection.platformName().isPresent() ? list.append("</ul>").toString()
                    : "<span id=\"current\">nothing yet</span>";
        } catch (DiscordException e) {
            current = "Discord did not answer: " + Page.escape(e.getMessage());
        }
        // the form shows what the platform holds (a new user's defaults until they save)
        DemoPlatform.Account account = platform.account(request.getRemoteUser());
        Page.render(request, response, "Linked roles", """
                <section class="card"><h1>Linked roles</h1>
                <p>Discord shows this on your profile and grants guild roles by it. Stored now:</p>%s
                %s
                <form method="post" class="stack">
                  <label>Level <input type="number" name="level" id="level" min="0" max="9999" value="%d"></label>
                  <label><input type="checkbox" name="supporter" id="supporter"%s> Supporter</label>
                  <button id="save">Update metadata</button>
                </form>
                %s</section>""".formatted(current,
                message == null ? "" : "<p class=\"notice" + (message.equals(SAVED) ? "" : " error")
                        + "\" id=\"notice\">" + Page.escape(message) + "</p>",
                account.level(), account.supporter() ? " checked" : "", verificationUrl(request)
                        + (request.isUserInRole(LinkedRolesSweepServlet.ROLE) ? "<p><a id=\"sweep\" href=\""
                        + Page.escape(request.getContextPath()) + "/linked-roles/sweep\">Push everyone's connection "
                        + "again (a sweep)</a></p>" : "")));
    }
}
