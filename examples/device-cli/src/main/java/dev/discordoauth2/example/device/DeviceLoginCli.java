package dev.discordoauth2.example.device;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.DeviceAuthorization;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.model.User;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * "Log in with Discord" from a terminal, with the device authorization grant: prints the address and the code to enter
 * there, polls until the user has approved, and greets the user by name.
 *
 * <p>With {@code DISCORD_CLIENT_ID} set (and {@code DISCORD_CLIENT_SECRET}, unless the application is a Public Client;
 * {@code DISCORD_SCOPES}, default {@code identify}) it logs in with discord.com. Without it, it starts the library's
 * Discord emulator in this JVM, on a free loopback port with the demo users: open the printed address and approve
 * there, or wait, and the demo user nelly approves on her own after {@code DEMO_APPROVE_AFTER} seconds (default 10;
 * {@code off} leaves it to you). {@code DEMO_INTERVAL} sets the emulator's polling interval (default 5 s, as
 * Discord's). Exits 0 when logged in, 1 when the user declined or the code expired, 2 for a bad setting.
 */
public final class DeviceLoginCli {
    static final String DEMO_CLIENT_ID = "1100000000000000001";
    static final String NELLY = "80351110224678912";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private DeviceLoginCli() {
    }

    public static void main(String[] args) {
        // this JVM is the example's own: the embedded emulator's answers without a delayed-ACK wait
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        int status = run(System.getenv(), System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one login with these environment variables, printing to {@code out}; returns the exit status. */
    static int run(Map<String, String> env, PrintStream out) {
        String clientId = env.get("DISCORD_CLIENT_ID");
        List<String> scopes = Arrays.asList(env.getOrDefault("DISCORD_SCOPES", "identify").trim().split("[ ,]+"));
        if (clientId != null) {
            DiscordOAuth2Client.Builder discord = DiscordOAuth2Client.builder().clientId(clientId);
            if (env.get("DISCORD_CLIENT_SECRET") != null) {
                discord.clientSecret(env.get("DISCORD_CLIENT_SECRET"));
            }
            try (DiscordOAuth2Client client = discord.build()) {
                return login(client, scopes, out, null);
            } catch (IllegalStateException e) {
                out.println("device-cli: " + e.getMessage());
                return 2;
            }
        }
        Duration interval;
        Duration approveAfter;
        try {
            interval = Duration.ofSeconds(Long.parseLong(env.getOrDefault("DEMO_INTERVAL", "5")));
            String after = env.getOrDefault("DEMO_APPROVE_AFTER", "10");
            approveAfter = after.equals("off") ? null : Duration.ofMillis((long) (Double.parseDouble(after) * 1000));
        } catch (NumberFormatException e) {
            out.println("device-cli: DEMO_INTERVAL takes whole seconds, DEMO_APPROVE_AFTER seconds or off");
            return 2;
        }
        String secret = random();
        try (DiscordEmulator emulator = DiscordEmulator.builder().deviceInterval(interval)
                .demoData(EmulatedApplication.builder(DEMO_CLIENT_ID).name("discord-oauth2 device login example")
                        .clientSecret(secret).redirectUri("http://localhost:8080/oauth2/callback").build())
                .start();
                DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId(DEMO_CLIENT_ID)
                        .clientSecret(secret).apiBaseUri(emulator.apiBaseUri()).build()) {
            out.println("No DISCORD_CLIENT_ID set: logging in on the Discord emulator at " + emulator.baseUri()
                    + " (demo users nelly, wumpus, clyde).");
            return login(client, scopes, out, approveAfter == null ? null : new DemoApproval(emulator, approveAfter));
        }
    }

    /** The demo's stand-in for the user: approves the code as nelly after a while, unless someone decided first. */
    private record DemoApproval(DiscordEmulator emulator, Duration after) {
        ScheduledExecutorService schedule(String userCode, PrintStream out) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demo-approval");
                t.setDaemon(true);
                return t;
            });
            timer.schedule(() -> {
                try {
                    emulator.deviceCodes().approve(userCode, NELLY);
                    out.println("(demo: nelly entered the code and approved)");
                } catch (IllegalArgumentException decided) {
                    // approved or denied on the page already
                }
            }, after.toMillis(), TimeUnit.MILLISECONDS);
            return timer;
        }
    }

    private static int login(DiscordOAuth2Client client, List<String> scopes, PrintStream out, DemoApproval demo) {
        DeviceAuthorization device;
        try {
            device = client.startDeviceAuthorization(scopes);
        } catch (DiscordException e) {
            out.println("device-cli: Discord refused the device authorization: " + e.getMessage());
            return 1;
        }
        out.println();
        out.println("  To log in, open  " + device.verificationUri());
        out.println("  and enter        " + device.userCode());
        device.verificationUriComplete().ifPresent(link -> out.println("  (or open " + link + ")"));
        out.println();
        LocalTime expires = device.expiresAt().atZone(ZoneId.systemDefault()).toLocalTime();
        out.println("Waiting for you to approve: polling every " + device.interval().toSeconds()
                + " s; the code expires at " + TIME.format(expires) + ".");
        ScheduledExecutorService approval = null;
        if (demo != null) {
            out.println("(demo: nelly approves in " + demo.after().toSeconds() + " s unless you approve or deny "
                    + "first; DEMO_APPROVE_AFTER=off leaves it to you)");
            approval = demo.schedule(device.userCode(), out);
        }
        try {
            AccessToken token = client.awaitDeviceToken(device);
            User user = token.fetchIdentify();
            out.println("Logged in as " + user.displayName() + " (@" + user.username() + ", id " + user.id()
                    + "), scopes " + String.join(" ", token.scopes()) + ".");
            return 0;
        } catch (DeviceAuthorization.NotGrantedException e) {
            out.println(e.denied() ? "You declined: not logged in." : "The code expired before it was approved: "
                    + "run me again for a new one.");
            return 1;
        } catch (DiscordException e) {
            out.println("device-cli: " + e.getMessage());
            return 1;
        } finally {
            if (approval != null) {
                approval.shutdownNow();
            }
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
