package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link ContainerSecuritySuite} on the Jetty 12.1 distribution ({@link JettyDistribution}, the {@code ee11}
 * environment, Jakarta EE 11): the application's WAR under {@code /app} with {@code discord.container-authentication=true},
 * its one Jetty file {@code WEB-INF/jetty-ee11-web.xml} (Jetty hides the Jakarta Authentication API from applications;
 * the file shows it to this one, see the README) and no library filter or servlet in its web.xml. A second WAR under
 * {@code /plain}, the README's web.xml drop-in (filter and callback servlet), logs in through the filter on the same
 * Jetty. {@link ContainerSecurityJettyCookieIT} runs it all again with {@code discord.session=cookie},
 * {@link ContainerSecurityJettyEe10IT} in Jetty 12.1's {@code ee10} environment (Jakarta EE 10).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerSecurityJettyIT extends ContainerSecuritySuite {
    /**
     * What an application puts in its WAR for the library's module on Jetty (the README's), as
     * {@code WEB-INF/jetty-ee11-web.xml} or, in the {@code ee10} environment, {@code jetty-ee10-web.xml}.
     */
    static String jettyWebXml(String environment) {
        return """
                <?xml version="1.0"?>
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure class="org.eclipse.jetty.ee11.webapp.WebAppContext">
                  <Get name="hiddenClassMatcher"><Call name="exclude"><Arg>jakarta.security.auth.message.</Arg></Call></Get>
                </Configure>
                """.replace("ee11", environment);
    }

    private JettyDistribution jetty;
    private DiscordEmulator plainDiscord;

    @Override
    boolean cookieMode() {
        return false;
    }

    /** Jetty's environment of the WARs: {@code ee11}; {@link ContainerSecurityJettyEe10IT}'s {@code ee10}. */
    String environment() {
        return "ee11";
    }

    @BeforeAll
    void startJetty() throws Exception {
        Path home = JettyDistribution.home(getClass().getSimpleName());
        Path library = Path.of(System.getProperty("tomcat.library.jar", "target/library-jar-not-set.jar"));
        assertTrue(Files.isRegularFile(library), "library jar missing (run in 'verify', after 'package'): " + library);
        startEmulator();
        plainDiscord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(WildFlyIT.CLIENT_ID).name("Jetty plain IT")
                        .clientSecret(WildFlyIT.SECRET).redirectUri("http://127.0.0.1/placeholder").build())
                .autoApprove(NELLY)
                .start();
        Map<String, String> wars = new LinkedHashMap<>();
        wars.put("app", webXml(cookieMode()));
        wars.put("plain", WildFlyIT.plainWebXml(plainDiscord));
        wars.put("hidden", webXml(cookieMode())); // no jetty-eeNN-web.xml: Jetty hides the API, the start must fail
        jetty = JettyDistribution.start(home, environment(), library, wars,
                Map.of("app", jettyWebXml(environment())), Set.of("hidden"));
        base = jetty.root() + "/app";
        plainDiscord.addRedirectUri(WildFlyIT.CLIENT_ID, jetty.root() + "/plain/oauth2/callback");
    }

    @AfterAll
    void stopJetty() throws Exception {
        try {
            if (jetty != null) {
                jetty.close();
            }
        } finally {
            if (discord != null) {
                discord.close();
            }
            if (plainDiscord != null) {
                plainDiscord.close();
            }
        }
    }

    @Test
    void startWhenTheWarLacksJettyWebXmlThenTheDeploymentStopsNamingTheFileAndNothingIsServed() throws Exception {
        String console = jetty.console();
        assertTrue(console.contains("discord.container-authentication=true needs Jakarta Authentication"), console);
        assertTrue(console.contains("WEB-INF/jetty-" + environment() + "-web.xml"), "the message names the file");
        HttpResponse<String> page = new TestBrowser().get(jetty.root() + "/hidden/member/who");
        assertTrue(page.statusCode() == 404 || page.statusCode() == 503, page.statusCode() + " " + page.body());
        assertFalse(page.body().contains("user="), page.body());
    }

    @Test
    void filterWhenLoggedInThroughDiscordThenTheProtectedPageHasTheUser() {
        HttpResponse<String> page = WildFlyIT.login(new TestBrowser(), plainDiscord,
                jetty.root() + "/plain/protected/who");
        assertEquals(200, page.statusCode(), page::body);
        assertEquals("user=" + NELLY + " session=true", page.body());
    }
}
