package dev.discordoauth2.example;

import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The example's page layout: a header with the login state, the content, plain HTML and CSS. */
final class Page {
    private Page() {
    }

    static void render(HttpServletRequest request, HttpServletResponse response, String title, String body)
            throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        String ctx = request.getContextPath();
        DiscordPrincipal user = request.getUserPrincipal() instanceof DiscordPrincipal p ? p
                : dev.discordoauth2.servlet.DiscordAuth.currentUser(request).orElse(null);
        String nav = user == null
                ? "<a class=\"button\" id=\"login\" href=\"" + ctx + "/oauth2/login?return=%2Fprofile\">Log in with Discord</a>"
                : "<span class=\"who\">" + avatar(request, user, "small") + escape(user.displayName()) + "</span>"
                        + "<form method=\"post\" action=\"" + ctx + "/oauth2/logout\"><button id=\"logout\" "
                        + "class=\"secondary\">Log out</button></form>";
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
                <title>%s · discord-oauth2-jakarta</title><link rel="stylesheet" href="%s/style.css"></head>
                <body><header><a class="brand" href="%s/">discord-oauth2-jakarta</a>
                <nav><a href="%s/profile">Profile</a><a href="%s/linked-roles">Linked roles</a><a href="%s/moderators">Moderators</a><a href="%s/api/me">/api/me</a></nav>
                <div class="session">%s</div></header>
                <main>%s</main>
                <footer>A Jakarta EE 10 WAR: DiscordLoginFilter, DiscordCallbackServlet and DiscordLogoutServlet in web.xml,
                CDI for the rest.</footer></body></html>
                """.formatted(escape(title), ctx, ctx, ctx, ctx, ctx, ctx, nav, body));
    }

    /** The user's avatar; in the demo a letter badge, so that nothing is fetched from Discord's CDN. */
    static String avatar(HttpServletRequest request, DiscordPrincipal user, String size) {
        boolean demo = Boolean.TRUE.equals(request.getServletContext().getAttribute(DemoBootstrap.DEMO_ATTRIBUTE));
        if (demo || user.avatar() == null) {
            return "<span class=\"avatar " + size + "\">" + escape(user.displayName().substring(0, 1).toUpperCase())
                    + "</span>";
        }
        return "<img class=\"avatar " + size + "\" alt=\"\" src=\"" + escape(user.avatarUrl() + "?size=128") + "\">";
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
