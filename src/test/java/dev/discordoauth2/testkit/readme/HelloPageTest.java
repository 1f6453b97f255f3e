package dev.discordoauth2.testkit.readme;

import static dev.discordoauth2.testkit.DiscordEmulatorExtension.CLIENT_ID;
import static dev.discordoauth2.testkit.DiscordEmulatorExtension.CLIENT_SECRET;
import static dev.discordoauth2.testkit.DiscordEmulatorExtension.NELLY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.discordoauth2.servlet.DiscordCallbackServlet;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.servlet.DiscordLoginFilter;
import dev.discordoauth2.web.DiscordPrincipal;
import dev.discordoauth2.testkit.DiscordEmulatorExtension;
import dev.discordoauth2.testkit.DiscordTestLogin;
import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.testkit.TestResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HelloPageTest {
    /** The application's page under test: greets the logged-in Discord user. */
    public static class HelloServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            DiscordPrincipal user = (DiscordPrincipal) request.getUserPrincipal();
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Hello, " + user.displayName() + (request.isUserInRole("admin") ? " (admin)" : ""));
        }
    }

    // one emulator for the class (demo users nelly, wumpus, clyde), reset before each test
    @RegisterExtension
    static DiscordEmulatorExtension discord = DiscordEmulatorExtension.withDemoData();

    static Server app;
    static String base;

    // the application on embedded Jetty 12, configured as in web.xml, pointed at the emulator
    @BeforeAll
    static void startApplication() throws Exception {
        app = new Server();
        ServerConnector connector = new ServerConnector(app);
        connector.setHost("127.0.0.1");
        app.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app", ServletContextHandler.SESSIONS);
        context.setInitParameter(DiscordConfig.CLIENT_ID, CLIENT_ID);
        context.setInitParameter(DiscordConfig.CLIENT_SECRET, CLIENT_SECRET);
        context.setInitParameter(DiscordConfig.REDIRECT_URI, "/oauth2/callback");
        context.setInitParameter(DiscordConfig.API_BASE_URI, discord.emulator().apiBaseUri().toString());
        context.setInitParameter(DiscordConfig.AUTHORIZE_URI, discord.emulator().authorizeUri().toString());
        context.setInitParameter("discord.roles", "admin=" + NELLY);
        context.addFilter(DiscordLoginFilter.class, "/protected/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(DiscordCallbackServlet.class, "/oauth2/callback");
        context.addServlet(HelloServlet.class, "/protected/hello");
        app.setHandler(context);
        app.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/app";
        discord.addRedirectUri(CLIENT_ID, base + "/oauth2/callback"); // kept across the per-test resets
    }

    @AfterAll
    static void stopApplication() throws Exception {
        app.stop();
    }

    // the whole login over HTTP: the filter sends the browser to the emulator, which approves as nelly
    @Test
    void helloWhenNellyLogsInThroughDiscordThenGreetedAsAdmin(TestBrowser browser) {
        discord.nextLogin().as(NELLY);
        HttpResponse<String> page = browser.navigate(base + "/protected/hello");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("Hello, Nelly (admin)", page.body());
    }

    // the servlet alone, no server: a request as the filter hands it on for a logged-in user
    @Test
    void helloWhenCalledForALoggedInUserThenGreeted() throws Exception {
        HttpServletRequest request = DiscordTestLogin.as("268473310986240001", "wumpus")
                .onto(TestRequest.get("/protected/hello").contextPath("/app").build());
        TestResponse response = new TestResponse();
        new HelloServlet().doGet(request, response);
        assertEquals(200, response.getStatus());
        assertEquals("Hello, wumpus", response.body());
    }
}
