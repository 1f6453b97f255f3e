package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DiscordOAuth2Client#withCallTimeout}: one budget for a call's attempts, backoffs and waits. */
class CallTimeoutTest {
    private static final String ME = "GET /users/@me";
    private static final Duration BUDGET = Duration.ofMillis(300);
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
    void fetchIdentifyWhenAnswerSlowerThanBudgetThenTimeoutLongBeforeReadTimeout() {
        DiscordOAuth2Client view = client.withCallTimeout(BUDGET);
        AccessToken token = login(discord, view, "identify");
        discord.injectFault(ME, Fault.delay(Duration.ofSeconds(4)).times(3));
        long start = System.nanoTime();
        DiscordTimeoutException e = assertThrows(DiscordTimeoutException.class, token::fetchIdentify);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 3_000, "the per-request read timeout (10 s) was cut to the budget; took "
                + tookMillis + " ms");
        assertEquals(BUDGET, e.callTimeout());
        assertTrue(e.getMessage().startsWith("GET /users/@me: the call timeout of 300 ms "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(1 attempt)"), "no retry after the deadline: " + e.getMessage());
        assertInstanceOf(DiscordTransportException.class, e);
    }

    @Test
    void ownerWhenViewCutItsReadTimeoutThenOwnerRequestsKeepTheirs() {
        DiscordOAuth2Client view = client.withCallTimeout(BUDGET);
        PartialAccessToken viaView = view.fromAccessToken(login(discord, client, "identify").token());
        discord.injectFault(ME, Fault.delay(Duration.ofSeconds(4)));
        assertThrows(DiscordTimeoutException.class, viaView::fetchIdentify);
        discord.injectFault(ME, Fault.delay(Duration.ofMillis(800)));
        assertEquals(NELLY, client.fromAccessToken(viaView.token()).fetchIdentify().id(),
                "a request of the owner, on the same pooled connections, still has the 10 s read timeout");
    }

    @Test
    void fetchIdentifyWhen503AndBackoffBeyondBudgetThenFewerAttemptsAndTimeout() {
        try (DiscordOAuth2Client slowBackoff = client(discord).retryBackoff(Duration.ofSeconds(2)).build()) {
            AccessToken token = login(discord, slowBackoff.withCallTimeout(BUDGET), "identify");
            discord.injectFault(ME, Fault.status(503, "{\"message\": \"503: Service Unavailable\", \"code\": 0}")
                    .times(3));
            DiscordTimeoutException e = assertThrows(DiscordTimeoutException.class, token::fetchIdentify);
            assertEquals(1, discord.journal(ME).size(), "the first backoff (1-2 s) does not fit in 300 ms");
            assertEquals(503, assertInstanceOf(HttpException.class, e.getCause()).status());
            assertTrue(e.getMessage().contains("leaves no time to retry after HTTP 503"), e.getMessage());
        }
    }

    @Test
    void fetchIdentifyWhen503AndNoBudgetThenAllRetries() {
        try (DiscordOAuth2Client slowBackoff = client(discord).retryBackoff(Duration.ofMillis(20)).build()) {
            AccessToken token = login(discord, slowBackoff.withCallTimeout(Duration.ofSeconds(30)), "identify");
            discord.injectFault(ME, Fault.status(503, "{\"message\": \"503: Service Unavailable\", \"code\": 0}")
                    .times(2));
            assertEquals(NELLY, token.fetchIdentify().id(), "a budget that fits changes nothing");
            assertEquals(3, discord.journal(ME).size());
        }
    }

    @Test
    void fetchIdentifyWhenBucketResetBeyondBudgetButWithinRateLimitWaitThenTimeoutWithoutSending() {
        try (DiscordEmulator limited = emulator().autoApprove(NELLY).rateLimit(ME, 1, Duration.ofSeconds(3)).start();
             DiscordOAuth2Client c = client(limited).maxRateLimitWait(Duration.ofSeconds(10)).build()) {
            AccessToken token = login(limited, c.withCallTimeout(BUDGET), "identify");
            token.fetchIdentify();
            DiscordTimeoutException e = assertThrows(DiscordTimeoutException.class, token::fetchIdentify);
            assertTrue(e.getMessage().contains("for the rate-limit bucket"), e.getMessage());
            assertEquals(1, limited.journal(ME).size(), "the second request was not sent");
        }
    }

    @Test
    void builderCallTimeoutWhenSetThenDefaultForEveryCall() {
        try (DiscordOAuth2Client bounded = client(discord).callTimeout(BUDGET).build()) {
            assertEquals(Optional.of(BUDGET), bounded.callTimeout());
            AccessToken token = login(discord, bounded, "identify");
            discord.injectFault(ME, Fault.delay(Duration.ofSeconds(4)));
            assertEquals(BUDGET, assertThrows(DiscordTimeoutException.class, token::fetchIdentify).callTimeout());
        }
        assertEquals(Optional.empty(), client.callTimeout());
    }

    @Test
    void asyncWhenViewThenCallsThroughTheView() {
        DiscordOAuth2Client view = client.withCallTimeout(BUDGET);
        assertSame(view, view.async().blocking());
        AccessToken token = login(discord, client, "identify");
        discord.injectFault(ME, Fault.delay(Duration.ofSeconds(4)));
        CompletionException e = assertThrows(CompletionException.class,
                () -> view.async().fetchIdentify(view.fromAccessToken(token.token())).toCompletableFuture().join());
        assertInstanceOf(DiscordTimeoutException.class, e.getCause());
    }

    @Test
    void closeWhenViewClosedThenOwnerAndViewStillWork() {
        AccessToken token = login(discord, client, "identify");
        DiscordOAuth2Client view = client.withCallTimeout(Duration.ofSeconds(5));
        view.close();
        assertEquals(NELLY, client.fromAccessToken(token.token()).fetchIdentify().id());
        assertEquals(NELLY, view.fromAccessToken(token.token()).fetchIdentify().id());
    }

    @Test
    void withCallTimeoutWhenNotPositiveThenRefused() {
        assertEquals("callTimeout must be positive: PT0S", assertThrows(IllegalArgumentException.class,
                () -> client.withCallTimeout(Duration.ZERO)).getMessage());
        assertEquals("callTimeout must be positive: null", assertThrows(IllegalArgumentException.class,
                () -> client.withCallTimeout(null)).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> client(discord).callTimeout(Duration.ofSeconds(-1))
                .build()).getMessage().startsWith("callTimeout must be positive"));
    }
}
