package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.testkit.TestBrowser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The checks of a full server's run of {@link WildFlyIT}'s two exploded WARs ({@code /plain}: the README's web.xml
 * filter; {@code /jsec}: the Jakarta Security mechanism), on WildFly, GlassFish 7 and 8 and Open Liberty. A subclass starts the emulator ({@link #emulator}) and the server in its
 * {@code @BeforeAll}, setting {@link #root} and {@link #server}; this class stops both, the server by its process
 * and the processes it started.
 */
abstract class TwoWarsSuite {
    static DiscordEmulator discord;
    static Process server;
    static String root;

    /** The emulator the WARs log in with, approving Nelly's login itself. */
    static DiscordEmulator emulator(String name) {
        discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(WildFlyIT.CLIENT_ID).name(name)
                        .clientSecret(WildFlyIT.SECRET).redirectUri("http://127.0.0.1/placeholder").build())
                .autoApprove(WildFlyIT.NELLY)
                .start();
        return discord;
    }

    /** Skips the class where {@code present} is false, saying {@code why}; under {@code CI=true} that fails it. */
    static void skipUnless(boolean present, String why) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + "; CI=true requires this test to run");
        }
        System.out.println(why);
        assumeTrue(false, why);
    }

    /**
     * Writes the two exploded WARs into {@code dir} (the library jar, {@code webInfLib}'s jars) for a server on
     * {@code port} of the loopback address, sets {@link #root} and registers both callbacks with the emulator.
     */
    static void wars(Path dir, Path webInfLib, int port) throws Exception {
        Path library = Path.of(System.getProperty("tomcat.library.jar", "target/library-jar-not-set.jar"));
        assertTrue(Files.isRegularFile(library), "library jar missing (run in 'verify', after 'package'): " + library);
        assertTrue(Files.isDirectory(webInfLib), "the jars the server lacks, copied by the build: " + webInfLib);
        WildFlyIT.war(dir.resolve("plain.war"), library, webInfLib, WildFlyIT.plainWebXml(discord),
                "dev/discordoauth2/servlet/app");
        WildFlyIT.war(dir.resolve("jsec.war"), library, webInfLib, WildFlyIT.mechanismWebXml(discord),
                "dev/discordoauth2/security/app");
        Files.writeString(dir.resolve("jsec.war/protected/page.html"), "members only\n");
        root = "http://127.0.0.1:" + port;
        discord.addRedirectUri(WildFlyIT.CLIENT_ID, root + "/plain/oauth2/callback");
        discord.addRedirectUri(WildFlyIT.CLIENT_ID, root + "/jsec/oauth2/callback");
    }

    /** Waits until {@link #server} serves both WARs (a protected page of each sends the browser to Discord). */
    static void awaitWars(String name, Path console) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        for (String page : List.of("/plain/protected/who", "/jsec/protected/page.html")) {
            while (true) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    fail(name + " did not serve " + page + ":\n" + WildFlyIT.tail(console));
                }
                try {
                    if (new TestBrowser().get(root + page).statusCode() == 302) {
                        break; // deployed: the login sends the browser to Discord
                    }
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Stops a server's process and those it started (WildFly's {@code standalone.sh} starts its JVM): the started ones
     * first, each asked and then killed after a minute, then the process itself the same way.
     */
    static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        for (ProcessHandle started : process.descendants().toList()) {
            started.destroy();
            try {
                started.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                started.destroyForcibly();
            }
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            stop(server);
        } finally {
            server = null;
            if (discord != null) {
                discord.close();
                discord = null;
            }
        }
    }

    private static HttpResponse<String> login(TestBrowser browser, String path) {
        return WildFlyIT.login(browser, discord, root + path);
    }

    @Test
    void filterWhenLoggedInThroughDiscordThenTheProtectedPageHasTheUser() {
        HttpResponse<String> page = login(new TestBrowser(), "/plain/protected/who");
        assertEquals(200, page.statusCode(), page::body);
        assertEquals("user=" + WildFlyIT.NELLY + " session=true", page.body());
    }

    @Test
    void mechanismWhenLoggedInThenTheContainersCallerGroupsAuthTypeAndCdiAreTheDiscordLogin() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> page = login(browser, "/jsec/protected/page.html");
        assertEquals(200, page.statusCode(), page::body);
        assertEquals("members only\n", page.body());
        WildFlyIT.assertCallerIsNelly(browser.get(root + "/jsec/me"));
    }

    @Test
    void mechanismWhenTheUserLacksARoleThenServletSecurityAnswers403AndTheEjbRefuses() {
        TestBrowser browser = new TestBrowser();
        login(browser, "/jsec/protected/page.html");
        HttpResponse<String> moderators = browser.get(root + "/jsec/moderators");
        assertEquals(403, moderators.statusCode(), moderators::body);
        assertFalse(moderators.body().contains("moderators only"));
        HttpResponse<String> ejb = browser.get(root + "/jsec/ejb");
        assertEquals(200, ejb.statusCode(), ejb::body);
        assertTrue(ejb.body().contains("members=members\n"), "@RolesAllowed(discord-user) admits: " + ejb.body());
        assertTrue(ejb.body().contains("moderators=refused\n"), "@RolesAllowed(moderator) refuses: " + ejb.body());
    }

    /** Whether the server keeps the mechanism's JSON body of a script's 401 (WildFly does not). */
    boolean keepsJsonBody() {
        return true;
    }

    @Test
    void mechanismWhenAScriptIsAnonymousThen401WithTheLoginUrlNeverARedirect() {
        HttpResponse<String> response = new TestBrowser().get(root + "/jsec/me", "Accept", "application/json");
        assertEquals(401, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("")
                .contains("login_url=\"/jsec/oauth2/login?return=%2Fme\""), response.headers().toString());
        if (keepsJsonBody()) {
            assertTrue(response.body().contains("\"login_url\":\"/jsec/oauth2/login?return=%2Fme\""),
                    response.body());
        }
    }
}
