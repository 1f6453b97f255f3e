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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    private EmbeddedApp start(DiscordEmulator discord, int port) throws Exception {
        return EmbeddedApp.builder().port(port).emulator(discord, CLIENT_ID, "persist-secret")
                .filter("/protected/*").callback()
                .servlet(ProfileServlet.class, "/protected/me")
                .servlet(TokenServlet.class, "/protected/token")
                .sessions(handler -> {
                    FileSessionDataStore store = new FileSessionDataStore();
                    store.setStoreDir(sessions.toFile());
                    NullSessionCache cache = new NullSessionCache(handler);
                    cache.setSessionDataStore(store);
                    handler.setSessionCache(cache);
                })
                .gracefulStop(Duration.ofSeconds(5))
                .start();
    }

    @Test
    void sessionWhenServerRestartsOnFileStoreThenUserStaysLoggedIn() throws Exception {
        try (DiscordEmulator discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID)
                .clientSecret("persist-secret").redirectUri("http://127.0.0.1/none").build()).start()) {
            EmbeddedApp first = start(discord, 0);
            int port = first.port();
            String base = first.base();
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
                first.close();
            }
            try (var files = Files.list(sessions)) {
                assertTrue(files.findAny().isPresent(), "the session was written to the file store");
            }

            EmbeddedApp second = start(discord, port);
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
                second.close();
            }
        }
    }

    @Test
    void sessionCookieWhenInitializerDidNotRunThenComponentsStillSendHttpOnlySameSiteLax() throws Exception {
        // a container without annotation scanning (a Jetty base without ee10-annotations) never runs the initializer
        try (DiscordEmulator discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID)
                .clientSecret("persist-secret").redirectUri("http://127.0.0.1/none").build()).start()) {
            EmbeddedApp server = start(discord, 0);
            try {
                String base = server.base();
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
                server.close();
            }
        }
    }

    private static EmbeddedApp misconfigured(boolean withInitializer) {
        EmbeddedApp.Builder app = EmbeddedApp.builder()
                .initParameter(DiscordConfig.CLIENT_SECRET, "s")
                .initParameter(DiscordConfig.REDIRECT_URI, "/oauth2/callback")
                .filter("/protected/*")
                .servlet(ProfileServlet.class, "/protected/me");
        if (withInitializer) {
            app.initializer();
        }
        return app.build();
    }

    @Test
    void deploymentWhenClientIdMissingThenInitializerStopsItNamingTheKey() throws Exception {
        EmbeddedApp server = misconfigured(true);
        try {
            Exception thrown = assertThrows(Exception.class, server::start);
            assertEquals("DiscordLoginFilter (" + DiscordLoginFilter.class.getName() + "-"
                    + "): discord.client-id is missing: set it as an init-param or context-param in "
                    + "web.xml, a MicroProfile Config property, the system property discord.client-id or the "
                    + "environment variable DISCORD_CLIENT_ID", thrown.getMessage().replaceAll("-[0-9a-f]+\\)", "-)"));
            assertFalse(server.context().isAvailable(),
                    "the application does not serve a broken login");
        } finally {
            server.close();
        }
    }

    @Test
    void filterWhenClientIdMissingAndContainerKeepsGoingThenEveryRequestRefusedWith503() throws Exception {
        // a container that ignores the initializer (or runs without it) and deploys anyway: the filter fails closed
        EmbeddedApp server = misconfigured(false);
        try {
            server.start();
            HttpResponse<String> page = new TestBrowser().get(server.url("/protected/me"));
            assertEquals(503, page.statusCode(), "never the protected page");
            assertFalse(page.body().contains("user="), page.body());
            assertFalse(page.body().contains("discord.client-id"), "the reason goes to the log, not the browser");
        } finally {
            server.close();
        }
    }
}
