package dev.discordoauth2.emulator;

import java.time.Instant;

/** The small data set the standalone emulator and the offline demo load. Stateless. */
final class DemoData {
    static final String NELLY = "80351110224678912";
    static final String WUMPUS = "268473310986240001";
    static final String CLYDE = "613425648685547541";
    static final String TESTERS = "197038439483310086";
    static final String FAN_CLUB = "290926792226357250";
    static final String API_GUILD = "81384788765712384";
    static final String LOUNGE = "1000000000000000042";
    private static final long OWNER_PERMISSIONS = 2251799813685247L;
    private static final long MEMBER_PERMISSIONS = 1071698660929L;

    private DemoData() {
    }

    static void addTo(DiscordEmulator.Builder b, EmulatedApplication app) {
        b.application(app);
        b.user(EmulatedUser.builder(NELLY, "nelly").globalName("Nelly").avatar("8342729096ea3675442027381ff50dfe")
                .email("nelly@example.com").verified(true).locale("en-US").mfaEnabled(true).flags(64)
                .premiumType(2).build());
        // an animated avatar (the hash of reference.mdx's example); clyde keeps none: his default avatar shows
        b.user(EmulatedUser.builder(WUMPUS, "wumpus").globalName("Wumpus")
                .avatar("a_1269e74af4df7417b13759eae50c83dc").email("wumpus@example.com").verified(true)
                .locale("en-GB").build());
        b.user(EmulatedUser.builder(CLYDE, "clyde").email("clyde@example.com").verified(false).locale("fr")
                .build());
        b.guild(EmulatedGuild.builder(TESTERS, "Discord Testers").icon("f64c482b807da4f539cff778d174971c")
                .ownerId(NELLY).features("COMMUNITY", "NEWS").approximateCounts(3268, 784).build());
        b.guild(EmulatedGuild.builder(FAN_CLUB, "Wumpus Fan Club").icon("389030ec9db118cb5b85a732333b7c98")
                .ownerId(WUMPUS).approximateCounts(42, 7).build());
        b.guild(EmulatedGuild.builder(API_GUILD, "Discord API").icon("a_bb42bdc37653b7cf58c4c8cc622e76cb")
                .ownerId(CLYDE).features("COMMUNITY", "ANIMATED_ICON", "BANNER").approximateCounts(120000, 15000)
                .build());
        b.guild(EmulatedGuild.builder(LOUNGE, "Emulator Lounge").ownerId(NELLY).approximateCounts(3, 1).build());
        Instant joined = Instant.parse("2021-06-01T12:00:00Z");
        b.member(EmulatedMember.builder(TESTERS, NELLY).permissions(OWNER_PERMISSIONS).joinedAt(joined)
                .roles("197038439483310087").build());
        b.member(EmulatedMember.builder(FAN_CLUB, NELLY).nick("Nells").permissions(MEMBER_PERMISSIONS).build());
        b.member(EmulatedMember.builder(API_GUILD, NELLY).permissions(MEMBER_PERMISSIONS).build());
        b.member(EmulatedMember.builder(LOUNGE, NELLY).permissions(OWNER_PERMISSIONS).build());
        b.member(EmulatedMember.builder(FAN_CLUB, WUMPUS).permissions(OWNER_PERMISSIONS).build());
        b.member(EmulatedMember.builder(API_GUILD, WUMPUS).permissions(MEMBER_PERMISSIONS).build());
        b.member(EmulatedMember.builder(TESTERS, CLYDE).permissions(MEMBER_PERMISSIONS).build());
        b.member(EmulatedMember.builder(API_GUILD, CLYDE).permissions(OWNER_PERMISSIONS).build());
        b.connection(NELLY, EmulatedConnection.of("github", "1024", "nelly-codes"));
        b.connection(NELLY, EmulatedConnection.of("twitch", "44322889", "nellystreams"));
        b.connection(WUMPUS, EmulatedConnection.of("steam", "76561197960287930", "wumpus"));
        b.ban(FAN_CLUB, CLYDE);
        if (app.botToken() != null) {
            b.botInGuild(app.clientId(), TESTERS,
                    BotRoutes.CREATE_INSTANT_INVITE | BotRoutes.MANAGE_NICKNAMES | BotRoutes.MANAGE_ROLES);
            b.botInGuild(app.clientId(), LOUNGE, 0L);
        }
    }

    /** Adds {@code count} generated users (see {@link DiscordEmulator.Builder#generatedUsers}), each in the lounge. */
    static void addGeneratedUsers(DiscordEmulator.Builder b, int count) {
        b.generatedUsers(count);
        for (int i = 1; i <= count; i++) {
            b.member(EmulatedMember.builder(LOUNGE, DiscordEmulator.generatedUserId(i))
                    .permissions(MEMBER_PERMISSIONS).build());
        }
    }

    /** What the standalone emulator prints at start: where it is, the application and the users; no secrets. */
    static String banner(DiscordEmulator emulator, StandaloneOptions options) {
        EmulatedApplication app = options.application();
        StringBuilder out = new StringBuilder();
        out.append("Discord emulator listening on ").append(emulator.baseUri()).append('\n')
                .append("  authorize URL : ").append(emulator.authorizeUri()).append('\n')
                .append("  API base URL  : ").append(emulator.apiBaseUri()).append('\n')
                .append("  activate URL  : ").append(emulator.deviceCodes().verificationUri())
                .append(" (device grant)\n")
                .append("  CDN base URL  : ").append(emulator.cdnBaseUri()).append(" (placeholder images)\n")
                .append("  client id     : ").append(app.clientId()).append('\n');
        for (String uri : app.redirectUris()) {
            out.append("  redirect URI  : ").append(uri).append('\n');
        }
        out.append("  bot           : ").append(app.botToken() != null ? "yes (token set)" : "no").append('\n')
                .append("  client secret : ")
                .append(options.secretGiven() ? "as given with --client-secret" : "the default, see --help")
                .append('\n')
                .append("  auto-approve  : ").append(options.autoApprove() == null ? "off (consent page)"
                        : StandaloneOptions.EACH.equals(options.autoApprove()) ? "each user in turn"
                        : options.autoApprove()).append('\n')
                .append("  public key    : ").append(emulator.webhooks().publicKey())
                .append(" (Ed25519, signs webhook events)\n")
                .append(emulator.webhooks().url(app.clientId()).map(u -> "  webhook URL   : " + u + "\n").orElse(""))
                .append(emulator.adminUri().map(uri -> "  admin API     : " + uri + " (loopback only)\n")
                        .orElse(""))
                .append("Users:\n")
                .append("  80351110224678912   nelly   (Nelly)  email verified, in 4 guilds, github + twitch\n")
                .append("  268473310986240001  wumpus  (Wumpus) email verified, in 2 guilds, steam\n")
                .append("  613425648685547541  clyde           email NOT verified, in 2 guilds, banned from "
                        + "Wumpus Fan Club\n")
                .append(options.users() == 0 ? "" : "  " + DiscordEmulator.generatedUserId(1) + "  user1 ... user"
                        + options.users() + " (" + options.users() + " generated users, ids in order), in Emulator "
                        + "Lounge\n")
                .append("Press Ctrl-C to stop. One line per request follows.\n");
        return out.toString();
    }
}
