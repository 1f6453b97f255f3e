package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A browser on the consent page asks for {@code /favicon.ico}: the emulator answers it without a 404. */
class FaviconTest {
    private DiscordEmulator discord;

    @BeforeEach
    void start() {
        discord = demo().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    @Test
    void getWhenFaviconThenNoContentCachedAndJournaled() {
        HttpResponse<String> response = get(discord.baseUri().resolve("/favicon.ico"));

        assertEquals(204, response.statusCode());
        assertEquals("", response.body());
        assertEquals("max-age=86400", response.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(204, discord.journal().get(0).status());
    }

    @Test
    void getWhenOtherPathOutsideApiThenStillNotFound() {
        assertEquals(404, get(discord.baseUri().resolve("/favicon.png")).statusCode());
    }
}
