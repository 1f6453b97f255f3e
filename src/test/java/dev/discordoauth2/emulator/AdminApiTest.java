package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin API under {@code /__admin}, driven over real HTTP with the JDK client as another process would: faults
 * (queued and random), the clock, the journal, rate limits, redirect URIs, revoking an authorization, what an
 * application holds on Discord's side (tokens, role connections, metadata records, bot guilds), reset, its JSON errors
 * and its loopback-only access.
 */
class AdminApiTest {
    private DiscordEmulator discord;

    @AfterEach
    void stop() {
        if (discord != null) {
            discord.close();
        }
    }

    private DiscordEmulator start() {
        discord = demo().admin(true).start();
        return discord;
    }

    private URI admin(String path) {
        return URI.create(discord.adminUri().orElseThrow() + path);
    }

    private HttpResponse<String> adminJson(String method, String path, String json) {
        return sendJson(method, admin(path), json);
    }

    private HttpResponse<String> adminGet(String path) {
        return get(admin(path));
    }

    private HttpResponse<String> me(String token) {
        return get(api(discord, "/users/@me"), "Authorization", bearer(token));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertJsonError(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject body = object(response);
        assertFalse(body.getString("error").isBlank());
        assertFalse(body.getString("message").isBlank());
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "),
                "no stack trace: " + response.body());
    }

    // -------------------------------------------------------------------------------------------- enabling

    @Test
    void adminWhenNotEnabledThenNotServedAndNoAdminUri() {
        discord = demo().start();
        assertTrue(discord.adminUri().isEmpty());
        HttpResponse<String> response = get(URI.create(discord.baseUri() + "/__admin/faults"));
        assertEquals(404, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                "the emulator's own 404 page, not the admin API");
    }

    @Test
    void indexWhenEnabledThenListsRoutesAndEndpoints() {
        start();
        assertEquals(URI.create(discord.baseUri() + "/__admin"), discord.adminUri().orElseThrow());
        HttpResponse<String> response = adminGet("");
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = object(response);
        assertTrue(body.getJsonArray("routes").getValuesAs(jakarta.json.JsonString.class).stream()
                .anyMatch(s -> s.getString().equals("POST /oauth2/token")), response.body());
        assertEquals(discord.apiBaseUri().toString(), body.getString("api_base_uri"));
        assertEquals(discord.cdnBaseUri().toString(), body.getString("cdn_base_uri"));
    }

    // -------------------------------------------------------------------------------------------- faults

