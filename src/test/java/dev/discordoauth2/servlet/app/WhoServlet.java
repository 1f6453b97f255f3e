package dev.discordoauth2.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: the caller, and whether the request has an HttpSession (without creating one). */
public class WhoServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("user=" + req.getRemoteUser() + " session=" + (req.getSession(false) != null));
    }
}
