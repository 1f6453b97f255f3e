package dev.discordoauth2.emulator;

import java.util.concurrent.CountDownLatch;

/**
 * The standalone emulator's command line ({@link DiscordEmulator#main} delegates here): parses the flags
 * ({@link StandaloneOptions}), starts the emulator with the demo data set, prints the banner and one line per request,
 * and stops on Ctrl-C. Exits 2 for a bad command line and 1 when the emulator cannot start. Stateless.
 */
final class EmulatorMain {
    /** The JDK HTTP server's switch for {@code TCP_NODELAY} on accepted connections. */
    static final String NODELAY = "sun.net.httpserver.nodelay";

    private EmulatorMain() {
    }

    /**
     * Runs the emulator until the JVM stops.
     *
     * <p>It first turns {@value #NODELAY} on, unless the command line set it: the JDK 17 server writes a response's
     * headers and its body in two writes, so with Nagle's algorithm on the body waits for the client's delayed ACK,
     * ~40 ms per answer. The JDK reads that property once per JVM (when its server configuration class loads) and
     * offers no per-server option, so it is the JVM owner's choice: this process is the emulator's own, hence set
     * here; a JVM that embeds {@link DiscordEmulator} (tests, the offline demo) passes
     * {@code -Dsun.net.httpserver.nodelay=true} itself.
     */
    static void main(String[] args) throws InterruptedException {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        StandaloneOptions options;
        try {
            options = StandaloneOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("discord-emulator: " + e.getMessage());
            System.err.println(StandaloneOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(StandaloneOptions.USAGE);
            return;
        }
        DiscordEmulator.Builder builder = builderFor(options).logRequestsTo(System.out);
        DiscordEmulator emulator;
        try {
            emulator = builder.start();
        } catch (UnknownRouteException e) {
            System.err.println("discord-emulator: --rate-limit: " + e.getMessage().replaceFirst("^rateLimit: ", ""));
            System.err.println(StandaloneOptions.USAGE);
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            // with the reason underneath (e.g. "Address already in use"), which is what the operator can act on
            System.err.println("discord-emulator: " + e.getMessage()
                    + (e.getCause() != null && e.getCause().getMessage() != null ? ": " + e.getCause().getMessage() : ""));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "discord-emulator-shutdown"));
        System.out.print(DemoData.banner(emulator, options));
        System.out.flush();
        stopped.await();
    }

    /** The builder {@link #main} starts: the demo data set and every option of the command line. */
    static DiscordEmulator.Builder builderFor(StandaloneOptions options) {
        DiscordEmulator.Builder builder = DiscordEmulator.builder().port(options.port())
                .demoData(options.application());
        if (options.users() > 0) {
            DemoData.addGeneratedUsers(builder, options.users());
        }
        if (StandaloneOptions.EACH.equals(options.autoApprove())) {
            builder.autoApproveEachUserInTurn();
        } else if (options.autoApprove() != null) {
            builder.autoApprove(options.autoApprove());
        }
        options.rateLimits().forEach((route, limit) -> builder.rateLimit(route, limit.limit(), limit.window()));
        if (options.globalRateLimit() != null) {
            builder.globalRateLimit(options.globalRateLimit().limit(), options.globalRateLimit().window());
        }
        if (options.accessTokenLifetime() != null) {
            builder.accessTokenLifetime(options.accessTokenLifetime());
        }
        if (options.codeLifetime() != null) {
            builder.codeLifetime(options.codeLifetime());
        }
        if (options.deviceCodeLifetime() != null) {
            builder.deviceCodeLifetime(options.deviceCodeLifetime());
        }
        if (options.deviceInterval() != null) {
            builder.deviceInterval(options.deviceInterval());
        }
        if (options.webhookUrl() != null) {
            builder.webhookUrl(options.webhookUrl());
        }
        if (options.webhookKeySeed() != null) {
            builder.webhookKeySeed(java.util.HexFormat.of().parseHex(options.webhookKeySeed()));
        }
        return builder.admin(options.admin());
    }
}
