package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.model.RoleConnectionMetadata.Type;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Linked roles end to end on the login core against the emulator over real HTTP: the Linked Roles Verification URL
 * (Discord, the callback, the connection stored at the emulator, the page), the schema checked at start and
 * registered only when Discord holds another, a registration that fails and is retried, values checked against the
 * schema before they are sent.
 */
class LinkedRolesTest {
    static final String CLIENT_ID = "100000000000000042";
    private static final String CALLBACK = "http://127.0.0.1:8080/app/oauth2/callback";
    private static final String METADATA = "GET /applications/{application.id}/role-connections/metadata";
    private static final String PUT_CONNECTION = "PUT /users/@me/applications/{application.id}/role-connection";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final List<RoleConnectionMetadata> SCHEMA = List.of(
            RoleConnectionMetadata.of(Type.INTEGER_GREATER_THAN_OR_EQUAL, "level", "Level", "Level on the platform"),
            RoleConnectionMetadata.of(Type.BOOLEAN_EQUAL, "supporter", "Supporter", "Supports the platform"),
            RoleConnectionMetadata.of(Type.DATETIME_LESS_THAN_OR_EQUAL, "since", "Member since", "Joined on"));

    /** The application's side: connections by user id, changed by the tests. */
    static class Platform implements RoleConnectionSource {
        final Map<String, RoleConnection> connections = new ConcurrentHashMap<>();
        final List<RoleConnectionMetadata> schema;

        Platform(List<RoleConnectionMetadata> schema) {
            this.schema = schema;
        }

        @Override
        public List<RoleConnectionMetadata> schema() {
            return schema;
        }

        @Override
        public Optional<RoleConnection> connectionOf(String userId) {
            return Optional.ofNullable(connections.get(userId));
        }
    }

    private DiscordEmulator discord;
    private final List<LoginCore> cores = new ArrayList<>();
    private final Platform platform = new Platform(SCHEMA);

