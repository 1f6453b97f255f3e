package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.TestPostgres;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared token store in a full Jakarta EE 10 server, configured as Jakarta EE applications configure a database:
 * a {@code <data-source>} in web.xml ({@code java:app/jdbc/discordTokens}, PostgreSQL's driver in {@code WEB-INF/lib})
 * named by {@code discord.token-store.datasource} (PostgreSQL trusts local connections here; Payara insists on a
 * password all the same). Two Payara Micro processes deploy the same plain WAR (the filter and
 * servlets from web.xml) and share one PostgreSQL ({@link TestPostgres}), not their sessions: the user's tokens are
 * stored once, sealed, and a revoking logout in one browser on one node ends the user's other browser on the other.
 * Without Payara Micro or PostgreSQL the class skips, except when {@code CI=true}, where that fails.
 */
class TokenStorePayaraIT {
    static final String CLIENT_ID = "100000000000000011";
    static final String CLIENT_SECRET = "store-it-secret";
    static final String NELLY = "80351110224678912";
    static final String KEYS = "k1:" + Base64.getEncoder().encodeToString(
            new java.security.SecureRandom().generateSeed(32));

    private static final long STARTED = System.nanoTime();
    private static DiscordEmulator discord;
    private static TestPostgres pg;
    private static PayaraFailClosedIT.Payara nodeA;
    private static PayaraFailClosedIT.Payara nodeB;
    private static String skipped;

    @BeforeAll
    static void start() throws Exception {
        Path payaraJar = Path.of(System.getProperty("payara.micro.jar", "payara-micro.jar-not-set"));
        if (!Files.isRegularFile(payaraJar)) {
            String why = "Payara Micro not available at " + payaraJar;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + "; CI=true requires this test to run");
            }
            skipped = "TokenStorePayaraIT skipped: " + why;
            System.out.println(skipped);
            return;
        }
        pg = TestPostgres.start();
        List<File> libs = new ArrayList<>(List.of(Path.of(System.getProperty("payara.library.jar")).toFile()));
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("payara.webinf.lib")))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> libs.add(p.toFile()));
        }
        libs.add(new File(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(CLIENT_ID).name("Token store IT").clientSecret(CLIENT_SECRET)
                        .redirectUri("http://127.0.0.1/placeholder").build())
                .autoApprove(NELLY)
                .start();
        Path work = Files.createDirectories(Path.of(System.getProperty("payara.work")));
        Path run = Files.createTempDirectory(work, "store-");
        Path a = PayaraFailClosedIT.war(Files.createDirectories(run.resolve("a")), "stored", webXml(), libs);
        Path b = PayaraFailClosedIT.war(Files.createDirectories(run.resolve("b")), "stored", webXml(), libs);
        nodeA = PayaraFailClosedIT.Payara.start(payaraJar, List.of(a), run.resolve("a"));
        nodeB = PayaraFailClosedIT.Payara.start(payaraJar, List.of(b), run.resolve("b"));
        nodeA.awaitReady();
        nodeB.awaitReady();
        discord.addRedirectUri(CLIENT_ID, nodeA.url("/oauth2/callback"));
        discord.addRedirectUri(CLIENT_ID, nodeB.url("/oauth2/callback"));
        System.out.printf(Locale.ROOT, "TokenStorePayaraIT: two Payara Micro %s nodes ready in %.1f s and %.1f s%n",
                nodeA.version(), nodeA.readySeconds, nodeB.readySeconds);
    }

    @BeforeEach
    void skipWithoutPayara() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (PayaraFailClosedIT.Payara node : new PayaraFailClosedIT.Payara[] {nodeA, nodeB}) {
                if (node != null) {
                    node.stop();
                }
            }
        } finally {
            if (discord != null) {
                discord.close();
            }
            if (pg != null) {
                pg.close();
            }
            System.out.printf(Locale.ROOT, "TokenStorePayaraIT: %.1f s in all%n", (System.nanoTime() - STARTED) / 1e9);
        }
    }

    static String webXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <context-param><param-name>discord.client-id</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.client-secret</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.redirect-uri</param-name><param-value>/oauth2/callback</param-value></context-param>
                  <context-param><param-name>discord.scopes</param-name><param-value>identify</param-value></context-param>
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>%s</param-name><param-value>jdbc</param-value></context-param>
                  <context-param><param-name>%s</param-name><param-value>java:app/jdbc/discordTokens</param-value></context-param>
                  <context-param><param-name>%s</param-name><param-value>true</param-value></context-param>
                  <context-param><param-name>%s</param-name><param-value>%s</param-value></context-param>

                  <filter>
                    <filter-name>discord-login</filter-name>
                    <filter-class>dev.discordoauth2.servlet.DiscordLoginFilter</filter-class>
                  </filter>
                  <filter-mapping><filter-name>discord-login</filter-name><url-pattern>/protected/*</url-pattern></filter-mapping>
                  <servlet>
                    <servlet-name>discord-callback</servlet-name>
                    <servlet-class>dev.discordoauth2.servlet.DiscordCallbackServlet</servlet-class>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/callback</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/login</url-pattern></servlet-mapping>
                  <servlet>
                    <servlet-name>discord-logout</servlet-name>
                    <servlet-class>dev.discordoauth2.servlet.DiscordLogoutServlet</servlet-class>
                  </servlet>
                  <servlet-mapping><servlet-name>discord-logout</servlet-name><url-pattern>/oauth2/logout</url-pattern></servlet-mapping>

                  <data-source>
                    <name>java:app/jdbc/discordTokens</name>
                    <class-name>org.postgresql.ds.PGSimpleDataSource</class-name>
                    <server-name>127.0.0.1</server-name>
                    <port-number>%d</port-number>
                    <database-name>postgres</database-name>
                    <user>%s</user>
                    <password>trusted-anyway</password>
                  </data-source>
                </web-app>
                """.formatted(CLIENT_ID, CLIENT_SECRET, discord.apiBaseUri(), discord.authorizeUri(),
                DiscordConfig.TOKEN_STORE, DiscordConfig.TOKEN_STORE_DATASOURCE, DiscordConfig.TOKEN_STORE_CREATE_TABLE,
                DiscordConfig.TOKEN_STORE_KEYS, KEYS, pg.port(), pg.user());
    }

    /** Logs a new browser in on {@code node} (the emulator approves at once) and returns it on the protected page. */
    private static TestBrowser login(PayaraFailClosedIT.Payara node) {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(node.url("/protected/"), "Accept", "text/html");
        assertEquals(302, toDiscord.statusCode(), () -> "not sent to Discord: " + node.tail(30));
        HttpResponse<String> back = browser.follow(toDiscord);
        assertEquals(302, back.statusCode(), back.body());
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), () -> "callback: " + callback.body() + "\n" + node.tail(30));
        HttpResponse<String> page = browser.follow(callback);
        assertEquals(200, page.statusCode(), page::body);
        return browser;
    }

    private static List<String> rows(String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), null); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void logoutWhenItRevokesOnOneNodeThenTheUsersBrowserOnTheOtherNodeIsLoggedOut() throws Exception {
        TestBrowser first = login(nodeA);
        TestBrowser second = login(nodeB);
        assertEquals(List.of(NELLY), rows("SELECT user_id FROM discord_tokens"), "one row for the user");
        for (String sealed : rows("SELECT access_token || ' ' || coalesce(refresh_token, '') FROM discord_tokens")) {
            for (String value : sealed.split(" ")) {
                assertTrue(value.startsWith("k1."), "sealed under k1: " + value.substring(0, Math.min(8,
                        value.length())));
            }
        }
        HttpResponse<String> logout = second.post(nodeB.url("/oauth2/logout"), "", "Origin",
                "http://127.0.0.1:" + nodeB.port);
        assertEquals(303, logout.statusCode(), logout.body());
        assertEquals(List.of(), rows("SELECT user_id FROM discord_tokens"), "the revoking logout deleted the tokens");
        HttpResponse<String> next = first.get(nodeA.url("/protected/"), "Accept", "text/html");
        assertEquals(302, next.statusCode(), "browser 1 on node A is logged out: " + next.body());
        assertTrue(TestBrowser.location(next).startsWith(discord.authorizeUri().toString()), TestBrowser.location(next));
    }
}
