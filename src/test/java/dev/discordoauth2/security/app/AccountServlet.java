package dev.discordoauth2.security.app;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Test app: unprotected. {@code GET /account/login} calls {@code request.authenticate()}, {@code POST /account/logout}
 * calls {@code request.logout()}, {@code GET /account} says who the caller is (nobody on a public page without a
 * login).
 */
@WebServlet("/account/*")
public class AccountServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if ("/login".equals(request.getPathInfo())) {
            if (request.authenticate(response)) {
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().print("authenticated " + request.getRemoteUser());
            }
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print("caller=" + request.getRemoteUser());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        request.logout();
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print("logged out, caller=" + request.getRemoteUser());
    }
}
