package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The key declarations of {@link Keys} against {@link DiscordConfig}'s public constants and against the README's
 * configuration table ("### Configuration"): every key listed once, in the order the loader reads them, with its
 * environment variable and its default. The table's wording of a default may say more (e.g. "{@code 60} (seconds, or
 * {@code PT1M})"): its first code span is the default; "required" is a required key; a key without a default has a
 * cell without a code span ("none", "built-in page"). The Javadoc of each attribute of
 * {@code @DiscordAuthenticationMechanismDefinition} names its key and, where it gives a default, the declared one.
 */
class KeysTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(discord\\.[a-z.-]+)` \\|(.*)$");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern ATTRIBUTE = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*String (\\w+)\\(\\) "
            + "default \"\";", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE_DEFAULT = Pattern.compile("default \\{@code ([^}]+)\\}");

    /** One row of the README's configuration table. */
    private record Row(String key, String environment, String defaultCell, String meaning) {
    }

    private static List<Row> table() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n### Configuration\n");
        assertTrue(section >= 0, "README has a section '### Configuration'");
        int end = readme.indexOf("\n#", section + 1);
        List<Row> rows = new ArrayList<>();
        for (String line : readme.substring(section, end < 0 ? readme.length() : end).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                assertTrue(!line.startsWith("| `discord"), "a table row the test cannot read: " + line);
                continue;
            }
            String[] cells = m.group(2).split("\\|", -1);
            assertEquals(4, cells.length, "key, environment variable, default, meaning: " + line);
            rows.add(new Row(m.group(1), cells[0].trim(), cells[1].trim(), cells[2].trim()));
        }
        return rows;
    }

    @Test
    void keysWhenDeclaredThenEveryPublicKeyConstantOnceInOrder() throws IllegalAccessException {
        List<String> constants = new ArrayList<>();
        for (Field field : DiscordConfig.class.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }
        assertEquals(constants, Keys.names(), "DiscordConfig's constants, in their order, are the declared keys");
        assertEquals(Keys.names(), DiscordConfig.KEYS);
        assertEquals(Keys.names().size(), Keys.names().stream().distinct().count(), "no key declared twice");
        for (Key<?> key : Keys.ALL) {
            String doc = key.documentation();
            assertTrue(!doc.isBlank() && Character.isUpperCase(doc.charAt(0)) && doc.endsWith("."),
                    key + ": one sentence of documentation");
            assertTrue(!(key.isRequired() && key.defaultText() != null), key + ": required keys have no default");
        }
    }

    @Test
    void readmeTableWhenReadThenEveryKeyOnceWithItsEnvironmentVariableAndDefault() throws IOException {
        List<Row> rows = table();
        List<String> listed = new ArrayList<>();
        rows.forEach(r -> listed.add(r.key()));
        assertEquals(Keys.names(), listed, "README's table lists every key once, in the order they are read");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Key<?> key = Keys.ALL.get(i);
            assertEquals("`" + DiscordConfig.environmentName(key.name()) + "`", row.environment(), key.name());
            Matcher code = CODE.matcher(row.defaultCell());
            if (key.isRequired()) {
                assertEquals("required", row.defaultCell(), key.name());
            } else if (key.defaultText() == null) {
                assertTrue(!code.find() && !row.defaultCell().isEmpty() && !"required".equals(row.defaultCell()),
                        key.name() + " has no default; README says: " + row.defaultCell());
            } else {
                assertTrue(code.find(), key.name() + ": README shows the default " + key.defaultText());
                assertEquals(key.defaultText(), code.group(1), key.name() + "'s default");
            }
            assertTrue(!row.meaning().isEmpty(), key.name() + " has a meaning in the README");
        }
    }

    @Test
    void annotationJavadocWhenAttributeDocumentedThenItsKeyAndDeclaredDefault() throws IOException {
        String source = Files.readString(Path.of(
                "src/main/java/dev/discordoauth2/security/DiscordAuthenticationMechanismDefinition.java"));
        Matcher m = ATTRIBUTE.matcher(source);
        int attributes = 0;
        while (m.find()) {
            attributes++;
            String doc = m.group(1).replaceAll("\\s*\\n\\s*\\*\\s*", " ").trim();
            String attribute = m.group(2);
            String name = "discord." + attribute.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            Key<?> key = Keys.ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
            assertTrue(key != null, attribute + " mirrors no key");
            assertTrue(doc.startsWith("{@code " + name + "}:"), attribute + "'s Javadoc starts with its key: " + doc);
            Matcher given = ATTRIBUTE_DEFAULT.matcher(doc);
            if (given.find()) {
                assertEquals(key.defaultText(), given.group(1), attribute + "'s documented default");
            }
        }
        // every attribute but qualifiers, which names CDI qualifiers and mirrors no key
        assertEquals(DiscordAuthenticationMechanismDefinition.class.getDeclaredMethods().length - 1, attributes,
                "every attribute's Javadoc was read");
    }
}
