package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.testkit.TestBrowser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.FileAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Jakarta Security 4 on Payara Micro 7: the Discord mechanism next to a second mechanism in one application, behind
 * the application's {@code HttpAuthenticationMechanismHandler}. The application is the README's two classes
 * ({@code Logins}: the Discord mechanism with its default qualifier and
 * {@code @BasicAuthenticationMechanismDefinition(qualifiers = ApiMechanism.class)}; {@code PathHandler}: both injected
 * by qualifier, {@code /api/*} to BASIC, everything else to Discord), taken from README.md as they are written there,
 * and the sources in {@code src/test/ee11} (the qualifier, an identity store for one script account, two servlets),
 * all compiled here against the Jakarta Security 4.0 API, which the library does not build against. Runs in the
 * {@code payara7-arquillian} Failsafe execution; in Payara 6's (Jakarta Security 3, no handlers) it is skipped, saying
 * why.
 */
@RunAsClient
@ExtendWith(MechanismSuite.PayaraPresent.class)
@ExtendWith(JakartaSecurityPayaraHandlerIT.SecurityFour.class)
@ExtendWith(ArquillianExtension.class)
class JakartaSecurityPayaraHandlerIT {
    private static final String ROBOT = "Basic " + Base64.getEncoder().encodeToString(
            "robot:robot-secret".getBytes(StandardCharsets.UTF_8));

    private static DiscordEmulator discord;

    @ArquillianResource
    URL base;

    /** Skips the class on a Payara without Jakarta Security 4. */
    static final class SecurityFour implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return "7".equals(System.getProperty("payara.expected.major"))
                    ? ConditionEvaluationResult.enabled("Payara Micro 7, Jakarta Security 4")
                    : ConditionEvaluationResult.disabled("mechanism handlers are Jakarta Security 4 (Payara Micro 7, "
                            + "the payara7-arquillian execution); this execution's Payara is "
                            + System.getProperty("payara.expected.major"));
        }
    }

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(MechanismSuite.CLIENT_ID).name("Payara handler IT")
                        .clientSecret(MechanismSuite.SECRET).redirectUri("http://127.0.0.1/placeholder").build())
                .autoApprove(MechanismSuite.NELLY)
                .start();
        List<File> libs = new ArrayList<>(List.of(MechanismSuite.input("payara.library.jar").toFile()));
        try (Stream<Path> jars = Files.list(MechanismSuite.input("payara.webinf.lib"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> libs.add(p.toFile()));
        }
        // named as MechanismSuite's WAR: Payara Micro keeps what it deployed in its root directory (one per Failsafe
        // execution) and deploys it again at its next start, where Arquillian's URL could be either application's
        WebArchive war = ShrinkWrap.create(WebArchive.class, "jsec.war")
                .setWebXML(new StringAsset(webXml()))
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                        + "version=\"4.0\" bean-discovery-mode=\"annotated\"/>"), "beans.xml")
                .addAsWebInfResource(new StringAsset(MechanismSuite.GLASSFISH_WEB_XML), "glassfish-web.xml")
                .addAsLibraries(libs.toArray(File[]::new));
        Path classes = compileApplication();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(p -> p.toString().endsWith(".class")).forEach(p -> war.addAsWebInfResource(
                    new FileAsset(p.toFile()), "classes/" + classes.relativize(p).toString().replace('\\', '/')));
        }
        return war;
    }

    /** The README's classes of the example, with the imports the README leaves out. */
    private static final Map<String, List<String>> README_CLASSES = Map.of(
            "Logins", List.of("jakarta.enterprise.context.ApplicationScoped",
                    "dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition",
                    "jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition"),
            "PathHandler", List.of(
                    "dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition.DiscordAuthenticationMechanism",
                    "jakarta.annotation.Priority", "jakarta.enterprise.context.ApplicationScoped",
                    "jakarta.enterprise.inject.Alternative", "jakarta.inject.Inject",
                    "jakarta.interceptor.Interceptor", "jakarta.security.enterprise.AuthenticationException",
                    "jakarta.security.enterprise.AuthenticationStatus",
                    "jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism",
                    "jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanismHandler",
                    "jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext",
                    "jakarta.servlet.http.HttpServletRequest", "jakarta.servlet.http.HttpServletResponse"));

    /** The README's {@code ```java} block declaring {@code public class name}, as a source file of the test app. */
    private static String readmeClass(String readme, String name, List<String> imports) {
        Matcher block = Pattern.compile("```java\n((?:(?!```).)*?public class " + name + "\\b(?:(?!```).)*)```",
                Pattern.DOTALL).matcher(readme);
        if (!block.find()) {
            throw new IllegalStateException("README.md has no java block declaring public class " + name);
        }
        StringBuilder source = new StringBuilder("package dev.discordoauth2.security.handler;\n");
        imports.forEach(i -> source.append("import ").append(i).append(";\n"));
        return source.append(block.group(1)).toString();
    }

    /**
     * Compiles the README's classes and {@code src/test/ee11} against Jakarta Security 4.0 (first), the library and
     * the test class path.
     */
    private static Path compileApplication() throws IOException {
        Path sources = Path.of("src/test/ee11");
        Path out = Path.of("target/ee11-classes");
        if (Files.exists(out)) { // classes of an earlier run's sources stay out of this one
            try (Stream<Path> old = Files.walk(out)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(out);
        Path fromReadme = Files.createDirectories(Path.of("target/ee11-readme/dev/discordoauth2/security/handler"));
        String readme = Files.readString(Path.of("README.md"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, List<String>> c : README_CLASSES.entrySet()) {
            files.add(Files.writeString(fromReadme.resolve(c.getKey() + ".java"),
                    readmeClass(readme, c.getKey(), c.getValue())));
        }
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
        }
        String surefire = System.getProperty("surefire.test.class.path");
        String testPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        String classpath = Stream.concat(Stream.of(MechanismSuite.input("security4.api.jar").toString(),
                        MechanismSuite.input("payara.library.jar").toString()),
                        Stream.of(testPath.split(File.pathSeparator)).filter(p -> !p.isBlank()))
                .collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean compiled = javac.getTask(null, manager, diagnostics,
                    List.of("--release", "17", "-proc:none", "-classpath", classpath, "-d", out.toString()), null,
                    manager.getJavaFileObjectsFromPaths(files)).call();
            if (!compiled) {
                throw new IllegalStateException("src/test/ee11 does not compile: " + diagnostics.getDiagnostics());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    private static String webXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <context-param><param-name>discord.client-id</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.client-secret</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>
                  <security-constraint>
                    <web-resource-collection><web-resource-name>members</web-resource-name><url-pattern>/protected/*</url-pattern></web-resource-collection>
                    <auth-constraint><role-name>discord-user</role-name></auth-constraint>
                  </security-constraint>
                  <security-role><role-name>discord-user</role-name></security-role>
                  <security-role><role-name>api-user</role-name></security-role>
                </web-app>
                """.formatted(MechanismSuite.CLIENT_ID, MechanismSuite.SECRET, discord.apiBaseUri(), discord.authorizeUri());
    }

    @AfterAll
    static void stopDiscord() {
        if (discord != null) {
            discord.close();
        }
    }

    @BeforeEach
    void registerRedirect() {
        discord.addRedirectUri(MechanismSuite.CLIENT_ID, url("/oauth2/callback"));
        discord.clearJournal();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @Test
    void apiPathWhenScriptSendsBasicCredentialsThenTheBasicMechanismAuthenticatesIt() {
        TestBrowser script = new TestBrowser();
        HttpResponse<String> anonymous = script.get(url("/api/who"));
        assertEquals(401, anonymous.statusCode(), anonymous::body);
        assertEquals("Basic realm=\"api\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""),
                "the handler chose BASIC for /api: " + anonymous.headers().map());
        HttpResponse<String> wrong = script.get(url("/api/who"), "Authorization", "Basic "
                + Base64.getEncoder().encodeToString("robot:guess".getBytes(StandardCharsets.UTF_8)));
        assertEquals(401, wrong.statusCode(), wrong::body);
        HttpResponse<String> robot = script.get(url("/api/who"), "Authorization", ROBOT);
        assertEquals(200, robot.statusCode(), robot::body);
        assertEquals("remoteUser=robot\nauthType=BASIC\ndiscord-user=false\napi-user=true\n", robot.body());
        assertEquals(0, discord.journal("POST /oauth2/token").size(), "Discord not involved");
    }

    @Test
    void pageWhenBrowserLogsInThenTheDiscordMechanismAuthenticatesItBehindTheHandler() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/me"));
        assertEquals(302, toDiscord.statusCode(), toDiscord::body);
        assertTrue(TestBrowser.location(toDiscord).startsWith(discord.authorizeUri() + "?"),
                TestBrowser.location(toDiscord));
        HttpResponse<String> back = browser.follow(toDiscord);
        assertEquals(302, back.statusCode(), back::body);
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), callback::body);
        assertEquals(url("/me"), TestBrowser.location(callback));
        HttpResponse<String> me = browser.follow(callback);
        assertEquals(200, me.statusCode(), me::body);
        assertEquals("remoteUser=" + MechanismSuite.NELLY + "\nauthType=DISCORD\ndiscord-user=true\napi-user=false\n",
                me.body());
        assertEquals(200, browser.get(url("/me")).statusCode(), "the login lasts");
        // the handler sends /api to BASIC: a Discord login is no API credential there
        HttpResponse<String> api = browser.get(url("/api/who"));
        assertEquals(401, api.statusCode(), api::body);
        assertEquals("Basic realm=\"api\"", api.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void webXmlConstraintWhenAnonymousBrowserThenSentToDiscordAndScriptsToo() {
        HttpResponse<String> browser = new TestBrowser().get(url("/protected/page.html"), "Accept", "text/html");
        assertEquals(302, browser.statusCode(), browser::body);
        assertTrue(TestBrowser.location(browser).startsWith(discord.authorizeUri() + "?"));
        // a script on a Discord page gets the Discord mechanism's 401, not BASIC's challenge
        HttpResponse<String> script = new TestBrowser().get(url("/protected/page.html"), "Accept", "application/json");
        assertEquals(401, script.statusCode(), script::body);
        assertTrue(script.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Discord"),
                script.headers().map().toString());
    }
}
