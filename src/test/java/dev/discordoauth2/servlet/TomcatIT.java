package dev.discordoauth2.servlet;

import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.RecordedRequest;
import dev.discordoauth2.servlet.app.TestClockListener;
import jakarta.enterprise.inject.spi.BeanManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login of {@link DiscordLoginIT} on embedded Tomcat 10.1 with Weld, under the context path {@code /app}: a
 * directory laid out like an unpacked WAR, deployed with {@code Tomcat.addWebapp} as Tomcat deploys one from
 * {@code webapps/}. Its {@code WEB-INF/web.xml} is the README's drop-in (the library registered only there, its
 * configuration as context-params pointing at the emulator, no {@code <session-config>}: the library's cookie
 * defaults are under test), {@code WEB-INF/lib} holds the library jar built by {@code package}, and
 * {@code WEB-INF/classes} the test app's classes.
 *
 * <p>The library is kept off the web app class loader's parent (which is the test's class path): a filtering loader
 * hides its location there ({@code target/classes}, or the packaged jar that Failsafe puts on the class path instead), so that the filter, servlets, {@link DiscordInitializer} (a
 * {@code ServletContainerInitializer} Tomcat must find through the WAR's {@code META-INF/services}) and the CDI beans
 * (the jar's {@code META-INF/beans.xml}) come from {@code WEB-INF/lib} only, as in a real WAR; the test checks it.
 * Weld, Jersey and Yasson stay on the parent, like jars in Tomcat's {@code lib/} (a WAR would carry
 * {@code weld-servlet-shaded} and the library's dependencies in {@code WEB-INF/lib}): Weld's listener in web.xml finds
 * Tomcat and installs its {@code WeldForwardingInstanceManager}, which injects servlets.
 *
 * <p>One Tomcat for the class, on a free port, started in {@code @BeforeAll} and stopped in {@code @AfterAll}; Tomcat's
 * base and the WAR directory go to {@code target/tomcat}. Needs the library jar ({@code mvn verify}: Failsafe runs
 * after {@code package}).
 */
class TomcatIT {
    static final String CLIENT_ID = "100000000000000003";
    static final String SECRET = "tomcat-it-secret";
    static final String NELLY = "80351110224678912";
    static final String CONTEXT_PATH = "/app";

    private static DiscordEmulator discord;
    private static Tomcat tomcat;
    private static Context context;
    /** The ROOT context: no Weld (one Weld per JVM class path), sessions tracked by URL too, as the app chose. */
    private static Context root;
    /** A context whose class path lacks HttpCore 5 (as a Payara WAR once did): its start must fail. */
    private static Context noJars;
    private static Tomcat noJarsTomcat;
    private static String base;
    private static String rootBase;
    private static long started;
    /** What the library logged while Tomcat started the contexts. */
    private static final List<java.util.logging.LogRecord> STARTUP_LOG =
            Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startTomcat() throws Exception {
        started = System.nanoTime();
        Path library = Path.of(System.getProperty("tomcat.library.jar", "target/library-jar-not-set.jar"));
        assertTrue(Files.isRegularFile(library), "library jar missing (run in 'verify', after 'package'): " + library);
        Path work = Files.createDirectories(Path.of(System.getProperty("tomcat.work", "target/tomcat")));
        Path run = Files.createTempDirectory(work, "run-");

        discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(CLIENT_ID).name("Tomcat IT App").clientSecret(SECRET)
                        .redirectUri("http://127.0.0.1/placeholder").build())
                .start();
        System.getProperties().put(TestClockListener.PROPERTY, discord.clock());

        Path war = run.resolve("app");
        copyWar(library, war, WebApps.webXml(discord, CLIENT_ID, SECRET, "identify email"));
        Files.writeString(war.resolve("WEB-INF/beans.xml"), "<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                + "version=\"4.0\" bean-discovery-mode=\"annotated\"/>", StandardCharsets.UTF_8);

        tomcat = new Tomcat();
        tomcat.setBaseDir(run.resolve("base").toString());
        tomcat.setPort(0);
        tomcat.getConnector(); // creates the HTTP connector on port 0
        URL libraryLocation = DiscordEmulator.class.getProtectionDomain().getCodeSource().getLocation();
        context = deploy(CONTEXT_PATH, war, new WithoutLibrary(TomcatIT.class.getClassLoader(), libraryLocation));
        Path rootWar = run.resolve("ROOT");
        // the application keeps Tomcat's own session defaults (cookie and URL tracking): the front doors' refusal of a
        // session named in the URL is all that stands between a link and a login as someone else
        copyWar(library, rootWar, plainWebXml("<context-param><param-name>" + DiscordConfig.SESSION_COOKIE_DEFAULTS
                + "</param-name><param-value>false</param-value></context-param>"
                // the README's warning: the container checks this before any filter runs
                + "<security-constraint><web-resource-collection><web-resource-name>c</web-resource-name>"
                + "<url-pattern>/constrained/*</url-pattern></web-resource-collection>"
                + "<auth-constraint><role-name>discord-user</role-name></auth-constraint></security-constraint>"
                + "<security-role><role-name>discord-user</role-name></security-role>"));
        root = deployWithoutCdi("", rootWar, new WithoutLibrary(TomcatIT.class.getClassLoader(), libraryLocation));
        LogCapture capture = LogCapture.start();
        try {
            tomcat.start();
            // a Tomcat of its own (a failing context makes Tomcat's start fail as well), its start meant to fail
            Path noJarsWar = run.resolve("nojars");
            copyWar(library, noJarsWar, plainWebXml(""));
            noJarsTomcat = new Tomcat();
            noJarsTomcat.setBaseDir(run.resolve("base-nojars").toString());
            noJarsTomcat.setPort(0);
            noJarsTomcat.getConnector();
            noJars = deployWithoutCdi(noJarsTomcat, "/nojars", noJarsWar, new WithoutLibrary(
                    TomcatIT.class.getClassLoader(), libraryLocation, "org.apache.hc.core5."));
            try {
                noJarsTomcat.start();
            } catch (org.apache.catalina.LifecycleException expected) {
                // the context failed, so did Tomcat's start: asserted by the test
            }
        } finally {
            capture.close();
            STARTUP_LOG.addAll(capture.records());
        }
        assertEquals(LifecycleState.STARTED, context.getState(), "the web app did not start: see the log above");
        assertEquals(LifecycleState.STARTED, root.getState(), "the ROOT web app did not start: see the log above");
        base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + CONTEXT_PATH;
        rootBase = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
        String major = System.getProperty("tomcat.expected.major");
        if (major != null) { // the tomcat11 execution: Tomcat 11 instead of 10.1 on the class path
            assertEquals(major, ServerInfo.getServerNumber().substring(0, ServerInfo.getServerNumber().indexOf('.')),
                    ServerInfo.getServerInfo());
        }
        System.out.printf(Locale.ROOT, "TomcatIT: Tomcat %s serving %s, started in %.1f s%n",
                ServerInfo.getServerNumber(), base, (System.nanoTime() - started) / 1e9);
    }

    /** A context for {@code war} with Tomcat's defaults but JSP, the given parent class loader, no class path scan. */
    private static Context deploy(String path, Path war, ClassLoader parent) {
        return deploy(tomcat, path, war, parent, "^org\\.eclipse\\.jetty\\.");
    }

    /** The same without Weld: one Weld per class path, and it serves {@code /app}. */
    private static Context deployWithoutCdi(String path, Path war, ClassLoader parent) {
        return deployWithoutCdi(tomcat, path, war, parent);
    }

    static Context deployWithoutCdi(Tomcat into, String path, Path war, ClassLoader parent) {
        return deploy(into, path, war, parent, "^org\\.eclipse\\.jetty\\.|^org\\.jboss\\.weld\\.");
    }

    private static Context deploy(Tomcat into, String path, Path war, ClassLoader parent, String skippedInitializers) {
        Context deployed = into.addWebapp(path, war.toAbsolutePath().toString());
        // addWebapp applies the defaults of conf/web.xml (default servlet, JSP servlet, MIME types); Jasper is not on
        // the class path (the app has no JSP), so the JSP servlet would only log a failed load
        deployed.addLifecycleListener(event -> {
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType()) && deployed.findChild("jsp") != null) {
                deployed.removeServletMapping("*.jsp");
                deployed.removeServletMapping("*.jspx");
                deployed.removeChild(deployed.findChild("jsp"));
            }
        });
        deployed.setParentClassLoader(parent);
        // a real Tomcat's class path holds only Tomcat: do not scan the test's (Maven's) class path for fragments
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        deployed.setJarScanner(scanner);
        // nor run the ServletContainerInitializers of the Jetty jars that are on it for the other tests
        deployed.setContainerSciFilter(skippedInitializers);
        // leak detection on stop needs --add-opens; its warnings would only be noise here
        StandardContext standard = (StandardContext) deployed;
        try {
            standard.setClearReferencesObjectStreamClassCaches(false);
        } catch (NoSuchMethodError tomcat11) {
            // Tomcat 11 (the tomcat11 execution) no longer clears these caches at all
        }
        standard.setClearReferencesThreadLocals(false);
        try {
            standard.setClearReferencesRmiTargets(false);
        } catch (NoSuchMethodError tomcat11) {
            // likewise
        }
        return deployed;
    }

    /** An unpacked WAR: {@code webXml}, the library jar in WEB-INF/lib, the test app's classes. */
    static void copyWar(Path library, Path war, String webXml) throws Exception {
        Path webInf = Files.createDirectories(war.resolve("WEB-INF"));
        Files.writeString(webInf.resolve("web.xml"), webXml, StandardCharsets.UTF_8);
        Files.copy(library, Files.createDirectories(webInf.resolve("lib")).resolve(library.getFileName()));
        Path appClasses = location(TestClockListener.class).resolve("dev/discordoauth2/servlet/app");
        Path target = Files.createDirectories(webInf.resolve("classes/dev/discordoauth2/servlet/app"));
        try (Stream<Path> classes = Files.list(appClasses)) {
            for (Path c : (Iterable<Path>) classes::iterator) {
                Files.copy(c, target.resolve(c.getFileName()));
            }
        }
    }

    /** The README's drop-in without CDI (one Weld per class path serves {@code /app}), plus {@code extra}. */
    private static String plainWebXml(String extra) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <listener><listener-class>dev.discordoauth2.servlet.app.TestClockListener</listener-class></listener>
                  <context-param><param-name>discord.client-id</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.client-secret</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.redirect-uri</param-name><param-value>/oauth2/callback</param-value></context-param>
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>
                  %s
                  <filter><filter-name>discord-login</filter-name><filter-class>dev.discordoauth2.servlet.DiscordLoginFilter</filter-class></filter>
                  <filter-mapping><filter-name>discord-login</filter-name><url-pattern>/protected/*</url-pattern></filter-mapping>
                  <filter-mapping><filter-name>discord-login</filter-name><url-pattern>/constrained/*</url-pattern></filter-mapping>
                  <servlet><servlet-name>discord-callback</servlet-name><servlet-class>dev.discordoauth2.servlet.DiscordCallbackServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/callback</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/login</url-pattern></servlet-mapping>
                  <servlet><servlet-name>profile</servlet-name><servlet-class>dev.discordoauth2.servlet.app.ProfileServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>profile</servlet-name><url-pattern>/protected/me</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>profile</servlet-name><url-pattern>/constrained/me</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(CLIENT_ID, SECRET, discord.apiBaseUri(), discord.authorizeUri(), extra);
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        try {
            if (noJarsTomcat != null) {
                noJarsTomcat.stop();
                noJarsTomcat.destroy();
            }
            if (tomcat != null) {
                tomcat.stop();
                // the application's end must end the library's threads (Tomcat warns of a leak otherwise): the web
                // components' and the CDI producer's holds on the shared runtime are all given back
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (!libraryThreads().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(List.of(), libraryThreads(), "the library's threads outlived the application");
                tomcat.destroy();
            }
        } finally {
            if (discord != null) {
                discord.close();
            }
            System.getProperties().remove(TestClockListener.PROPERTY);
            System.out.printf(Locale.ROOT, "TomcatIT: %.1f s from start to stop%n", (System.nanoTime() - started) / 1e9);
        }
    }

    @BeforeEach
    void registerRedirect() {
        discord.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        discord.addRedirectUri(CLIENT_ID, rootBase + "/oauth2/callback");
        discord.clearJournal();
    }

    private static String url(String path) {
        return base + path;
    }

    private static List<String> libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("discord-oauth2-")).sorted().toList();
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Follows the login from a protected page to the protected page again. */
    private static HttpResponse<String> login(TestBrowser browser, String path) {
        HttpResponse<String> toDiscord = browser.get(url(path));
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), NELLY, "approve");
        assertEquals(302, back.statusCode(), back.body());
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), callback.body());
        return browser.follow(callback);
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie in " + response.headers()));
    }

    private static void assertHardened(String setCookie) {
        String lower = setCookie.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("; httponly"), setCookie);
        assertTrue(lower.contains("; samesite=lax"), setCookie);
        assertTrue(setCookie.contains("; Path=" + CONTEXT_PATH), setCookie);
        assertFalse(lower.contains("; secure"), "http redirect URI: no Secure flag " + setCookie);
    }

    @Test
    void libraryWhenInWebInfLibThenLoadedFromThereAndItsInitializerRan() throws Exception {
        ClassLoader webapp = context.getLoader().getClassLoader();
        for (String name : List.of(DiscordLoginFilter.class.getName(), DiscordInitializer.class.getName(),
                "dev.discordoauth2.cdi.DiscordProducer")) {
            CodeSource source = webapp.loadClass(name).getProtectionDomain().getCodeSource();
            assertTrue(source.getLocation().toString().contains("/WEB-INF/lib/"), name + " from " + source);
        }
        List<URL> beansXml = Collections.list(webapp.getResources("META-INF/beans.xml"));
        assertEquals(1, beansXml.stream().filter(u -> u.toString().contains("/WEB-INF/lib/")).count(), beansXml.toString());
        assertEquals(1, beansXml.size(), "the library's beans.xml once, from WEB-INF/lib: " + beansXml);
        var cookie = context.getServletContext().getSessionCookieConfig();
        assertTrue(cookie.isHttpOnly(), "DiscordInitializer set HttpOnly");
        assertEquals("Lax", cookie.getAttribute("SameSite"), "DiscordInitializer set SameSite");
    }

    @Test
    void securityApiWhenAbsentThenLibraryAndItsCdiExtensionLoadWithoutIt() throws Exception {
        ClassLoader webapp = context.getLoader().getClassLoader();
        assertThrows(ClassNotFoundException.class, () -> webapp.loadClass(
                "jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism"));
        Class<?> extension = webapp.loadClass("dev.discordoauth2.servlet.DiscordSecurityExtension");
        assertTrue(extension.getProtectionDomain().getCodeSource().getLocation().toString().contains("/WEB-INF/lib/"));
        BeanManager beans = (BeanManager) context.getServletContext().getAttribute(
                org.jboss.weld.environment.servlet.WeldServletLifecycle.BEAN_MANAGER_ATTRIBUTE_NAME);
        assertNotNull(beans, "Weld's bean manager");
        assertNotNull(beans.getExtension(extension.asSubclass(jakarta.enterprise.inject.spi.Extension.class)),
                "Weld loaded the extension from the jar's META-INF/services");
        assertEquals(1, beans.getBeans(webapp.loadClass(DiscordConfig.class.getName())).size(),
                "no definition: the producer's configuration only");
    }

    @Test
    void loginWhenApprovedThenPrincipalSessionIdChangedAndCookieHardened() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/protected/me?tab=guilds"));
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        String location = TestBrowser.location(toDiscord);
        assertTrue(location.startsWith(discord.authorizeUri() + "?"), location);
        Map<String, String> q = TestBrowser.query(location);
        assertEquals(CLIENT_ID, q.get("client_id"));
        assertEquals(url("/oauth2/callback"), q.get("redirect_uri"), "under the context path");
        assertTrue(q.get("state").length() >= 43, q.get("state"));
        assertEquals("S256", q.get("code_challenge_method"));
        assertEquals(43, q.get("code_challenge").length());
        assertHardened(sessionCookie(toDiscord));
        String sessionBefore = browser.cookie("JSESSIONID").orElse(null);
        assertNotNull(sessionBefore);

        HttpResponse<String> back = browser.consent(location, NELLY, "approve");
        assertEquals(302, back.statusCode(), back.body());
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), callback.body());
        assertEquals(url("/protected/me?tab=guilds"), callback.headers().firstValue("Location").orElseThrow(),
                "an absolute URL back where the user started");
        assertHardened(sessionCookie(callback));
        assertNotEquals(sessionBefore, browser.cookie("JSESSIONID").orElse(null), "session id changed at login");

        HttpResponse<String> page = browser.follow(callback);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().startsWith("user=" + NELLY + " principal=" + NELLY + " type=DISCORD discord-user=true"
                + " admin=true session=" + browser.cookie("JSESSIONID").orElse(null)), page.body());
        RecordedRequest exchange = discord.journal("POST /oauth2/token").get(0);
        assertTrue(exchange.formParam("code_verifier").isPresent(), "PKCE verifier sent");
        assertEquals(url("/oauth2/callback"), exchange.formParam("redirect_uri").orElseThrow());
    }

    @Test
    void protectedApiWhenAnonymousThen401WithLoginUrlUnderContextPath() {
        HttpResponse<String> r = new TestBrowser().get(url("/api/me"), "Accept", "application/json");
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"login_url\":\"" + CONTEXT_PATH + "/oauth2/login?return="), r.body());
    }

    @Test
    void cdiWhenServletInjectsClientAndIdentityThenBothWork() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> anonymous = browser.get(url("/cdi"));
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertEquals("client=" + CLIENT_ID + " api=" + discord.apiBaseUri()
                + " user=anonymous me=none offline=false",
                anonymous.body());
        assertEquals(200, login(browser, "/protected/me").statusCode());
        HttpResponse<String> loggedIn = browser.get(url("/cdi"));
        assertEquals("client=" + CLIENT_ID + " api=" + discord.apiBaseUri() + " user=nelly me=" + NELLY
                + " offline=false",
                loggedIn.body());
    }

    @Test
    void logoutWhenPostedFromOwnOriginThenRevokedAndSessionEnded() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        HttpResponse<String> logout = browser.post(url("/oauth2/logout"), "", "Origin", "http://127.0.0.1:"
                + tomcat.getConnector().getLocalPort());
        assertEquals(303, logout.statusCode(), logout.body());
        assertEquals(url("/"), logout.headers().firstValue("Location").orElseThrow());
        assertEquals(1, discord.journal("POST /oauth2/token/revoke").size());
        assertFalse(discord.isAuthorized(CLIENT_ID, NELLY));
        HttpResponse<String> again = browser.get(url("/protected/me"));
        assertEquals(302, again.statusCode(), "session ended");
        assertTrue(TestBrowser.location(again).startsWith(discord.authorizeUri().toString()));
    }

    @Test
    void logoutWhenCrossSiteThen403AndStillLoggedIn() {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/protected/me").statusCode());
        HttpResponse<String> logout = browser.post(url("/oauth2/logout"), "", "Origin", "https://evil.example");
        assertEquals(403, logout.statusCode(), logout.body());
        assertEquals(0, discord.journal("POST /oauth2/token/revoke").size(), "nothing revoked");
        assertEquals(200, browser.get(url("/protected/me")).statusCode(), "still logged in");
    }

    @Test
    void loginPathWhenReturnIsHostileThenStaysOnTheApplicationsOrigin() {
        String hostile = "/oauth2/login?return=%2F.%2F%2Fevil.example";
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> start = browser.get(url(hostile));
        assertEquals(302, start.statusCode(), start.body());
        HttpResponse<String> callback = browser.follow(browser.consent(TestBrowser.location(start), NELLY, "approve"));
        assertEquals(302, callback.statusCode(), callback.body());
        assertEquals(url("/"), callback.headers().firstValue("Location").orElseThrow(), "discord.after-login-uri");
        HttpResponse<String> loggedIn = browser.get(url(hostile));
        assertEquals(302, loggedIn.statusCode(), loggedIn.body());
        assertEquals(url("/"), loggedIn.headers().firstValue("Location").orElseThrow(), "logged in: at once");
    }

    @Test
    void deployWhenHttpCoreMissingThenContextStoppedNamingTheJar() {
        assertEquals(LifecycleState.FAILED, noJars.getState(), "the initializer stops the deployment");
        List<String> errors = STARTUP_LOG.stream().filter(r -> r.getLevel() == java.util.logging.Level.SEVERE)
                .map(java.util.logging.LogRecord::getMessage).filter(m -> m.contains("cannot run")).toList();
        assertEquals(1, errors.size(), "one line: " + errors + " of " + STARTUP_LOG.stream()
                .map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()).toList());
        assertTrue(errors.get(0).contains("org.apache.httpcomponents.core5:httpcore5 (class")
                && errors.get(0).contains("org.apache.httpcomponents.core5:httpcore5-h2 (class"), errors.get(0));
    }

    @Test
    void callbackWhenDefaultTrackingAndSessionNamedInUrlThenUrlIdIgnoredAndNobodyLoggedInAsItsOwner() {
        assertEquals(java.util.Set.of(jakarta.servlet.SessionTrackingMode.COOKIE),
                context.getServletContext().getEffectiveSessionTrackingModes(), "the library's default: cookie only");
        TestBrowser attacker = new TestBrowser();
        HttpResponse<String> back = attacker.consent(TestBrowser.location(attacker.get(url("/protected/me"))), NELLY,
                "approve");
        String lure = TestBrowser.location(back).replace("/oauth2/callback?", "/oauth2/callback;jsessionid="
                + attacker.cookie("JSESSIONID").orElse(null) + "?");
        TestBrowser victim = new TestBrowser();
        HttpResponse<String> page = victim.get(lure);
        assertEquals(400, page.statusCode(), "the link's session is not used: " + page.body());
        assertEquals(302, victim.get(url("/protected/me")).statusCode(), "the victim is not logged in");
        assertEquals(0, discord.journal("POST /oauth2/token").size());
    }

    @Test
    void callbackWhenContainerTracksByUrlAndSessionNamedInUrlThen400SessionInUrl() {
        assertTrue(root.getServletContext().getEffectiveSessionTrackingModes().contains(
                jakarta.servlet.SessionTrackingMode.URL), "discord.session-cookie-defaults=false: Tomcat's own");
        TestBrowser attacker = new TestBrowser();
        HttpResponse<String> back = attacker.consent(TestBrowser.location(attacker.get(rootBase + "/protected/me")),
                NELLY, "approve");
        String lure = TestBrowser.location(back).replace("/oauth2/callback?", "/oauth2/callback;jsessionid="
                + attacker.cookie("JSESSIONID").orElse(null) + "?");
        TestBrowser victim = new TestBrowser();
        HttpResponse<String> page = victim.get(lure);
        assertEquals(400, page.statusCode(), "login CSRF: " + page.body());
        assertTrue(page.body().contains("session_in_url"), page.body());
        assertEquals(302, victim.get(rootBase + "/protected/me").statusCode(), "the victim is not logged in");
        assertEquals(0, discord.journal("POST /oauth2/token").size(), "no code exchanged for the lure");
        HttpResponse<String> owner = attacker.get(TestBrowser.location(back));
        assertEquals(302, owner.statusCode(), "the attacker's own browser still completes its login: " + owner.body());
    }

    @Test
    void stateRetryWhenPathSpelledToLeaveTheApplicationThenRefreshAndLinkStayOnItsOrigin() {
        TestBrowser browser = new TestBrowser();
        browser.get(rootBase + "/protected/me"); // a session, so the unknown state gets the one retry
        HttpResponse<String> page = browser.get(rootBase + "//evil.example/..;/oauth2/callback?code=abc&state=forged");
        assertEquals(503, page.statusCode(), "served by the callback servlet: " + page.body());
        String own = rootBase + "/oauth2/callback?code=abc&state=forged";
        assertEquals("1; url=" + own, page.headers().firstValue("Refresh").orElse(null));
        assertTrue(page.body().contains("href=\"" + own.replace("&", "&amp;") + "\""), page.body());
        assertFalse(page.body().contains("evil.example"), page.body());
        assertEquals(400, browser.get(own).statusCode(), "the reload is the one retry");
    }

    @Test
    void securityConstraintWhenOnAFilteredPathThenContainerRefusesEvenALoggedInUser() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(rootBase + "/protected/me");
        HttpResponse<String> callback = browser.follow(browser.consent(TestBrowser.location(toDiscord), NELLY,
                "approve"));
        assertEquals(302, callback.statusCode(), callback.body());
        assertEquals(200, browser.get(rootBase + "/protected/me").statusCode(), "logged in through the filter");
        HttpResponse<String> constrained = browser.get(rootBase + "/constrained/me");
        assertEquals(403, constrained.statusCode(), "as the README says: the container checks the constraint before "
                + "the filter runs, so a <security-constraint> refuses everyone: " + constrained.body());
    }

    /**
     * The test's class loader without {@code target/classes}: classes and resources (the library's
     * {@code META-INF/services} and {@code beans.xml}) found there are hidden, everything else is delegated.
     */
    static final class WithoutLibrary extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final String hidden;

        /** Packages (prefixes) hidden as well: a jar missing from the application's class path. */
        private final List<String> hiddenPackages;

        /** {@code hidden}: the location as the parent reports it ({@code file:/...}, not {@code file:///...}). */
        WithoutLibrary(ClassLoader parent, URL hidden, String... hiddenPackages) {
            super(parent);
            this.hidden = hidden.toString();
            this.hiddenPackages = List.of(hiddenPackages);
        }

        /** Whether {@code url} is the library's location or inside it (a directory, or under Failsafe its jar). */
        private boolean hidden(URL url) {
            return url != null && (url.toString().startsWith(hidden) || url.toString().startsWith("jar:" + hidden
                    + "!/"));
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("jakarta.security.enterprise.")) {
                // Tomcat has no Jakarta Security: the library must load and run without it
                throw new ClassNotFoundException(name + " (Tomcat has no Jakarta Security)");
            }
            for (String prefix : hiddenPackages) {
                if (name.startsWith(prefix)) {
                    throw new ClassNotFoundException(name + " (not in this application's class path)");
                }
            }
            Class<?> type = getParent().loadClass(name);
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source != null && hidden(source.getLocation())) {
                throw new ClassNotFoundException(name + " (the library comes from WEB-INF/lib only)");
            }
            return type;
        }

        @Override
        public URL getResource(String name) {
            Enumeration<URL> all = getResources(name);
            return all.hasMoreElements() ? all.nextElement() : null;
        }

        @Override
        public Enumeration<URL> getResources(String name) {
            try {
                List<URL> visible = new ArrayList<>();
                for (URL url : Collections.list(getParent().getResources(name))) {
                    if (!hidden(url)) {
                        visible.add(url);
                    }
                }
                return Collections.enumeration(visible);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
