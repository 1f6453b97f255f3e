package dev.discordoauth2.servlet;

import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.servlet.app.ProfileServlet;
import dev.discordoauth2.servlet.app.TestClockListener;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bound on code exchanges ({@code discord.max-concurrent-logins}, 2 here) on embedded Jetty: a slow Discord and
 * more callbacks than places give 503 retry pages at once, never a 500, and a place comes back the moment its
 * exchange's budget ({@code discord.callback-timeout}, 2 s) ends, while Discord still holds the request.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ExchangeBoundsIT {
    static final String CLIENT_ID = "100000000000000006";
    static final String SECRET = "bounds-secret";
    static final String NELLY = "80351110224678912";
    static final DiscordEmulator DISCORD = DiscordEmulator.builder()
            .threads(16)
            .demoData(EmulatedApplication.builder(CLIENT_ID).name("Bounds").clientSecret(SECRET)
                    .redirectUri("http://127.0.0.1/placeholder").build())
            .start();
    private static final Pattern CODE = Pattern.compile("<p class=\"code\">(\\d+) · ([a-z_]+)</p>");

    static {
        System.getProperties().put(TestClockListener.PROPERTY, DISCORD.clock());
    }

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return WebApps.war(WebApps.webXml(DISCORD, CLIENT_ID, SECRET, "identify", Map.of(
                DiscordConfig.MAX_CONCURRENT_LOGINS, "2", DiscordConfig.CALLBACK_TIMEOUT, "PT2S")),
                ProfileServlet.class, TestClockListener.class);
    }

    @AfterAll
    static void stop() {
        DISCORD.close();
        System.getProperties().remove(TestClockListener.PROPERTY);
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    /** A browser back from Discord: its callback URL, not yet requested. */
    private String backFromDiscord(TestBrowser browser) {
        return TestBrowser.location(browser.consent(TestBrowser.location(browser.get(url("/protected/me"))), NELLY,
                "approve"));
    }

    private static String code(HttpResponse<String> page) {
        Matcher m = CODE.matcher(page.body());
        return m.find() ? m.group(2) : page.statusCode() + " without a code";
    }

    @Test
    void callbackWhenMoreLoginsThanPlacesAndDiscordSlowThen503RetryPagesAndPlacesComeBackWithTheBudget()
            throws Exception {
        DISCORD.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        TestBrowser warm = new TestBrowser();
        assertEquals(302, warm.get(backFromDiscord(warm)).statusCode(), "warm: a login works");
        List<TestBrowser> browsers = new ArrayList<>();
        List<String> callbacks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestBrowser b = new TestBrowser();
            callbacks.add(backFromDiscord(b));
            browsers.add(b);
        }
        DISCORD.clearJournal();
        // Discord holds the first two exchanges for 6 s, three times the callback's budget
        DISCORD.injectFault("POST /oauth2/token", Fault.delay(Duration.ofSeconds(6)).times(2));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                TestBrowser b = browsers.get(i);
                String callback = callbacks.get(i);
                answers.add(pool.submit(() -> b.get(callback)));
            }
            List<String> codes = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> page = answer.get(20, TimeUnit.SECONDS);
                assertEquals(503, page.statusCode(), "a retry page, never a 500: " + page.body());
                assertTrue(page.headers().firstValue("Retry-After").isPresent(), page.headers().map().toString());
                codes.add(code(page));
            }
            assertEquals(2, codes.stream().filter("login_busy"::equals).count(), "two places: " + codes);
            assertEquals(2, codes.stream().filter("discord_timeout"::equals).count(), codes.toString());
            assertEquals(0, DISCORD.faultsPending("POST /oauth2/token"), "both slow exchanges reached Discord");
            // the two slow exchanges gave their places back when their budget ended, Discord still holding them
            HttpResponse<String> next = browsers.get(4).get(callbacks.get(4));
            assertEquals(302, next.statusCode(), "a place is free again at once: " + next.body());
            assertEquals(200, browsers.get(4).follow(next).statusCode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (DISCORD.journal("POST /oauth2/token").size() < 3 && System.nanoTime() - deadline < 0) {
                Thread.sleep(50); // the emulator records a request once it has answered it (the slow ones: 6 s)
            }
            assertEquals(3, DISCORD.journal("POST /oauth2/token").size(), "the busy ones sent nothing");
        } finally {
            pool.shutdownNow();
        }
    }
}
