package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The profile page when the login ended between the filter and the page (a logout in another tab, a revocation
 * decided by another request): it starts the login again instead of answering 500. The request and response are
 * fakes at the Servlet API edge; the rest of the flow is covered by BrowserLoginIT and ClusterIT.
 */
class ProfileServletTest {

    @Test
    void doGetWhenTokenGoneAfterTheFilterThenLoginAgainNot500() throws Exception {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> null); // no login runtime, no token
        DiscordPrincipal nelly = new DiscordPrincipal("80351110224678912", "nelly", "Nelly", null, null, null);
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getUserPrincipal" -> nelly;
                    case "getServletContext" -> context;
                    case "getContextPath" -> "/app";
                    case "getSession" -> null;
                    default -> null;
                });
        AtomicReference<String> redirect = new AtomicReference<>();
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendRedirect")) {
                        redirect.set((String) args[0]);
                    }
                    return null;
                });
        new ProfileServlet().doGet(request, response);
        assertEquals("/app/oauth2/login?return=%2Fprofile", redirect.get());
    }
}
