package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.testkit.TestBrowser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The library on WildFly 39 (the distribution from Maven Central, Jakarta EE 10 full), started by the test as its own
 * process: {@code standalone.sh} with a server base directory of its own (a copy of the distribution's
 * {@code standalone/}, the distribution left untouched) and a port offset whose ports are free. Two exploded WARs,
 * each with the library jar and the jars WildFly lacks in {@code WEB-INF/lib} (Jersey's client, the Apache 5
 * connector, HttpClient 5, SLF4J) and nothing WildFly-specific: WildFly's own JAX-RS (RESTEasy) stays in the
 * application's class path, and the library still builds Jersey's client (it once took RESTEasy's from
 * {@code ClientBuilder}'s look-up, and the login failed at the callback):
 * <ul>
 *   <li>{@code plain}: the README's web.xml drop-in (filter and callback servlet) protecting {@code /protected/*};</li>
 *   <li>{@code jsec}: the Jakarta Security mechanism ({@code @DiscordAuthenticationMechanismDefinition}, no library
 *       component), a {@code <security-constraint>}, {@code @ServletSecurity} servlets and an EJB with
 *       {@code @RolesAllowed}; WildFly's one setting for an application's own mechanism,
 *       {@code integrated-jaspi="false"} on undertow's {@code other} application security domain, is made in the
 *       copied {@code standalone.xml}.</li>
 * </ul>
 * The emulator runs in this JVM and approves the login itself. Without the distribution (the build unpacks it with
 * {@code -Dservers=all}) the class skips, except when {@code CI=true}. WildFly's console goes to the base directory's
 * {@code console.log}. The checks are {@link TwoWarsSuite}'s, but for the 401's JSON body, which WildFly replaces.
 */
class WildFlyIT extends TwoWarsSuite {
    static final String CLIENT_ID = "100000000000000005"; // SecuredApplication's
    static final String SECRET = "wildfly-it-secret";
    static final String NELLY = "80351110224678912";

    private static Path baseDir;

    @BeforeAll
    static void startWildFly() throws Exception {
        long started = System.nanoTime();
        Path home = Path.of(System.getProperty("wildfly.home", "wildfly.home-not-set"));
        skipUnless(Files.isRegularFile(home.resolve("bin/standalone.sh")), "WildFlyIT skipped: no WildFly "
                + "distribution at " + home + " (the build unpacks it with -Dservers=all)");
        emulator("WildFly IT");

        Path work = Files.createDirectories(home.getParent().resolve("work"));
        baseDir = Files.createTempDirectory(work, "base-");
        copyTree(home.resolve("standalone"), baseDir);
        Path config = baseDir.resolve("configuration/standalone.xml");
        String xml = Files.readString(config);
        String undertow = "<subsystem xmlns=\"urn:jboss:domain:undertow:";
        int at = xml.indexOf(undertow);
        int domain = xml.indexOf("<application-security-domain name=\"other\" security-domain=\"ApplicationDomain\"/>",
                at);
        assertTrue(at > 0 && domain > at, "undertow's 'other' application security domain in " + config);
        xml = xml.substring(0, domain) + "<application-security-domain name=\"other\" security-domain="
                + "\"ApplicationDomain\" integrated-jaspi=\"false\"/>" + xml.substring(xml.indexOf("/>", domain) + 2);
        Files.writeString(config, xml);

        int offset = freeOffset();
        Path deployments = baseDir.resolve("deployments");
        wars(deployments, Path.of(System.getProperty("wildfly.webinf.lib", "wildfly.webinf.lib-not-set")),
                8080 + offset);

        ProcessBuilder start = new ProcessBuilder("bash", home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + baseDir, "-Djboss.socket.binding.port-offset=" + offset,
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(baseDir.resolve("console.log").toFile());
        start.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        start.environment().put("JBOSS_PIDFILE", baseDir.resolve("java.pid").toString());
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        server = start.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        for (String war : List.of("plain.war", "jsec.war")) {
            while (!Files.exists(deployments.resolve(war + ".deployed"))) {
                if (Files.exists(deployments.resolve(war + ".failed"))) {
                    fail(war + " failed to deploy: " + Files.readString(deployments.resolve(war + ".failed"))
                            + "\n" + tail(baseDir.resolve("console.log")));
                }
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    fail("WildFly did not deploy " + war + ":\n" + tail(baseDir.resolve("console.log")));
                }
                Thread.sleep(200);
            }
        }
        System.out.printf(Locale.ROOT, "WildFlyIT: WildFly at %s (port offset %d), both WARs deployed in %.1f s%n",
                root, offset, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Stops WildFly's JVM by the id its {@code standalone.sh} wrote (asked to shut down, which takes it a moment;
     * killed after a minute), then the script that started it.
     */
    @AfterAll
    static void stopWildFlyJvm() throws Exception {
        Path pid = baseDir == null ? null : baseDir.resolve("java.pid");
        if (pid != null && Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(java -> {
                java.destroy();
                try {
                    java.onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    java.destroyForcibly();
                }
            });
        }
        if (server != null) {
            server.destroyForcibly(); // the script only waits for the JVM (it lingers half a minute on a SIGTERM)
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A port offset whose HTTP, HTTPS, management and transaction ports are all free on the loopback address. */
    private static int freeOffset() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int http;
            try (ServerSocket socket = new ServerSocket(0)) {
                http = socket.getLocalPort();
            }
            int offset = http - 8080;
            if (offset <= 0 || 9993 + offset > 65535) {
                continue;
            }
            boolean free = true;
            for (int port : new int[] {8080, 8443, 9990, 9993, 4712, 4713, 8009}) {
                try (ServerSocket socket = new ServerSocket(port + offset)) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return offset;
            }
        }
        throw new IOException("no free port offset for WildFly");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /**
     * An exploded WAR with a {@code .dodeploy} marker (WildFly's; other servers ignore it): web.xml, the jars, one
     * package of the test app's classes. Shared with {@link GlassFishIT}.
     */
    static void war(Path war, Path library, Path webInfLib, String webXml, String appPackage)
            throws Exception {
        Path webInf = Files.createDirectories(war.resolve("WEB-INF"));
        Files.writeString(webInf.resolve("web.xml"), webXml, StandardCharsets.UTF_8);
        Files.writeString(webInf.resolve("beans.xml"), "<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                + "version=\"4.0\" bean-discovery-mode=\"annotated\"/>", StandardCharsets.UTF_8);
        Path lib = Files.createDirectories(webInf.resolve("lib"));
        Files.copy(library, lib.resolve(library.getFileName()));
        try (Stream<Path> jars = Files.list(webInfLib)) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        Path classes = Path.of(WildFlyIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(appPackage);
        Path target = Files.createDirectories(webInf.resolve("classes").resolve(appPackage));
        try (Stream<Path> files = Files.list(classes)) {
            for (Path c : (Iterable<Path>) files::iterator) {
                Files.copy(c, target.resolve(c.getFileName()));
            }
        }
        Files.createDirectories(war.resolve("protected"));
        Files.writeString(war.getParent().resolve(war.getFileName() + ".dodeploy"), "");
    }

    static String plainWebXml() {
        return plainWebXml(discord);
    }

    /** The README's web.xml drop-in against {@code discord}, protecting {@code /protected/*}. */
    static String plainWebXml(DiscordEmulator discord) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <context-param><param-name>discord.client-id</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.client-secret</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.redirect-uri</param-name><param-value>/oauth2/callback</param-value></context-param>
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>
                  <filter><filter-name>discord-login</filter-name><filter-class>dev.discordoauth2.servlet.DiscordLoginFilter</filter-class></filter>
                  <filter-mapping><filter-name>discord-login</filter-name><url-pattern>/protected/*</url-pattern></filter-mapping>
                  <servlet><servlet-name>discord-callback</servlet-name><servlet-class>dev.discordoauth2.servlet.DiscordCallbackServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/callback</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/login</url-pattern></servlet-mapping>
                  <servlet><servlet-name>who</servlet-name><servlet-class>dev.discordoauth2.servlet.app.WhoServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>who</servlet-name><url-pattern>/protected/who</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(CLIENT_ID, SECRET, discord.apiBaseUri(), discord.authorizeUri());
    }

    static String mechanismWebXml() {
        return mechanismWebXml(discord);
    }

    /** The mechanism WAR's web.xml against {@code discord}: its URIs and secret, the constraint, the roles. */
    static String mechanismWebXml(DiscordEmulator discord) {
        return """
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
                  <security-role><role-name>discord-verified</role-name></security-role>
                  <security-role><role-name>admin</role-name></security-role>
                  <security-role><role-name>moderator</role-name></security-role>
                </web-app>
                """.formatted(discord.apiBaseUri(), discord.authorizeUri(), SECRET);
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no console log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Logs in from {@code url} (Discord approves by itself): the page's answer after the login. */
    static HttpResponse<String> login(TestBrowser browser, DiscordEmulator discord, String url) {
        HttpResponse<String> toDiscord = browser.get(url);
        assertEquals(302, toDiscord.statusCode(), toDiscord::body);
        assertTrue(TestBrowser.location(toDiscord).startsWith(discord.authorizeUri() + "?"),
                TestBrowser.location(toDiscord));
        return browser.followRedirects(toDiscord);
    }

    /** The mechanism WAR's {@code /me} page: the container's caller, groups, auth type and CDI are Nelly's login. */
    static void assertCallerIsNelly(HttpResponse<String> me) {
        assertEquals(200, me.statusCode(), me::body);
        String body = me.body();
        for (String line : List.of("remoteUser=" + NELLY, "authType=DISCORD", "caller=" + NELLY,
                "principalType=DiscordPrincipal", "role.discord-user=true/true", "role.admin=true/true",
                "role.moderator=false/false", "identity=nelly", "me=" + NELLY)) {
            assertTrue(body.contains(line + "\n"), line + " in " + body);
        }
    }

    /** WildFly answers a mechanism's failure with an error page of its own: the library's JSON body is replaced. */
    @Override
    boolean keepsJsonBody() {
        return false;
    }
}
