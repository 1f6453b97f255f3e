package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.discordoauth2.emulator.DiscordEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A fault injected over the emulator's admin API (as another process would) reaches the client's call. */
class AdminFaultClientTest {

    @Test
    void fetchIdentifyWhenFaultInjectedOverAdminApiThenClientThrowsWhatDiscordSent() throws Exception {
        try (DiscordEmulator discord = emulator().autoApprove(NELLY).admin(true).start();
                DiscordOAuth2Client client = client(discord).build()) {
            AccessToken token = login(discord, client, "identify");
            HttpRequest inject = HttpRequest.newBuilder(URI.create(discord.adminUri().orElseThrow() + "/faults"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"route": "GET /users/@me", "type": "status", "status": 404,
                             "body": {"message": "Unknown User", "code": 10013}}"""))
                    .build();
            HttpResponse<String> injected = HttpClient.newHttpClient().send(inject,
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, injected.statusCode(), injected.body());

            NotFoundException e = assertThrows(NotFoundException.class, token::fetchIdentify);
            assertEquals(404, e.status());
            assertEquals(10013, e.code().getAsInt());
            assertEquals("nelly", token.fetchIdentify().username(), "played once, then the normal answer");
        }
    }
}