    @Test
    void faultsWhenStatusFaultPostedWithTimesThenPlayedThatOftenThenNormal() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        HttpResponse<String> created = adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "status", "status": 503,
                 "body": {"message": "upstream connect error", "code": 0},
                 "headers": {"X-Test": "yes"}, "times": 2}""");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(2, object(created).getInt("times"));

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> faulted = me(token);
            assertEquals(503, faulted.statusCode());
            assertEquals("upstream connect error", object(faulted).getString("message"));
            assertEquals("yes", faulted.headers().firstValue("X-Test").orElseThrow());
        }
        assertEquals(200, me(token).statusCode(), "played twice, then the normal answer");
    }

    @Test
    void faultsWhenTextBodyAndContentTypeGivenThenSentAsIs() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "status", "status": 502, "content_type": "text/html",
                 "body": "<html>Bad Gateway</html>"}""");
        HttpResponse<String> faulted = me(token);
        assertEquals(502, faulted.statusCode());
        assertEquals("<html>Bad Gateway</html>", faulted.body());
        assertTrue(faulted.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    }

    @Test
    void faultsWhenRateLimitedFaultPostedThen429AsDiscordSendsIt() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        assertEquals(201, adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "rate_limited", "retry_after": 2.5, "global": true}""")
                .statusCode());
        HttpResponse<String> limited = me(token);
        assertEquals(429, limited.statusCode());
        JsonObject body = object(limited);
        assertEquals(2.5, body.getJsonNumber("retry_after").doubleValue());
        assertTrue(body.getBoolean("global"));
        assertEquals("3", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("global", limited.headers().firstValue("X-RateLimit-Scope").orElseThrow());
        assertEquals("true", limited.headers().firstValue("X-RateLimit-Global").orElseThrow());

        adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "rate_limited", "retry_after": "PT20M", "scope": "shared"}""");
        HttpResponse<String> shared = me(token);
        assertEquals("shared", shared.headers().firstValue("X-RateLimit-Scope").orElseThrow());
        assertEquals("1200", shared.headers().firstValue("Retry-After").orElseThrow());
        assertFalse(object(shared).getBoolean("global"));
        assertEquals("The resource is being rate limited.", object(shared).getString("message"));
    }

    @Test
    void faultsWhenDelayMalformedAndDropPostedThenEachPlayed() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "delay", "delay": 0.3}""");
        long started = System.nanoTime();
        assertEquals(200, me(token).statusCode());
        assertTrue(System.nanoTime() - started >= 300_000_000L, "delayed by at least 300 ms");

        adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "malformed_json"}""");
        HttpResponse<String> malformed = me(token);
        assertEquals(200, malformed.statusCode());
        assertThrows(RuntimeException.class, () -> object(malformed), "not JSON: " + malformed.body());

        // the JDK client retries an idempotent request once when the connection closes: drop twice
        adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "drop", "times": 2}""");
        assertThrows(UncheckedIOException.class, () -> me(token));
    }

    @Test
    void faultsWhenListedThenQueuedInOrderAndClearedPerRouteOrAll() {
        start();
        adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "status", "status": 500, "body": "{}", "times": 3}""");
        adminJson("POST", "/faults", """
                {"route": "GET /users/@me", "type": "drop"}""");
        adminJson("POST", "/faults", """
                {"route": "POST /oauth2/token", "type": "delay", "delay": "PT2S"}""");
        JsonArray faults = object(adminGet("/faults")).getJsonArray("faults");
        assertEquals(3, faults.size(), faults.toString());
        assertEquals("GET /users/@me", faults.getJsonObject(0).getString("route"), "routes sorted by name");
        assertEquals("status", faults.getJsonObject(0).getString("type"));
        assertEquals(3, faults.getJsonObject(0).getInt("times"));
        assertEquals("drop", faults.getJsonObject(1).getString("type"), "a route's faults in playing order");
        assertEquals("POST /oauth2/token", faults.getJsonObject(2).getString("route"));
        assertEquals("PT2S", faults.getJsonObject(2).getString("delay"));

        HttpResponse<String> cleared = request("DELETE", admin("/faults?route=" + enc("GET /users/@me")), null, null);
        assertEquals(200, cleared.statusCode(), cleared.body());
        JsonArray left = object(cleared).getJsonArray("faults");
        assertEquals(1, left.size());
        assertEquals("POST /oauth2/token", left.getJsonObject(0).getString("route"));

        assertEquals(0, object(request("DELETE", admin("/faults"), null, null)).getJsonArray("faults").size());
    }

    @Test
    void randomFaultsWhenSeededThenSameShareOfRequestsEachRunUntilCleared() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        adminJson("PUT", "/rate-limits/routes", """
                {"route": "GET /users/@me", "limit": 1000, "window": 1}""");
        adminJson("PUT", "/rate-limits/global", "{\"limit\": 1000, \"window\": 1}");
        String plan = """
                {"route": "GET /users/@me", "probability": 0.25, "seed": 42,
                 "faults": [{"type": "status", "status": 503, "body": "{}"},
                            {"type": "rate_limited", "retry_after": 1}]}""";
        assertEquals(201, adminJson("POST", "/faults/random", plan).statusCode());
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            first.add(me(token).statusCode());
        }
        long faulted = first.stream().filter(s -> s != 200).count();
        assertTrue(faulted >= 8 && faulted <= 35, "about a quarter of 80 requests faulted: " + faulted);
        assertTrue(first.contains(503) && first.contains(429), "both faults are drawn: " + first);

        adminJson("POST", "/faults/random", plan);
        List<Integer> second = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            second.add(me(token).statusCode());
        }
        assertEquals(first, second, "the same seed faults the same requests");

        JsonObject listed = object(adminGet("/faults")).getJsonArray("random").getJsonObject(0);
        assertEquals(42, listed.getInt("seed"));
        assertEquals(2, listed.getJsonArray("faults").size());

        request("DELETE", admin("/faults"), null, null);
        for (int i = 0; i < 20; i++) {
            assertEquals(200, me(token).statusCode(), "cleared: no more faults");
        }
    }

    @Test
    void injectRandomFaultsWhenProbabilityOneThenEveryRequestFaultedAndQueuedFaultsFirst() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        discord.injectRandomFaults("GET /users/@me", 1.0, List.of(Fault.status(503, "{}")), 7L);
        discord.injectFault("GET /users/@me", Fault.status(418, "{}"));
        assertEquals(418, me(token).statusCode(), "a queued fault plays before the random ones");
        assertEquals(503, me(token).statusCode());
        assertEquals(503, me(token).statusCode());
        discord.clearFaults("GET /users/@me");
        assertEquals(200, me(token).statusCode());
    }

    // -------------------------------------------------------------------------------------------- clock

    @Test
    void clockWhenAdvancedBySecondsAndIsoDurationThenNowMovesAndTokensExpire() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        Instant before = Instant.parse(object(adminGet("/clock")).getString("now"));

        HttpResponse<String> advanced = adminJson("POST", "/clock/advance", "{\"seconds\": 3600}");
        assertEquals(200, advanced.statusCode(), advanced.body());
        Instant after = Instant.parse(object(advanced).getString("now"));
        assertTrue(Duration.between(before, after).compareTo(Duration.ofSeconds(3600)) >= 0, before + " " + after);
        assertEquals(200, me(token).statusCode(), "an hour is well within seven days");

        assertEquals(200, adminJson("POST", "/clock/advance", "{\"duration\": \"P7D\"}").statusCode());
        assertEquals(401, me(token).statusCode(), "the token expired with the clock");
        assertTrue(discord.now().isAfter(after.plus(Duration.ofDays(7)).minusSeconds(1)));
    }

    // -------------------------------------------------------------------------------------------- journal

    @Test
    void requestsWhenReadThenRouteStatusAndParamsWithoutAnyCredential() {
        start();
        String code = code(discord, NELLY, "identify");
        HttpResponse<String> tokenResponse = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT, "client_id", CLIENT_ID, "client_secret", SECRET));
        assertEquals(200, tokenResponse.statusCode(), tokenResponse.body());
        String accessToken = object(tokenResponse).getString("access_token");
        String refreshToken = object(tokenResponse).getString("refresh_token");
        me(accessToken);
        me("wrong-token-abc");

        HttpResponse<String> all = adminGet("/requests");
        assertEquals(200, all.statusCode(), all.body());
        for (String secret : List.of(code, accessToken, refreshToken, SECRET, "wrong-token-abc")) {
            assertFalse(all.body().contains(secret), "the journal JSON leaks " + secret);
        }
        JsonObject body = object(all);
        assertEquals(discord.journal().size(), body.getInt("total"));

        HttpResponse<String> tokens = adminGet("/requests?route=" + enc("POST /oauth2/token") + "&limit=1");
        JsonObject exchange = object(tokens).getJsonArray("requests").getJsonObject(0);
        assertEquals("POST", exchange.getString("method"));
        assertEquals("POST /oauth2/token", exchange.getString("route"));
        assertEquals("/api/v10/oauth2/token", exchange.getString("path"));
        assertEquals(200, exchange.getInt("status"));
        Instant.parse(exchange.getString("time"));
        JsonObject form = exchange.getJsonObject("form");
        assertEquals("authorization_code", form.getJsonArray("grant_type").getString(0));
        assertEquals(REDIRECT, form.getJsonArray("redirect_uri").getString(0));
        assertEquals("[redacted]", form.getJsonArray("code").getString(0));
        assertEquals("[redacted]", form.getJsonArray("client_secret").getString(0));

        JsonArray mine = object(adminGet("/requests?route=" + enc("GET /users/@me"))).getJsonArray("requests");
        assertEquals(2, mine.size());
        assertEquals(List.of(200, 401), mine.stream().map(v -> v.asJsonObject().getInt("status")).toList());
        assertEquals("Bearer [redacted]", mine.getJsonObject(0).getJsonObject("headers")
                .getJsonArray("authorization").getString(0));
        assertEquals(401, object(adminGet("/requests?route=" + enc("GET /users/@me") + "&limit=1"))
                .getJsonArray("requests").getJsonObject(0).getInt("status"), "limit keeps the newest");

        assertEquals(200, request("DELETE", admin("/requests"), null, null).statusCode());
        assertEquals(0, object(adminGet("/requests")).getInt("total"));
        assertTrue(discord.journal().isEmpty(), "admin requests are not journaled");
    }

    // -------------------------------------------------------------------------------------------- rate limits

    @Test
    void rateLimitsWhenRouteAndGlobalSetOverAdminThenAppliedAndListed() {
        start();
        String token = accessToken(discord, NELLY, "identify guilds");
        HttpResponse<String> set = adminJson("PUT", "/rate-limits/routes", """
                {"route": "GET /users/@me", "limit": 1, "window": "PT60S"}""");
        assertEquals(200, set.statusCode(), set.body());
        JsonObject listed = object(set).getJsonObject("routes").getJsonObject("GET /users/@me");
        assertEquals(1, listed.getInt("limit"));
        assertEquals("PT1M", listed.getString("window"));
        assertEquals(200, me(token).statusCode());
        HttpResponse<String> limited = me(token);
        assertEquals(429, limited.statusCode());
        assertEquals("user", limited.headers().firstValue("X-RateLimit-Scope").orElseThrow());

        assertEquals(200, adminJson("PUT", "/rate-limits/global", "{\"limit\": 1, \"window\": 60}").statusCode());
        assertEquals(200, get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token)).statusCode());
        HttpResponse<String> global = get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token));
        assertEquals("global", global.headers().firstValue("X-RateLimit-Scope").orElseThrow());
        assertEquals(1, object(adminGet("/rate-limits")).getJsonObject("global").getInt("limit"));
    }

    // -------------------------------------------------------------------------------------------- data

    @Test
    void redirectUrisWhenAddedOverAdminThenAuthorizeAcceptsTheNewUri() {
        discord = demo().admin(true).autoApprove(NELLY).start();
        String newUri = "http://localhost:43210/callback";
        URI authorize = withQuery(discord.authorizeUri(), params("client_id", CLIENT_ID, "redirect_uri", newUri,
                "response_type", "code", "scope", "identify"));
        assertEquals(400, get(authorize).statusCode(), "not registered yet");

        HttpResponse<String> added = adminJson("POST", "/applications/" + CLIENT_ID + "/redirect-uris",
                "{\"redirect_uri\": \"" + newUri + "\"}");
        assertEquals(200, added.statusCode(), added.body());
        assertTrue(object(added).getJsonArray("redirect_uris").toString().contains(newUri));
        HttpResponse<String> approved = get(authorize);
        assertEquals(302, approved.statusCode(), approved.body());
        assertTrue(approved.headers().firstValue("Location").orElseThrow().startsWith(newUri + "?code="));

        assertJsonError(adminJson("POST", "/applications/999999999999999999/redirect-uris",
                "{\"redirect_uri\": \"" + newUri + "\"}"), 404);
    }

    @Test
    void authorizationWhenRevokedOverAdminThenEveryTokenOfTheGrantStopsWorking() {
        start();
        JsonObject first = tokens(discord, NELLY, "identify");
        JsonObject second = tokens(discord, NELLY, "identify guilds");
        String wumpus = accessToken(discord, WUMPUS, "identify");

        HttpResponse<String> revoked = request("DELETE", admin("/applications/" + CLIENT_ID + "/authorizations/"
                + NELLY), null, null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals(2, object(revoked).getInt("revoked_tokens"));
        assertEquals(401, me(first.getString("access_token")).statusCode());
        assertEquals(401, me(second.getString("access_token")).statusCode());
        HttpResponse<String> refresh = postForm(discord.tokenUri(), params("grant_type", "refresh_token",
                "refresh_token", second.getString("refresh_token")), "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(400, refresh.statusCode(), refresh.body());
        assertEquals("invalid_grant", object(refresh).getString("error"));
        assertEquals(200, me(wumpus).statusCode(), "another user's authorization is untouched");
        assertFalse(discord.isAuthorized(CLIENT_ID, NELLY));

        assertJsonError(request("DELETE", admin("/applications/" + CLIENT_ID + "/authorizations/1"), null, null),
                404);
    }

    private JsonObject refresh(String refreshToken) {
        HttpResponse<String> r = postForm(discord.tokenUri(), params("grant_type", "refresh_token", "refresh_token",
                refreshToken), "Authorization", basic(CLIENT_ID, SECRET));
        return object(r);
    }

    @Test
    void tokensWhenIssuedRotatedRefusedAndRevokedThenListedWithValuesAndHistory() {
        start();
        JsonObject login = tokens(discord, NELLY, "identify");
        assertEquals(200, me(login.getString("access_token")).statusCode());
        JsonObject rotated = refresh(login.getString("refresh_token"));
        assertEquals("invalid_grant", refresh(login.getString("refresh_token")).getString("error"),
                "a rotated refresh token is refused");
        assertEquals(401, me(login.getString("access_token")).statusCode(), "so is its access token");
        String wumpus = accessToken(discord, WUMPUS, "identify");
        HttpResponse<String> revoke = postForm(URI.create(discord.tokenUri() + "/revoke"),
                params("token", rotated.getString("access_token")), "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, revoke.statusCode(), revoke.body());
        assertEquals("invalid_grant", refresh(rotated.getString("refresh_token")).getString("error"));

        HttpResponse<String> listed = adminGet("/applications/" + CLIENT_ID + "/tokens");
        assertEquals(200, listed.statusCode(), listed.body());
        JsonObject body = object(listed);
        assertEquals(3, body.getInt("total"));
        List<JsonObject> tokens = body.getJsonArray("tokens").getValuesAs(JsonObject.class);
        JsonObject first = tokens.get(0);
        JsonObject second = tokens.get(1);
        assertEquals(login.getString("access_token"), first.getString("access_token"));
        assertEquals(login.getString("refresh_token"), first.getString("refresh_token"));
        assertEquals(NELLY, first.getString("user_id"));
        assertEquals("authorization_code", first.getString("grant_type"));
        assertEquals(List.of("identify"), first.getJsonArray("scopes").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        assertTrue(first.getBoolean("revoked"));
        assertEquals("refresh", first.getString("ended_by"), "ended by the rotation, not by the later revocation");
        assertEquals(second.getInt("id"), first.getInt("replaced_by"));
        assertFalse(first.isNull("first_used_at"));
        assertFalse(Instant.parse(first.getString("ended_at")).isBefore(Instant.parse(first.getString("issued_at"))));
        List<JsonObject> refused = first.getJsonArray("refused").getValuesAs(JsonObject.class);
        assertEquals(List.of("refresh_token POST /oauth2/token", "access_token GET /users/@me"), refused.stream()
                .map(r -> r.getString("token") + " " + r.getString("route")).toList());
        assertFalse(Instant.parse(refused.get(0).getString("at")).isBefore(
                Instant.parse(refused.get(0).getString("received_at"))));

        assertEquals(rotated.getString("access_token"), second.getString("access_token"));
        assertEquals("refresh_token", second.getString("grant_type"));
        assertEquals("revocation", second.getString("ended_by"));
        assertTrue(second.isNull("replaced_by"));
        assertTrue(second.isNull("first_used_at"), "never used");
        assertEquals(1, second.getJsonArray("refused").size());

        JsonObject third = tokens.get(2);
        assertEquals(wumpus, third.getString("access_token"));
        assertFalse(third.getBoolean("revoked"));
        assertTrue(third.isNull("ended_by"));
        assertEquals(0, third.getJsonArray("refused").size());

        JsonObject nelly = object(adminGet("/applications/" + CLIENT_ID + "/tokens?user_id=" + WUMPUS));
        assertEquals(1, nelly.getInt("total"));
        assertEquals(wumpus, nelly.getJsonArray("tokens").getJsonObject(0).getString("access_token"));
        assertJsonError(adminGet("/applications/1/tokens"), 404);
        assertJsonError(adminGet("/applications/" + CLIENT_ID + "/tokens?user_id=nelly"), 400);
        // the journal still shows none of them
        String journal = adminGet("/requests").body();
        for (JsonObject t : tokens) {
            assertFalse(journal.contains(t.getString("access_token")), journal);
        }
    }

    // -------------------------------------------------------------------------------------------- Discord's side

    private static JsonObject jsonOf(String json) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            return reader.readObject();
        }
    }

    private static void assertNotFound(HttpResponse<String> response) {
        assertJsonError(response, 404);
        assertEquals("not_found", object(response).getString("error"));
    }

    private HttpResponse<String> putRoleConnection(String applicationId, String token, String json) {
        return sendJson("PUT", api(discord, "/users/@me/applications/" + applicationId + "/role-connection"), json,
                "Authorization", bearer(token));
    }

    /** A second application whose id starts with the standard one's, so a prefix match on the id would mix them. */
    private static final String PREFIXED_APP = CLIENT_ID + "1";

    /** A token of {@link #PREFIXED_APP} for the user with {@code role_connections.write}, through the real flow. */
    private String prefixedAppToken(String userId) {
        URI authorize = withQuery(discord.authorizeUri(), params("response_type", "code", "client_id", PREFIXED_APP,
                "scope", "role_connections.write", "redirect_uri", REDIRECT));
        HttpResponse<String> approved = submitConsent(authorize, userId, "approve");
        assertEquals(302, approved.statusCode(), approved.body());
        HttpResponse<String> exchanged = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", locationParams(approved, false).get("code"), "redirect_uri", REDIRECT),
                "Authorization", basic(PREFIXED_APP, SECRET));
        assertEquals(200, exchanged.statusCode(), exchanged.body());
        return object(exchanged).getString("access_token");
    }

    @Test
    void roleConnectionsWhenPutThroughDiscordRouteThenListedByUserIdWithValuesAndFilteredByUserId() {
        discord = demo().application(EmulatedApplication.builder(PREFIXED_APP).name("Prefixed App")
                .clientSecret(SECRET).redirectUri(REDIRECT).build()).admin(true).start();
        String path = "/applications/" + CLIENT_ID + "/role-connections";
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"total\":0,\"role_connections\":[]}"),
                object(adminGet(path)), "none stored yet");

        String wumpus = accessToken(discord, WUMPUS, "role_connections.write");
        String nelly = accessToken(discord, NELLY, "role_connections.write");
        assertEquals(200, putRoleConnection(CLIENT_ID, wumpus, "{\"platform_name\":\"Emu Game\","
                + "\"platform_username\":\"wumpus99\",\"metadata\":{\"level\":7,\"supporter\":\"1\"}}").statusCode());
        assertEquals(200, putRoleConnection(CLIENT_ID, nelly,
                "{\"metadata\":{\"since\":\"2024-01-15T10:00:00+00:00\"}}").statusCode());
        assertEquals(200, putRoleConnection(PREFIXED_APP, prefixedAppToken(CLYDE), "{\"platform_name\":\"Other\"}")
                .statusCode());

        JsonObject wumpusConnection = jsonOf("{\"user_id\":\"" + WUMPUS + "\",\"platform_name\":\"Emu Game\","
                + "\"platform_username\":\"wumpus99\",\"metadata\":{\"level\":\"7\",\"supporter\":\"1\"}}");
        JsonObject nellyConnection = jsonOf("{\"user_id\":\"" + NELLY + "\",\"platform_name\":null,"
                + "\"platform_username\":null,\"metadata\":{\"since\":\"2024-01-15T10:00:00+00:00\"}}");
        HttpResponse<String> listed = adminGet(path);
        assertEquals(200, listed.statusCode(), listed.body());
        JsonObject body = object(listed);
        assertEquals(CLIENT_ID, body.getString("client_id"));
        assertEquals(2, body.getInt("total"), "only this application's: " + listed.body());
        assertEquals(List.of(nellyConnection, wumpusConnection),
                body.getJsonArray("role_connections").getValuesAs(JsonObject.class),
                "by user id in numeric order (80351110224678912 before 268473310986240001), not as stored");

        JsonObject onlyWumpus = object(adminGet(path + "?user_id=" + WUMPUS));
        assertEquals(1, onlyWumpus.getInt("total"));
        assertEquals(List.of(wumpusConnection), onlyWumpus.getJsonArray("role_connections")
                .getValuesAs(JsonObject.class));
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"total\":0,\"role_connections\":[]}"),
                object(adminGet(path + "?user_id=" + CLYDE)), "clyde's is the other application's");
        JsonObject prefixed = object(adminGet("/applications/" + PREFIXED_APP + "/role-connections"));
        assertEquals(1, prefixed.getInt("total"));
        assertEquals(CLYDE, prefixed.getJsonArray("role_connections").getJsonObject(0).getString("user_id"));
        assertEquals("Other", prefixed.getJsonArray("role_connections").getJsonObject(0).getString("platform_name"));

        assertEquals(204, request("DELETE", api(discord, "/users/@me/applications/" + CLIENT_ID + "/role-connection"),
                null, null, "Authorization", bearer(wumpus)).statusCode());
        assertEquals(List.of(nellyConnection), object(adminGet(path)).getJsonArray("role_connections")
                .getValuesAs(JsonObject.class), "a deleted connection is gone");

        assertJsonError(adminGet(path + "?user_id=nelly"), 400);
        assertNotFound(adminGet("/applications/999999999999999999/role-connections"));
    }

    private HttpResponse<String> putMetadataAsBot(String json) {
        return sendJson("PUT", api(discord, "/applications/" + CLIENT_ID + "/role-connections/metadata"), json,
                "Authorization", "Bot " + BOT_TOKEN);
    }

    private JsonObject metadataAsAdmin() {
        HttpResponse<String> response = adminGet("/applications/" + CLIENT_ID + "/role-connection-metadata");
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = object(response);
        assertEquals(CLIENT_ID, body.getString("client_id"));
        JsonArray discordAnswer = array(get(api(discord, "/applications/" + CLIENT_ID + "/role-connections/metadata"),
                "Authorization", "Bot " + BOT_TOKEN));
        assertEquals(discordAnswer, body.getJsonArray("records"), "the records as Discord's GET answers them");
        return body;
    }

    @Test
    void roleConnectionMetadataWhenPutThroughBotRouteThenRecordsShownAndUpdatesCountedUntilDataRestored() {
        start();
        String configured = "[{\"type\":2,\"key\":\"level\",\"name\":\"Level\","
                + "\"description\":\"Level on the platform\"},"
                + "{\"type\":7,\"key\":\"supporter\",\"name\":\"Supporter\",\"description\":\"Supports us\"},"
                + "{\"type\":6,\"key\":\"since\",\"name\":\"Member since\",\"description\":\"Days since joining\"}]";
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"records\":" + configured + ",\"updates\":0}"),
                metadataAsAdmin());

        String score = "[{\"type\":1,\"key\":\"score\",\"name\":\"Score\",\"description\":\"Points\"}]";
        assertEquals(200, putMetadataAsBot(score).statusCode());
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"records\":" + score + ",\"updates\":1}"),
                metadataAsAdmin());
        assertEquals(400, putMetadataAsBot("[{\"type\":9,\"key\":\"bad\",\"name\":\"B\",\"description\":\"B\"}]")
                .statusCode());
        assertEquals(1, metadataAsAdmin().getInt("updates"), "a refused PUT replaces nothing");
        assertEquals(200, putMetadataAsBot("[]").statusCode());
        assertEquals(200, putMetadataAsBot(score).statusCode());
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"records\":" + score + ",\"updates\":3}"),
                metadataAsAdmin());

        assertEquals(200, request("POST", admin("/reset"), null, null).statusCode());
        assertEquals(3, metadataAsAdmin().getInt("updates"), "a plain reset leaves the data, the records with it");
        assertEquals(200, adminJson("POST", "/reset", "{\"restore_data\": true}").statusCode());
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"records\":" + configured + ",\"updates\":0}"),
                metadataAsAdmin(), "restoring the data brings back the configured records and counts afresh");
        assertEquals(200, putMetadataAsBot(score).statusCode());
        assertEquals(1, metadataAsAdmin().getInt("updates"));

        assertNotFound(adminGet("/applications/999999999999999999/role-connection-metadata"));
    }

    /** Adds the bot to the guild as the user through the consent page ("Add to server"), with the permissions. */
    private void addBot(String userId, String guildId, String permissions) {
        URI authorize = withQuery(discord.authorizeUri(), params("client_id", CLIENT_ID, "scope", "bot",
                "permissions", permissions, "guild_id", guildId, "disable_guild_select", "true",
                "redirect_uri", REDIRECT));
        HttpResponse<String> approved = submitConsent(authorize, userId, "approve");
        assertEquals(302, approved.statusCode(), approved.body());
        assertEquals(permissions, locationParams(approved, false).get("permissions"));
    }

    @Test
    void botGuildsWhenBotAuthorizedIntoGuildThenListedInJoinOrderWithPermissionsAsDecimalString() {
        start();
        String path = "/applications/" + CLIENT_ID + "/bot-guilds";
        String testers = "{\"guild_id\":\"" + TESTERS + "\",\"name\":\"Discord Testers\","
                + "\"permissions\":\"402653185\"}";
        String lounge = "{\"guild_id\":\"" + LOUNGE + "\",\"name\":\"Emulator Lounge\",\"permissions\":\"0\"}";
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"guilds\":[" + testers + "," + lounge + "]}"),
                object(adminGet(path)), "the demo data's bot guilds (create invite, manage nicknames and roles)");

        addBot(WUMPUS, FAN_CLUB, Long.toString(1L << 52));
        String fanClub = "{\"guild_id\":\"" + FAN_CLUB + "\",\"name\":\"Wumpus Fan Club\","
                + "\"permissions\":\"4503599627370496\"}";
        HttpResponse<String> listed = adminGet(path);
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"guilds\":[" + testers + "," + lounge + ","
                + fanClub + "]}"), object(listed));

        addBot(NELLY, TESTERS, "8");
        assertEquals(jsonOf("{\"client_id\":\"" + CLIENT_ID + "\",\"guilds\":[{\"guild_id\":\"" + TESTERS
                + "\",\"name\":\"Discord Testers\",\"permissions\":\"8\"}," + lounge + "," + fanClub + "]}"),
                object(adminGet(path)), "added again: the new permissions, in its first place");

        assertNotFound(adminGet("/applications/999999999999999999/bot-guilds"));
    }

    // -------------------------------------------------------------------------------------------- members

    private HttpResponse<String> memberOf(String token, String guildId) {
        return get(api(discord, "/users/@me/guilds/" + guildId + "/member"), "Authorization", bearer(token));
    }

    @Test
    void membersWhenRolesSetLeftAndJoinedOverHttpThenMemberRouteAnswersTheChange() {
        start();
        String token = accessToken(discord, NELLY, "identify guilds guilds.members.read");
        assertEquals(List.of("197038439483310087"), object(memberOf(token, TESTERS)).getJsonArray("roles")
                .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());

        HttpResponse<String> put = adminJson("PUT", "/guilds/" + TESTERS + "/members/" + NELLY,
                "{\"roles\": [\"1100000000000000077\", \"1100000000000000078\"]}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(2, object(put).getJsonArray("roles").size());
        assertTrue(memberOf(token, TESTERS).body().contains("1100000000000000078"), "the next request sees it");
        assertEquals(200, adminGet("/guilds/" + TESTERS + "/members/" + NELLY).statusCode());

        HttpResponse<String> removed = request("DELETE", admin("/guilds/" + TESTERS + "/members/" + NELLY), null, null);
        assertEquals(200, removed.statusCode(), removed.body());
        assertTrue(object(removed).getBoolean("removed"));
        HttpResponse<String> gone = memberOf(token, TESTERS);
        assertEquals(404, gone.statusCode(), "Discord answers Unknown Guild to a non-member: " + gone.body());
        assertFalse(get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token)).body().contains(TESTERS));
        assertJsonError(adminGet("/guilds/" + TESTERS + "/members/" + NELLY), 404);

        HttpResponse<String> joined = adminJson("PUT", "/guilds/" + TESTERS + "/members/" + NELLY, "{}");
        assertEquals(200, joined.statusCode(), joined.body());
        assertEquals(0, object(memberOf(token, TESTERS)).getJsonArray("roles").size(), "a new member has no roles");
    }

    @Test
    void membersWhenInvalidOverHttpThenJsonErrors() {
        start();
        assertJsonError(adminJson("PUT", "/guilds/" + TESTERS + "/members/" + NELLY, "{\"roles\": [\"mod\"]}"),
                400);
        assertJsonError(adminJson("PUT", "/guilds/" + TESTERS + "/members/" + NELLY, "{\"rank\": 1}"), 400);
        assertJsonError(adminJson("PUT", "/guilds/1/members/" + NELLY, "{}"), 404);
        assertJsonError(adminJson("PUT", "/guilds/" + TESTERS + "/members/1", "{}"), 404);
        HttpResponse<String> post = adminJson("POST", "/guilds/" + TESTERS + "/members/" + NELLY, "{}");
        assertJsonError(post, 405);
        assertEquals("GET, PUT, DELETE", post.headers().firstValue("Allow").orElse(null),
                "the 405 names the methods a membership serves");
    }

    @Test
    void setMemberRolesWhenCalledFromJavaThenMemberRouteAnswersTheRoles() {
        start();
        String token = accessToken(discord, WUMPUS, "identify guilds.members.read");
        discord.setMemberRoles(FAN_CLUB, WUMPUS, List.of("1100000000000000099"));
        assertTrue(memberOf(token, FAN_CLUB).body().contains("1100000000000000099"));
        assertEquals(List.of("1100000000000000099"), discord.member(FAN_CLUB, WUMPUS).orElseThrow().roles());
        assertTrue(discord.removeMember(FAN_CLUB, WUMPUS));
        assertFalse(discord.removeMember(FAN_CLUB, WUMPUS));
        assertThrows(IllegalArgumentException.class,
                () -> discord.setMemberRoles(FAN_CLUB, WUMPUS, List.of("1100000000000000099")));
        assertThrows(IllegalArgumentException.class,
                () -> discord.putMember(EmulatedMember.builder("1", WUMPUS).build()));
        discord.putMember(EmulatedMember.builder(FAN_CLUB, WUMPUS).roles("1100000000000000098").build());
        assertTrue(memberOf(token, FAN_CLUB).body().contains("1100000000000000098"));
    }

    // -------------------------------------------------------------------------------------------- reset

    @Test
    void resetWhenPostedThenFaultsJournalAndRateLimitStateClearedButTokensKept() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        adminJson("PUT", "/rate-limits/routes", "{\"route\": \"GET /users/@me\", \"limit\": 1, \"window\": 60}");
        me(token);
        assertEquals(429, me(token).statusCode());
        adminJson("POST", "/faults", "{\"route\": \"GET /users/@me\", \"type\": \"drop\"}");
        discord.injectRandomFaults("POST /oauth2/token", 1.0, List.of(Fault.status(503, "{}")));

        HttpResponse<String> reset = request("POST", admin("/reset"), null, null);
        assertEquals(200, reset.statusCode(), reset.body());
        JsonObject faults = object(adminGet("/faults"));
        assertEquals(0, faults.getJsonArray("faults").size());
        assertEquals(0, faults.getJsonArray("random").size());
        assertEquals(0, discord.invalidRequestCount());
        HttpResponse<String> again = me(token);
        assertEquals(200, again.statusCode(), "the token survives a plain reset: " + again.body());
        assertEquals("5", again.headers().firstValue("X-RateLimit-Limit").orElseThrow(),
                "the start configuration's limit is back");
        assertEquals(1, discord.journal().size(), "the journal starts afresh");
    }

    @Test
    void resetWhenRestoreDataThenTokensAndAddedRedirectUrisGone() {
        start();
        String token = accessToken(discord, NELLY, "identify");
        discord.addRedirectUri(CLIENT_ID, "http://localhost:5555/cb");
        HttpResponse<String> reset = adminJson("POST", "/reset", "{\"restore_data\": true}");
        assertEquals(200, reset.statusCode(), reset.body());
        assertEquals(401, me(token).statusCode(), "tokens issued before the restore are gone");
        assertEquals(List.of(REDIRECT, OTHER_REDIRECT), discord.redirectUris(CLIENT_ID));
        assertTrue(discord.isMember(TESTERS, NELLY));
        assertEquals(200, me(accessToken(discord, NELLY, "identify")).statusCode(), "the flows work afresh");
    }

    // -------------------------------------------------------------------------------------------- errors

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POST|/faults|{\"route\": \"GET /users/@me\", \"type\": \"status\", \"status\": 503",
            "POST|/faults|[1, 2]",
            "POST|/faults|{\"route\": \"GET /users/@you\", \"type\": \"drop\"}",
            "POST|/faults|{\"route\": \"GET /users/@me\", \"type\": \"explode\"}",
            "POST|/faults|{\"route\": \"GET /users/@me\", \"type\": \"drop\", \"tims\": 2}",
            "POST|/faults|{\"route\": \"GET /users/@me\", \"type\": \"status\", \"status\": 99}",
            "POST|/faults|{\"route\": \"GET /users/@me\", \"type\": \"drop\", \"times\": 0}",
            "POST|/faults/random|{\"route\": \"GET /users/@me\", \"probability\": 1.5, \"faults\": [{\"type\": \"drop\"}]}",
            "POST|/faults/random|{\"route\": \"GET /users/@me\", \"probability\": 0.5, \"faults\": []}",
            "POST|/clock/advance|{\"seconds\": -5}",
            "POST|/clock/advance|{\"duration\": \"one hour\"}",
            "POST|/clock/advance|{}",
            "PUT|/rate-limits/global|{\"limit\": 0, \"window\": 1}",
            "PUT|/rate-limits/routes|{\"route\": \"GET /users/@me\", \"limit\": 5}",
            "POST|/reset|{\"restore_data\": \"yes\"}"})
    void adminWhenBodyInvalidThen400JsonError(String method, String path, String body) {
        start();
        assertJsonError(adminJson(method, path, body), 400);
    }

    @Test
    void adminWhenUnknownPathOrWrongMethodOrNotJsonThenJsonError() {
        start();
        assertJsonError(adminGet("/mappings"), 404);
        HttpResponse<String> wrongMethod = request("PATCH", admin("/faults"), null, null);
        assertJsonError(wrongMethod, 405);
        assertEquals("GET, POST, DELETE", wrongMethod.headers().firstValue("Allow").orElseThrow());
        assertJsonError(request("POST", admin("/faults"), "text/plain", "route=x"), 415);
        assertJsonError(adminGet("/requests?limit=none"), 400);
        assertJsonError(adminGet("/requests?route=" + enc("GET /nowhere")), 400);
    }

    /** Every admin endpoint, as {@code GET /__admin} lists it and docs/emulator.md documents it. */
    private static final List<String> ENDPOINTS = List.of("GET /__admin", "GET|POST|DELETE /__admin/faults",
            "POST /__admin/faults/random", "GET /__admin/clock", "POST /__admin/clock/advance",
            "GET|DELETE /__admin/requests", "GET /__admin/rate-limits", "PUT /__admin/rate-limits/routes",
            "PUT /__admin/rate-limits/default", "PUT /__admin/rate-limits/global",
            "POST /__admin/applications/{client_id}/redirect-uris",
            "GET /__admin/applications/{client_id}/tokens",
            "GET /__admin/applications/{client_id}/role-connections",
            "GET /__admin/applications/{client_id}/role-connection-metadata",
            "GET /__admin/applications/{client_id}/bot-guilds",
            "DELETE /__admin/applications/{client_id}/authorizations/{user_id}",
            "GET|PUT|DELETE /__admin/applications/{client_id}/webhook",
            "POST /__admin/applications/{client_id}/webhook/events", "GET /__admin/webhooks",
            "GET|DELETE /__admin/webhooks/deliveries",
            "GET /__admin/device-codes", "POST /__admin/device-codes/approve", "POST /__admin/device-codes/deny",
            "GET|PUT|DELETE /__admin/guilds/{guild_id}/members/{user_id}", "POST /__admin/reset");

    @Test
    void everyEndpointWhenMethodNotServedThen405AllowNamesExactlyTheMethodsItServes() {
        start();
        List<String> listed = object(adminGet("")).getJsonArray("endpoints")
                .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList();
        assertEquals(ENDPOINTS, listed, "the index lists every endpoint");
        for (String endpoint : listed) {
            List<String> served = List.of(endpoint.substring(0, endpoint.indexOf(' ')).split("\\|"));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1).substring("/__admin".length())
                    .replace("{client_id}", CLIENT_ID).replace("{guild_id}", TESTERS).replace("{user_id}", NELLY);
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                HttpResponse<String> response = request(method, admin(path), null, null);
                if (served.contains(method)) {
                    assertFalse(response.statusCode() == 405, method + " " + path + " is served: " + response.body());
                } else {
                    assertJsonError(response, 405);
                    assertEquals(String.join(", ", served), response.headers().firstValue("Allow").orElse(null),
                            "Allow of the 405 to " + method + " " + path);
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------- access

    @Test
    void adminWhenForwardedForRemoteHostOrForeignOriginThen403() {
        start();
        assertJsonError(get(admin("/faults"), "X-Forwarded-For", "203.0.113.9"), 403);
        assertJsonError(get(admin("/faults"), "Forwarded", "for=198.51.100.17;proto=https"), 403);
        assertJsonError(sendJson("POST", admin("/reset"), "{}", "Origin", "https://evil.example"), 403);
        assertEquals(200, get(admin("/faults"), "X-Forwarded-For", "127.0.0.1").statusCode());
        assertEquals(200, get(admin("/faults"), "Origin", "http://localhost:3000").statusCode());
    }

    private RawHttp.Answer rawAdminGet(String path, String... headerLines) {
        return RawHttp.send(discord, "GET " + AdminApi.PATH + path + " HTTP/1.1", "", headerLines);
    }

    private static void assertForbidden(RawHttp.Answer answer) {
        assertEquals(403, answer.status(), answer.body());
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.header("Content-Type"));
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(answer.body()))) {
            JsonObject body = reader.readObject();
            assertEquals("forbidden", body.getString("error"));
            assertFalse(body.getString("message").isBlank());
        }
    }

    /** A DNS-rebinding page: the browser connects to loopback, but sends the page's own host name. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/requests|evil.example", "/clock|evil.example", "/requests|evil.example:{port}",
            "/clock|127.0.0.1.evil.example:{port}", "/faults|localhost.evil.example:{port}",
            "/guilds/" + TESTERS + "/members/" + NELLY + "|evil.example", "|evil.example",
            "/clock|127.0.0.1:{port}@evil.example", "/clock|[::2]:{port}", "/clock|10.0.0.1:{port}",
            "/clock|localhost:http", "/clock|[bad.cafe]", "/clock|''"})
    void adminWhenHostIsNotLoopbackThen403(String path, String host) {
        start();
        String value = host.replace("{port}", Integer.toString(discord.baseUri().getPort()));
        assertForbidden(rawAdminGet(path == null ? "" : path, "Host: " + value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/requests|localhost:{port}", "/clock|localhost:{port}", "/requests|127.0.0.1:{port}",
            "/clock|127.0.0.1:{port}", "/clock|LocalHost:{port}", "/clock|localhost", "/clock|127.0.0.1",
            "/clock|127.1.2.3:{port}", "/clock|[::1]:{port}", "/clock|[::1]"})
    void adminWhenHostIsLocalhostOrLoopbackLiteralThen200(String path, String host) {
        start();
        String value = host.replace("{port}", Integer.toString(discord.baseUri().getPort()));
        RawHttp.Answer answer = rawAdminGet(path, "Host: " + value);
        assertEquals(200, answer.status(), answer.body());
    }

    @Test
    void adminWhenHostMissingOrTwiceThen403() {
        start();
        String port = Integer.toString(discord.baseUri().getPort());
        assertForbidden(RawHttp.sendWithoutHost(discord, "GET /__admin/clock HTTP/1.0", ""));
        assertForbidden(RawHttp.sendWithoutHost(discord, "GET /__admin/clock HTTP/1.1", ""));
        assertForbidden(rawAdminGet("/clock", "Host: localhost:" + port, "Host: evil.example"));
    }

    @Test
    void adminWhenAbsoluteTargetNamesAnotherHostThen403() {
        start();
        String port = Integer.toString(discord.baseUri().getPort());
        assertForbidden(RawHttp.send(discord, "GET http://evil.example:" + port + "/__admin/clock HTTP/1.1", "",
                "Host: localhost:" + port));
        assertEquals(200, RawHttp.send(discord, "GET http://localhost:" + port + "/__admin/clock HTTP/1.1", "",
                "Host: localhost:" + port).status());
    }

    @Test
    void apiWhenHostIsForeignThenAnsweredAsUsual() {
        start();
        RawHttp.Answer me = RawHttp.send(discord, "GET /api/v10/users/@me HTTP/1.1", "", "Host: evil.example");
        assertEquals(401, me.status(), "the emulated API answers any Host: " + me.body());
        RawHttp.Answer consent = RawHttp.send(discord, "GET /oauth2/authorize?client_id=" + CLIENT_ID
                + "&redirect_uri=" + enc(REDIRECT) + "&response_type=code&scope=identify HTTP/1.1", "",
                "Host: localhost:8080");
        assertEquals(200, consent.status(), consent.body());
        assertTrue(consent.header("Content-Type").startsWith("text/html"), "the consent page");
    }

    @ParameterizedTest
    @CsvSource({"X-Real-IP", "True-Client-IP", "CF-Connecting-IP", "X-Client-IP"})
    void adminWhenClientIpHeaderNamesPublicAddressThen403(String header) {
        start();
        assertJsonError(get(admin("/requests"), header, "203.0.113.9"), 403);
        assertJsonError(get(admin("/clock"), header, "2001:db8::1"), 403);
        assertJsonError(get(admin("/clock"), header, "127.0.0.1, 198.51.100.17"), 403);
        assertEquals(200, get(admin("/requests"), header, "127.0.0.1").statusCode());
        assertEquals(200, get(admin("/clock"), header, "::1").statusCode());
    }

    @Test
    void refusalWhenRemoteAddressNotLoopbackThenRefused() throws Exception {
        Headers headers = new Headers();
        headers.add("Host", "127.0.0.1:8080");
        URI target = URI.create("/__admin/clock");
        assertTrue(AdminAccess.refusal(InetAddress.getByName("203.0.113.9"), target, headers).isPresent());
        assertTrue(AdminAccess.refusal(InetAddress.getByName("192.168.1.20"), target, headers).isPresent());
        assertTrue(AdminAccess.refusal(InetAddress.getByName("127.0.0.1"), target, headers).isEmpty());
        assertTrue(AdminAccess.refusal(InetAddress.getByName("::1"), target, headers).isEmpty());
    }

    @Test
    void revokeAuthorizationWhenUnknownApplicationThenIllegalArgumentException() {
        start();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> discord.revokeAuthorization("999", NELLY));
        assertEquals("unknown application 999", e.getMessage());
    }
}
