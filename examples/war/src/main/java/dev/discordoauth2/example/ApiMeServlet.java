package dev.discordoauth2.example;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.ForbiddenException;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /api/me}: JSON from a CDI bean; without a session the filter answers 401 with the login URL. A token
 * Discord refuses is a 503 with {@code Retry-After}: with the shared token store (the cluster's) it was the stored
 * current token, so the library has deleted it and the next request gets the filter's 401; with tokens in the session
 * it may also have been renewed by another node a moment ago, and the library decides which on the session's next
 * requests. A Discord failure is a 502 with {@code Retry-After}: never a 500.
 */
@WebServlet("/api/me")
public class ApiMeServlet extends HttpServlet {
    private static final String LOGGED_OUT =
            "{\"error\":\"unauthorized\",\"message\":\"The Discord login has ended. Log in again.\"}";

    @Inject
    MeResource me;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        Optional<String> json;
        try {
            json = me.me();
        } catch (ForbiddenException e) {
            // Discord refused the session's token. With the shared token store: revoked (the library deleted the
            // stored tokens; the next request gets the filter's 401). With tokens in the session: revoked, or renewed
            // a moment ago by another node, decided on the session's next requests. Either way a retry answer here.
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            response.getWriter().write("{\"error\":\"token_refused\",\"message\":\"Discord did not accept the "
                    + "login's token just now. Try again.\"}");
            return;
        } catch (DiscordException e) {
            response.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
            response.setHeader("Retry-After", "5");
            response.getWriter().write("{\"error\":\"discord_unavailable\",\"message\":\"Discord did not answer. "
                    + "Try again.\"}");
            return;
        }
        if (json.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        }
        response.getWriter().write(json.orElse(LOGGED_OUT));
    }
}
