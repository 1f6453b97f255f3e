package dev.discordoauth2.example;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.EmulatedMetadataField;
import dev.discordoauth2.web.DiscordConfig;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Function;

/**
 * Chooses where "Log in with Discord" goes. With {@code DISCORD_CLIENT_ID} (or the system property
 * {@code discord.client-id}) set, the library's configuration is read as usual and logins go to discord.com. Without
 * it, this listener starts the library's {@link DiscordEmulator} with its demo data set on 127.0.0.1 (a different
 * site from the app on localhost, as discord.com is), points the configuration at it through system properties, and
 * prints the URL to open and the demo users. It runs before the filter and servlets start, and stops the emulator
 * with the application. With the system property {@code example.exit-on-misconfiguration=true} (set by
 * {@code jetty:run} in the pom) a missing or invalid configuration key ends the JVM with exit code 2 after printing
 * the one line that names it, instead of serving 503 to every request. With {@code example.emulator-admin=true} (set
 * for the browser test) the emulator also serves its admin API under {@code /__admin}.
 */
public class DemoBootstrap implements ServletContextListener {
    /** The permission "Add to server" asks for unless {@code DISCORD_BOT_PERMISSIONS} says otherwise: Send Messages. */
    static final String SEND_MESSAGES = String.valueOf(1L << 11);
    private DiscordEmulator emulator;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        int port = Integer.getInteger("example.port", 8080);
        String redirect = "http://localhost:" + port + "/oauth2/callback";
        boolean configured = System.getenv("DISCORD_CLIENT_ID") != null || System.getProperty("discord.client-id") != null;
        if (configured) {
            defaultProperty("discord.redirect-uri", "DISCORD_REDIRECT_URI", redirect);
            defaultProperty("discord.scopes", "DISCORD_SCOPES", "identify email guilds");
            defaultProperty("discord.bot-permissions", "DISCORD_BOT_PERMISSIONS", SEND_MESSAGES);
            stopIfMisconfigured(event);
            System.out.println("discord-oauth2 example: using discord.com; open http://localhost:" + port + "/");
            return;
        }
        String clientId = "1100000000000000001";
        String secret = random();
        String botToken = random();
        emulator = DiscordEmulator.builder().port(Integer.getInteger("example.emulator-port", 8090))
                .demoData(EmulatedApplication.builder(clientId).name("discord-oauth2 example").clientSecret(secret)
                        .redirectUri(redirect).botToken(botToken).ownerId("80351110224678912")
                        .roleConnectionMetadata(new EmulatedMetadataField(2, "level", "Level", "Level on the demo platform"))
                        .roleConnectionMetadata(new EmulatedMetadataField(7, "supporter", "Supporter", "Supports the demo"))
                        .build())
                // Discord's webhook events (a user removing the app) to the example's DiscordWebhookServlet
                .webhookUrl(java.net.URI.create("http://localhost:" + port + "/discord/webhook"))
                // the admin API (loopback only) when a test reads what the emulated Discord holds (the browser test)
                .admin(Boolean.getBoolean("example.emulator-admin"))
                .logRequestsTo(System.out).start();
        System.setProperty("discord.client-id", clientId);
        System.setProperty("discord.client-secret", secret);
        System.setProperty("discord.bot-token", botToken);
        System.setProperty("discord.redirect-uri", redirect);
        System.setProperty("discord.api-base-uri", emulator.apiBaseUri().toString());
        System.setProperty("discord.authorize-uri", emulator.authorizeUri().toString());
        // avatars and guild icons from the emulator's CDN: placeholder images, nothing fetched from Discord
        System.setProperty("discord.cdn-base-uri", emulator.cdnBaseUri().toString());
        System.setProperty("discord.public-key", emulator.webhooks().publicKey());
        defaultProperty("discord.scopes", "DISCORD_SCOPES",
                "identify email guilds guilds.members.read role_connections.write");
        // the "Moderators" role of the demo server "Discord Testers" (nelly holds it) gives the role moderator
        defaultProperty("discord.guild-roles", "DISCORD_GUILD_ROLES", "moderator=197038439483310086:197038439483310087");
        // what "Add to server" (/discord/add-to-server) asks for; the emulator's app has a bot (its token above)
        defaultProperty("discord.bot-permissions", "DISCORD_BOT_PERMISSIONS", SEND_MESSAGES);
        stopIfMisconfigured(event);
        System.out.println("""

                ==============================================================================
                 discord-oauth2 example, running on the embedded Discord emulator (no DISCORD_CLIENT_ID set)
                   open      http://localhost:%d/
                   emulator  %s
                   demo users: nelly (Nelly), wumpus (Wumpus), clyde (unverified e-mail):
                   pick one on the emulator's consent page. Ctrl-C stops everything.
                ==============================================================================
                """.formatted(port, emulator.baseUri()));
    }

    /**
     * The library checks the same configuration after this listener and stops the deployment, but Jetty's
     * {@code jetty:run} keeps serving 503 and its log hides the reason: say it on one line and end the process.
     */
    private void stopIfMisconfigured(ServletContextEvent event) {
        String problem = configurationProblem(event.getServletContext()::getInitParameter);
        if (problem == null || !Boolean.getBoolean("example.exit-on-misconfiguration")) {
            return;
        }
        System.err.println("discord-oauth2 example not started: " + problem);
        System.err.flush();
        // halt, not exit: exit's shutdown hooks would stop Jetty, which waits for this very start to finish
        Runtime.getRuntime().halt(2);
    }

    /** The message naming the missing or invalid key, or null when the configuration is complete and valid. */
    static String configurationProblem(Function<String, String> contextParams) {
        try {
            DiscordConfig.load(null, contextParams);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private static void defaultProperty(String property, String environment, String value) {
        if (System.getProperty(property) == null && System.getenv(environment) == null) {
            System.setProperty(property, value);
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (emulator != null) {
            emulator.close();
            for (String p : new String[] {"discord.client-id", "discord.client-secret", "discord.bot-token",
                    "discord.redirect-uri", "discord.api-base-uri", "discord.authorize-uri",
                    "discord.cdn-base-uri", "discord.scopes", "discord.public-key", "discord.bot-permissions"}) {
                System.clearProperty(p);
            }
        }
    }
}
