package dev.discordoauth2.servlet.app;

import dev.discordoauth2.servlet.DiscordAuth;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: calls Discord with the session's token through the non-CDI accessor. */
public class TokenServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("me=" + DiscordAuth.accessToken(req).orElseThrow().fetchIdentify().username()
                + " expires=" + DiscordAuth.tokens(req).orElseThrow().expiresAt());
    }
}
