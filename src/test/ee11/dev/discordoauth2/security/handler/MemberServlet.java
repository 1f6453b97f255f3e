package dev.discordoauth2.security.handler;

import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;

/** Test app: {@link WhoServlet}'s answer for browsers ({@code /me}, role {@code discord-user}). */
@WebServlet("/me")
@ServletSecurity(@HttpConstraint(rolesAllowed = "discord-user"))
public class MemberServlet extends WhoServlet {
    private static final long serialVersionUID = 1L;
}
