package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DiscordOAuth2Client#withReadTimeout}: a refresh whose answer comes after the client's read timeout is not
 * given up, since Discord rotated the refresh token when it handled it.
 */
class ReadTimeoutViewTest {
    private static final String TOKEN = "POST /oauth2/token";
    private DiscordEmulator discord;
    private DiscordOAuth2Client client;

    @BeforeEach
    void start() {
        discord = emulator().autoApprove(NELLY).start();
        client = client(discord).readTimeout(Duration.ofMillis(400)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        discord.close();
    }

    @Test
    void refreshTokenWhenAnswerSlowerThanReadTimeoutThenLostWithoutViewAndKeptWithIt() {
        AccessToken first = login(discord, client, "identify");
        discord.injectFault(TOKEN, Fault.delay(Duration.ofMillis(1200)));
        assertThrows(DiscordTransportException.class, () -> client.refreshToken(first.refreshToken().orElseThrow()),
                "the 400 ms read timeout gives the answer up");
        awaitQuiet();
        // Discord handled it anyway: the refresh token is rotated, and the new tokens went nowhere
        assertThrows(InvalidGrantException.class, () -> client.refreshToken(first.refreshToken().orElseThrow()));

        AccessToken second = login(discord, client, "identify");
        discord.injectFault(TOKEN, Fault.delay(Duration.ofMillis(1200)));
        AccessToken rotated = client.withReadTimeout(Duration.ofSeconds(5)).refreshToken(second.refreshToken().orElseThrow());
        assertNotEquals(second.refreshToken(), rotated.refreshToken());
        assertEquals(NELLY, rotated.fetchIdentify().id(), "the view's tokens call through the view");
        assertTrue(client.refreshToken(rotated.refreshToken().orElseThrow()).token().length() > 10, "the rotated token works");
    }

    @Test
    void withReadTimeoutWhenNotPositiveThenIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> client.withReadTimeout(null));
        assertThrows(IllegalArgumentException.class, () -> client.withReadTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> client.withReadTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void withCallTimeoutWhenViewHasReadTimeoutThenBudgetStillCutsIt() {
        AccessToken token = login(discord, client, "identify");
        discord.injectFault("GET /users/@me", Fault.delay(Duration.ofSeconds(3)));
        DiscordOAuth2Client view = client.withReadTimeout(Duration.ofSeconds(10)).withCallTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThrows(DiscordTimeoutException.class, () -> view.fromAccessToken(token.token()).fetchIdentify());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2_500, "the call timeout wins");
        assertTrue(view.toString().contains("readTimeout=PT10S") && view.toString().contains("callTimeout=PT0.3S"),
                view.toString());
    }

    /** Lets the emulator finish the delayed request the client gave up on. */
    private static void awaitQuiet() {
        try {
            Thread.sleep(1200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
