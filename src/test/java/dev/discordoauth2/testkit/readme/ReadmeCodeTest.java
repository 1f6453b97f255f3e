package dev.discordoauth2.testkit.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md compiles against the library as it is (the test classpath: the library,
 * the test kit, the servlet, CDI and Jakarta Security APIs, JUnit, Jetty). A block is found in {@link #WRAPS} by a
 * marker, text only it contains, and wrapped as the table says: a whole compilation unit (with the imports it leaves out), a
 * class body (field declarations), or statements in a method (with the variables it takes as given). A block missing
 * from the table fails, and so does a table row that no block matches any longer. A compile error is reported with the
 * README line it is on.
 */
class ReadmeCodeTest {
    private static final Path README = Path.of("README.md");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);

    private enum Shape {
        /** A compilation unit: the block as it is, after the imports. */
        UNIT,
        /** Members of a class: the block inside {@code class Block { ... }}. */
        MEMBERS,
        /** Statements: the block inside a method that may throw, after the given declarations. */
        STATEMENTS,
        /**
         * Compiled and deployed elsewhere: by {@code JakartaSecurityPayaraHandlerIT}, against the Jakarta Security 4
         * API, which this class path (Jakarta Security 3) lacks.
         */
        ELSEWHERE
    }

    /** How one block is wrapped: the block containing {@code marker}, as {@code shape}, with these imports. */
    private record Wrap(String marker, Shape shape, List<String> imports, String given) {
    }

    private static final List<Wrap> WRAPS = List.of(
            // CDI: the two injection points, as fields of a bean
            new Wrap("@Inject DiscordIdentity identity;", Shape.MEMBERS, List.of(
                    "jakarta.inject.Inject", "dev.discordoauth2.DiscordOAuth2Client",
                    "dev.discordoauth2.cdi.DiscordIdentity"), ""),
            // CDI: observers of the login events
            new Wrap("public class Accounts", Shape.UNIT, List.of(
                    "jakarta.enterprise.context.ApplicationScoped", "jakarta.enterprise.event.Observes",
                    "dev.discordoauth2.web.DiscordLoginEvent"), ""),
            // The token store: a scheduled job acting for stored users
            new Wrap("public class LevelSync", Shape.UNIT, List.of(
                    "jakarta.annotation.PreDestroy", "jakarta.enterprise.context.ApplicationScoped",
                    "jakarta.enterprise.context.Initialized", "jakarta.enterprise.event.Observes",
                    "jakarta.inject.Inject", "dev.discordoauth2.DiscordException",
                    "dev.discordoauth2.InvalidGrantException", "dev.discordoauth2.web.OfflineAccess",
                    "dev.discordoauth2.web.TokenStoreException", "java.util.List", "java.util.Map",
                    "java.util.concurrent.Executors", "java.util.concurrent.ScheduledExecutorService",
                    "java.util.concurrent.TimeUnit"), ""),
            // Webhook events: observers of the webhook's events
            new Wrap("public class Installs", Shape.UNIT, List.of(
                    "jakarta.enterprise.context.ApplicationScoped", "jakarta.enterprise.event.Observes",
                    "dev.discordoauth2.web.DiscordWebhookEvent"), ""),
            // Linked roles: the application's source, complete
            new Wrap("public class GamePlatform", Shape.UNIT, List.of(
                    "jakarta.enterprise.context.ApplicationScoped", "dev.discordoauth2.model.RoleConnectionMetadata",
                    "dev.discordoauth2.model.RoleConnectionMetadata.Type", "dev.discordoauth2.web.RoleConnection",
                    "dev.discordoauth2.web.RoleConnectionSource", "java.time.Instant", "java.util.List",
                    "java.util.Map", "java.util.Optional", "java.util.concurrent.ConcurrentHashMap"), ""),
            // Linked roles: a sweep, with the injected LinkedRoles given
            new Wrap("LinkedRolesSweep sweep = linkedRoles.sweep();", Shape.STATEMENTS, List.of(
                    "dev.discordoauth2.web.LinkedRoles", "dev.discordoauth2.web.LinkedRolesSweep",
                    "java.time.Duration"), "LinkedRoles linkedRoles = null;"),
            // Add to server: an observer of the bot's installs
            new Wrap("public class BotInstalls", Shape.UNIT, List.of(
                    "jakarta.enterprise.context.ApplicationScoped", "jakarta.enterprise.event.Observes",
                    "dev.discordoauth2.web.DiscordBotAddedEvent"), ""),
            // Jakarta Security: the mechanism on a bean
            new Wrap("public class DiscordLogin", Shape.UNIT, List.of(
                    "jakarta.enterprise.context.ApplicationScoped",
                    "dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition"), ""),
            // Jakarta Security 4: two mechanisms and the application's handler (JakartaSecurityPayaraHandlerIT)
            new Wrap("public class Logins", Shape.ELSEWHERE, List.of(), ""),
            new Wrap("public class PathHandler", Shape.ELSEWHERE, List.of(), ""),
            // Jakarta Security: a protected servlet
            new Wrap("public class MeServlet", Shape.UNIT, List.of(
                    "jakarta.servlet.annotation.HttpConstraint", "jakarta.servlet.annotation.ServletSecurity",
                    "jakarta.servlet.annotation.WebServlet", "jakarta.servlet.http.HttpServlet"), ""),
            // The client: a tour, with the state and the code of a callback given
            new Wrap("AccessToken token = discord.exchangeCode(code, pkce.verifier());", Shape.STATEMENTS, List.of(
                    "dev.discordoauth2.AccessToken", "dev.discordoauth2.AuthorizeRequest",
                    "dev.discordoauth2.DiscordOAuth2Client", "dev.discordoauth2.AuthorizeRequest.Pkce", "dev.discordoauth2.model.*",
                    "java.net.URI", "java.util.List"),
                    "String state = \"state\"; String code = \"code\";"),
            // The client: device login, a complete command-line program
            new Wrap("public class DeviceLogin", Shape.UNIT, List.of(
                    "dev.discordoauth2.AccessToken", "dev.discordoauth2.DeviceAuthorization",
                    "dev.discordoauth2.DiscordOAuth2Client", "java.util.List"), ""),
            // The client: device login, one poll per turn of a game loop
            new Wrap("DeviceAuthorization.PollResult result = discord.pollDeviceToken(device);", Shape.STATEMENTS,
                    List.of("dev.discordoauth2.AccessToken", "dev.discordoauth2.DeviceAuthorization",
                            "dev.discordoauth2.DiscordOAuth2Client"),
                    "DiscordOAuth2Client discord = null; DeviceAuthorization device = null;"),
            // The CDN: image URLs of a user, their guilds and a membership, with an access token given
            new Wrap("DiscordCdn cdn = discord.cdn();", Shape.STATEMENTS, List.of(
                    "dev.discordoauth2.DiscordCdn", "dev.discordoauth2.DiscordOAuth2Client",
                    "dev.discordoauth2.PartialAccessToken", "dev.discordoauth2.model.*", "java.net.URI",
                    "java.util.Optional"),
                    "String accessToken = \"token\";"),
            // Testing your application: HelloPageTest, complete with its imports (and run as that test)
            new Wrap("class HelloPageTest {", Shape.UNIT,
                    List.of(), ""),
            // The emulator's controls: one emulator in a try-with-resources
            new Wrap("try (DiscordEmulator discord = DiscordEmulator.builder()", Shape.STATEMENTS, List.of(
                    "dev.discordoauth2.emulator.*", "java.net.URI", "java.time.Duration", "java.util.List"), ""));

    /** A {@code ```java} block: its text and the README line of its first line. */
    private record Block(int line, String code) {
        String firstLine() {
            return code.lines().findFirst().orElse("").strip();
        }
    }

    private static List<Block> javaBlocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```java")) {
                int start = i + 1;
                int end = start;
                while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                    end++;
                }
                blocks.add(new Block(start + 1, String.join("\n", lines.subList(start, end))));
                i = end;
            }
        }
        return blocks;
    }

    /** A block as a source file, and how many lines come before the block's first. */
    private record Source(Block block, String packageName, String typeName, String text, int linesBefore) {
        String fileName() {
            return packageName.replace('.', '/') + "/" + typeName + ".java";
        }
    }

    private static Source wrap(Block block, Wrap wrap) {
        String pkg = "readme.line" + block.line();
        StringBuilder head = new StringBuilder("package ").append(pkg).append(";\n");
        for (String imported : wrap.imports()) {
            head.append("import ").append(imported).append(";\n");
        }
        String type = "Block";
        String tail = "";
        switch (wrap.shape()) {
            case UNIT -> {
                Matcher m = PUBLIC_TYPE.matcher(block.code());
                if (m.find()) {
                    type = m.group(1);
                }
            }
            case MEMBERS -> {
                head.append("class Block {\n");
                tail = "\n}\n";
            }
            case STATEMENTS -> {
                head.append("class Block {\nvoid run() throws Exception {\n").append(wrap.given()).append('\n');
                tail = "\n}\n}\n";
            }
            case ELSEWHERE -> throw new IllegalArgumentException("not compiled here: " + wrap.marker());
        }
        int before = (int) head.chars().filter(c -> c == '\n').count();
        return new Source(block, pkg, type, head + block.code() + "\n" + tail, before);
    }

    @Test
    void readmeWhenEveryJavaBlockCompiledThenNoErrors(@TempDir Path out) throws IOException {
        List<Block> blocks = javaBlocks(Files.readAllLines(README, StandardCharsets.UTF_8));
        assertTrue(blocks.size() >= WRAPS.size(), "the java blocks of " + README.toAbsolutePath());
        List<Source> sources = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        Map<Wrap, Integer> used = new LinkedHashMap<>();
        for (Block block : blocks) {
            List<Wrap> matching = WRAPS.stream().filter(w -> block.code().contains(w.marker())).toList();
            if (matching.size() != 1) {
                unmatched.add("README.md:" + block.line() + " (" + block.firstLine() + "): " + matching.size()
                        + " rows of WRAPS match; add one saying how to wrap it");
                continue;
            }
            used.merge(matching.get(0), 1, Integer::sum);
            if (matching.get(0).shape() != Shape.ELSEWHERE) {
                sources.add(wrap(block, matching.get(0)));
            }
        }
        for (Wrap wrap : WRAPS) {
            if (!used.containsKey(wrap)) {
                unmatched.add("no README block contains \"" + wrap.marker() + "\" any longer: drop its row");
            }
        }
        assertEquals(List.of(), unmatched);
        assertEquals(List.of(), compile(sources, out));
    }

    private static List<String> compile(List<Source> sources, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<JavaFileObject, Source> files = new LinkedHashMap<>();
        for (Source source : sources) {
            files.put(new SimpleJavaFileObject(URI.create("string:///" + source.fileName()),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source.text();
                }
            }, source);
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            List<String> options = List.of("-classpath", testClasspath(), "-proc:none", "-Xlint:none",
                    "-encoding", "UTF-8");
            javac.getTask(null, fm, diagnostics, options, null, files.keySet()).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Source source = files.get(d.getSource());
            if (source == null) {
                errors.add(d.getMessage(Locale.ROOT));
                continue;
            }
            long inBlock = d.getLineNumber() - source.linesBefore();
            String where = inBlock >= 1 && inBlock <= source.block().code().lines().count()
                    ? "README.md:" + (source.block().line() + inBlock - 1)
                    : "README.md:" + source.block().line() + " (the wrapping of the block starting there)";
            errors.add(where + ": " + d.getMessage(Locale.ROOT));
        }
        return errors;
    }

    /** The test classpath: surefire's own record of it when the JVM's is a manifest-only jar. */
    private static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String path = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        return List.of(path.split(java.io.File.pathSeparator)).stream().filter(p -> !p.isBlank())
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
