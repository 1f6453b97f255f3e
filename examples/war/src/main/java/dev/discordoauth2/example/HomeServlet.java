package dev.discordoauth2.example;

import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The public home page: the login button, or a welcome with links once logged in; for everybody, the "Add to server"
 * link (the library's {@code /discord/add-to-server}) and the servers the bot was added to lately ({@link BotInstalls}).
 */
@WebServlet("")
public class HomeServlet extends HttpServlet {
    @Inject
    BotInstalls installs;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ctx = request.getContextPath();
        Optional<DiscordPrincipal> user = DiscordAuth.currentUser(request);
        String bot = bot(ctx, installs == null ? List.of() : installs.recent());
        if (user.isPresent()) {
            Page.render(request, response, "Home", """
                    <section class="hero"><h1 id="welcome">Welcome, %s</h1>
                    <p>You are logged in with Discord. See what the application knows about you:</p>
                    <p><a class="button" href="%s/profile">Your profile</a> <a class="button" href="%s/linked-roles">Linked
                    roles</a> <a class="button" href="%s/api/me">/api/me</a></p></section>
                    %s""".formatted(Page.escape(user.get().displayName()), ctx, ctx, ctx, bot));
            return;
        }
        Page.render(request, response, "Home", """
                <section class="hero"><h1>Log in with Discord</h1>
                <p>This WAR protects <code>/profile</code>, <code>/linked-roles</code> and <code>/api/me</code> with
                <code>DiscordLoginFilter</code>. Everything else is public.</p>
                <p><a class="button" id="hero-login" href="%s/oauth2/login?return=%%2Fprofile">Log in with Discord</a></p>
                </section>
                %s""".formatted(ctx, bot));
    }

    /** The "Add to server" card: the link, and the servers the bot was added to, newest first (names escaped). */
    static String bot(String ctx, List<BotInstalls.Install> recent) {
        StringBuilder list = new StringBuilder();
        for (BotInstalls.Install install : recent) {
            list.append("<li>").append(Page.escape(install.guildName())).append(" <span class=\"muted\">id ")
                    .append(Page.escape(install.guildId())).append(" · permissions ").append(install.permissions())
                    .append(install.addedBy() == null ? "" : " · by " + Page.escape(install.addedBy()))
                    .append("</span></li>");
        }
        return """
                <section class="card"><h2>The bot</h2>
                <p>The application has a bot too. <a class="button" id="add-to-server"
                href="%s/discord/add-to-server">Add the bot to a server</a></p>
                <h3>Bot added to</h3><ul class="stored" id="bot-installs">%s</ul></section>
                """.formatted(ctx, list.isEmpty() ? "<li class=\"muted\">no server yet</li>" : list);
    }
}
