package dev.discordoauth2.example;

import dev.discordoauth2.servlet.DiscordAuth;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The public home page. */
@WebServlet("")
public class HomeServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean loggedIn = DiscordAuth.currentUser(request).isPresent();
        Page.render(request, response, "Home", """
                <section class="hero"><h1>Log in with Discord</h1>
                <p>This WAR protects <code>/profile</code>, <code>/linked-roles</code> and <code>/api/me</code> with
                <code>DiscordLoginFilter</code>. Everything else is public.</p>
                %s</section>
                """.formatted(loggedIn
                ? "<p><a class=\"button\" href=\"" + request.getContextPath() + "/profile\">Your profile</a></p>"
                : "<p><a class=\"button\" id=\"hero-login\" href=\"" + request.getContextPath()
                        + "/oauth2/login?return=%2Fprofile\">Log in with Discord</a></p>"));
    }
}
