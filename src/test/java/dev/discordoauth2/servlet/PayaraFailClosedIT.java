package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.testkit.TestBrowser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A misconfigured application must fail closed on a full Jakarta EE server too: Payara Micro 6 (GlassFish underneath)
 * logs a filter whose {@code init} throws and deploys the application anyway, without the filter. WARs on Payara
 * Micro processes of their own where their deployment is meant to fail (a deployment that fails to start makes Payara
 * Micro drop the other WARs of the same process as well):
 * <ul>
 * <li>the web.xml filter without {@code discord.client-id}, whose protected page must never be served;</li>
 * <li>the Jakarta Security mechanism with the jars the README once listed (without HttpCore 5 and its HTTP/2 part),
 * which answered 200 with an empty body: the deployment must stop, naming the missing jars;</li>
 * <li>the mechanism without a client id: stopped at deployment, the reason in the log then;</li>
 * <li>in one process: the filter configured against the emulator, whose protected page must redirect to Discord and
 * be served after the login (the filter and the client, Jersey on the Apache 5 connector, work inside Payara; the
 * session cookies the login causes carry the library's defaults, which Payara's own configuration does not send),
 * and the mechanism whose secret expression fails at every evaluation: protected pages and the library's own paths
 * get 503 (JSON for a script), public pages are served.</li>
 * </ul>
 *
 * <p>Inputs come from the build (see the pom): the Payara Micro jar, the library jar, and the jars Payara lacks for
 * {@code WEB-INF/lib}. Without the Payara jar ({@code -Dpayara.skip=true}) the class skips, except when
 * {@code CI=true}. Payara's console goes to {@code target/payara/work/run-*}/{@code <app>.log}.
 */
