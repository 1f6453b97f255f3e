package dev.discordoauth2;

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
 * The shape of the production artifact, read from the sources: how many public top-level types it offers (the
 * emulator and the test kit ship in the test-kit jar and do not count), that each has a Javadoc paragraph saying
 * whether it is thread-safe, and that no class grows past the size the project holds itself to.
 */
class PublicApiTest {
    /**
     * The most public top-level types the deployed jar may offer; lower it when types go, never raise it lightly. The
     * Discord-native toolkit took it from 40 to 45, each a type applications write against: the
     * {@code RoleConnectionSource} they implement, the {@code RoleConnection} it returns, the {@code LinkedRoles} they
     * inject, the {@code LinkedRolesSweep} a sweep hands them, the {@code DiscordBotAddedEvent} they observe.
     */
    static final int MAX_PUBLIC_TYPES = 45;
    static final int MAX_LINES = 400;
    /**
     * The one allowed exception: the client's file holds the declarations of its public nested {@code Builder} and
     * {@code Async} interfaces (their implementations are package-private classes of their own), and every call has
     * its blocking method there and its async twin in {@code Async} (the device grant's three calls took it past 430).
     */
    private static final java.util.Map<String, Integer> ALLOWED = java.util.Map.of("DiscordOAuth2Client.java", 470);
    private static final Path SOURCES = Path.of("src/main/java/dev/discordoauth2");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(/\\*\\*((?:(?!\\*/).)*)\\*/\\s*)?(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*"
                    + "public (?:final |abstract |sealed |non-sealed )*(?:class|interface|record|enum|@interface) ",
            Pattern.DOTALL);

    private static List<Path> sources(boolean production) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("package-info.java"))
                    .filter(p -> !production || !(p.startsWith(SOURCES.resolve("emulator"))
                            || p.startsWith(SOURCES.resolve("testkit"))))
                    .sorted().toList();
        }
    }

    /** The Javadoc of the file's public top-level type, "" without one, or null when the type is not public. */
    private static String typeDoc(Path file) throws IOException {
        String text = Files.readString(file);
        Matcher m = PUBLIC_TYPE.matcher(text);
        while (m.find()) {
            int at = text.indexOf("public ", m.start());
            while (at > 0 && at < m.end() && text.charAt(at - 1) != '\n') {
                at = text.indexOf("public ", at + 1);
            }
            if (at >= 0 && at < m.end() && (at == 0 || text.charAt(at - 1) == '\n')) { // top level: at a line's start
                return m.group(2) == null ? "" : m.group(2);
            }
        }
        return null;
    }

    @Test
    void publicTypesWhenCountedThenWithinTheBoundAndEachDocumented() throws IOException {
        List<String> publicTypes = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        for (Path file : sources(true)) {
            String doc = typeDoc(file);
            if (doc == null) {
                continue;
            }
            publicTypes.add(SOURCES.relativize(file).toString());
            if (!doc.matches("(?s).*(thread-safe|Thread-safe|[Ii]mmutable|[Ss]tateless|one thread).*")) {
                undocumented.add(SOURCES.relativize(file).toString());
            }
        }
        assertTrue(publicTypes.size() <= MAX_PUBLIC_TYPES, publicTypes.size() + " public top-level types, at most "
                + MAX_PUBLIC_TYPES + ": " + publicTypes);
        assertTrue(publicTypes.size() >= 10, "the scan found the public types: " + publicTypes);
        assertTrue(undocumented.isEmpty(), "public types whose Javadoc does not say whether they are thread-safe: "
                + undocumented);
    }

    @Test
    void classesWhenMeasuredThenNoneOverTheLimit() throws IOException {
        List<String> large = new ArrayList<>();
        for (Path file : sources(false)) {
            long lines = Files.readAllLines(file).size();
            if (lines > ALLOWED.getOrDefault(file.getFileName().toString(), MAX_LINES)) {
                large.add(SOURCES.relativize(file) + " (" + lines + ")");
            }
        }
        assertTrue(large.isEmpty(), "classes over " + MAX_LINES + " lines: " + large);
    }
}
