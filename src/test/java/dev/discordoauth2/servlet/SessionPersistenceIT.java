package dev.discordoauth2.servlet;

import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.servlet.app.ProfileServlet;
import dev.discordoauth2.servlet.app.TokenServlet;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.session.FileSessionDataStore;
import org.eclipse.jetty.session.NullSessionCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logged-in session survives a server restart on a persistent session store, as in Jetty's own OpenID tests:
 * the principal and tokens are serialized to files, the server stops, a new one starts on the same store, and the
 * user is still logged in and can still call Discord.
 */
class SessionPersistenceIT {
    static final String CLIENT_ID = "100000000000000001";
    static final String NELLY = "80351110224678912";

    @TempDir
    Path sessions;

    private Server start(DiscordEmulator discord, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app", ServletContextHandler.SESSIONS);
        context.setInitParameter(DiscordConfig.CLIENT_ID, CLIENT_ID);
        context.setInitParameter(DiscordConfig.CLIENT_SECRET, "persist-secret");
        context.setInitParameter(DiscordConfig.REDIRECT_URI, "/oauth2/callback");
        context.setInitParameter(DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString());
        context.setInitParameter(DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString());
        context.addFilter(DiscordLoginFilter.class, "/protected/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(DiscordCallbackServlet.class, "/oauth2/callback");
        context.addServlet(ProfileServlet.class, "/protected/me");
        context.addServlet(TokenServlet.class, "/protected/token");
        SessionHandler handler = context.getSessionHandler();
        FileSessionDataStore store = new FileSessionDataStore();
        store.setStoreDir(sessions.toFile());
        NullSessionCache cache = new NullSessionCache(handler);
        cache.setSessionDataStore(store);
        handler.setSessionCache(cache);
        // stop() waits for requests still completing (a session release after the browser got its answer) before the
        // session handler stops: else Jetty logs "Unable to release Session ... Not started" now and then
        server.setHandler(new GracefulHandler(context));
        server.setStopTimeout(5_000);
        server.start();
        return server;
    }

    @Test
    void sessionWhenServerRestartsOnFileStoreThenUserStaysLoggedIn() throws Exception {
        try (DiscordEmulator discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID)
                .clientSecret("persist-secret").redirectUri("http://127.0.0.1/none").build()).start()) {
            Server first = start(discord, 0);
            int port = ((ServerConnector) first.getConnectors()[0]).getLocalPort();
            String base = "http://127.0.0.1:" + port + "/app";
            discord.addRedirectUri(CLIENT_ID, base + "/oauth2/callback");
            TestBrowser browser = new TestBrowser();
            HttpResponse<String> page;
            try {
                HttpResponse<String> toDiscord = browser.get(base + "/protected/me");
                HttpResponse<String> callback = browser.follow(browser.consent(TestBrowser.location(toDiscord), NELLY,
                        "approve"));
                page = browser.follow(callback);
                assertEquals(200, page.statusCode(), page.body());
            } finally {
                first.stop();
            }
            try (var files = Files.list(sessions)) {
                assertTrue(files.findAny().isPresent(), "the session was written to the file store");
            }

            Server second = start(discord, port);
            try {
                browser.reconnect();
                HttpResponse<String> after = browser.get(base + "/protected/me");
                assertEquals(200, after.statusCode(), "still logged in after the restart");
                assertTrue(after.body().startsWith("user=" + NELLY + " principal=" + NELLY + " type=DISCORD"),
                        after.body());
                HttpResponse<String> token = browser.get(base + "/protected/token");
                assertEquals(200, token.statusCode());
                assertTrue(token.body().startsWith("me=nelly"), "the tokens survived too: " + token.body());
            } finally {
                second.stop();
            }
        }
    }

    @Test
    void sessionCookieWhenInitializerDidNotRunThenComponentsStillSendHttpOnlySameSiteLax() throws Exception {
        // a container without annotation scanning (a Jetty base without ee10-annotations) never runs the initializer
        try (DiscordEmulator discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID)
                .clientSecret("persist-secret").redirectUri("http://127.0.0.1/none").build()).start()) {
            Server server = start(discord, 0);
            try {
                int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
                String base = "http://127.0.0.1:" + port + "/app";
                discord.addRedirectUri(CLIENT_ID, base + "/oauth2/callback");
                TestBrowser browser = new TestBrowser();
                HttpResponse<String> toDiscord = browser.get(base + "/protected/me");
                String created = toDiscord.headers().allValues("Set-Cookie").stream()
                        .filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
                assertTrue(created.contains("; HttpOnly") && created.contains("; SameSite=Lax"), created);
                HttpResponse<String> callback = browser.follow(browser.consent(TestBrowser.location(toDiscord), NELLY,
                        "approve"));
                String renewed = callback.headers().allValues("Set-Cookie").stream()
                        .filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
                assertTrue(renewed.contains("; HttpOnly") && renewed.contains("; SameSite=Lax"),
                        "the cookie of the changed session id too: " + renewed);
            } finally {
                server.stop();
            }
        }
    }

    private static Server misconfigured(boolean withInitializer) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app", ServletContextHandler.SESSIONS);
        context.setInitParameter(DiscordConfig.CLIENT_SECRET, "s");
        context.setInitParameter(DiscordConfig.REDIRECT_URI, "/oauth2/callback");
        context.addFilter(DiscordLoginFilter.class, "/protected/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(ProfileServlet.class, "/protected/me");
        if (withInitializer) {
            context.addServletContainerInitializer(new DiscordInitializer());
        }
        server.setHandler(context);
        return server;
    }

    @Test
    void deploymentWhenClientIdMissingThenInitializerStopsItNamingTheKey() throws Exception {
        Server server = misconfigured(true);
        try {
            Exception thrown = assertThrows(Exception.class, server::start);
            assertEquals("DiscordLoginFilter (" + DiscordLoginFilter.class.getName() + "-"
                    + "): discord.client-id is missing: set it as an init-param or context-param in "
                    + "web.xml, a MicroProfile Config property, the system property discord.client-id or the "
                    + "environment variable DISCORD_CLIENT_ID", thrown.getMessage().replaceAll("-[0-9a-f]+\\)", "-)"));
            assertFalse(((ServletContextHandler) server.getHandler()).isAvailable(),
                    "the application does not serve a broken login");
        } finally {
            server.stop();
        }
    }

    @Test
    void filterWhenClientIdMissingAndContainerKeepsGoingThenEveryRequestRefusedWith503() throws Exception {
        // a container that ignores the initializer (or runs without it) and deploys anyway: the filter fails closed
        Server server = misconfigured(false);
        try {
            server.start();
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            HttpResponse<String> page = new TestBrowser().get("http://127.0.0.1:" + port + "/app/protected/me");
            assertEquals(503, page.statusCode(), "never the protected page");
            assertFalse(page.body().contains("user="), page.body());
            assertFalse(page.body().contains("discord.client-id"), "the reason goes to the log, not the browser");
        } finally {
            server.stop();
        }
    }
}
