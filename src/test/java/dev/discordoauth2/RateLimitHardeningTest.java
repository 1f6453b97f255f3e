package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Absurd 429 waits, the reason of a locally refused call, and the limiter's memory, over real HTTP. */
class RateLimitHardeningTest {
    private static final String ME = "GET /users/@me";
    private static final String TOKEN = "POST /oauth2/token";
    private DiscordEmulator discord;
    private DiscordOAuth2Client client;

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
    void tokenGrantWhen429RetryAfterHugeThenOneRequestAndBoundedRetryAfter() {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").build());
        discord.injectFault(TOKEN, Fault.status(429, "{\"message\": \"You are being rate limited.\", "
                + "\"retry_after\": 1e10, \"global\": false}").withHeader("X-RateLimit-Scope", "user").times(50));
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> client.exchangeCode(code));
        assertEquals(RateLimitedException.MAX_RETRY_AFTER, e.retryAfter());
        assertEquals(1, discord.journal(TOKEN).size(), "not retried after an overflowed, tiny wait");
    }

    @Test
    void getWhen429RetryAfterHeaderHugeAndNoBodyFieldThenOneRequestAndBoundedRetryAfter() {
        AccessToken token = login(discord, client, "identify");
        discord.injectFault(ME, Fault.status(429, "{\"message\": \"You are being rate limited.\", \"global\": false}")
                .withHeader("Retry-After", "99999999999999999999").withHeader("X-RateLimit-Scope", "user").times(50));
        RateLimitedException e = assertThrows(RateLimitedException.class, token::fetchIdentify);
        assertEquals(RateLimitedException.MAX_RETRY_AFTER, e.retryAfter());
        assertEquals(1, discord.journal(ME).size());
    }

    @Test
    void getWhen429RetryAfterNegativeThenTreatedAsNoWait() {
        AccessToken token = login(discord, client, "identify");
        discord.injectFault(ME, Fault.status(429, "{\"message\": \"You are being rate limited.\", "
                + "\"retry_after\": -5, \"global\": false}").withHeader("X-RateLimit-Scope", "user"));
        assertEquals(NELLY, token.fetchIdentify().id());
        assertEquals(2, discord.journal(ME).size());
    }

    @Test
    void otherRouteWhenGlobalLimitHoldsBeyondBudgetThenRefusedLocallyAsGlobal() {
        AccessToken token = login(discord, client, "identify", "guilds");
        discord.injectFault(ME, Fault.status(429, "{\"message\": \"You are being rate limited.\", \"retry_after\": 30,"
                + " \"global\": true}").withHeader("Retry-After", "30").withHeader("X-RateLimit-Global", "true")
                .withHeader("X-RateLimit-Scope", "global"));
        assertTrue(assertThrows(RateLimitedException.class, token::fetchIdentify).global());
        RateLimitedException local = assertThrows(RateLimitedException.class, token::fetchGuilds);
        assertTrue(local.global(), "the wait is the global limit's, not the route's");
        assertEquals(Optional.of("global"), local.scope());
        assertTrue(local.getMessage().contains("global limit"), local.getMessage());
        assertTrue(local.retryAfter().compareTo(Duration.ofSeconds(30)) <= 0);
        assertTrue(local.retryAfter().compareTo(Duration.ofSeconds(20)) > 0);
        assertTrue(discord.journal("GET /users/@me/guilds").isEmpty(), "refused without sending");
    }

    @Test
    void userCallsWhenManyDistinctTokensThenLimiterDoesNotGrow() {
        try (DiscordEmulator fast = emulator().autoApprove(NELLY).rateLimit(ME, 5, Duration.ofMillis(1))
                .defaultRateLimit(100_000, Duration.ofSeconds(1)).globalRateLimit(100_000, Duration.ofSeconds(1))
                .start();
             DiscordOAuth2Client c = client(fast).build()) {
            AccessToken token = login(fast, c, "identify");
            int tokens = 150;
            for (int i = 0; i < tokens; i++) {
                token = token.refresh();
                assertEquals(NELLY, token.fetchIdentify().id());
            }
            int size = c.core().transport.limiter().size();
            assertTrue(size < 70, tokens + " tokens, " + size + " buckets remembered");
        }
    }
}
