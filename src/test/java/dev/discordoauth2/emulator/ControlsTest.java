package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The emulator's routing, its test controls (faults, journal, clock) and its lifecycle, over real HTTP. */
class ControlsTest {
    private static final String ME = "GET /users/@me";
    private static final String ERROR_503 = "{\"message\":\"API resource is currently overloaded. Try again a little "
            + "later\",\"code\":130000}";

    private DiscordEmulator discord;
    private String token;

    @BeforeEach
    void start() {
        discord = demo().start();
        token = accessToken(discord, NELLY, "identify guilds");
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    @Test
    void startWhenEmbeddedThenNoSystemPropertyChanges() {
        Map<Object, Object> before = Map.copyOf(System.getProperties());
        try (DiscordEmulator another = demo().admin(true).start()) {
            assertEquals(200, get(api(another, "/users/@me"), "Authorization",
                    bearer(accessToken(another, NELLY, "identify"))).statusCode());
        }
        assertEquals(before, Map.copyOf(System.getProperties()),
                "an embedded emulator leaves the JVM's system properties to the JVM's owner");
        boolean givenToJvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(arg -> arg.startsWith("-D" + EmulatorMain.NODELAY + "="));
        if (!givenToJvm) {
            assertNull(System.getProperty(EmulatorMain.NODELAY), "only the standalone command line sets it");
        }
    }

    private HttpResponse<String> me() {
        return get(api(discord, "/users/@me"), "Authorization", bearer(token));
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request)
            throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest meRequest() {
        return HttpRequest.newBuilder(api(discord, "/users/@me")).header("Authorization", bearer(token)).GET().build();
    }

    // -------------------------------------------------------------------------------------------- routing

    @ParameterizedTest
    @ValueSource(strings = {"/api/v10/users/@me", "/api/v9/users/@me", "/api/users/@me"})
    void usersMeWhenVersionedOrUnversionedPathThenAnswered(String path) {
        HttpResponse<String> response = get(URI.create(discord.baseUri() + path), "Authorization", bearer(token));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(NELLY, object(response).getString("id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v3/users/@me", "/api/v4/users/@me", "/api/v5/users/@me"})
    void usersMeWhenDiscontinuedVersionThen400InvalidApiVersion(String path) {
        HttpResponse<String> response = get(URI.create(discord.baseUri() + path), "Authorization", bearer(token));
        assertEquals(400, response.statusCode(), response.body());
        JsonObject body = object(response);
        assertEquals("Invalid API version provided", body.getString("message"));
        assertEquals(50041, body.getInt("code"));
    }

    @Test
    void apiWhenUnknownPathThen404DiscordBody() {
        HttpResponse<String> response = get(api(discord, "/users/@me/friends"), "Authorization", bearer(token));
        assertEquals(404, response.statusCode());
        JsonObject body = object(response);
        assertEquals("404: Not Found", body.getString("message"));
        assertEquals(0, body.getInt("code"));
        assertEquals(2, body.size(), response.body());
    }

    @Test
    void usersMeWhenPostThen405() {
        HttpResponse<String> response = request("POST", api(discord, "/users/@me"), "application/json", "{}",
                "Authorization", bearer(token));
        assertEquals(405, response.statusCode(), response.body());
        assertEquals(0, object(response).getInt("code"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/authorize", "/api/oauth2/authorize"})
    void authorizeWhenCurrentOrLegacyPathThenConsentPage(String path) {
        URI uri = withQuery(URI.create(discord.baseUri() + path), params("response_type", "code",
                "client_id", CLIENT_ID, "scope", "identify", "redirect_uri", REDIRECT));
        HttpResponse<String> page = get(uri);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("<form method=\"post\""), "the consent form");
        assertTrue(page.body().contains("data-scope=\"identify\""));
    }

    // -------------------------------------------------------------------------------------------- faults

    @Test
    void injectFaultWhenStatusTwiceThenTwoFaultsThenNormalAnswer() {
        discord.injectFault(ME, Fault.status(503, ERROR_503).times(2));
        discord.injectFault(ME, Fault.delay(java.time.Duration.ZERO));
        assertEquals(3, discord.faultsPending(ME), "two plays of the first fault, one of the second");
        for (int i = 0; i < 2; i++) {
            assertEquals(3 - i, discord.faultsPending(ME));
            HttpResponse<String> failed = me();
            assertEquals(503, failed.statusCode());
            assertEquals(ERROR_503, failed.body());
            assertTrue(failed.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        }
        assertEquals(1, discord.faultsPending(ME));
        HttpResponse<String> ok = me();
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(NELLY, object(ok).getString("id"));
        assertEquals(0, discord.faultsPending(ME), "every fault played");
    }

    @Test
    void injectFaultWhenContentTypeGivenThenSentAsGiven() {
        String html = "<html><body>error code: 1015</body></html>";
        discord.injectFault(ME, Fault.status(429, "text/html", html));
        HttpResponse<String> response = me();
        assertEquals(429, response.statusCode());
        assertEquals("text/html", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(html, response.body());
    }

    @Test
    void injectFaultWhenWithHeaderThenHeaderSent() {
        discord.injectFault(ME, Fault.status(429, "{\"message\":\"You are being rate limited.\","
                + "\"retry_after\":2.5,\"global\":false}").withHeader("Retry-After", "3")
                .withHeader("X-RateLimit-Scope", "user"));
        HttpResponse<String> response = me();
        assertEquals(429, response.statusCode());
        assertEquals("3", response.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("user", response.headers().firstValue("X-RateLimit-Scope").orElseThrow());
        assertEquals(2.5, object(response).getJsonNumber("retry_after").doubleValue());
    }

    @Test
    void injectFaultWhenSeveralOnOneRouteThenPlayedInOrderAndOtherRoutesUntouched() {
        discord.injectFault(ME, Fault.status(503, ERROR_503));
        discord.injectFault(ME, Fault.status(502, "{\"message\":\"502: Bad Gateway\",\"code\":0}"));
        HttpResponse<String> guilds = get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token));
        assertEquals(200, guilds.statusCode(), "a fault on another route does not apply");
        assertEquals(503, me().statusCode());
        assertEquals(502, me().statusCode());
        assertEquals(200, me().statusCode());
    }

    @Test
    void injectFaultWhenDropConnectionOnPostThenIOExceptionAndNextRequestWorks() throws Exception {
        discord.injectFault("POST /oauth2/token", Fault.dropConnection());
        discord.clearJournal();
        HttpClient client = newClient();
        HttpRequest tokenRequest = HttpRequest.newBuilder(discord.tokenUri())
                .header("Authorization", basic(CLIENT_ID, SECRET))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=identify")).build();
        assertThrows(IOException.class, () -> send(client, tokenRequest));
        HttpResponse<String> next = send(client, tokenRequest);
        assertEquals(200, next.statusCode(), next.body());
        assertTrue(object(next).containsKey("access_token"));
        List<RecordedRequest> recorded = discord.journal("POST /oauth2/token");
        assertEquals(List.of(0, 200), recorded.stream().map(RecordedRequest::status).toList(),
                "a dropped request is journaled with status 0");
    }

    @Test
    void injectFaultWhenDropConnectionOnGetTwiceThenIOExceptionAndNextRequestWorks() throws Exception {
        // the JDK client silently retries an idempotent GET once when the connection closes before any byte
        discord.injectFault(ME, Fault.dropConnection().times(2));
        HttpClient client = newClient();
        assertThrows(IOException.class, () -> send(client, meRequest()));
        HttpResponse<String> next = send(client, meRequest());
        assertEquals(200, next.statusCode(), next.body());
        assertEquals(NELLY, object(next).getString("id"));
        assertEquals(2, discord.journal(ME).stream().filter(r -> r.status() == 0).count());
    }

    @Test
    void injectFaultWhenDelayLongerThanClientTimeoutThenHttpTimeoutException() throws Exception {
        discord.injectFault(ME, Fault.delay(Duration.ofMillis(400)));
        HttpRequest request = HttpRequest.newBuilder(api(discord, "/users/@me")).header("Authorization",
                bearer(token)).timeout(Duration.ofMillis(100)).GET().build();
        assertThrows(HttpTimeoutException.class, () -> send(newClient(), request));
        assertEquals(200, me().statusCode(), "the fault was played once");
    }

    @Test
    void injectFaultWhenDelayShorterThanTimeoutThenNormalAnswer() throws Exception {
        discord.injectFault(ME, Fault.delay(Duration.ofMillis(50)));
        HttpRequest request = HttpRequest.newBuilder(api(discord, "/users/@me")).header("Authorization",
                bearer(token)).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<String> response = send(newClient(), request);
        assertEquals(200, response.statusCode());
        assertEquals(NELLY, object(response).getString("id"), "a delay answers normally afterwards");
    }

    @Test
    void injectFaultWhenMalformedJsonThen200BodyParssonCannotParse() {
        discord.injectFault(ME, Fault.malformedJson());
        HttpResponse<String> response = me();
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertThrows(JsonException.class, () -> object(response));
        assertEquals(NELLY, object(me()).getString("id"), "the next answer is whole");
    }

    @Test
    void injectFaultWhenUnknownRouteThenIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class,
                () -> discord.injectFault("GET /users/@you", Fault.status(500, "{}")));
        assertThrows(IllegalArgumentException.class,
                () -> discord.injectFault("DELETE /users/@me", Fault.status(500, "{}")));
    }

    @Test
    void clearFaultsWhenFaultsPendingThenNormalAnswers() {
        discord.injectFault(ME, Fault.status(503, ERROR_503).times(3));
        discord.injectFault("POST /oauth2/token", Fault.dropConnection());
        assertEquals(503, me().statusCode());
        discord.clearFaults();
        assertEquals(200, me().statusCode());
        HttpResponse<String> tokenResponse = postForm(discord.tokenUri(), params("grant_type", "client_credentials",
                "scope", "identify"), "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, tokenResponse.statusCode(), tokenResponse.body());
    }

    @Test
    void faultFactoriesWhenInvalidArgumentsThenIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> Fault.status(503, ERROR_503).times(0));
        assertThrows(IllegalArgumentException.class, () -> Fault.delay(Duration.ofMillis(-1)));
    }

    // -------------------------------------------------------------------------------------------- journal

    @Test
    void journalWhenTokenRequestThenRecordsMethodPathRouteHeadersFormAndStatus() {
        String code = code(discord, WUMPUS, "identify");
        discord.clearJournal();
        String userAgent = "DiscordBot (https://example.test/bot, 1.2.3)";
        HttpResponse<String> response = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT), "Authorization", basic(CLIENT_ID, SECRET),
                "User-Agent", userAgent);
        assertEquals(200, response.statusCode(), response.body());

        List<RecordedRequest> journal = discord.journal();
        assertEquals(1, journal.size(), journal.toString());
        RecordedRequest recorded = journal.get(0);
        assertEquals("POST", recorded.method());
        assertEquals("/api/v10/oauth2/token", recorded.path());
        assertEquals("POST /oauth2/token", recorded.route());
        assertTrue(recorded.header("authorization").orElseThrow().startsWith("Basic "));
        assertEquals(basic(CLIENT_ID, SECRET), recorded.header("Authorization").orElseThrow());
        assertEquals(userAgent, recorded.header("user-agent").orElseThrow());
        assertTrue(recorded.header("content-type").orElseThrow().startsWith("application/x-www-form-urlencoded"));
        assertEquals("authorization_code", recorded.formParam("grant_type").orElseThrow());
        assertEquals(REDIRECT, recorded.formParam("redirect_uri").orElseThrow(), "form values are decoded");
        assertEquals(code, recorded.formParam("code").orElseThrow());
        assertEquals(200, recorded.status());
        assertFalse(recorded.receivedAt().isAfter(discord.now()));
    }

