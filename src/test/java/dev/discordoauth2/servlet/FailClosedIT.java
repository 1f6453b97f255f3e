package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.servlet.app.FaultyClockListener;
import dev.discordoauth2.servlet.app.ProfileServlet;
import dev.discordoauth2.servlet.app.TestClockListener;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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
 * An {@code Error} inside the library's own work (here its clock throws {@code NoClassDefFoundError}, as a jar missing
 * at run time would) must never let a request through and never show a stack trace: on embedded Jetty with the
 * web.xml drop-in, the filter, the callback servlet (login and callback paths) and the logout servlet answer 503 (a
 * page for a navigation, JSON for a script) and log one line each.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FailClosedIT {
    static final String CLIENT_ID = "100000000000000004";
    static final String SECRET = "fail-closed-secret";
    static final DiscordEmulator DISCORD = DiscordEmulator.builder()
            .demoData(EmulatedApplication.builder(CLIENT_ID).name("Fail closed").clientSecret(SECRET)
                    .redirectUri("http://127.0.0.1/placeholder").build())
            .start();

    static {
        System.getProperties().put(TestClockListener.PROPERTY, DISCORD.clock());
    }

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String webXml = WebApps.webXml(DISCORD, CLIENT_ID, SECRET, "identify")
                .replace(TestClockListener.class.getName(), FaultyClockListener.class.getName());
        return WebApps.war(webXml, ProfileServlet.class, FaultyClockListener.class, TestClockListener.class);
    }

    @AfterEach
    void clockWorks() {
        System.clearProperty(FaultyClockListener.FAIL);
    }

    @AfterAll
    static void stop() {
        DISCORD.close();
        System.getProperties().remove(TestClockListener.PROPERTY);
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @Test
    void everyFrontDoorWhenTheLibraryThrowsAnErrorThen503OneLogLineAndNothingLetThrough() {
        DISCORD.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        TestBrowser user = new TestBrowser();
        HttpResponse<String> callback = user.follow(user.consent(TestBrowser.location(user.get(url("/protected/me"))),
                "80351110224678912", "approve"));
        assertEquals(302, callback.statusCode(), "the clock works: " + callback.body());
        TestBrowser comingBack = new TestBrowser();
        String secondCallback = TestBrowser.location(comingBack.consent(TestBrowser.location(comingBack.get(
                url("/protected/me"))), "80351110224678912", "approve"));
        TestBrowser anonymous = new TestBrowser();
        System.setProperty(FaultyClockListener.FAIL, "true");
        List<LogRecord> records = LogCapture.during(() -> {
            assertFailedClosed(user.get(url("/protected/me")), false, "the filter, a logged-in page");
            assertFailedClosed(user.get(url("/protected/me"), "Accept", "application/json"), true,
                    "the filter, a script");
            assertFailedClosed(anonymous.get(url("/oauth2/login?return=%2Fprotected%2Fme")), false, "the login path");
            assertFailedClosed(comingBack.get(secondCallback), false, "the callback");
            HttpResponse<String> logout = user.post(url("/oauth2/logout"), "", "Origin", url(""));
            assertEquals(303, logout.statusCode(), "logging out needs no clock: " + logout.body());
        });
        List<LogRecord> errors = records.stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
        assertEquals(4, errors.size(), "one line per request: " + errors.stream().map(LogRecord::getMessage)
                .toList());
        assertTrue(errors.stream().allMatch(r -> r.getThrown() == null && r.getMessage().contains(
                "java.lang.NoClassDefFoundError: org/apache/hc/core5/util/Timeout")), "named, without a stack trace");
        System.clearProperty(FaultyClockListener.FAIL);
        assertEquals(302, user.get(url("/protected/me")).statusCode(), "works again; logged out, nobody got in");
    }

    private static void assertFailedClosed(HttpResponse<String> page, boolean json, String what) {
        assertEquals(503, page.statusCode(), what + " fails closed: " + page.body());
        assertFalse(page.body().contains("user=") || page.body().contains("Exception")
                || page.body().contains("\tat "), what + ": " + page.body());
        assertTrue(page.body().contains("internal_error"), what + ": " + page.body());
        assertEquals(json, page.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                what + ": " + page.headers().firstValue("Content-Type"));
    }
}
