package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discord's front end answers {@code 411 Length Required} (an HTML page, not Discord JSON) to a POST, PUT or PATCH
 * without {@code Content-Length} and to a chunked body, before routing, auth or rate limits.
 */
class LengthRequiredTest {
    private static final String PAGE = "<html>\r\n<head><title>411 Length Required</title></head>\r\n<body>\r\n"
            + "<center><h1>411 Length Required</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n"
            + "</html>\r\n";

    private DiscordEmulator discord;
    private String token;

    @BeforeEach
    void start() {
        discord = demo().start();
        token = accessToken(discord, NELLY, "identify role_connections.write");
        discord.clearJournal();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private RawHttp.Answer postWithoutLength(String path, String body, String... headers) {
        return RawHttp.send(discord, "POST " + path + " HTTP/1.1", body, headers);
    }

    private static void assertLengthRequired(RawHttp.Answer answer) {
        assertEquals(411, answer.status(), answer.toString());
        assertTrue(answer.header("Content-Type").startsWith("text/html"), answer.toString());
        assertEquals(PAGE, answer.body());
        assertEquals("close", answer.header("Connection"), "the unread body must not be parsed as a request");
    }

    @Test
    void tokenWhenPostWithoutContentLengthThenLengthRequiredAndJournaled() {
        String code = code(discord, WUMPUS, "identify");
        discord.clearJournal();
        String form = form(params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT));

        RawHttp.Answer answer = postWithoutLength("/api/v10/oauth2/token", form,
                "Authorization: " + basic(CLIENT_ID, SECRET), "Content-Type: application/x-www-form-urlencoded");

        assertLengthRequired(answer);
        List<RecordedRequest> journal = discord.journal();
        assertEquals(1, journal.size(), journal.toString());
        RecordedRequest recorded = journal.get(0);
        assertEquals("POST", recorded.method());
        assertEquals("/api/v10/oauth2/token", recorded.path());
        assertNull(recorded.route(), "refused before routing");
        assertEquals(411, recorded.status());
        assertEquals(Optional.empty(), recorded.header("Content-Length"));
        HttpResponse<String> later = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT), "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, later.statusCode(), "the refused request did not use the code: " + later.body());
    }

    @Test
    void postWhenCredentialsWrongAndNoContentLengthThenLengthRequiredNotUnauthorized() {
        RawHttp.Answer answer = postWithoutLength("/api/v10/oauth2/token/revoke", "token=x",
                "Authorization: " + basic(CLIENT_ID, "wrong-secret"),
                "Content-Type: application/x-www-form-urlencoded");

        assertLengthRequired(answer);
    }

    @Test
    void postWhenUnknownRouteAndNoContentLengthThenLengthRequiredNotNotFound() {
        assertLengthRequired(postWithoutLength("/api/v10/no/such/route", ""));
        assertLengthRequired(postWithoutLength("/oauth2/authorize", ""));
    }

    @Test
    void patchWhenNoContentLengthThenLengthRequiredNotMethodNotAllowed() {
        assertLengthRequired(RawHttp.send(discord, "PATCH /api/v10/users/@me HTTP/1.1", "{}",
                "Authorization: " + bearer(token), "Content-Type: application/json"));
    }

    @Test
    void putWhenBodyChunkedThenLengthRequiredAndNothingStored() {
        URI uri = api(discord, "/users/@me/applications/" + CLIENT_ID + "/role-connection");
        byte[] json = "{\"platform_name\":\"Chunked\",\"metadata\":{}}".getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = HttpRequest.newBuilder(uri).header("Authorization", bearer(token))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json))).build();

        HttpResponse<String> response = send(chunked);

        assertEquals(411, response.statusCode(), response.body());
        assertEquals(PAGE, response.body());
        RecordedRequest recorded = discord.journal().get(0);
        assertEquals(Optional.of("chunked"), recorded.header("Transfer-Encoding"));
        assertEquals(411, recorded.status());
        HttpResponse<String> stored = get(uri, "Authorization", bearer(token));
        assertTrue(object(stored).isNull("platform_name"), stored.body());
    }

    @Test
    void postWhenBodyWithoutLengthLooksLikeARequestThenConnectionClosedAndItIsNotServed() throws Exception {
        URI base = discord.apiBaseUri();
        String smuggled = "GET /api/v10/users/@me HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer(token)
                + "\r\n\r\n";
        String request = "POST /api/v10/oauth2/token HTTP/1.1\r\nHost: x\r\n\r\n" + smuggled;
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertTrue(answer.startsWith("HTTP/1.1 411 "), answer);
            assertEquals(1, answer.split("HTTP/1\\.1 ", -1).length - 1, "one answer, then the server closed: " + answer);
        }
        assertEquals(List.of("POST"), discord.journal().stream().map(RecordedRequest::method).toList());
    }

    @Test
    void postWhenContentLengthZeroThenRouted() {
        RawHttp.Answer answer = RawHttp.send(discord, "POST /api/v10/oauth2/token HTTP/1.1", "",
                "Content-Length: 0", "Authorization: " + basic(CLIENT_ID, SECRET),
                "Content-Type: application/x-www-form-urlencoded");

        assertEquals(400, answer.status(), answer.toString());
        assertEquals("POST /oauth2/token", discord.journal().get(0).route());
    }

    @Test
    void getWhenNoContentLengthThenAnswered() {
        RawHttp.Answer answer = RawHttp.send(discord, "GET /api/v10/users/@me HTTP/1.1", "",
                "Authorization: " + bearer(token));

        assertEquals(200, answer.status(), answer.toString());
    }
}
