package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link DiscordEmulator#main} in a second JVM, as a browser suite or a test in another language would start it:
 * the banner names the admin URL, and the admin API drives the running emulator.
 */
class StandaloneProcessTest {
    private static final Pattern ADMIN_LINE = Pattern.compile("admin API\\s*: (http://\\S+/__admin)");

    private static Process startMain(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), DiscordEmulator.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    @Test
    void mainWhenStartedWithAdminThenBannerNamesAdminUrlAndAdminApiDrivesIt() throws Exception {
        Process process = startMain("--port", "0", "--admin", "--auto-approve", NELLY);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String admin = null;
            for (String line = out.readLine(); line != null && admin == null; line = out.readLine()) {
                Matcher m = ADMIN_LINE.matcher(line);
                if (m.find()) {
                    admin = m.group(1);
                }
            }
            assertNotNull(admin, "the banner names the admin URL");
            String base = admin.substring(0, admin.length() - "/__admin".length());

            HttpResponse<String> injected = sendJson("POST", URI.create(admin + "/faults"), """
                    {"route": "POST /oauth2/token", "type": "status", "status": 503,
                     "body": {"message": "503: Service Unavailable", "code": 0}}""");
            assertEquals(201, injected.statusCode(), injected.body());
            HttpResponse<String> token = postForm(URI.create(base + "/api/v10/oauth2/token"), params("grant_type",
                    "client_credentials", "scope", "identify"), "Authorization",
                    basic(StandaloneOptions.DEFAULT_CLIENT_ID, StandaloneOptions.DEFAULT_CLIENT_SECRET));
            assertEquals(503, token.statusCode(), "the fault injected from outside reached the emulator");

            HttpResponse<String> journal = get(URI.create(admin + "/requests"));
            assertEquals(200, journal.statusCode());
            assertEquals(503, object(journal).getJsonArray("requests").getJsonObject(0).getInt("status"));
            assertTrue(!journal.body().contains(StandaloneOptions.DEFAULT_CLIENT_SECRET), journal.body());
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void mainWhenRateLimitNamesUnknownRouteThenUsageErrorNamingTheFlag() throws Exception {
        Process process = startMain("--port", "0", "--rate-limit", "GET /users/@you=1/1");
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), err);
        assertTrue(err.contains("--rate-limit: no such route: GET /users/@you"), err);
        assertTrue(err.contains("usage:"), err);
    }

    @Test
    void mainWhenThePortIsTakenThenExitOneNamingTheBindFailure() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Process process = startMain("--port", String.valueOf(taken.getLocalPort()));
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, process.exitValue(), err);
            assertTrue(err.contains("cannot start the Discord emulator: "), err);
            assertTrue(err.toLowerCase(java.util.Locale.ROOT).contains("address already in use"), err);
        }
    }
}
