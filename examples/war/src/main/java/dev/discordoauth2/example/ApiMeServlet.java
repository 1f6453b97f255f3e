package dev.discordoauth2.example;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /api/me}: JSON from a CDI bean; without a session the filter answers 401 with the login URL. */
@WebServlet("/api/me")
public class ApiMeServlet extends HttpServlet {
    @Inject
    MeResource me;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write(me.me());
    }
}
