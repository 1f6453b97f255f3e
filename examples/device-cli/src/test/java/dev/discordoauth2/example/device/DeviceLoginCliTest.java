package dev.discordoauth2.example.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The example as its user sees it: offline, on the embedded emulator, from the printed code to the greeting. */
class DeviceLoginCliTest {
    private static String run(Map<String, String> env, int expectedStatus) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = DeviceLoginCli.run(env, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, printed);
        return printed;
    }

    @Test
    void runWhenNoClientIdThenPrintsTheCodeAndLogsInOnTheEmulatorAsTheDemoUser() {
        String printed = run(Map.of("DEMO_INTERVAL", "1", "DEMO_APPROVE_AFTER", "0.5"), 0);
        Matcher page = Pattern.compile("To log in, open  (http://127\\.0\\.0\\.1:\\d+/activate)\\R"
                + "  and enter        ([A-Z]{4}-[A-Z]{4})").matcher(printed);
        assertTrue(page.find(), printed);
        assertTrue(printed.contains("(or open " + page.group(1) + "?user_code=" + page.group(2) + ")"), printed);
        assertTrue(printed.contains("polling every 1 s"), printed);
        assertTrue(printed.contains("(demo: nelly entered the code and approved)"), printed);
        assertTrue(printed.contains("Logged in as Nelly (@nelly, id " + DeviceLoginCli.NELLY + "), scopes identify."),
                printed);
    }

    @Test
    void runWhenADemoSettingIsNotANumberThenStatus2() {
        String printed = run(Map.of("DEMO_INTERVAL", "soon"), 2);
        assertTrue(printed.startsWith("device-cli: DEMO_INTERVAL"), printed);
    }
}
