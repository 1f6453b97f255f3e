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
        String me;
        try {
            me = DiscordAuth.accessToken(req).orElseThrow().fetchIdentify().username();
        } catch (dev.discordoauth2.ForbiddenException e) {
            resp.setStatus(401); // what an application does with a token Discord no longer accepts
            resp.getWriter().print("revoked");
            return;
        }
        resp.getWriter().print("me=" + me + " expires=" + DiscordAuth.tokens(req).orElseThrow().expiresAt());
    }
}
