package dev.discordoauth2.example;

import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/** The public home page: the login button, or a welcome with links once logged in. */
@WebServlet("")
public class HomeServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ctx = request.getContextPath();
        Optional<DiscordPrincipal> user = DiscordAuth.currentUser(request);
        if (user.isPresent()) {
            Page.render(request, response, "Home", """
                    <section class="hero"><h1 id="welcome">Welcome, %s</h1>
                    <p>You are logged in with Discord. See what the application knows about you:</p>
                    <p><a class="button" href="%s/profile">Your profile</a> <a class="button" href="%s/linked-roles">Linked
                    roles</a> <a class="button" href="%s/api/me">/api/me</a></p></section>
                    """.formatted(Page.escape(user.get().displayName()), ctx, ctx, ctx));
            return;
        }
        Page.render(request, response, "Home", """
                <section class="hero"><h1>Log in with Discord</h1>
                <p>This WAR protects <code>/profile</code>, <code>/linked-roles</code> and <code>/api/me</code> with
                <code>DiscordLoginFilter</code>. Everything else is public.</p>
                <p><a class="button" id="hero-login" href="%s/oauth2/login?return=%%2Fprofile">Log in with Discord</a></p>
                </section>
                """.formatted(ctx));
    }
}
