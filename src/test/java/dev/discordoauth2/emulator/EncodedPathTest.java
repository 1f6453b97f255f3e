package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Routes match the path percent-decoded once, as Discord's do: {@code @discordjs/rest} sends {@code /users/%40me} for
 * {@code Routes.user('@me')}. An encoded slash, a double encoding and bytes that are not UTF-8 match no route.
 */
class EncodedPathTest {
    private static final String NOT_FOUND = "{\"message\":\"404: Not Found\",\"code\":0}";

    private DiscordEmulator discord;
    private String token;

    @BeforeEach
    void start() {
        discord = demo().start();
        token = accessToken(discord, NELLY, "identify guilds guilds.members.read role_connections.write");
        discord.clearJournal();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private URI raw(String pathAfterApiBase) {
        return URI.create(discord.apiBaseUri() + pathAfterApiBase);
    }

    private static JsonObject json(String text) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(text))) {
            return reader.readObject();
        }
    }

    @Test
    void getWhenAtSignEncodedThenAnsweredAsCurrentUser() {
        HttpResponse<String> plain = get(api(discord, "/users/@me"), "Authorization", bearer(token));
        HttpResponse<String> encoded = get(raw("/users/%40me"), "Authorization", bearer(token));

        assertEquals(200, encoded.statusCode(), encoded.body());
        assertEquals(object(plain), object(encoded));
        RecordedRequest recorded = discord.journal().get(1);
        assertEquals("/api/v10/users/%40me", recorded.path(), "the journal keeps the path as sent");
        assertEquals("GET /users/@me", recorded.route(), "and names the route it matched");
        assertEquals(200, recorded.status());
    }

    @Test
    void getWhenParameterisedRouteEncodedThenRouteMatchesWithDecodedId() {
        // lower-case hex, an encoded @, an encoded digit inside the guild id
        String path = "/users/%40me/guilds/%31" + TESTERS.substring(1) + "/me%6Dber";
        HttpResponse<String> response = get(raw(path), "Authorization", bearer(token));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(NELLY, object(response).getJsonObject("user").getString("id"));
        assertEquals(List.of("GET /users/@me/guilds/{guild.id}/member"),
                discord.journal().stream().map(RecordedRequest::route).toList());
    }

    @Test
    void tokenWhenPathEncodedThenTokenEndpointAnswers() {
        String code = code(discord, WUMPUS, "identify");
        HttpResponse<String> response = postForm(raw("/%6Fauth2/token"), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT), "Authorization", basic(CLIENT_ID, SECRET));

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(object(response).containsKey("access_token"));
        assertEquals(1, discord.journal("POST /oauth2/token").size());
    }

    @Test
    void putWhenRoleConnectionPathEncodedThenStored() {
        HttpResponse<String> response = sendJson("PUT",
                raw("/users/%40me/applications/" + CLIENT_ID + "/role%2Dconnection"),
                "{\"platform_name\":\"Encoded\",\"metadata\":{\"level\":\"3\"}}", "Authorization", bearer(token));

        assertEquals(200, response.statusCode(), response.body());
        HttpResponse<String> stored = get(api(discord, "/users/@me/applications/" + CLIENT_ID + "/role-connection"),
                "Authorization", bearer(token));
        assertEquals("Encoded", object(stored).getString("platform_name"));
    }

    @Test
    void getWhenVersionEncodedThenVersionResolved() {
        URI uri = URI.create(discord.apiBaseUri().toString().replace("/api/v10", "/api/v%310") + "/users/%40me");
        HttpResponse<String> response = get(uri, "Authorization", bearer(token));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void authorizeWhenPathEncodedThenConsentPage() {
        URI encoded = URI.create(authorizeUri(discord, "identify").toString().replace("/oauth2/authorize",
                "/oauth2/%61uthorize"));
        HttpResponse<String> page = get(encoded);

        assertEquals(200, page.statusCode(), page.body());
        assertEquals("GET /oauth2/authorize", discord.journal().get(0).route());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users%2F@me", "/users%2f@me", "/users/%2540me", "/users/%FFme", "/users/%C3"})
    void getWhenSlashEncodedOrEscapeInvalidThenUnknownRoute(String path) {
        HttpResponse<String> response = get(raw(path), "Authorization", bearer(token));

        assertEquals(404, response.statusCode(), response.body());
        assertEquals(json(NOT_FOUND), object(response));
        RecordedRequest recorded = discord.journal().get(0);
        assertEquals("/api/v10" + path, recorded.path());
        assertNull(recorded.route(), "an encoded slash matches no route");
        assertEquals(404, recorded.status());
    }

    @Test
    void postWhenTokenPathHasEncodedSlashThenUnknownRouteNotTokenEndpoint() {
        HttpResponse<String> response = postForm(raw("/oauth2%2Ftoken"), params("grant_type", "client_credentials",
                "scope", "identify"), "Authorization", basic(CLIENT_ID, SECRET));

        assertEquals(404, response.statusCode(), response.body());
        assertEquals(json(NOT_FOUND), object(response));
        assertEquals(List.of(), discord.journal("POST /oauth2/token"));
    }

    @Test
    void authorizeWhenSlashEncodedThenHtmlNotFound() {
        HttpResponse<String> page = get(URI.create(discord.authorizeUri().toString().replace("/oauth2/authorize",
                "/oauth2%2Fauthorize") + "?client_id=" + CLIENT_ID));

        assertEquals(404, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    }

    @Test
    void getWhenEscapeNotHexThenBadRequestBeforeAnyRoute() {
        // the JDK server refuses a request line that is not a URI before the emulator sees it
        RawHttp.Answer answer = RawHttp.send(discord, "GET /api/v10/users/%zzme HTTP/1.1", "",
                "Authorization: " + bearer(token));

        assertEquals(400, answer.status(), answer.toString());
        assertEquals(List.of(), discord.journal(), "refused before the dispatcher, so not journaled");
    }
}
