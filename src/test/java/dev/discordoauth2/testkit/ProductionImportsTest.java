package dev.discordoauth2.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The split into two artifacts holds at the source: the code of the jar applications deploy never names the emulator
 * or the test kit (they are not in that jar, so such a reference would fail at run time), and the emulator needs
 * nothing but the JDK (the test kit jar runs it standalone, {@code java -jar ...-testkit.jar}).
 */
class ProductionImportsTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Path EMULATOR = MAIN.resolve("dev/discordoauth2/emulator");
    private static final Path TESTKIT = MAIN.resolve("dev/discordoauth2/testkit");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern TEST_PACKAGES = Pattern.compile("\\bdev\\.discordoauth2\\.(emulator|testkit)\\b");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    private static List<Path> sources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String code(Path file) throws IOException {
        return COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
    }

    @Test
    void productionCodeWhenScannedThenNeverNamesTheEmulatorOrTheTestKit() throws IOException {
        List<Path> production = sources(MAIN).stream()
                .filter(p -> !p.startsWith(EMULATOR) && !p.startsWith(TESTKIT)).toList();
        assertTrue(production.size() > 50, "the production sources under " + MAIN.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        for (Path file : production) {
            Matcher m = TEST_PACKAGES.matcher(code(file));
            while (m.find()) {
                offenders.add(MAIN.relativize(file) + ": " + m.group());
            }
        }
        assertEquals(List.of(), offenders, "production code naming dev.discordoauth2.emulator or .testkit");
    }

    @Test
    void emulatorWhenScannedThenImportsOnlyTheJdk() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources(EMULATOR)) {
            String code = code(file);
            Matcher m = IMPORT.matcher(code);
            while (m.find()) {
                String imported = m.group(1);
                if (!imported.startsWith("java.") && !imported.startsWith("javax.")
                        && !imported.startsWith("com.sun.net.httpserver.")
                        && !imported.startsWith("dev.discordoauth2.emulator.")) {
                    offenders.add(EMULATOR.relativize(file) + ": " + imported);
                }
            }
            Matcher fq = Pattern.compile("\\bdev\\.discordoauth2\\.(?!emulator\\b)\\w+").matcher(code);
            while (fq.find()) {
                offenders.add(EMULATOR.relativize(file) + ": " + fq.group());
            }
        }
        assertEquals(List.of(), offenders, "the emulator using more than the JDK");
    }
}