class PayaraFailClosedIT {
    static final String CLIENT_ID = "100000000000000001";
    static final String CLIENT_SECRET = "it-client-secret";
    static final String NELLY = "80351110224678912";
    static final String SECRET = "SECRET";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("payara.ready.timeout", 300));

    private static final long STARTED = System.nanoTime();
    private static DiscordEmulator discord;
    private static Payara misconfigured;
    private static Payara configured;
    private static Payara missingJars;
    private static Payara noClientId;
    /** The server the running test talks to, whose log tail a failure prints. */
    private static Payara underTest;
    /** Why the tests skip (Payara not fetched, outside CI), or null. */
    private static String skipped;

    @RegisterExtension
    static final TestWatcher PAYARA_LOG_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (underTest != null) {
                underTest.printTail();
            }
        }
    };

    @BeforeAll
    static void startPayara() throws IOException {
        Path payaraJar = input("payara.micro.jar");
        if (!Files.isRegularFile(payaraJar)) {
            String why = "Payara Micro not available at " + payaraJar
                    + " (the pom copies it in pre-integration-test unless -Dpayara.skip=true)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + "; CI=true requires this test to run");
            }
            // skipped per test, not here: failsafe counts a class aborted in @BeforeAll as no test at all
            skipped = "PayaraFailClosedIT skipped: " + why;
            System.out.println(skipped);
            return;
        }
        Path library = input("payara.library.jar");
        Path webInfLib = input("payara.webinf.lib");
        assertTrue(Files.isRegularFile(library), "library jar missing (run in 'verify', after 'package'): " + library);
        assertTrue(Files.isDirectory(webInfLib), "WEB-INF/lib jars missing (pre-integration-test): " + webInfLib);
        List<File> libs = new ArrayList<>(List.of(library.toFile()));
        try (Stream<Path> jars = Files.list(webInfLib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> libs.add(p.toFile()));
        }

        discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(CLIENT_ID).name("Payara IT App").clientSecret(CLIENT_SECRET)
                        .redirectUri("http://127.0.0.1/placeholder").build())
                .start();
        Path work = Files.createDirectories(input("payara.work"));
        Path run = Files.createTempDirectory(work, "run-");
        // the misconfigured callback servlet starts lazily: with load-on-startup its failing init alone makes Payara
        // refuse the deployment, which would hide what is tested here, the filter's
        Path bad = war(run, "misconfigured", webXml(null, false), libs);
        Path good = war(run, "configured", webXml(CLIENT_ID, true), libs);
        List<File> withoutHttpCore = libs.stream().filter(f -> !f.getName().startsWith("httpcore5")).toList();
        assertEquals(libs.size() - 2, withoutHttpCore.size(), "httpcore5 and httpcore5-h2 left out: " + libs);
        Path noJars = mechanismWar(run, "missingjars", withoutHttpCore, dev.discordoauth2.security.app
                .SecuredApplication.class, dev.discordoauth2.security.app.DiscordTestSettings.class);
        Path noId = mechanismWar(run, "noclientid", libs,
                dev.discordoauth2.security.failing.NoClientIdApplication.class);
        Path failingSecret = mechanismWar(run, "failingsecret", libs,
                dev.discordoauth2.security.failing.FailingSecretApplication.class,
                dev.discordoauth2.security.failing.FailingSettings.class);
        // all boot at once: on two cores that is well under the sum of the boots
        misconfigured = Payara.start(payaraJar, List.of(bad), run);
        configured = Payara.start(payaraJar, List.of(good, failingSecret), run);
        missingJars = Payara.start(payaraJar, List.of(noJars), run);
        noClientId = Payara.start(payaraJar, List.of(noId), run);
        for (Payara payara : List.of(misconfigured, configured, missingJars, noClientId)) {
            payara.awaitReady();
        }
        System.out.printf(Locale.ROOT, "PayaraFailClosedIT: Payara Micro %s (%.1f MiB) ready in %.1f s, %.1f s, %.1f s "
                + "and %.1f s (four processes booting together), logs in %s%n", misconfigured.version(),
                Files.size(payaraJar) / 1048576.0, misconfigured.readySeconds, configured.readySeconds,
                missingJars.readySeconds, noClientId.readySeconds, run);
    }

    @BeforeEach
    void skipWithoutPayara() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    static void stopPayara() {
        try {
            for (Payara payara : new Payara[] {misconfigured, configured, missingJars, noClientId}) {
                if (payara != null) {
                    payara.stop();
                }
            }
        } finally {
            if (discord != null) {
                discord.close();
            }
            System.out.printf(Locale.ROOT, "PayaraFailClosedIT: %.1f s in all%n", (System.nanoTime() - STARTED) / 1e9);
        }
    }

    @Test
    void protectedPageWhenClientIdMissingThenNeverServed() {
        underTest = misconfigured;
        List<String> seen = new ArrayList<>();
        List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
        for (String path : List.of("/protected/secret.txt", "/protected/")) {
            HttpResponse<String> response = new TestBrowser().get(misconfigured.url(path), "Accept", "text/html");
            String body = response.body();
            seen.add("GET " + misconfigured.context + path + " -> " + response.statusCode());
            checks.add(() -> assertTrue(response.statusCode() >= 400,
                    () -> "fail-open: " + path + " answered " + response.statusCode() + " without discord.client-id: "
                            + abbreviate(body)));
            checks.add(() -> assertFalse(body.contains(SECRET),
                    () -> "fail-open: the protected content was served at " + path + ": " + abbreviate(body)));
        }
        System.out.println("PayaraFailClosedIT: misconfigured " + String.join(", ", seen));
        assertAll(checks);
    }

    @Test
    void protectedPageWhenConfiguredThenRedirectToDiscordAndServedAfterLogin() {
        underTest = configured;
        discord.addRedirectUri(CLIENT_ID, configured.url("/oauth2/callback"));
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(configured.url("/protected/"), "Accept", "text/html");
        assertEquals(302, toDiscord.statusCode(), () -> "the filter did not intercept: " + abbreviate(toDiscord.body()));
        String location = TestBrowser.location(toDiscord);
        assertTrue(location.startsWith(discord.authorizeUri() + "?"), location);
        assertEquals(CLIENT_ID, TestBrowser.query(location).get("client_id"));

        assertDefaults(sessionCookie(toDiscord), "the session the login's start creates");

        HttpResponse<String> back = browser.consent(location, NELLY, "approve");
        assertEquals(302, back.statusCode(), back.body());
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), () -> "code exchange inside Payara: " + abbreviate(callback.body()));
        assertDefaults(sessionCookie(callback), "the session id the login changed");
        assertEquals(configured.url("/protected/"), TestBrowser.location(callback));
        HttpResponse<String> page = browser.follow(callback);
        assertEquals(200, page.statusCode(), () -> abbreviate(page.body()));
        assertTrue(page.body().contains(SECRET), page.body());
        System.out.println("PayaraFailClosedIT: configured GET " + configured.context + "/protected/ -> 302 to the "
                + "emulator, login, -> 200");
    }

    /** The session cookie a response sets, or null. */
    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElse(null);
    }

    /** HttpOnly and SameSite=Lax, which Payara does not send from SessionCookieConfig: the library's fallback. */
    private static void assertDefaults(String cookie, String which) {
        assertTrue(cookie != null, which + ": no session cookie");
        String lower = cookie.toLowerCase(Locale.ROOT).replace(" ", "");
        assertTrue(lower.contains(";httponly") && lower.contains(";samesite=lax"), which + ": " + cookie);
    }

    @Test
    void deployWhenMechanismLacksHttpCoreJarsThenStoppedNamingThemAndNothingServed() {
        underTest = missingJars;
        for (String path : List.of("/protected/", "/protected/secret.txt", "/oauth2/login")) {
            HttpResponse<String> response = new TestBrowser().get(missingJars.url(path), "Accept", "text/html");
            assertTrue(response.statusCode() >= 400, () -> "fail-open: " + path + " answered "
                    + response.statusCode() + ": " + abbreviate(response.body()));
            assertFalse(response.body().contains(SECRET), path);
        }
        String log = missingJars.tail(400);
        assertTrue(log.contains("org.apache.httpcomponents.core5:httpcore5 (class")
                && log.contains("org.apache.httpcomponents.core5:httpcore5-h2 (class"), "the log names the jars: "
                + log);
        assertFalse(log.contains("NoClassDefFoundError"), "found at start-up, not at the first login");
    }

    @Test
    void deployWhenMechanismHasNoClientIdThenStoppedWithTheReasonLoggedAtDeployment() {
        underTest = noClientId;
        String log = noClientId.tail(400); // before any request
        assertTrue(log.contains("discord.client-id is missing"), "logged at deployment, before any request: " + log);
        HttpResponse<String> response = new TestBrowser().get(noClientId.url("/protected/"), "Accept", "text/html");
        assertTrue(response.statusCode() >= 400, () -> "fail-open: " + response.statusCode());
        assertFalse(response.body().contains(SECRET));
    }

    @Test
    void mechanismWhenSecretCannotBeEvaluatedThen503ForProtectedAndOwnPathsJsonForScripts() {
        underTest = configured;
        String context = "/failingsecret";
        HttpResponse<String> page = new TestBrowser().get(configured.url(context, "/protected/"),
                "Accept", "text/html");
        assertEquals(503, page.statusCode(), () -> abbreviate(page.body()));
        assertTrue(page.body().contains("not_configured") && !page.body().contains(SECRET), page.body());
        HttpResponse<String> script = new TestBrowser().get(configured.url(context, "/protected/secret.txt"),
                "Accept", "application/json", "Sec-Fetch-Mode", "cors");
        assertEquals(503, script.statusCode(), () -> abbreviate(script.body()));
        assertTrue(script.body().startsWith("{\"error\":\"not_configured\""), "the filter's JSON: " + script.body());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        for (String own : List.of("/oauth2/login", "/oauth2/callback?code=a&state=b", "/oauth2/logout")) {
            HttpResponse<String> r = new TestBrowser().get(configured.url(context, own), "Accept", "text/html");
            assertEquals(503, r.statusCode(), () -> own + " is the library's, not a 404: " + abbreviate(r.body()));
        }
        assertEquals(200, new TestBrowser().get(configured.url(context, "/index.html")).statusCode(),
                "public pages are served");
        assertTrue(configured.tail(400).contains("@DiscordAuthenticationMechanismDefinition(clientSecret = "
                + "\"${failingSettings.clientSecret}\") could not be evaluated"), "the reason, in one line");
    }

    /**
     * A WAR with the Jakarta Security mechanism: the definition's class (and its beans), a {@code beans.xml}, a
     * {@code <security-constraint>} on {@code /protected/*}, Discord's URIs as context-params, a public page.
     */
    static Path mechanismWar(Path dir, String name, List<File> libs, Class<?>... classes) {
        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>test.client-secret</param-name><param-value>%s</param-value></context-param>
                  <security-constraint>
                    <web-resource-collection><web-resource-name>members</web-resource-name><url-pattern>/protected/*</url-pattern></web-resource-collection>
                    <auth-constraint><role-name>discord-user</role-name></auth-constraint>
                  </security-constraint>
                  <security-role><role-name>discord-user</role-name></security-role>
                  <welcome-file-list><welcome-file>index.html</welcome-file></welcome-file-list>
                </web-app>
                """.formatted(discord.apiBaseUri(), discord.authorizeUri(), CLIENT_SECRET);
        WebArchive war = ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(classes)
                .setWebXML(new StringAsset(webXml))
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                        + "version=\"4.0\" bean-discovery-mode=\"annotated\"/>"), "beans.xml")
                .add(new StringAsset(SECRET + "\n"), "protected/secret.txt")
                .add(new StringAsset("<!doctype html><title>Protected</title><p>" + SECRET + "</p>\n"),
                        "protected/index.html")
                .add(new StringAsset("<!doctype html><title>Home</title><p>public</p>\n"), "index.html")
                .addAsLibraries(libs.toArray(File[]::new));
        Path file = dir.resolve(name + ".war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    private static Path input(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " not set: run through Maven failsafe");
        }
        return Path.of(value);
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    /**
     * The README's drop-in web.xml, without the emulator-only listeners; {@code clientId} null leaves the key out,
     * {@code loadOnStartup} false lets the callback servlet start on its first request.
     */
    static String webXml(String clientId, boolean loadOnStartup) {
        String id = clientId == null ? ""
                : "<context-param><param-name>discord.client-id</param-name><param-value>" + clientId
                        + "</param-value></context-param>";
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  %s
                  <context-param><param-name>discord.client-secret</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.redirect-uri</param-name><param-value>/oauth2/callback</param-value></context-param>
                  <context-param><param-name>discord.scopes</param-name><param-value>identify</param-value></context-param>
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>

                  <filter>
                    <filter-name>discord-login</filter-name>
                    <filter-class>dev.discordoauth2.servlet.DiscordLoginFilter</filter-class>
                  </filter>
                  <filter-mapping><filter-name>discord-login</filter-name><url-pattern>/protected/*</url-pattern></filter-mapping>

                  <servlet>
                    <servlet-name>discord-callback</servlet-name>
                    <servlet-class>dev.discordoauth2.servlet.DiscordCallbackServlet</servlet-class>
                    %s
                  </servlet>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/callback</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/login</url-pattern></servlet-mapping>

                  <welcome-file-list><welcome-file>index.html</welcome-file></welcome-file-list>
                </web-app>
                """.formatted(id, CLIENT_SECRET, discord.apiBaseUri(), discord.authorizeUri(),
                        loadOnStartup ? "<load-on-startup>1</load-on-startup>" : "");
    }

    /** A plain WAR: web.xml, two static protected files, the library and what Payara lacks in WEB-INF/lib. */
    static Path war(Path dir, String name, String webXml, List<File> libs) {
        WebArchive war = ShrinkWrap.create(WebArchive.class, name + ".war")
                .setWebXML(new StringAsset(webXml))
                .add(new StringAsset(SECRET + "\n"), "protected/secret.txt")
                .add(new StringAsset("<!doctype html><title>Protected</title><p>" + SECRET + "</p>\n"),
                        "protected/index.html")
                .addAsLibraries(libs.toArray(File[]::new));
        Path file = dir.resolve(name + ".war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    /** One Payara Micro process with one WAR, its console in a file next to its root directory. */
    static final class Payara {
        private static final Pattern READY = Pattern.compile("Payara Micro (\\S+) \\(build \\d+\\) ready in");

        final String context;
        final int port;
        final Path log;
        private final Path root;
        private final Process process;
        private final long started = System.nanoTime();
        double readySeconds;
        private String version = "?";

        private Payara(String context, int port, Path log, Path root, Process process) {
            this.context = context;
            this.port = port;
            this.log = log;
            this.root = root;
            this.process = process;
        }

        /** One process deploying {@code wars}; its context is the first WAR's ({@link #url(String, String)}: any). */
        static Payara start(Path payaraJar, List<Path> wars, Path dir) throws IOException {
            String name = wars.get(0).getFileName().toString().replaceFirst("\\.war$", "");
            Path root = Files.createDirectories(dir.resolve(name + "-root"));
            Path log = dir.resolve(name + ".log");
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", payaraJar.toString()));
            for (Path war : wars) {
                command.add("--deploy");
                command.add(war.toString());
            }
            command.addAll(List.of("--port", Integer.toString(port), "--nocluster", "--nohostaware",
                    "--disablephonehome", "--rootdir", root.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new Payara("/" + name, port, log, root, process);
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        String url(String path) {
            return url(context, path);
        }

        String url(String contextPath, String path) {
            return "http://127.0.0.1:" + port + contextPath + path;
        }

        String version() {
            return version;
        }

        /** Waits for "Payara Micro ... ready in", which Payara logs once the deployments have been attempted. */
        void awaitReady() {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (true) {
                Matcher ready = READY.matcher(read());
                if (ready.find()) {
                    version = ready.group(1);
                    readySeconds = (System.nanoTime() - started) / 1e9;
                    return;
                }
                if (!process.isAlive()) {
                    fail("Payara Micro for " + context + " exited with " + process.exitValue() + " before it was "
                            + "ready; log: " + log + "\n" + tail(40));
                }
                if (System.nanoTime() > deadline) {
                    fail("Payara Micro for " + context + " not ready within " + READY_TIMEOUT + "; log: " + log
                            + "\n" + tail(40));
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        private String read() {
            try {
                return Files.readString(log, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "";
            }
        }

        String tail(int lines) {
            String[] all = read().split("\r?\n");
            return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
        }

        void printTail() {
            System.out.println("---- last 40 lines of " + log + " ----\n" + tail(40) + "\n---- end of " + log.getFileName());
        }

        /** Stops the process by its pid (gracefully, then forcibly) and deletes the unpacked runtime; keeps the log. */
        void stop() {
            try {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.out.println("PayaraFailClosedIT: could not delete " + root + ": " + e);
            }
        }
    }
}
