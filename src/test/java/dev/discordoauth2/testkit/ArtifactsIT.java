package dev.discordoauth2.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The two artifacts as {@code package} built them (Failsafe runs after it): the jar applications deploy holds no
 * emulator or test kit entry, the {@code testkit} jar holds exactly those (and runs the emulator as its main class).
 */
class ArtifactsIT {
    private static Path jar(String property) {
        Path jar = Path.of(System.getProperty(property, "target/" + property + "-not-set.jar"));
        assertTrue(Files.isRegularFile(jar), "run in 'verify', after 'package': " + jar);
        return jar;
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void mainJarWhenPackagedThenHoldsNoEmulatorAndNoTestKit() throws IOException {
        List<String> entries = entries(jar("artifacts.main.jar"));
        assertTrue(entries.contains("dev/discordoauth2/DiscordOAuth2Client.class"), "the client: " + entries);
        assertTrue(entries.contains("dev/discordoauth2/servlet/DiscordLoginFilter.class"), "the filter");
        assertEquals(List.of(), entries.stream().filter(e -> e.startsWith("dev/discordoauth2/emulator")
                || e.startsWith("dev/discordoauth2/testkit")).toList(), "emulator or test kit in the deployed jar");
    }

    @Test
    void testkitJarWhenPackagedThenHoldsTheEmulatorAndTheTestKitOnly() throws IOException {
        Path jar = jar("artifacts.testkit.jar");
        List<String> entries = entries(jar);
        assertTrue(entries.contains("dev/discordoauth2/emulator/DiscordEmulator.class"), "the emulator: " + entries);
        assertTrue(entries.contains("dev/discordoauth2/testkit/DiscordEmulatorExtension.class"), "the extension");
        assertTrue(entries.contains("dev/discordoauth2/testkit/TestBrowser.class"), "the browser");
        assertEquals(List.of(), entries.stream().filter(e -> e.endsWith(".class")
                && !e.startsWith("dev/discordoauth2/emulator/") && !e.startsWith("dev/discordoauth2/testkit/"))
                .toList(), "classes of the deployed jar in the test kit jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals("dev.discordoauth2.emulator.DiscordEmulator",
                    file.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }
}
