package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DiscordOAuth2Client#fromAccessToken(String, Runnable)}: a 401 tells the owner, a 403 does not. */
class UnauthorizedCallbackTest {
    private static final String ME = "GET /users/@me";
    private DiscordEmulator discord;
    private DiscordOAuth2Client client;
    private final AtomicInteger unauthorized = new AtomicInteger();

    @BeforeEach
    void start() {
        discord = emulator().autoApprove(NELLY).start();
        client = client(discord).build();
    }

    @AfterEach
    void stop() {
        client.close();
        discord.close();
    }

    @Test
    void fetchIdentifyWhenTokenRevokedElsewhereThenCallbackRunsOncePerCallAndForbidden401() {
        String stored = login(discord, client, "identify", "guilds").token();
        PartialAccessToken token = client.fromAccessToken(stored, unauthorized::incrementAndGet);
        assertEquals(NELLY, token.fetchIdentify().id());
        assertEquals(0, unauthorized.get(), "not run on success");
        client.revokeToken(stored);
        ForbiddenException e = assertThrows(ForbiddenException.class, token::fetchIdentify);
        assertEquals(401, e.status());
        assertEquals(1, unauthorized.get());
        assertEquals(401, assertThrows(ForbiddenException.class, token::fetchGuilds).status());
        assertEquals(2, unauthorized.get(), "once per failing call");
    }

    @Test
    void fetchIdentifyWhen403ThenCallbackNotRun() {
        PartialAccessToken token = client.fromAccessToken(login(discord, client, "identify").token(),
                unauthorized::incrementAndGet);
        discord.injectFault(ME, Fault.status(403, "{\"message\": \"Missing Access\", \"code\": 50001}"));
        assertEquals(403, assertThrows(ForbiddenException.class, token::fetchIdentify).status());
        assertEquals(0, unauthorized.get());
    }

    @Test
    void fetchIdentifyWhenCallbackThrowsThenForbiddenStillThrown() {
        String stored = login(discord, client, "identify").token();
        PartialAccessToken token = client.fromAccessToken(stored, () -> {
            unauthorized.incrementAndGet();
            throw new IllegalStateException("session store down");
        });
        client.revokeToken(stored);
        ForbiddenException e = assertThrows(ForbiddenException.class, token::fetchIdentify);
        assertEquals(401, e.status());
        assertEquals(1, unauthorized.get());
        assertFalse(e.getMessage().contains(stored));
    }

    @Test
    void fetchIdentifyWhenViewTokenRevokedThenCallbackRunsThroughTheView() {
        String stored = login(discord, client, "identify").token();
        PartialAccessToken token = client.withCallTimeout(java.time.Duration.ofSeconds(5))
                .fromAccessToken(stored, unauthorized::incrementAndGet);
        client.revokeToken(stored);
        assertEquals(401, assertThrows(ForbiddenException.class, token::fetchIdentify).status());
        assertEquals(1, unauthorized.get());
    }

    @Test
    void fromAccessTokenWhenCallbackNullThenRefused() {
        assertEquals("onUnauthorized must not be null", assertThrows(NullPointerException.class,
                () -> client.fromAccessToken("abc", null)).getMessage());
    }
}
