package dev.discordoauth2.example;

import dev.discordoauth2.DiscordCdn;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

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
                : DiscordAuth.currentUser(request).orElse(null);
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

    /**
     * The user's avatar (their default avatar when they have none) from the CDN of the login's client:
     * {@code discord.cdn-base-uri}, Discord's unless configured, the emulator's in the offline demo. The size asked
     * for is the power of two that covers the CSS size on a 2x screen. The large one has the id {@code avatar}.
     */
    static String avatar(HttpServletRequest request, DiscordPrincipal user, String size) {
        boolean large = size.equals("large");
        URI src = user.avatarUrl(cdn(request), large ? 256 : 64);
        return "<img class=\"avatar " + size + "\"" + (large ? " id=\"avatar\"" : "") + " alt=\"\" src=\""
                + escape(src.toString()) + "\">";
    }

    /** The CDN the application's login client makes image URLs for; Discord's when no login runs (unit tests). */
    static DiscordCdn cdn(HttpServletRequest request) {
        return DiscordAuth.loginCore(request.getServletContext()).map(core -> core.client().cdn())
                .orElse(DiscordCdn.discord());
    }

    /**
     * The application's public URL (no trailing slash): the origin of an absolute {@code discord.redirect-uri} (the
     * public one behind a proxy), else the request's, then the context path.
     */
    static String appUrl(HttpServletRequest request) {
        URI redirect = DiscordAuth.loginCore(request.getServletContext()).map(core -> core.config().redirectUri())
                .filter(uri -> !uri.startsWith("/")).map(URI::create).orElse(null);
        String origin;
        if (redirect != null) {
            origin = redirect.getScheme() + "://" + redirect.getRawAuthority();
        } else {
            int port = request.getServerPort();
            boolean defaultPort = port <= 0 || port == ("https".equals(request.getScheme()) ? 443 : 80);
            origin = request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
        }
        return origin + request.getContextPath();
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
