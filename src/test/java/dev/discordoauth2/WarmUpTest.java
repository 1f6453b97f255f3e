package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.discordoauth2.emulator.DiscordEmulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DiscordOAuth2Client#warmUp()} builds the client's runtime without sending anything. Whether it makes the
 * first login quicker is measured in the bench ({@code BENCHMARKS.md}, first login after start-up), not asserted here.
 */
class WarmUpTest {

    @Test
    void warmUpWhenCalledThenTheEmulatorReceivesNothing() {
        try (DiscordEmulator discord = emulator().start(); DiscordOAuth2Client client = client(discord).build()) {
            client.warmUp();
            client.warmUp();

            assertEquals(List.of(), discord.journal());
            assertEquals(0, discord.connectionCount());
        }
    }

    @Test
    void warmUpWhenTheApiBaseListensThenNoConnectionIsOpened() throws Exception {
        try (ServerSocket api = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId(CLIENT_ID).clientSecret(SECRET)
                        .apiBaseUri(URI.create("http://127.0.0.1:" + api.getLocalPort() + "/api/v10")).build()) {
            client.warmUp();

            api.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, api::accept);
        }
    }

    @Test
    void warmUpWhenDoneThenRealCallsStillReachDiscord() {
        try (DiscordEmulator discord = emulator().autoApprove(NELLY).start();
                DiscordOAuth2Client client = client(discord).build()) {
            client.warmUp();

            AccessToken token = login(discord, client, "identify");
            assertEquals(NELLY, token.fetchIdentify().id());
            assertEquals(1, discord.journal("POST /oauth2/token").size());
            assertEquals(1, discord.journal("GET /users/@me").size());
        }
    }
}
