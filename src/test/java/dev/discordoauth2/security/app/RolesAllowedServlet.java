package dev.discordoauth2.security.app;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: calls both {@code @RolesAllowed} methods of {@link RoleCheckedService} and says which ones let it in. */
@WebServlet("/ejb")
@ServletSecurity(@HttpConstraint(rolesAllowed = "discord-user"))
public class RolesAllowedServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private RoleCheckedService service;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print("members=" + call(() -> service.forMembers()) + "\nmoderators="
                + call(() -> service.forModerators()) + "\n");
    }

    private static String call(java.util.function.Supplier<String> method) {
        try {
            return method.get();
        } catch (EJBAccessException e) {
            return "refused";
        }
    }
}
