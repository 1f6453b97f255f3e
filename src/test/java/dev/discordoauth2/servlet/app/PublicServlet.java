package dev.discordoauth2.servlet.app;

import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.TreeSet;

/** Test app: a public page (no filter in front) that shows who {@link DiscordAuth} says is logged in. */
public class PublicServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print(DiscordAuth.currentUser(req).map(PublicServlet::describe).orElse("user=nobody"));
    }

    private static String describe(DiscordPrincipal p) {
        return "user=" + p.username() + " guildRoles=" + new TreeSet<>(p.guildRoles());
    }
}
