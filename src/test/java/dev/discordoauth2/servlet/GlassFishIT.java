package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library on GlassFish 7 (Jakarta EE 10 full; {@code glassfish-embedded-all} 7.0.21 from Maven Central, the
 * newest GlassFish 7 this build's Maven Central mirror serves), started by the test as its own process on a free port
 * with the two exploded WARs of {@link WildFlyIT}: the README's web.xml WAR and the Jakarta Security mechanism WAR.
 * Their {@code WEB-INF/lib} holds the library and the jars GlassFish lacks, as on Payara (GlassFish has Jersey,
 * Yasson and Parsson); no server setting (GlassFish maps groups to roles by default). Without the jar (the build
 * copies it with {@code -Dservers=all}) the class skips, except when {@code CI=true}. The server's console goes to
 * {@code console.log} in its work directory; it is stopped by its process.
 */
class GlassFishIT {
    private static DiscordEmulator discord;
    private static Process server;
    private static String root;
    private static Path work;

    @BeforeAll
    static void startGlassFish() throws Exception {
        long started = System.nanoTime();
        Path jar = Path.of(System.getProperty("glassfish.embedded.jar", "glassfish.embedded.jar-not-set"));
        if (!Files.isRegularFile(jar)) {
            String why = "GlassFishIT skipped: no GlassFish at " + jar + " (the build copies it with -Dservers=all)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + "; CI=true requires this test to run");
            }
            System.out.println(why);
            assumeTrue(false, why);
        }
        Path library = Path.of(System.getProperty("tomcat.library.jar", "target/library-jar-not-set.jar"));
        Path webInfLib = Path.of(System.getProperty("payara.webinf.lib", "payara.webinf.lib-not-set"));
        assertTrue(Files.isDirectory(webInfLib), "the jars GlassFish lacks, copied by the build: " + webInfLib);
        discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(WildFlyIT.CLIENT_ID).name("GlassFish IT")
                        .clientSecret(WildFlyIT.SECRET).redirectUri("http://127.0.0.1/placeholder").build())
                .autoApprove(WildFlyIT.NELLY)
                .start();
        work = Files.createTempDirectory(Files.createDirectories(jar.getParent().resolve("work")), "run-");
        WildFlyIT.war(work.resolve("plain.war"), library, webInfLib, WildFlyIT.plainWebXml(discord),
                "dev/discordoauth2/servlet/app");
        WildFlyIT.war(work.resolve("jsec.war"), library, webInfLib, WildFlyIT.mechanismWebXml(discord),
                "dev/discordoauth2/security/app");
        Files.writeString(work.resolve("jsec.war/protected/page.html"), "members only\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        root = "http://127.0.0.1:" + port;
        discord.addRedirectUri(WildFlyIT.CLIENT_ID, root + "/plain/oauth2/callback");
        discord.addRedirectUri(WildFlyIT.CLIENT_ID, root + "/jsec/oauth2/callback");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "--httpPort=" + port, "--noInfo",
                "deploy --contextroot=/plain --name=plain " + work.resolve("plain.war"),
                "deploy --contextroot=/jsec --name=jsec " + work.resolve("jsec.war"))
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        for (String page : List.of("/plain/protected/who", "/jsec/protected/page.html")) {
            while (true) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    fail("GlassFish did not serve " + page + ":\n" + WildFlyIT.tail(work.resolve("console.log")));
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
        System.out.printf(Locale.ROOT, "GlassFishIT: GlassFish at %s, both WARs served in %.1f s%n", root,
                (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void stopGlassFish() throws Exception {
        try {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                    server.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (discord != null) {
                discord.close();
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
        assertTrue(ejb.body().contains("members=members\n"), ejb.body());
        assertTrue(ejb.body().contains("moderators=refused\n"), ejb.body());
    }

    @Test
    void mechanismWhenAScriptIsAnonymousThen401JsonNeverARedirect() {
        HttpResponse<String> response = new TestBrowser().get(root + "/jsec/me", "Accept", "application/json");
        assertEquals(401, response.statusCode(), response::body);
        assertTrue(response.body().contains("\"login_url\":\"/jsec/oauth2/login?return=%2Fme\""), response.body());
    }
}
