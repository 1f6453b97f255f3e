package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The moderators page for a user whose server roles give no {@code moderator}: 403 with a page saying why. The
 * request and response are fakes at the Servlet API edge; BrowserLoginIT opens the page as a moderator over HTTP.
 */
class ModeratorsServletTest {

    private static String get(boolean moderator, AtomicInteger status) throws Exception {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(ModeratorsServletTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> null);
        DiscordPrincipal wumpus = new DiscordPrincipal("268473310986240001", "wumpus", "Wumpus", null, null, null);
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                ModeratorsServletTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getUserPrincipal" -> wumpus;
                    case "isUserInRole" -> moderator && "moderator".equals(args[0]);
                    case "getServletContext" -> context;
                    case "getContextPath" -> "/app";
                    default -> null;
                });
        StringWriter body = new StringWriter();
        PrintWriter writer = new PrintWriter(body);
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                ModeratorsServletTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        status.set((Integer) args[0]);
                        yield null;
                    }
                    case "getWriter" -> writer;
                    default -> null;
                });
        new ModeratorsServlet().doGet(request, response);
        writer.flush();
        return body.toString();
    }

    @Test
    void doGetWhenUserLacksTheModeratorRoleThen403() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        String page = get(false, status);
        assertEquals(403, status.get());
        assertTrue(page.contains("id=\"forbidden\"") && page.contains("Wumpus"), page);
    }

    @Test
    void doGetWhenUserHoldsTheModeratorRoleThenPage() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        String page = get(true, status);
        assertEquals(200, status.get());
        assertTrue(page.contains("id=\"moderators\""), page);
    }
}
