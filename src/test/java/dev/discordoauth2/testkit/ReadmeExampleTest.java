package dev.discordoauth2.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README's "Testing your application" shows {@code readme/HelloPageTest.java} from its first import to its end, so the
 * example in the README is compiled and run with the library's tests: this test fails when the two differ.
 */
class ReadmeExampleTest {
    @Test
    void readmeTestingSectionWhenReadThenItsJavaBlockIsHelloPageTest() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n## Testing your application\n");
        assertTrue(section >= 0, "README has a section 'Testing your application'");
        String marker = "```java\nimport static dev.discordoauth2.testkit.";
        int start = readme.indexOf(marker, section);
        assertTrue(start >= 0, "the section's JUnit 5 example");
        int end = readme.indexOf("\n```\n", start);
        String block = readme.substring(start + "```java\n".length(), end + 1);
        String source = Files.readString(Path.of("src/test/java/dev/discordoauth2/testkit/readme/HelloPageTest.java"));
        assertEquals(source.substring(source.indexOf("import ")), block,
                "README's example and src/test/java/dev/discordoauth2/testkit/readme/HelloPageTest.java");
    }
}