    @BeforeEach
    void start() {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret("core-secret")
                .botToken("bot-secret").redirectUri(CALLBACK).build()).autoApprove(GroupsTest.NELLY).admin(true)
                .start();
        platform.connections.put(GroupsTest.NELLY, RoleConnection.of("Example Game", "nelly_the_great",
                Map.of("level", 42, "supporter", true, "since", Instant.parse("2024-05-01T10:00:00Z"))));
    }

    @AfterEach
    void stop() {
        cores.forEach(LoginCore::close);
        discord.close();
    }

    private LoginCore core(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, CLIENT_ID,
                DiscordConfig.CLIENT_SECRET, "core-secret", DiscordConfig.REDIRECT_URI, CALLBACK,
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(), DiscordConfig.BOT_TOKEN, "bot-secret",
                DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString(), DiscordConfig.WARM_UP, "false"));
        values.putAll(more);
        values.values().removeIf(String::isEmpty);
        LoginCore core = LoginCore.start(DiscordConfig.of(values), discord.clock(), null);
        cores.add(core);
        return core;
    }

    private JsonObject admin(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(discord.adminUri().orElseThrow()
                + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return Json.createReader(new StringReader(answer.body())).readObject();
    }

    static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        String q = URI.create(url).getRawQuery();
        for (String pair : q == null ? new String[0] : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Follows the redirect to the emulator (auto-approved) and returns the callback request it sends back. */
    static TestExchange throughDiscord(TestExchange browser, Outcome toDiscord) throws Exception {
        Outcome.Redirect redirect = assertInstanceOf(Outcome.Redirect.class, toDiscord);
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(redirect.location())).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElseThrow();
        return browser.next(location.substring("http://127.0.0.1:8080/app".length())).header("Accept", "text/html");
    }

    private static void awaitRegistration(LinkedRoles roles, LinkedRoles.Registration wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (roles.registration() != wanted && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(wanted, roles.registration());
    }

    @Test
    void verifyLinkedRolesWhenUserConnectsThenConnectionStoredAtDiscordAndPageSaysReturnToDiscord() throws Exception {
        LoginCore core = core(Map.of());
        core.useRoleConnections(platform);
        TestExchange start = TestExchange.get("/discord/linked-roles").header("Accept", "text/html");
        assertEquals(LoginCore.Route.LINKED_ROLES, core.route(start, null));
        Outcome toDiscord = core.verifyLinkedRoles(start);
        Map<String, String> authorize = query(((Outcome.Redirect) toDiscord).location());
        assertEquals("identify role_connections.write", authorize.get("scope"));
        assertNull(authorize.get("code_challenge"), "Discord refuses PKCE with role_connections.write");

        TestExchange back = throughDiscord(start, toDiscord);
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.callback(back));
        assertEquals(Outcome.Failure.LINKED_ROLES_CONNECTED, page.failure());
        assertEquals(200, page.status());

        JsonObject stored = admin("/applications/" + CLIENT_ID + "/role-connections?user_id=" + GroupsTest.NELLY)
                .getJsonArray("role_connections").getJsonObject(0);
        assertEquals("Example Game", stored.getString("platform_name"));
        assertEquals("nelly_the_great", stored.getString("platform_username"));
        assertEquals(Json.createObjectBuilder().add("level", "42").add("supporter", "1")
                .add("since", "2024-05-01T10:00Z").build(), stored.getJsonObject("metadata"));
        assertEquals(GroupsTest.NELLY, core.user(back.next("/profile")).orElseThrow().id(), "logged in too");
    }

    @Test
    void verifyLinkedRolesWhenTheSchemaIsStillBeingRegisteredThenThePushWaitsForItNotARetryPage() throws Exception {
        // Discord answers the schema's first read slowly: the user comes back before the new key "since" is known
        discord.injectFault(METADATA, Fault.delay(Duration.ofMillis(1500)).times(1));
        LoginCore core = core(Map.of());
        core.useRoleConnections(platform);
        TestExchange start = TestExchange.get("/discord/linked-roles").header("Accept", "text/html");
        TestExchange back = throughDiscord(start, core.verifyLinkedRoles(start));
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.callback(back));
        assertEquals(Outcome.Failure.LINKED_ROLES_CONNECTED, page.failure());
    }

    @Test
    void verifyLinkedRolesWhenLoggedInWithTheScopeThenPushedWithoutDiscord() throws Exception {
        LoginCore core = core(Map.of(DiscordConfig.SCOPES, "identify role_connections.write"));
        core.useRoleConnections(platform);
        TestExchange start = TestExchange.get("/profile").header("Accept", "text/html");
        TestExchange back = throughDiscord(start, core.protect(start));
        assertInstanceOf(Outcome.Redirect.class, core.callback(back));
        platform.connections.put(GroupsTest.NELLY, RoleConnection.of("Example Game", null, Map.of("level", 7)));

        Outcome again = core.verifyLinkedRoles(back.next("/discord/linked-roles").header("Accept", "text/html"));
        assertEquals(Outcome.Failure.LINKED_ROLES_CONNECTED, assertInstanceOf(Outcome.Page.class, again).failure());
        assertEquals("7", admin("/applications/" + CLIENT_ID + "/role-connections?user_id=" + GroupsTest.NELLY)
                .getJsonArray("role_connections").getJsonObject(0).getJsonObject("metadata").getString("level"));
    }

    @Test
    void verifyLinkedRolesWhenUserCancelsThenCancelledPageAndNothingStored() throws Exception {
        LoginCore core = core(Map.of());
        core.useRoleConnections(platform);
        TestExchange start = TestExchange.get("/discord/linked-roles").header("Accept", "text/html");
        String state = query(((Outcome.Redirect) core.verifyLinkedRoles(start)).location()).get("state");
        Outcome cancelled = core.callback(start.next("/oauth2/callback?error=access_denied&state=" + state));
        Outcome.Redirect toPage = assertInstanceOf(Outcome.Redirect.class, cancelled);
        assertEquals("http://127.0.0.1:8080/app/discord/linked-roles?cancelled", toPage.location());
        Outcome page = core.verifyLinkedRoles(start.next("/discord/linked-roles?cancelled"));
        assertEquals(Outcome.Failure.LINKED_ROLES_CANCELLED, ((Outcome.Page) page).failure());
        assertEquals(0, admin("/applications/" + CLIENT_ID + "/role-connections").getInt("total"));
    }

    @Test
    void verifyLinkedRolesWhenDiscordFailsThePushThenRetryPageAndLoginKept() throws Exception {
        LoginCore core = core(Map.of());
        core.useRoleConnections(platform);
        discord.injectFault(PUT_CONNECTION, Fault.status(500, "{}").times(10));
        TestExchange start = TestExchange.get("/discord/linked-roles").header("Accept", "text/html");
        TestExchange back = throughDiscord(start, core.verifyLinkedRoles(start));
        Outcome.Page page = assertInstanceOf(Outcome.Page.class, core.callback(back));
        assertEquals(Outcome.Failure.LINKED_ROLES_FAILED, page.failure());
        assertTrue(page.retryAfter() > 0);
        assertEquals("http://127.0.0.1:8080/app/discord/linked-roles", page.link());
        assertTrue(core.user(back.next("/profile")).isPresent(), "the login is kept");
    }

    @Test
    void verifyLinkedRolesWhenNoSourceThen404() {
        LoginCore core = core(Map.of());
        Outcome page = core.verifyLinkedRoles(TestExchange.get("/discord/linked-roles").header("Accept", "text/html"));
        assertEquals(404, assertInstanceOf(Outcome.Page.class, page).status());
    }

    @Test
    void useRoleConnectionsWhenDiscordHoldsAnotherSchemaThenRegisteredOnceAndLaterStartsSendNothing()
            throws Exception {
        LinkedRoles first = core(Map.of()).useRoleConnections(platform);
        awaitRegistration(first, LinkedRoles.Registration.REGISTERED);
        JsonObject registered = admin("/applications/" + CLIENT_ID + "/role-connection-metadata");
        assertEquals(1, registered.getInt("updates"));
        assertEquals(List.of("level", "supporter", "since"), registered.getJsonArray("records").stream()
                .map(r -> r.asJsonObject().getString("key")).toList());

        LinkedRoles second = core(Map.of()).useRoleConnections(new Platform(SCHEMA));
        awaitRegistration(second, LinkedRoles.Registration.UNCHANGED);
        assertEquals(1, admin("/applications/" + CLIENT_ID + "/role-connection-metadata").getInt("updates"));
    }

    @Test
    void useRoleConnectionsWhenDiscordIsDownThenStartsAndRegistersOnRetry() throws Exception {
        discord.injectFault(METADATA, Fault.status(503, "{}").times(3)); // the client's own retries take them
        discord.injectFault(METADATA, Fault.status(400, "{\"message\":\"Invalid Form Body\",\"code\":50035}").times(1)); // then a refusal: the library's retry later
        LoginCore core = core(Map.of());
        LinkedRoles roles = LinkedRoles.start(platform, core.parts().client, core.offline(), Duration.ofMillis(200));
        try {
            awaitRegistration(roles, LinkedRoles.Registration.REGISTERED);
            assertEquals(1, admin("/applications/" + CLIENT_ID + "/role-connection-metadata").getInt("updates"));
        } finally {
            roles.close();
        }
    }

    @Test
    void useRoleConnectionsWhenNoBotTokenThenStartsWithoutRegistering() throws Exception {
        LinkedRoles roles = core(Map.of(DiscordConfig.BOT_TOKEN, "")).useRoleConnections(platform);
        awaitRegistration(roles, LinkedRoles.Registration.NO_BOT_TOKEN);
        assertEquals(0, admin("/applications/" + CLIENT_ID + "/role-connection-metadata").getInt("updates"));
    }

    @Test
    void useRoleConnectionsWhenSchemaBreaksDiscordsRulesThenFailsNamingTheRecord() {
        LoginCore core = core(Map.of());
        List<RoleConnectionMetadata> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(RoleConnectionMetadata.of(Type.INTEGER_EQUAL, "k" + i, "K", "K"));
        }
        IllegalStateException tooMany = assertThrows(IllegalStateException.class,
                () -> core.useRoleConnections(new Platform(six)));
        assertTrue(tooMany.getMessage().contains("6 records; Discord allows at most 5"), tooMany.getMessage());

        IllegalStateException repeated = assertThrows(IllegalStateException.class, () -> core.useRoleConnections(
                new Platform(List.of(SCHEMA.get(0), SCHEMA.get(0)))));
        assertTrue(repeated.getMessage().contains("record 2 (key \"level\") repeats a key"), repeated.getMessage());

        RoleConnectionMetadata badLocale = new RoleConnectionMetadata(Type.BOOLEAN_EQUAL, "vip", "VIP",
                Map.of("en", "VIP"), "A VIP", Map.of());
        IllegalStateException locale = assertThrows(IllegalStateException.class,
                () -> core.useRoleConnections(new Platform(List.of(badLocale))));
        assertTrue(locale.getMessage().contains("record 1 (key \"vip\") has a name localization for \"en\""),
                locale.getMessage());

        IllegalStateException fromSource = assertThrows(IllegalStateException.class, () -> core.useRoleConnections(
                new Platform(null) {
                    @Override
                    public List<RoleConnectionMetadata> schema() {
                        return List.of(RoleConnectionMetadata.of(Type.INTEGER_EQUAL, "score", "", "Score"));
                    }
                }));
        assertTrue(fromSource.getMessage().contains("name of the record with key \"score\" must be 1-100"),
                fromSource.getMessage());
        assertTrue(core.linkedRoles().isEmpty(), "no half-configured linked roles");
    }

    @Test
    void pushWhenValueDoesNotFitItsTypeThenRefusedNamingTheKeyAndNothingSent() throws Exception {
        LoginCore core = core(Map.of());
        LinkedRoles roles = core.useRoleConnections(platform);
        var token = core.client().fromAccessToken("never-used");
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> roles.push(token,
                RoleConnection.of("Example Game", null, Map.of("level", "forty-two"))));
        assertTrue(wrongType.getMessage().contains("\"level\" does not fit its type INTEGER_GREATER_THAN_OR_EQUAL"),
                wrongType.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> roles.push(token,
                RoleConnection.of("Example Game", null, Map.of("rank", 1))));
        assertTrue(unknown.getMessage().contains("\"rank\" is not a key of the schema"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> roles.push(token,
                RoleConnection.of("Example Game", null, Map.of("supporter", 2))));
        assertThrows(IllegalArgumentException.class, () -> RoleConnection.of("x".repeat(51), null, Map.of()));
        assertFalse(discord.journal().stream().anyMatch(r -> PUT_CONNECTION.equals(r.route())), "nothing sent");
    }
}
