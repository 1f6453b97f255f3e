package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.discordoauth2.web.DiscordPrincipal;
import dev.discordoauth2.testkit.DiscordTestLogin;
import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.testkit.TestResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

/**
 * The profile page when the login ended between the filter and the page (a logout in another tab, a revocation
 * decided by another request): it starts the login again instead of answering 500. The request (a user as the filter
 * hands it on, in an application with no login runtime, so no token) and the response come from the library's test
 * kit; the rest of the flow is covered by BrowserLoginIT and ClusterIT.
 */
class ProfileServletTest {

    @Test
    void doGetWhenTokenGoneAfterTheFilterThenLoginAgainNot500() throws Exception {
        DiscordPrincipal nelly = new DiscordPrincipal("80351110224678912", "nelly", "Nelly", null, null, null);
        HttpServletRequest request = DiscordTestLogin.as(nelly)
                .onto(TestRequest.get("/profile").contextPath("/app").build());
        TestResponse response = new TestResponse();
        new ProfileServlet().doGet(request, response);
        assertEquals("/app/oauth2/login?return=%2Fprofile", response.redirectedTo());
    }
}
