package dev.discordoauth2.emulator;

import java.util.ArrayList;
import java.util.List;

/** The standalone emulator's command line. Immutable. */
record StandaloneOptions(int port, EmulatedApplication application, boolean secretGiven, String autoApprove,
        boolean help) {

    static final String DEFAULT_CLIENT_ID = "1100000000000000001";
    static final String DEFAULT_CLIENT_SECRET = "emulator-client-secret";
    static final String DEFAULT_REDIRECT_URI = "http://localhost:8080/oauth2/callback";
    static final String DEFAULT_BOT_TOKEN = "emulator-bot-token";
    static final int DEFAULT_PORT = 8090;

    static final String USAGE = """
            usage: DiscordEmulator [options]
              --port N              loopback port (default 8090; 0 picks a free one)
              --client-id ID        the application's client id (default 1100000000000000001)
              --client-secret S     the client secret (default emulator-client-secret)
              --redirect-uri URI    a registered redirect URI; repeatable (default http://localhost:8080/oauth2/callback)
              --bot-token T         the bot token (default emulator-bot-token)
              --auto-approve ID     approve every authorization at once as this user (no consent page)
              --help                this text
            The demo data set (users nelly, wumpus, clyde and their guilds) is always loaded.""";

    static StandaloneOptions parse(String[] args) {
        int port = DEFAULT_PORT;
        String clientId = DEFAULT_CLIENT_ID;
        String secret = DEFAULT_CLIENT_SECRET;
        boolean secretGiven = false;
        List<String> redirectUris = new ArrayList<>();
        String botToken = DEFAULT_BOT_TOKEN;
        String autoApprove = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--port" -> {
                    String value = value(args, ++i, arg);
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number: " + value);
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be 0-65535: " + value);
                    }
                }
                case "--client-id" -> clientId = value(args, ++i, arg);
                case "--client-secret" -> {
                    secret = value(args, ++i, arg);
                    secretGiven = true;
                }
                case "--redirect-uri" -> redirectUris.add(value(args, ++i, arg));
                case "--bot-token" -> botToken = value(args, ++i, arg);
                case "--auto-approve" -> autoApprove = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (redirectUris.isEmpty()) {
            redirectUris.add(DEFAULT_REDIRECT_URI);
        }
        EmulatedApplication.Builder app = EmulatedApplication.builder(clientId).name("Emulator Demo App")
                .clientSecret(secret).botToken(botToken).ownerId(DemoData.NELLY)
                .roleConnectionMetadata(new EmulatedMetadataField(2, "level", "Level", "Level on the demo platform"))
                .roleConnectionMetadata(new EmulatedMetadataField(7, "supporter", "Supporter", "Supports the demo"));
        redirectUris.forEach(app::redirectUri);
        return new StandaloneOptions(port, app.build(), secretGiven, autoApprove, help);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
