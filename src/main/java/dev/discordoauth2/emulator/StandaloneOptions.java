package dev.discordoauth2.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standalone emulator's command line. Immutable.
 *
 * @param rateLimits          {@code --rate-limit} values by route, in order given
 * @param globalRateLimit     {@code --global-rate-limit}, or {@code null} for Discord's 50 per second
 * @param accessTokenLifetime {@code --access-token-lifetime}, or {@code null} for the default
 * @param codeLifetime        {@code --code-lifetime}, or {@code null} for the default
 * @param admin               {@code --admin}: serve the admin API
 * @param autoApprove         {@code --auto-approve}: a user id, {@link #EACH}, or {@code null} for the consent page
 * @param users               {@code --users}: how many generated users to add to the demo data set
 * @param webhookUrl          {@code --webhook-url}: the app's Webhook Events URL, or {@code null} for none
 * @param webhookKeySeed      {@code --webhook-key-seed}: 64 hex digits, the Ed25519 private key, or {@code null}
 * @param deviceCodeLifetime  {@code --device-code-lifetime}, or {@code null} for the default
 * @param deviceInterval      {@code --device-interval}, or {@code null} for the default
 */
record StandaloneOptions(int port, EmulatedApplication application, boolean secretGiven, String autoApprove,
        boolean help, Map<String, RateLimiter.Limit> rateLimits, RateLimiter.Limit globalRateLimit,
        Duration accessTokenLifetime, Duration codeLifetime, boolean admin, int users, java.net.URI webhookUrl,
        String webhookKeySeed, Duration deviceCodeLifetime, Duration deviceInterval) {

    /** {@code --auto-approve each}: every user in turn. */
    static final String EACH = "each";

    StandaloneOptions {
        rateLimits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rateLimits));
    }

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
              --auto-approve ID     approve every authorization at once as this user (no consent page);
                                    "each": as the next user in turn (every user, demo and generated)
              --users N             add N generated users user1..userN (fixed ids, verified e-mail, members of
                                    Emulator Lounge), e.g. for load tests where each browser is its own user
              --rate-limit ROUTE=N/DURATION
                                    limit one route per caller, e.g. "GET /users/@me=5/PT1S"; repeatable
                                    (default: 5 or 10 per second per route, see docs/emulator.md)
              --global-rate-limit N/DURATION
                                    the global limit per caller (default 50/PT1S, as Discord's)
              --access-token-lifetime DURATION
                                    expires_in of access tokens (default PT168H, seven days)
              --code-lifetime DURATION
                                    how long an authorization code can be exchanged (default PT100S)
              --device-code-lifetime DURATION
                                    expires_in of device authorizations (default PT300S)
              --device-interval DURATION
                                    interval of device authorizations, whole seconds (default 5); polling
                                    sooner is answered slow_down
              --admin               serve the admin API under /__admin (loopback callers only)
              --webhook-url URL     the app's Webhook Events URL: signed APPLICATION_AUTHORIZED after a consent,
                                    APPLICATION_DEAUTHORIZED after a revocation (the banner prints the public key)
              --webhook-key-seed HEX
                                    64 hex digits, the Ed25519 private key, for the same public key on every start
              --help                this text
            DURATION is ISO-8601 (PT30S, PT1H) or plain seconds (30, 0.5).
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
        Map<String, RateLimiter.Limit> rateLimits = new LinkedHashMap<>();
        RateLimiter.Limit globalRateLimit = null;
        Duration accessTokenLifetime = null;
        Duration codeLifetime = null;
        boolean admin = false;
        int users = 0;
        java.net.URI webhookUrl = null;
        String webhookKeySeed = null;
        Duration deviceCodeLifetime = null;
        Duration deviceInterval = null;
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
                case "--rate-limit" -> {
                    String value = value(args, ++i, arg);
                    int eq = value.lastIndexOf('=');
                    String route = eq < 0 ? "" : value.substring(0, eq).trim();
                    if (!route.matches("[A-Z]+ /\\S+")) {
                        throw new IllegalArgumentException(arg + " needs ROUTE=N/DURATION, e.g. \"GET /users/@me=5/PT1S\": "
                                + value);
                    }
                    rateLimits.put(route, limit(value.substring(eq + 1), arg));
                }
                case "--global-rate-limit" -> globalRateLimit = limit(value(args, ++i, arg), arg);
                case "--access-token-lifetime" -> accessTokenLifetime = positive(value(args, ++i, arg), arg);
                case "--code-lifetime" -> codeLifetime = positive(value(args, ++i, arg), arg);
                case "--device-code-lifetime" -> deviceCodeLifetime = positive(value(args, ++i, arg), arg);
                case "--device-interval" ->
                    deviceInterval = EmulatorConfig.wholeSeconds(positive(value(args, ++i, arg), arg), arg);
                case "--admin" -> admin = true;
                case "--webhook-url" -> {
                    String value = value(args, ++i, arg);
                    try {
                        webhookUrl = java.net.URI.create(value);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(arg + " needs a URL: " + value);
                    }
                    if (!webhookUrl.isAbsolute() || !webhookUrl.getScheme().matches("https?")) {
                        throw new IllegalArgumentException(arg + " needs an absolute http(s) URL: " + value);
                    }
                }
                case "--webhook-key-seed" -> {
                    webhookKeySeed = value(args, ++i, arg);
                    if (!webhookKeySeed.matches("[0-9a-fA-F]{64}")) {
                        throw new IllegalArgumentException(arg + " needs 64 hex digits (32 bytes)");
                    }
                }
                case "--users" -> {
                    String value = value(args, ++i, arg);
                    try {
                        users = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--users needs a number: " + value);
                    }
                    if (users < 0 || users > DiscordEmulator.GENERATED_USERS_MAX) {
                        throw new IllegalArgumentException("--users must be 0-" + DiscordEmulator.GENERATED_USERS_MAX
                                + ": " + value);
                    }
                }
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
        return new StandaloneOptions(port, app.build(), secretGiven, autoApprove, help, rateLimits, globalRateLimit,
                accessTokenLifetime, codeLifetime, admin, users, webhookUrl, webhookKeySeed, deviceCodeLifetime,
                deviceInterval);
    }

    /** {@code N/DURATION}, e.g. {@code 5/PT1S} or {@code 5/1}. */
    private static RateLimiter.Limit limit(String value, String flag) {
        int slash = value.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(flag + " needs N/DURATION, e.g. 5/PT1S: " + value);
        }
        int n;
        try {
            n = Integer.parseInt(value.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number of requests: " + value);
        }
        if (n < 1) {
            throw new IllegalArgumentException(flag + " needs at least 1 request: " + value);
        }
        return new RateLimiter.Limit(n, positive(value.substring(slash + 1), flag));
    }

    private static Duration positive(String value, String flag) {
        Duration duration;
        try {
            duration = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException(flag + " needs a positive duration: " + value);
        }
        return duration;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