    @Test
    void journalWhenRequestRefusedThenRecordsErrorStatus() {
        discord.clearJournal();
        HttpResponse<String> response = postForm(discord.tokenUri(), params("grant_type", "client_credentials",
                "scope", "identify"), "Authorization", basic(CLIENT_ID, "wrong-secret"));
        assertEquals(401, response.statusCode());
        assertEquals(401, discord.journal("POST /oauth2/token").get(0).status());
    }

    @Test
    void journalWhenGetWithQueryThenQueryParamsDecoded() {
        discord.clearJournal();
        get(withQuery(api(discord, "/users/@me/guilds"), params("limit", "2", "with_counts", "true",
                "after", "0")), "Authorization", bearer(token));
        RecordedRequest recorded = discord.journal("GET /users/@me/guilds").get(0);
        assertEquals("/api/v10/users/@me/guilds", recorded.path(), "the path leaves the query out");
        assertEquals("limit=2&with_counts=true&after=0", recorded.query());
        assertEquals(Map.of("limit", List.of("2"), "with_counts", List.of("true"), "after", List.of("0")),
                recorded.queryParams());
        assertEquals(Map.of(), recorded.formParams(), "a GET has no form");
        assertEquals("", recorded.body());
    }

    @Test
    void journalWhenRouteGivenThenOnlyThatRoutesRequests() {
        discord.clearJournal();
        me();
        get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token));
        me();
        get(api(discord, "/no/such/route"), "Authorization", bearer(token));
        assertEquals(4, discord.journal().size());
        List<RecordedRequest> mine = discord.journal(ME);
        assertEquals(2, mine.size());
        assertTrue(mine.stream().allMatch(r -> r.route().equals(ME) && r.path().equals("/api/v10/users/@me")));
        RecordedRequest unrouted = discord.journal().get(3);
        assertNull(unrouted.route(), "an unknown path matches no route");
        assertEquals(404, unrouted.status());
    }

    @Test
    void journalWhenInOrderThenOldestFirst() {
        discord.clearJournal();
        me();
        get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token));
        List<RecordedRequest> journal = discord.journal();
        assertEquals(List.of(ME, "GET /users/@me/guilds"), journal.stream().map(RecordedRequest::route).toList());
    }

    @Test
    void clearJournalWhenCalledThenJournalEmpty() {
        me();
        assertFalse(discord.journal().isEmpty());
        discord.clearJournal();
        assertTrue(discord.journal().isEmpty());
        assertTrue(discord.journal(ME).isEmpty());
        assertEquals(0, discord.connectionCount());
        me();
        assertEquals(1, discord.journal().size(), "recording goes on after a clear");
    }

    @Test
    void journalWhenReturnedThenUnmodifiableSnapshot() {
        discord.clearJournal();
        me();
        List<RecordedRequest> snapshot = discord.journal();
        assertThrows(UnsupportedOperationException.class, () -> snapshot.clear());
        me();
        assertEquals(1, snapshot.size(), "a snapshot does not grow");
        assertEquals(2, discord.journal().size());
    }

    @Test
    void connectionCountWhenOneClientSendsSequentiallyThenConnectionsReused() throws Exception {
        discord.clearJournal();
        HttpClient client = newClient();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, send(client, meRequest()).statusCode());
        }
        int count = discord.connectionCount();
        assertTrue(count >= 1 && count <= 2, "keep-alive reuses the connection: " + count);
    }

    @Test
    void connectionCountWhenTwoClientsThenAtLeastTwo() throws Exception {
        discord.clearJournal();
        assertEquals(200, send(newClient(), meRequest()).statusCode());
        assertEquals(200, send(newClient(), meRequest()).statusCode());
        assertTrue(discord.connectionCount() >= 2, "two clients, two connections: " + discord.connectionCount());
    }

    // -------------------------------------------------------------------------------------------- lifecycle

    @Test
    void urisWhenStartedThenConsistentOnLoopback() {
        int port = discord.port();
        assertTrue(port > 0 && port <= 65535);
        assertEquals(URI.create("http://127.0.0.1:" + port), discord.baseUri());
        assertEquals(URI.create(discord.baseUri() + "/api/v10"), discord.apiBaseUri());
        assertEquals(URI.create(discord.baseUri() + "/oauth2/authorize"), discord.authorizeUri());
        assertEquals(URI.create(discord.apiBaseUri() + "/oauth2/token"), discord.tokenUri());
        assertEquals("127.0.0.1", discord.tokenUri().getHost());
        assertEquals(port, discord.tokenUri().getPort());
        assertTrue(discord.toString().contains(discord.baseUri().toString()));
    }

    @Test
    void startWhenTwoEmulatorsOnPortZeroThenDifferentPorts() {
        try (DiscordEmulator other = demo().port(0).start()) {
            assertNotEquals(discord.port(), other.port());
            assertEquals(401, get(api(other, "/users/@me"), "Authorization", bearer(token)).statusCode(),
                    "the other emulator has its own tokens");
        }
    }

    @Test
    void closeWhenClosedThenRequestsFail() throws Exception {
        HttpClient client = newClient();
        assertEquals(200, send(client, meRequest()).statusCode());
        discord.close();
        assertThrows(IOException.class, () -> send(client, meRequest()));
        assertThrows(IOException.class, () -> send(newClient(), meRequest()));
    }

    @Test
    void startWhenAutoApproveNamesUnknownUserThenIllegalArgumentException() {
        DiscordEmulator.Builder builder = demo().autoApprove("999999999999999999");
        assertThrows(IllegalArgumentException.class, builder::start);
    }

    @Test
    void startWhenMemberOfUnknownGuildThenIllegalArgumentException() {
        DiscordEmulator.Builder builder = demo().member(EmulatedMember.builder("999999999999999999", NELLY).build());
        assertThrows(IllegalArgumentException.class, builder::start);
    }

    @Test
    void startWhenRateLimitOnUnknownRouteThenIllegalArgumentException() {
        DiscordEmulator.Builder builder = demo().rateLimit("GET /users/@you", 1, Duration.ofSeconds(1));
        assertThrows(IllegalArgumentException.class, builder::start);
    }

    @Test
    void portWhenOutOfRangeThenIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> DiscordEmulator.builder().port(70000));
        assertThrows(IllegalArgumentException.class, () -> DiscordEmulator.builder().port(-1));
    }

    @Test
    void applicationToStringWhenCalledThenNoSecretNoBotToken() {
        EmulatedApplication app = EmulatedApplication.builder(CLIENT_ID).clientSecret("s3cr3t-do-not-print")
                .botToken("b0t-t0ken-do-not-print").redirectUri(REDIRECT).build();
        String text = app.toString();
        assertTrue(text.contains(CLIENT_ID), text);
        assertFalse(text.contains("s3cr3t-do-not-print"), text);
        assertFalse(text.contains("b0t-t0ken-do-not-print"), text);
    }

    @Test
    void clockWhenAdvancedThenInstantMoves() {
        Clock clock = discord.clock();
        assertEquals(ZoneOffset.UTC, clock.getZone());
        Instant before = clock.instant();
        discord.advanceClock(Duration.ofHours(2));
        Instant after = clock.instant();
        Duration moved = Duration.between(before, after);
        assertTrue(moved.compareTo(Duration.ofHours(2)) >= 0 && moved.compareTo(Duration.ofHours(2).plusMinutes(1)) < 0,
                "moved " + moved);
        Duration fromNow = Duration.between(clock.instant(), discord.now()).abs();
        assertTrue(fromNow.compareTo(Duration.ofMinutes(1)) < 0, "clock() and now() agree");
        assertTrue(Duration.between(Instant.now(), clock.instant()).compareTo(Duration.ofMinutes(119)) > 0,
                "ahead of the system clock");
    }

    @Test
    void advanceClockWhenNegativeThenIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> discord.advanceClock(Duration.ofSeconds(-1)));
    }
}
