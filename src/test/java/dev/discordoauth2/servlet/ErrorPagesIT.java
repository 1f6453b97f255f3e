package dev.discordoauth2.servlet;

import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.servlet.app.ErrorPageServlet;
import dev.discordoauth2.servlet.app.ProfileServlet;
import dev.discordoauth2.servlet.app.TestClockListener;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code discord.error-pages=container}: the library's failures reach the application's own {@code <error-page>}
 * through the container's mechanism ({@code sendError}), with request attributes describing them, and the
 * {@code Retry-After} header kept on retry pages.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ErrorPagesIT {
    static final String CLIENT_ID = "100000000000000003";
    static final String SECRET = "error-pages-secret";
    static final DiscordEmulator DISCORD = DiscordEmulator.builder()
            .demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret(SECRET)
                    .redirectUri("http://127.0.0.1/placeholder").build())
            .start();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String webXml = WebApps.webXml(DISCORD, CLIENT_ID, SECRET, "identify",
                Map.of(DiscordConfig.ERROR_PAGES, "container"))
                .replace("</web-app>", """
                  <servlet><servlet-name>errors</servlet-name><servlet-class>dev.discordoauth2.servlet.app.ErrorPageServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>errors</servlet-name><url-pattern>/error</url-pattern></servlet-mapping>
                  <error-page><error-code>400</error-code><location>/error</location></error-page>
                  <error-page><error-code>405</error-code><location>/error</location></error-page>
                  <error-page><error-code>503</error-code><location>/error</location></error-page>
                </web-app>""");
        return WebApps.war(webXml, ProfileServlet.class, ErrorPageServlet.class, TestClockListener.class);
    }

    @AfterAll
    static void stop() {
        DISCORD.close();
    }

    @AfterEach
    void clearFaults() {
        DISCORD.clearFaults();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @Test
    void callbackWhenStateUnknownThenApplicationErrorPageWithCode() {
        HttpResponse<String> page = new TestBrowser().get(url("/oauth2/callback?state=forged&code=x"));
        assertEquals(400, page.statusCode(), page.body());
        assertTrue(page.body().startsWith("app error page: status=400 code=invalid_state title=Login expired or "
                + "already used retry=" + url("/oauth2/login")), page.body());
    }

    @Test
    void logoutWhenGetThenApplicationErrorPageWith405() {
        HttpResponse<String> page = new TestBrowser().get(url("/oauth2/logout"));
        assertEquals(405, page.statusCode());
        assertTrue(page.body().contains("code=method_not_allowed"), page.body());
    }

    @Test
    void callbackWhenDiscordBusyThenApplicationErrorPageKeepsRetryAfter() {
        DISCORD.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/protected/me"));
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), DiscordLoginIT.NELLY, "approve");
        DISCORD.injectFault("POST /oauth2/token", Fault.status(429, "{\"message\": \"You are being rate limited.\", "
                + "\"retry_after\": 30, \"global\": false}").withHeader("X-RateLimit-Scope", "shared"));
        HttpResponse<String> page = browser.follow(back);
        assertEquals(503, page.statusCode(), page.body());
        assertEquals("30", page.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(page.body().contains("code=discord_busy") && page.body().contains("retry-after=30"), page.body());
    }
}
