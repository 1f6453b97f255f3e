package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.servlet.app.CdiServlet;
import dev.discordoauth2.servlet.app.ProfileServlet;
import dev.discordoauth2.servlet.app.TestClockListener;
import dev.discordoauth2.servlet.app.TokenServlet;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile return paths, end to end on embedded Jetty 12: through {@code /oauth2/login?return=...} (logged out, so
 * the login is followed to the callback's redirect; and logged in, so the login path redirects at once) and through
 * paths the filter saves itself. Every answer must be below 500, and every redirect into the application must land
 * on the request's own origin, under the context path, as an absolute URL whose path is already normal (the
 * container must have nothing left to normalise). Run twice: under a context path ({@link HostileReturnIT}), and at
 * the root context ({@link HostileReturnRootIT}), where {@code /..//evil.example} needs no context path to become
 * {@code //evil.example}.
 *
 * <p>Two test classes with one WAR each, deployed and undeployed one after the other, not one class with both: the
 * WARs share the Weld classes of the container's class path, and with them Weld's one static container
 * ({@code STATIC_INSTANCE}); with both deployed at once, the first undeploy shuts it down and the second fails with
 * {@code Singleton not set for STATIC_INSTANCE}. (A context id of its own per WAR, {@code WELD_CONTEXT_ID_KEY},
 * leaves {@code CDI.current()} without a container, and Jetty's CDI decorator needs it.)
 */
abstract class HostileReturnChecks {
    static final String CLIENT_ID = "100000000000000002";
    static final String SECRET = "hostile-it-secret";
    static final String NELLY = "80351110224678912";

    /** An emulator of its own for each subclass, closed in its {@code @AfterAll}. */
    static DiscordEmulator emulator() {
        DiscordEmulator discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(CLIENT_ID).name("Hostile IT App").clientSecret(SECRET)
                        .redirectUri("http://127.0.0.1/placeholder").build())
                .start();
        System.getProperties().put(TestClockListener.PROPERTY, discord.clock());
        return discord;
    }

    static void stop(DiscordEmulator discord) {
        discord.close();
        System.getProperties().remove(TestClockListener.PROPERTY);
    }

    /** The WAR under test, deployed by the subclass (as it is or as {@code ROOT.war}). */
    static WebArchive war(DiscordEmulator discord) {
        return WebApps.war(WebApps.webXml(discord, CLIENT_ID, SECRET, "identify"), ProfileServlet.class,
                TokenServlet.class, CdiServlet.class, TestClockListener.class);
    }

    @ArquillianResource
    URL base;

    /** The subclass's emulator. */
    abstract DiscordEmulator discord();

    /** Values of {@code return}, as the servlet sees them after decoding the query once. */
    static final List<String> HOSTILE_RETURNS = List.of(
            "/.//evil.example", "/a/..//evil.example", "/a/b/../..//evil.example", "/..//evil.example",
            "/..", "/./..", "/../x", "/a/../../", "/../../../../evil.example",
            "/%2e%2e//evil.example", "/%2E%2e/%2fevil.example", "/.%2e//evil.example", "/%252e%252e//evil.example",
            "/..;//evil.example", "/a/..;/..;//evil.example", "/%2F%2Fevil.example", "/%5C%5Cevil.example",
            "//evil.example", "///evil.example", "/\\evil.example", "/\\/evil.example", "https://evil.example/",
            "http:evil.example", "/a%0d%0aLocation:%20http://evil.example", "/a\r\nLocation: http://evil.example",
            "/\u00a0/evil.example", "/%zz", "/x%", "/" + "a".repeat(3000));

    /**
     * Paths (raw, as sent on the request line) under the filter's {@code /protected/*} mapping. Jetty 12 answers 400
     * to the ambiguous ones itself (encoded slash or dot segment, {@code //}); the last two reach the filter.
     */
    static final List<String> HOSTILE_SAVED_PATHS = List.of(
            "/protected/..%2F/x", "/protected/..%2F..%2F%2Fevil.example", "/protected/me/..//evil.example",
            "/protected/%2e%2e/%2e%2e//evil.example", "/protected/me;..;/..;//evil.example",
            "/protected/%5C..%5C/x", "/protected//evil.example", "/protected/me/%252e%252e//evil.example",
            "/protected/.%2e/.%2e//evil.example?q=1", "/protected/me/%252e%252e/%252e%252e/x",
            "/protected/me?next=/..//evil.example");

    @BeforeEach
    void registerRedirects() {
        discord().addRedirectUri(CLIENT_ID, app().url("/oauth2/callback"));
    }

    /** One deployed application: its origin and context path ({@code ""} at the root). */
    record App(String origin, String contextPath) {
        String url(String path) {
            return origin + contextPath + path;
        }
    }

    App app() {
        String path = base.getPath().replaceAll("/$", "");
        return new App(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort(), path);
    }

    @Test
    void loginPathWhenLoggedOutAndReturnHostileThenCallbackRedirectsInsideApp() {
        loggedOutLogins(app());
    }

    @Test
    void loginPathWhenLoggedInAndReturnHostileThenImmediateRedirectInsideApp() {
        loggedInLogins(app());
    }

    @Test
    void protectedPathWhenHostileThenNo5xxAndLoginEndsInsideApp() {
        savedPaths(app());
    }

    @Test
    void loginPathWhenReturnLegitimateThenCallbackRedirectsThere() {
        App app = app();
        List<String> problems = new ArrayList<>();
        for (String ok : List.of("/protected/me?tab=guilds", "/a.b/c..d/e.", "/%C3%A9t%C3%A9", "/search?q=a%20b")) {
            String label = "[" + app.url("/") + "] " + ok;
            HttpResponse<String> callback = loginThrough(new TestBrowser(), app, loginUrl(app, ok), label, problems);
            if (callback != null) {
                checkInApp(app, callback, label, problems);
                String location = callback.headers().firstValue("Location").orElse("");
                if (!location.equals(app.url(ok)) && !location.equals(app.contextPath() + ok)) {
                    problems.add(label + ": expected to land on " + app.url(ok) + ", Location: " + location);
                }
            }
        }
        assertNoProblems(app, problems);
    }

    private void loggedOutLogins(App app) {
        List<String> problems = new ArrayList<>();
        for (String hostile : HOSTILE_RETURNS) {
            TestBrowser browser = new TestBrowser();
            HttpResponse<String> callback = loginThrough(browser, app, loginUrl(app, hostile), hostile, problems);
            if (callback != null && checkInApp(app, callback, hostile, problems)) {
                checkBelow500(browser.get(TestBrowser.location(callback)), hostile + " (landing page)", problems);
            }
        }
        assertNoProblems(app, problems);
    }

    private void loggedInLogins(App app) {
        List<String> problems = new ArrayList<>();
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> callback = loginThrough(browser, app, app.url("/protected/me"), "login", problems);
        assertTrue(callback != null && problems.isEmpty(), () -> "logging in failed: " + problems);
        for (String hostile : HOSTILE_RETURNS) {
            HttpResponse<String> immediate = browser.get(loginUrl(app, hostile));
            if (checkBelow500(immediate, hostile, problems) && checkInApp(app, immediate, hostile, problems)) {
                checkBelow500(browser.get(TestBrowser.location(immediate)), hostile + " (landing page)", problems);
            }
        }
        assertNoProblems(app, problems);
    }

    private void savedPaths(App app) {
        List<String> problems = new ArrayList<>();
        for (String hostile : HOSTILE_SAVED_PATHS) {
            TestBrowser browser = new TestBrowser();
            HttpResponse<String> first = browser.get(app.url(hostile));
            if (!checkBelow500(first, hostile, problems) || first.statusCode() < 300 || first.statusCode() > 399) {
                continue; // refused by the container (400, 404): nothing saved, nothing to follow
            }
            String location = TestBrowser.location(first);
            if (!location.startsWith(discord().authorizeUri().toString())) {
                checkInApp(app, first, hostile, problems);
                continue;
            }
            HttpResponse<String> back = browser.consent(location, NELLY, "approve");
            HttpResponse<String> callback = browser.follow(back);
            if (checkBelow500(callback, hostile + " (callback)", problems)
                    && checkInApp(app, callback, hostile + " (callback)", problems)) {
                checkBelow500(browser.get(TestBrowser.location(callback)), hostile + " (landing page)", problems);
            }
        }
        assertNoProblems(app, problems);
    }

    private static String loginUrl(App app, String returnTo) {
        return app.url("/oauth2/login?return=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8));
    }

    /** Starts at {@code start}, approves at Discord, and answers the callback's response (or null, problem noted). */
    private HttpResponse<String> loginThrough(TestBrowser browser, App app, String start, String label,
            List<String> problems) {
        HttpResponse<String> toDiscord = browser.get(start);
        if (!checkBelow500(toDiscord, label, problems)) {
            return null;
        }
        if (toDiscord.statusCode() != 302
                || !TestBrowser.location(toDiscord).startsWith(discord().authorizeUri().toString())) {
            problems.add(label + ": login did not go to Discord: " + describe(toDiscord));
            return null;
        }
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), NELLY, "approve");
        HttpResponse<String> callback = browser.follow(back);
        return checkBelow500(callback, label + " (callback)", problems) ? callback : null;
    }

    private static boolean checkBelow500(HttpResponse<String> response, String label, List<String> problems) {
        if (response.statusCode() >= 500) {
            problems.add(label + ": server error " + describe(response));
            return false;
        }
        return true;
    }

    /**
     * A redirect into the application: 3xx; the Location header absolute on the request's origin; resolved as a
     * browser does (dot segments removed), the same origin, under the context path, and no {@code //} in the path.
     */
    private static boolean checkInApp(App app, HttpResponse<String> response, String label, List<String> problems) {
        int status = response.statusCode();
        String location = response.headers().firstValue("Location").orElse(null);
        if (status < 300 || status > 399 || location == null) {
            problems.add(label + ": expected a redirect into the application, got " + describe(response));
            return false;
        }
        URI resolved;
        try {
            resolved = response.uri().resolve(location).normalize();
        } catch (IllegalArgumentException e) {
            problems.add(label + ": Location is not a URI: " + location);
            return false;
        }
        String origin = resolved.getScheme() + "://" + resolved.getRawAuthority();
        String path = resolved.getRawPath() == null ? "" : resolved.getRawPath();
        boolean ok = true;
        if (!origin.equals(app.origin())) {
            problems.add(label + ": Location leaves the origin " + app.origin() + ": " + location);
            ok = false;
        }
        if (!path.startsWith(app.contextPath() + "/") || path.contains("//")) {
            problems.add(label + ": Location is not a normal path under '" + app.contextPath() + "/': " + location);
            ok = false;
        }
        if (!location.startsWith(app.url("/"))) {
            problems.add(label + ": Location not absolute on " + app.url("/") + ": " + location);
        }
        return ok;
    }

    private static String describe(HttpResponse<String> response) {
        String body = response.body();
        return response.statusCode() + " " + response.request().method() + " " + response.uri() + " Location="
                + response.headers().firstValue("Location").orElse("-") + " body="
                + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }

    /** Fails with every problem at once (and the response that showed it), so one run shows the whole picture. */
    private static void assertNoProblems(App app, List<String> problems) {
        assertTrue(problems.isEmpty(), () -> problems.size() + " problem(s), " + app.url("/") + ":\n  "
                + String.join("\n  ", problems));
    }
}
