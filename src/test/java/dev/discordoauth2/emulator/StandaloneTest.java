package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The standalone emulator: its command line, its start banner, the emulator {@code main} builds and its log. */
class StandaloneTest {
    private static final String CUSTOM_ID = "123456789012345678";
    private static final String CUSTOM_SECRET = "custom-Secret-4f9a";
    private static final String CUSTOM_BOT_TOKEN = "custom-Bot-Token-77c1";
    private static final String CUSTOM_REDIRECT_1 = "http://localhost:3000/auth/discord/callback";
    private static final String CUSTOM_REDIRECT_2 = "https://demo.example/callback";

    private static StandaloneOptions customOptions(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--port", "0", "--client-id", CUSTOM_ID,
                "--client-secret", CUSTOM_SECRET, "--redirect-uri", CUSTOM_REDIRECT_1,
                "--redirect-uri", CUSTOM_REDIRECT_2, "--bot-token", CUSTOM_BOT_TOKEN));
        args.addAll(List.of(extra));
        return StandaloneOptions.parse(args.toArray(String[]::new));
    }

    /** Built as {@code main} builds it, on a free port, approving every request as Nelly. */
    private static DiscordEmulator startLikeMain(StandaloneOptions options, PrintStream log) {
        DiscordEmulator.Builder builder = EmulatorMain.builderFor(options).port(0).autoApprove(NELLY);
        if (log != null) {
            builder.logRequestsTo(log);
        }
        return builder.start();
    }

    private static URI authorize(DiscordEmulator discord, String clientId, String redirectUri, String state) {
        return withQuery(discord.authorizeUri(), params("client_id", clientId, "redirect_uri", redirectUri,
                "response_type", "code", "scope", "identify guilds", "state", state));
    }

    // -------------------------------------------------------------------------------------------- options

    @Test
    void parseWhenNoArgumentsThenDefaults() {
        StandaloneOptions options = StandaloneOptions.parse(new String[0]);
        assertEquals(8090, options.port());
        assertFalse(options.help());
        assertFalse(options.secretGiven());
        assertNull(options.autoApprove());
        EmulatedApplication app = options.application();
        assertEquals("1100000000000000001", app.clientId());
        assertEquals("emulator-client-secret", app.clientSecret());
        assertEquals(List.of("http://localhost:8080/oauth2/callback"), app.redirectUris());
        assertEquals("emulator-bot-token", app.botToken());
        assertEquals(NELLY, app.ownerId());
        assertEquals(List.of("level", "supporter"),
                app.roleConnectionMetadata().stream().map(EmulatedMetadataField::key).toList());
    }

    @Test
    void parseWhenEveryFlagGivenThenEveryValueApplied() {
        StandaloneOptions options = customOptions("--auto-approve", WUMPUS);
        assertEquals(0, options.port());
        assertTrue(options.secretGiven());
        assertEquals(WUMPUS, options.autoApprove());
        assertFalse(options.help());
        EmulatedApplication app = options.application();
        assertEquals(CUSTOM_ID, app.clientId());
        assertEquals(CUSTOM_SECRET, app.clientSecret());
        assertEquals(List.of(CUSTOM_REDIRECT_1, CUSTOM_REDIRECT_2), app.redirectUris(),
                "repeated --redirect-uri, in order, without the default");
        assertEquals(CUSTOM_BOT_TOKEN, app.botToken());
    }

    @Test
    void parseWhenPortGivenThenUsed() {
        assertEquals(9123, StandaloneOptions.parse(new String[] {"--port", "9123"}).port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void parseWhenHelpFlagThenHelp(String flag) {
        assertTrue(StandaloneOptions.parse(new String[] {flag}).help());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--verbose", "--clientid", "8090", "-p"})
    void parseWhenUnknownFlagThenIllegalArgumentException(String flag) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandaloneOptions.parse(new String[] {flag}));
        assertTrue(e.getMessage().contains(flag), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port", "--client-id", "--client-secret", "--redirect-uri", "--bot-token",
            "--auto-approve"})
    void parseWhenFlagValueMissingThenIllegalArgumentException(String flag) {
        IllegalArgumentException atEnd = assertThrows(IllegalArgumentException.class,
                () -> StandaloneOptions.parse(new String[] {flag}));
        assertTrue(atEnd.getMessage().contains(flag), atEnd.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StandaloneOptions.parse(new String[] {flag, "--help"}), "another flag is not a value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eighty", "80.5", "70000", "-1"})
    void parseWhenPortInvalidThenIllegalArgumentException(String port) {
        assertThrows(IllegalArgumentException.class, () -> StandaloneOptions.parse(new String[] {"--port", port}));
    }

    @Test
    void parseWhenClientIdNotSnowflakeThenIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class,
                () -> StandaloneOptions.parse(new String[] {"--client-id", "my-app"}));
    }

    @Test
    void parseWhenLimitAndLifetimeFlagsGivenThenParsed() {
        StandaloneOptions options = StandaloneOptions.parse(new String[] {"--rate-limit", "GET /users/@me=2/PT30S",
                "--rate-limit", "POST /oauth2/token=1/0.5", "--global-rate-limit", "20/1",
                "--access-token-lifetime", "PT1H", "--code-lifetime", "30", "--admin"});
        assertEquals(Map.of("GET /users/@me", new RateLimiter.Limit(2, java.time.Duration.ofSeconds(30)),
                "POST /oauth2/token", new RateLimiter.Limit(1, java.time.Duration.ofMillis(500))),
                options.rateLimits());
        assertEquals(new RateLimiter.Limit(20, java.time.Duration.ofSeconds(1)), options.globalRateLimit());
        assertEquals(java.time.Duration.ofHours(1), options.accessTokenLifetime());
        assertEquals(java.time.Duration.ofSeconds(30), options.codeLifetime());
        assertTrue(options.admin());
        assertFalse(StandaloneOptions.parse(new String[0]).admin(), "the admin API is off by default");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "--rate-limit|/users/@me=2/PT1S", "--rate-limit|GET /users/@me", "--rate-limit|GET /users/@me=0/PT1S",
            "--rate-limit|GET /users/@me=two/PT1S", "--rate-limit|GET /users/@me=2/soon",
            "--rate-limit|GET /users/@me=2/PT0S", "--global-rate-limit|50", "--global-rate-limit|50/-1",
            "--access-token-lifetime|forever", "--access-token-lifetime|0", "--code-lifetime|P", "--code-lifetime|-5"})
    void parseWhenLimitOrDurationInvalidThenErrorNamesTheFlag(String flag, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandaloneOptions.parse(new String[] {flag, value}));
        assertTrue(e.getMessage().startsWith(flag), e.getMessage());
    }

    @Test
    void builderForWhenLimitAndLifetimeFlagsGivenThenEmulatorUsesThem() {
        StandaloneOptions options = customOptions("--rate-limit", "GET /users/@me=1/PT60S",
                "--access-token-lifetime", "PT1H", "--code-lifetime", "PT5S");
        try (DiscordEmulator discord = startLikeMain(options, null)) {
            HttpResponse<String> authorized = get(authorize(discord, CUSTOM_ID, CUSTOM_REDIRECT_1, "s"));
            String staleCode = locationParams(authorized, false).get("code");
            discord.advanceClock(java.time.Duration.ofSeconds(6));
            HttpResponse<String> stale = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                    "code", staleCode, "redirect_uri", CUSTOM_REDIRECT_1), "Authorization", basic(CUSTOM_ID,
                    CUSTOM_SECRET));
            assertEquals(400, stale.statusCode(), "the code lived 5 s: " + stale.body());

            String code = locationParams(get(authorize(discord, CUSTOM_ID, CUSTOM_REDIRECT_1, "s")), false)
                    .get("code");
            HttpResponse<String> tokens = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                    "code", code, "redirect_uri", CUSTOM_REDIRECT_1), "Authorization", basic(CUSTOM_ID,
                    CUSTOM_SECRET));
            assertEquals(3600, object(tokens).getInt("expires_in"));
            String token = object(tokens).getString("access_token");
            assertEquals(200, get(api(discord, "/users/@me"), "Authorization", bearer(token)).statusCode());
            assertEquals(429, get(api(discord, "/users/@me"), "Authorization", bearer(token)).statusCode());
        }
    }

    @Test
    void bannerWhenAdminGivenThenNamesTheAdminUrl() {
        StandaloneOptions options = customOptions("--admin");
        try (DiscordEmulator discord = startLikeMain(options, null)) {
            String banner = DemoData.banner(discord, options);
            assertTrue(banner.contains("admin API     : " + discord.baseUri() + "/__admin"), banner);
        }
        StandaloneOptions without = customOptions();
        try (DiscordEmulator discord = startLikeMain(without, null)) {
            assertFalse(DemoData.banner(discord, without).contains("__admin"));
        }
    }

    @Test
    void bannerPrintsThePublicKeyAndTheWebhookUrlFromTheWebhookFlags() {
        String seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
        StandaloneOptions options = customOptions("--webhook-url", "http://127.0.0.1:9/events",
                "--webhook-key-seed", seed);
        try (DiscordEmulator discord = startLikeMain(options, null)) {
            String banner = DemoData.banner(discord, options);
            assertTrue(banner.contains("public key    : d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
                    banner);
            assertTrue(banner.contains("webhook URL   : http://127.0.0.1:9/events"), banner);
        }
        for (String[] bad : List.of(new String[] {"--webhook-url", "/events"},
                new String[] {"--webhook-url", "ftp://x/"}, new String[] {"--webhook-key-seed", "abc"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StandaloneOptions.parse(bad));
            assertTrue(e.getMessage().startsWith(bad[0]), e.getMessage());
        }
    }

    @Test
    void usageWhenPrintedThenNamesEveryFlag() {
        for (String flag : List.of("--port", "--client-id", "--client-secret", "--redirect-uri", "--bot-token",
                "--auto-approve", "--rate-limit", "--global-rate-limit", "--access-token-lifetime",
                "--code-lifetime", "--admin", "--users", "--webhook-url", "--webhook-key-seed", "--help")) {
            assertTrue(StandaloneOptions.USAGE.contains(flag), flag);
        }
    }

    // -------------------------------------------------------------------------------------------- banner

    @Test
    void bannerWhenCustomOptionsThenNamesClientIdRedirectsAndUsersButNoSecret() {
        StandaloneOptions options = customOptions();
        try (DiscordEmulator discord = startLikeMain(options, null)) {
            String banner = DemoData.banner(discord, options);
            assertTrue(banner.contains(discord.baseUri().toString()), banner);
            assertTrue(banner.contains(discord.authorizeUri().toString()), banner);
            assertTrue(banner.contains(discord.apiBaseUri().toString()), banner);
            assertTrue(banner.contains(CUSTOM_ID), banner);
            assertTrue(banner.contains(CUSTOM_REDIRECT_1), banner);
            assertTrue(banner.contains(CUSTOM_REDIRECT_2), banner);
            for (String user : List.of(NELLY, WUMPUS, CLYDE, "nelly", "wumpus", "clyde")) {
                assertTrue(banner.contains(user), "names " + user + ": " + banner);
            }
            assertFalse(banner.contains(CUSTOM_SECRET), banner);
            assertFalse(banner.contains(CUSTOM_BOT_TOKEN), banner);
            assertFalse(banner.contains("custom-"), "no part of a credential: " + banner);
        }
    }

    @Test
    void bannerWhenDefaultOptionsThenNoSecretOrBotToken() {
        StandaloneOptions options = StandaloneOptions.parse(new String[] {"--port", "0"});
        try (DiscordEmulator discord = startLikeMain(options, null)) {
            String banner = DemoData.banner(discord, options);
            assertTrue(banner.contains(StandaloneOptions.DEFAULT_CLIENT_ID), banner);
            assertTrue(banner.contains(StandaloneOptions.DEFAULT_REDIRECT_URI), banner);
            assertFalse(banner.contains(StandaloneOptions.DEFAULT_CLIENT_SECRET), banner);
            assertFalse(banner.contains(StandaloneOptions.DEFAULT_BOT_TOKEN), banner);
        }
    }

    @Test
    void bannerWhenAutoApproveGivenThenNamesTheUser() {
        StandaloneOptions options = customOptions("--auto-approve", WUMPUS);
        try (DiscordEmulator discord = startLikeMain(options, null)) {
            String line = DemoData.banner(discord, options).lines().filter(l -> l.contains("auto-approve"))
                    .findFirst().orElseThrow();
            assertTrue(line.contains(WUMPUS), line);
        }
    }

    // -------------------------------------------------------------------------------------------- emulator

    @Test
    void authorizeWhenBuiltLikeMainWithAutoApproveThenRedirectWithCodeThatExchanges() {
        StandaloneOptions options = customOptions();
        try (DiscordEmulator discord = startLikeMain(options, null)) {
            HttpResponse<String> response = get(authorize(discord, CUSTOM_ID, CUSTOM_REDIRECT_2, "xyz"));
            assertEquals(302, response.statusCode(), response.body());
            String location = response.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith(CUSTOM_REDIRECT_2 + "?"), location);
            Map<String, String> query = locationParams(response, false);
            String code = query.get("code");
            assertNotNull(code, location);
            assertEquals("xyz", query.get("state"));

            HttpResponse<String> tokens = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                    "code", code, "redirect_uri", CUSTOM_REDIRECT_2), "Authorization", basic(CUSTOM_ID, CUSTOM_SECRET));
            assertEquals(200, tokens.statusCode(), tokens.body());
            String accessToken = object(tokens).getString("access_token");
            JsonObject me = object(get(api(discord, "/users/@me"), "Authorization", bearer(accessToken)));
            assertEquals(NELLY, me.getString("id"), "auto-approved as Nelly");
        }
    }

    @Test
    void parseWhenUsersGivenThenCountKept() {
        assertEquals(0, customOptions().users());
        assertEquals(10000, customOptions("--users", "10000").users());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1000001", "many", ""})
    void parseWhenUsersInvalidThenIllegalArgumentExceptionNamesTheFlag(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> customOptions("--users", value));
        assertTrue(e.getMessage().contains("--users"), e.getMessage());
    }

    @Test
    void bannerWhenGeneratedUsersAndEachGivenThenNamesBoth() {
        StandaloneOptions options = customOptions("--users", "7", "--auto-approve", "each");
        try (DiscordEmulator discord = EmulatorMain.builderFor(options).port(0).start()) {
            String banner = DemoData.banner(discord, options);
            assertTrue(banner.contains("each user in turn"), banner);
            assertTrue(banner.contains("user1 ... user7") && banner.contains(DiscordEmulator.generatedUserId(1)),
                    banner);
        }
    }

    @Test
    void authorizeWhenAutoApproveEachWithGeneratedUsersThenEachAuthorizationIsTheNextUser() {
        StandaloneOptions options = customOptions("--users", "3", "--auto-approve", "each");
        try (DiscordEmulator discord = EmulatorMain.builderFor(options).port(0).start()) {
            List<String> ids = new java.util.ArrayList<>();
            List<String> tokens = new java.util.ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String token = login(discord);
                tokens.add(token);
                ids.add(object(get(api(discord, "/users/@me"), "Authorization", bearer(token))).getString("id"));
            }
            assertEquals(List.of(NELLY, WUMPUS, CLYDE, DiscordEmulator.generatedUserId(1),
                    DiscordEmulator.generatedUserId(2), DiscordEmulator.generatedUserId(3), NELLY), ids,
                    "demo users first, then the generated ones, then round again");
            JsonObject user2 = object(get(api(discord, "/users/@me"), "Authorization", bearer(tokens.get(4))));
            assertEquals("user2", user2.getString("username"));
            String guilds = get(api(discord, "/users/@me/guilds"), "Authorization", bearer(tokens.get(4))).body();
            assertTrue(guilds.contains(DemoData.LOUNGE), "a generated user is in the lounge: " + guilds);

            // revoking user1's authorization leaves user2's alone: distinct users, no cascade between them
            HttpResponse<String> revoke = postForm(api(discord, "/oauth2/token/revoke"), params("token", tokens.get(3)),
                    "Authorization", basic(CUSTOM_ID, CUSTOM_SECRET));
            assertEquals(200, revoke.statusCode(), revoke.body());
            assertEquals(401, get(api(discord, "/users/@me"), "Authorization", bearer(tokens.get(3))).statusCode());
            assertEquals(200, get(api(discord, "/users/@me"), "Authorization", bearer(tokens.get(4))).statusCode());
        }
    }

    @Test
    void generatedUserIdWhenManyThenUniqueStableSnowflakes() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int n = 1; n <= 20000; n++) {
            String id = DiscordEmulator.generatedUserId(n);
            assertTrue(id.matches("[1-9][0-9]{16,19}"), id);
            assertTrue(ids.add(id), "unique: " + id);
        }
        assertEquals(DiscordEmulator.generatedUserId(4097), DiscordEmulator.generatedUserId(4097));
    }

    private static String login(DiscordEmulator discord) {
        HttpResponse<String> response = get(authorize(discord, CUSTOM_ID, CUSTOM_REDIRECT_2, "s"));
        assertEquals(302, response.statusCode(), response.body());
        String code = locationParams(response, false).get("code");
        HttpResponse<String> tokens = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", CUSTOM_REDIRECT_2), "Authorization", basic(CUSTOM_ID, CUSTOM_SECRET));
        assertEquals(200, tokens.statusCode(), tokens.body());
        return object(tokens).getString("access_token");
    }

    @Test
    void authorizeWhenBuiltLikeMainAndDefaultClientIdUsedThenRefused() {
        StandaloneOptions options = customOptions();
        try (DiscordEmulator discord = startLikeMain(options, null)) {
            HttpResponse<String> response = get(authorize(discord, StandaloneOptions.DEFAULT_CLIENT_ID,
                    CUSTOM_REDIRECT_1, "xyz"));
            assertEquals(400, response.statusCode(), "only the configured client id is registered");
            assertTrue(response.headers().firstValue("Location").isEmpty());
        }
    }

    @Test
    void logRequestsToWhenRequestsThenOneLinePerRequestWithoutQueryOrCredentials() {
        StandaloneOptions options = customOptions();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String code;
        String accessToken;
        String refreshToken;
        List<RecordedRequest> journal;
        try (DiscordEmulator discord = startLikeMain(options, log)) {
            HttpResponse<String> authorized = get(authorize(discord, CUSTOM_ID, CUSTOM_REDIRECT_1, "st4te-secret"));
            assertEquals(302, authorized.statusCode());
            code = locationParams(authorized, false).get("code");
            HttpResponse<String> tokenResponse = postForm(discord.tokenUri(), params("grant_type",
                    "authorization_code", "code", code, "redirect_uri", CUSTOM_REDIRECT_1),
                    "Authorization", basic(CUSTOM_ID, CUSTOM_SECRET));
            assertEquals(200, tokenResponse.statusCode(), tokenResponse.body());
            accessToken = object(tokenResponse).getString("access_token");
            refreshToken = object(tokenResponse).getString("refresh_token");
            assertEquals(200, get(withQuery(api(discord, "/users/@me/guilds"), params("limit", "1")),
                    "Authorization", bearer(accessToken)).statusCode());
            assertEquals(200, get(api(discord, "/users/@me"), "Authorization", bearer(accessToken)).statusCode());
            assertEquals(401, get(api(discord, "/users/@me"), "Authorization", bearer("wrong-token-123"))
                    .statusCode());
            assertEquals(404, get(URI.create(discord.baseUri() + "/robots.txt")).statusCode());
            journal = discord.journal();
        } // close() waits for the workers, so every line has been written
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(6, journal.size());
        assertEquals(journal.size(), lines.size(), "one line per request: " + lines);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            RecordedRequest request = journal.get(i);
            assertTrue(line.contains(" " + request.method() + " " + request.path() + " "), line);
            assertTrue(line.contains(" " + request.status() + " "), line);
            assertFalse(line.contains("?"), "no query string: " + line);
            for (String secret : List.of(code, accessToken, refreshToken, "st4te-secret", "wrong-token-123",
                    CUSTOM_SECRET, CUSTOM_BOT_TOKEN, basic(CUSTOM_ID, CUSTOM_SECRET).substring(6), "Bearer", "Basic",
                    "limit=1")) {
                assertFalse(line.contains(secret), "the log line leaks " + secret + ": " + line);
            }
        }
    }
}
