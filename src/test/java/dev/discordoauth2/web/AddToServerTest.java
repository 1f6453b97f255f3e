package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Add to server" on the login core against the emulator over real HTTP: Discord's bot authorization with the
 * configured scopes and permissions (bits past 32), the callback's state check, the server taken from the token
 * answer (not the redirect's hint), the event, the page; cancelling; the advanced flow with user scopes logs in.
 */
class AddToServerTest {
    private static final String CLIENT_ID = LinkedRolesTest.CLIENT_ID;
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String TESTERS = "197038439483310086";
    /** Send Messages and a bit past 2^52: Discord's permissions no longer fit 32 bits, nor a double's exact range. */
    private static final long PERMISSIONS = (1L << 52) | 2048L;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DiscordEmulator discord;
    private final List<LoginCore> cores = new ArrayList<>();
    private final List<DiscordBotAddedEvent> added = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret("core-secret")
                .botToken("bot-secret").redirectUri(CALLBACK).build()).autoApprove(GroupsTest.NELLY).admin(true)
                .start();
    }

    @AfterEach
    void stop() {
        cores.forEach(LoginCore::close);
        discord.close();
    }

    private LoginCore core(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID,
                DiscordConfig.CLIENT_SECRET, "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK,
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(),
                DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString(), DiscordConfig.WARM_UP, "false",
                DiscordConfig.BOT_PERMISSIONS, Long.toString(PERMISSIONS)));
        values.putAll(more);
        LoginCore core = LoginCore.start(DiscordConfig.of(values), discord.clock(), null);
        core.onBotAdded(added::add);
        cores.add(core);
        return core;
    }

    private JsonObject botGuilds() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(discord.adminUri().orElseThrow()
                + "/applications/" + CLIENT_ID + "/bot-guilds")).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Json.createReader(new StringReader(answer.body())).readObject();
    }

    private static TestExchange navigation(String path) {
        return TestExchange.get(path).header("Accept", "text/html");
    }

    @Test
    void addToServerWhenUserAuthorizesThenEventWithTheGuildAndPermissionsAndBotInTheGuild() throws Exception {
        LoginCore core = core(Map.of());
        TestExchange start = navigation("/discord/add-to-server?guild_id=" + TESTERS + "&disable_guild_select=true");
        assertEquals(LoginCore.Route.ADD_TO_SERVER, core.route(start, null));
        Outcome toDiscord = core.addToServer(start);
        Map<String, String> authorize = LinkedRolesTest.query(((Outcome.Redirect) toDiscord).location());
        assertEquals("bot", authorize.get("scope"));
        assertEquals(Long.toString(PERMISSIONS), authorize.get("permissions"));
        assertEquals(TESTERS, authorize.get("guild_id"));
        assertEquals("true", authorize.get("disable_guild_select"));
        assertEquals("code", authorize.get("response_type"));
        assertNotNull(authorize.get("state"));

        TestExchange back = LinkedRolesTest.throughDiscord(start, toDiscord);
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.callback(back));
        assertEquals(Outcome.Failure.BOT_ADDED, page.failure());
        assertEquals("The bot was added to Discord Testers.", page.message());
        assertEquals(1, added.size());
        DiscordBotAddedEvent event = added.get(0);
        assertEquals(TESTERS, event.guild().id());
        assertEquals("Discord Testers", event.guild().name());
        assertEquals(PERMISSIONS, event.permissions());
        assertEquals(Set.of("bot"), event.scopes());
        assertTrue(event.addedBy().isEmpty(), "bot scopes only: nobody logged in");
        assertTrue(core.user(back.next("/profile")).isEmpty());
        assertTrue(botGuilds().getJsonArray("guilds").stream().anyMatch(g -> g.asJsonObject().getString("guild_id")
                .equals(TESTERS) && g.asJsonObject().getString("permissions").equals(Long.toString(PERMISSIONS))));

        // the state was single-use: the same callback again adds nothing
        Outcome replay = core.callback(back.next(back.mappedPath() + "?" + back.rawQuery()).header("Accept", "text/html"));
        assertTrue(assertInstanceOf(Outcome.Page.class, replay).status() >= 400, "a used state is refused");
        assertEquals(1, added.size());
    }

    @Test
    void addToServerWhenRedirectNamesAnotherGuildThenTheTokenAnswersGuildIsTaken() throws Exception {
        LoginCore core = core(Map.of());
        TestExchange start = navigation("/discord/add-to-server?guild_id=" + TESTERS);
        TestExchange back = LinkedRolesTest.throughDiscord(start, core.addToServer(start));
        String forged = back.rawQuery().replace("guild_id=" + TESTERS, "guild_id=1000000000000000042");
        core.callback(back.next(back.mappedPath() + "?" + forged).header("Accept", "text/html"));
        assertEquals(TESTERS, added.get(0).guild().id());
    }

    @Test
    void addToServerWhenDiscordRateLimitsPastTheCallbacksBudgetThenBusyPageWithRetryAfterAndNoEvent()
            throws Exception {
        LoginCore core = core(Map.of(DiscordConfig.CALLBACK_TIMEOUT, "PT2S"));
        TestExchange start = navigation("/discord/add-to-server?guild_id=" + TESTERS);
        TestExchange back = LinkedRolesTest.throughDiscord(start, core.addToServer(start));
        discord.injectFault("POST /oauth2/token", dev.discordoauth2.emulator.Fault.rateLimited(
                java.time.Duration.ofSeconds(30), false, "shared"));
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.callback(back));
        assertEquals(Outcome.Failure.DISCORD_BUSY, page.failure());
        assertEquals(30, page.retryAfter());
        assertTrue(added.isEmpty());
    }

    @Test
    void addToServerWhenUserCancelsThenCancelledPageAndNoEvent() {
        LoginCore core = core(Map.of());
        TestExchange start = navigation("/discord/add-to-server");
        String state = LinkedRolesTest.query(((Outcome.Redirect) core.addToServer(start)).location()).get("state");
        Outcome page = core.callback(start.next("/oauth2/callback?error=access_denied&state=" + state)
                .header("Accept", "text/html"));
        assertEquals(Outcome.Failure.BOT_CANCELLED, assertInstanceOf(Outcome.Page.class, page).failure());
        assertTrue(added.isEmpty());
    }

    @Test
    void addToServerWhenGuildIdIsNotASnowflakeThen400AndNothingStarted() {
        LoginCore core = core(Map.of());
        TestExchange start = navigation("/discord/add-to-server?guild_id=evil");
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.addToServer(start));
        assertEquals(400, page.status());
        assertNull(start.currentSession(), "no pending login was stored");
    }

    @Test
    void addToServerWhenUserScopesTooThenLoggedInAndEventNamesTheUser() throws Exception {
        LoginCore core = core(Map.of(DiscordConfig.BOT_SCOPES, "bot applications.commands identify",
                DiscordConfig.AFTER_ADD_TO_SERVER_URI, "/installed"));
        TestExchange start = navigation("/discord/add-to-server?guild_id=" + TESTERS);
        TestExchange back = LinkedRolesTest.throughDiscord(start, core.addToServer(start));
        Outcome.Redirect done = assertInstanceOf(Outcome.Redirect.class, core.callback(back));
        assertEquals("http://127.0.0.1:8080/app/installed?guild_id=" + TESTERS, done.location());
        assertEquals(GroupsTest.NELLY, added.get(0).addedBy().orElseThrow().id());
        assertEquals(Set.of("bot", "applications.commands", "identify"), added.get(0).scopes());
        assertEquals(GroupsTest.NELLY, core.user(back.next("/profile")).orElseThrow().id());
    }

    @Test
    void configWhenBotScopesLackBotOrPermissionsAreNotANumberThenRefusedNamingTheKey() {
        IllegalStateException scopes = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> core(Map.of(DiscordConfig.BOT_SCOPES, "identify")));
        assertTrue(scopes.getMessage().contains(DiscordConfig.BOT_SCOPES), scopes.getMessage());
        IllegalStateException permissions = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> core(Map.of(DiscordConfig.BOT_PERMISSIONS, "-1")));
        assertTrue(permissions.getMessage().contains(DiscordConfig.BOT_PERMISSIONS), permissions.getMessage());
    }
}
