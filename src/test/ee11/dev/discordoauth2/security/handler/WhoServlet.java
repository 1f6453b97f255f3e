package dev.discordoauth2.security.handler;

import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: who the container says the caller is and in which roles, for scripts ({@code /api/who}, role {@code api-user}). */
@WebServlet("/api/who")
@ServletSecurity(@HttpConstraint(rolesAllowed = "api-user"))
public class WhoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print("remoteUser=" + request.getRemoteUser() + "\nauthType=" + request.getAuthType()
                + "\ndiscord-user=" + request.isUserInRole("discord-user") + "\napi-user="
                + request.isUserInRole("api-user") + "\n");
    }
}
