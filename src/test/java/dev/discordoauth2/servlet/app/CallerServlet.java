package dev.discordoauth2.servlet.app;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/**
 * Test app: what the container says of the caller (for the container-security tests: no library class is named
 * here, the answers are the container's): {@code user=<remote user> type=<auth type> principal=<principal's class>
 * admin=<isUserInRole> member=<...> moderator=<...>}; {@code ?logout} calls {@code request.logout()} first.
 */
public class CallerServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException,
            ServletException {
        if (request.getParameter("logout") != null) {
            request.logout();
        }
        Principal principal = request.getUserPrincipal();
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print("user=" + request.getRemoteUser() + " type=" + request.getAuthType()
                + " principal=" + (principal == null ? "none" : principal.getClass().getSimpleName())
                + " admin=" + request.isUserInRole("admin") + " member=" + request.isUserInRole("discord-user")
                + " moderator=" + request.isUserInRole("moderator") + " path=" + request.getServletPath());
    }
}
