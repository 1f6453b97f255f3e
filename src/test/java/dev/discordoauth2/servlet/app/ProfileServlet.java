package dev.discordoauth2.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: a protected page that prints what the container knows about the user. */
public class ProfileServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("user=" + req.getRemoteUser() + " principal=" + req.getUserPrincipal().getName()
                + " type=" + req.getAuthType() + " discord-user=" + req.isUserInRole("discord-user")
                + " admin=" + req.isUserInRole("admin") + " session=" + req.getSession().getId());
    }
}
