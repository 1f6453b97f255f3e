package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.servlet.app.NativeFlowsApp;
import dev.discordoauth2.servlet.app.TestClockListener;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Discord-native flows through the web.xml components on embedded Jetty 12 with Weld, against the emulator: the
 * callback servlet mapped at the Linked Roles Verification URL and at "Add to server", the application's
 * {@code RoleConnectionSource} found as a CDI bean (its schema registered with the bot token at start), the
 * {@code DiscordBotAddedEvent} delivered as a CDI event.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class NativeFlowsIT {
    static final String CLIENT_ID = "100000000000000077";
    static final String SECRET = "it-native-secret";
    static final String NELLY = "80351110224678912";
    static final String TESTERS = "197038439483310086";
    static final DiscordEmulator DISCORD = DiscordEmulator.builder()
            .demoData(EmulatedApplication.builder(CLIENT_ID).name("IT App").clientSecret(SECRET).botToken("it-bot")
                    .redirectUri("http://127.0.0.1/placeholder").build())
            .admin(true).start();

    static {
        System.getProperties().put(TestClockListener.PROPERTY, DISCORD.clock());
    }

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String mappings = "<servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/discord/linked-roles"
                + "</url-pattern></servlet-mapping><servlet-mapping><servlet-name>discord-callback</servlet-name>"
                + "<url-pattern>/discord/add-to-server</url-pattern></servlet-mapping><servlet><servlet-name>added"
                + "</servlet-name><servlet-class>" + NativeFlowsApp.AddedServlet.class.getName() + "</servlet-class>"
                + "</servlet><servlet-mapping><servlet-name>added</servlet-name><url-pattern>/added</url-pattern>"
                + "</servlet-mapping></web-app>";
        return WebApps.war(WebApps.webXml(DISCORD, CLIENT_ID, SECRET, "identify", Map.of("discord.bot-token", "it-bot",
                "discord.bot-permissions", "2048")).replace("</web-app>", mappings), NativeFlowsApp.class,
                NativeFlowsApp.Source.class, NativeFlowsApp.Observer.class, NativeFlowsApp.AddedServlet.class,
                TestClockListener.class);
    }

    @AfterAll
    static void stop() {
        DISCORD.close();
        System.getProperties().remove(TestClockListener.PROPERTY);
    }

    @BeforeEach
    void registerRedirect() {
        DISCORD.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private String admin(String path) {
        return new TestBrowser().get(DISCORD.adminUri().orElseThrow() + path).body();
    }

    @Test
    void linkedRolesPathWhenUserConnectsThenConnectedPageAndConnectionAtDiscordAndSchemaRegistered() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/discord/linked-roles"), "Accept", "text/html");
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        Map<String, String> q = TestBrowser.query(TestBrowser.location(toDiscord));
        assertEquals("identify role_connections.write", q.get("scope"));
        assertTrue(!q.containsKey("code_challenge"), "no PKCE with role_connections.write");
        HttpResponse<String> page = browser.follow(browser.consent(TestBrowser.location(toDiscord), NELLY, "approve"));
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("Return to Discord"), page.body());
        String stored = admin("/applications/" + CLIENT_ID + "/role-connections?user_id=" + NELLY);
        assertTrue(stored.contains("\"platform_name\":\"IT Platform\"") && stored.contains("\"level\":\"7\""), stored);
        String schema = admin("/applications/" + CLIENT_ID + "/role-connection-metadata");
        assertTrue(schema.contains("\"key\":\"level\"") && schema.contains("\"updates\":1"), schema);
    }

    @Test
    void addToServerPathWhenUserPicksTheServerThenBotAddedPageAndCdiEvent() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/discord/add-to-server?guild_id=" + TESTERS), "Accept",
                "text/html");
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        assertEquals("2048", TestBrowser.query(TestBrowser.location(toDiscord)).get("permissions"));
        HttpResponse<String> consent = browser.get(TestBrowser.location(toDiscord));
        HttpResponse<String> back = browser.form(consent, "consent").set("user_id", NELLY)
                .set("selected_guild_id", TESTERS).set("decision", "approve").submit();
        assertEquals(302, back.statusCode(), back.body());
        assertTrue(URI.create(TestBrowser.location(back)).getPath().endsWith("/oauth2/callback"));
        HttpResponse<String> page = browser.follow(back);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("The bot was added to Discord Testers."), page.body());
        assertEquals(TESTERS + ":2048:false", browser.get(url("/added")).body());
        assertTrue(admin("/applications/" + CLIENT_ID + "/bot-guilds").contains("\"guild_id\":\"" + TESTERS + "\""));
    }
}
