package dev.discordoauth2.servlet.app;

import dev.discordoauth2.servlet.DiscordAuth;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: the application's own {@code <error-page>}, rendering the library's failure attributes. */
public class ErrorPageServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().print("app error page: status=" + req.getAttribute("jakarta.servlet.error.status_code")
                + " code=" + req.getAttribute(DiscordAuth.ERROR_CODE) + " title=" + req.getAttribute(DiscordAuth.ERROR_TITLE)
                + " retry=" + req.getAttribute(DiscordAuth.ERROR_RETRY_URL)
                + " retry-after=" + req.getAttribute(DiscordAuth.ERROR_RETRY_AFTER));
    }
}
