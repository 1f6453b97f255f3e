package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.DeviceAuthorization.Denied;
import dev.discordoauth2.DeviceAuthorization.Expired;
import dev.discordoauth2.DeviceAuthorization.NotGrantedException;
import dev.discordoauth2.DeviceAuthorization.Pending;
import dev.discordoauth2.DeviceAuthorization.PollResult;
import dev.discordoauth2.DeviceAuthorization.SlowDown;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.emulator.RecordedRequest;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The device authorization grant end to end: the client against the emulator over real HTTP, the user on the
 * emulator's activation page through the test kit's browser. Tokens come only once the code is entered and approved;
 * {@code slow_down} makes the next poll wait 5 s longer; expiry and denial are typed; the async loop holds no thread
 * and stops when cancelled; 429s are waited out. The emulator announces a 1 s interval so that the tests are short.
 */
class DeviceGrantClientTest {
    private static final String TOKEN = "POST /oauth2/token";
    private static final Set<String> IDENTIFY = Set.of("identify");
    private final List<AutoCloseable> open = new ArrayList<>();
    private DiscordEmulator discord;
    private DiscordOAuth2Client client;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private void start(DiscordEmulator.Builder emulator) {
        discord = emulator.start();
        open.add(discord);
        client = client(discord).clock(discord.clock()).build();
        open.add(client);
    }

    private void start() {
        start(emulator().deviceInterval(Duration.ofSeconds(1)));
    }

    private List<RecordedRequest> polls() {
        return discord.journal(TOKEN);
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private static long millisBetween(RecordedRequest earlier, RecordedRequest later) {
        return Duration.between(earlier.receivedAt(), later.receivedAt()).toMillis();
    }

    /** The user: opens the verification page, types the code, approves as nelly on the consent form. */
    private static HttpResponse<String> enterCodeAndApprove(DeviceAuthorization authorization, String userId) {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> entry = browser.navigate(authorization.verificationUri().toString());
        assertEquals(200, entry.statusCode(), entry.body());
        HttpResponse<String> consent = browser.form(entry, "activate").set("user_code", authorization.userCode())
                .submit();
        assertEquals(200, consent.statusCode(), consent.body());
        HttpResponse<String> done = browser.form(consent, "consent").set("user_id", userId)
                .set("decision", "approve").submit();
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("Device connected"), done.body());
        return done;
    }

    @Test
    void startDeviceAuthorizationWhenCalledThenUserCodePagesExpiryAndIntervalFromDiscordsAnswer() {
        start();
        Instant before = discord.now();
        DeviceAuthorization authorization = client.startDeviceAuthorization(IDENTIFY);
        assertTrue(authorization.userCode().matches("[A-Z]{4}-[A-Z]{4}"), authorization.userCode());
        assertEquals(discord.deviceCodes().verificationUri(), authorization.verificationUri());
        assertEquals(URI.create(authorization.verificationUri() + "?user_code=" + authorization.userCode()),
                authorization.verificationUriComplete().orElseThrow());
        assertEquals(Duration.ofSeconds(1), authorization.interval());
        long lifetime = Duration.between(before, authorization.expiresAt()).toSeconds();
        assertTrue(lifetime >= 299 && lifetime <= 301, "expires_in 300 on the client's clock: " + lifetime);
        assertFalse(authorization.toString().contains(authorization.deviceCode()), authorization.toString());
        assertTrue(authorization.toString().contains(authorization.userCode()), "the user code is meant to be shown");
        assertEquals(List.of(authorization.userCode()), discord.deviceCodes().pending());
    }

    @Test
    void awaitDeviceTokenWhenTheUserEntersTheCodeOnTheActivationPageThenTokensOfThatUser() throws Exception {
        start();
        DeviceAuthorization authorization = client.startDeviceAuthorization(Set.of("identify", "email"));
        assertInstanceOf(Pending.class, client.pollDeviceToken(authorization), "nothing before the code is entered");
        CompletableFuture<AccessToken> awaited = CompletableFuture.supplyAsync(
                () -> client.awaitDeviceToken(authorization));
        waitUntil(() -> polls().size() >= 2, "the loop has polled once");
        assertFalse(awaited.isDone(), "still pending: " + polls().size() + " polls");

        enterCodeAndApprove(authorization, NELLY);
        AccessToken token = awaited.get(10, TimeUnit.SECONDS);
        assertEquals(NELLY, token.fetchIdentify().id());
        assertEquals(Set.of("identify", "email"), token.scopes());
        assertTrue(token.refreshToken().isPresent(), "an ordinary token answer, with a refresh token");
        List<RecordedRequest> polls = polls();
        assertEquals(200, polls.get(polls.size() - 1).status());
        assertTrue(polls.subList(0, polls.size() - 1).stream().allMatch(p -> p.status() == 400), "pending before");
        for (int i = 2; i < polls.size(); i++) {
            assertTrue(millisBetween(polls.get(i - 1), polls.get(i)) >= 950, "the loop waits the interval");
        }
        assertEquals(Duration.ofSeconds(1), discord.deviceCodes().interval(authorization.userCode()),
                "the loop never polled sooner than the interval: the emulator never answered slow_down");
        assertThrows(InvalidGrantException.class, () -> client.pollDeviceToken(authorization),
                "the device code is spent");
    }

    @Test
    void pollDeviceTokenWhenPolledSoonerThanTheIntervalThenSlowDownWithAnIntervalFiveSecondsLonger() {
        start();
        DeviceAuthorization authorization = client.startDeviceAuthorization(IDENTIFY);
        assertInstanceOf(Pending.class, client.pollDeviceToken(authorization));
        PollResult tooSoon = client.pollDeviceToken(authorization);
        SlowDown slowDown = assertInstanceOf(SlowDown.class, tooSoon);
        assertTrue(slowDown.pending());
        assertEquals(Duration.ofSeconds(6), slowDown.interval());
        DeviceAuthorization slower = authorization.withInterval(slowDown.interval());
        assertEquals(authorization.deviceCode(), slower.deviceCode());
        discord.advanceClock(Duration.ofSeconds(6));
        assertInstanceOf(Pending.class, client.pollDeviceToken(slower), "6 s later is not too soon");
    }

    @Test
    void awaitDeviceTokenWhenDiscordAnswersSlowDownThenTheNextPollWaitsFiveSecondsLonger() throws Exception {
        start();
        DeviceAuthorization authorization = client.startDeviceAuthorization(IDENTIFY);
        discord.deviceCodes().approve(authorization.userCode(), WUMPUS);
        discord.injectFault(TOKEN, Fault.status(400, "{\"error\": \"slow_down\"}"));
        long started = System.nanoTime();
        AccessToken token = client.awaitDeviceToken(authorization);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(WUMPUS, token.fetchIdentify().id());
        List<RecordedRequest> polls = polls();
        assertEquals(List.of(400, 200), polls.stream().map(RecordedRequest::status).toList());
        long gap = millisBetween(polls.get(0), polls.get(1));
        assertTrue(gap >= 5950, "after slow_down the interval is 1 s + 5 s: " + gap + " ms");
        assertTrue(tookMillis >= 6900, "1 s before the first poll, 6 s before the second: " + tookMillis + " ms");
    }

    @Test
    void awaitDeviceTokenWhenTheUserDeniesThenNotGrantedExceptionSaysDenied() {
        start();
        DeviceAuthorization authorization = client.startDeviceAuthorization(IDENTIFY);
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> consent = browser.navigate(authorization.verificationUriComplete().orElseThrow()
                .toString());
        browser.form(consent, "consent").set("decision", "deny").submit();
        NotGrantedException refused = assertThrows(NotGrantedException.class,
                () -> client.awaitDeviceToken(authorization));
        assertTrue(refused.denied());
        assertInstanceOf(Denied.class, refused.outcome());
        assertFalse(refused.getMessage().contains(authorization.deviceCode()), refused.getMessage());
        assertTrue(refused.getMessage().contains("denied"), refused.getMessage());
        assertInstanceOf(SlowDown.class, client.pollDeviceToken(authorization), "at once after the loop's poll");
        discord.advanceClock(Duration.ofSeconds(6));
        assertInstanceOf(Denied.class, client.pollDeviceToken(authorization));
    }

    @Test
    void awaitDeviceTokenWhenTheCodesExpireThenNotGrantedExceptionSaysExpired() {
        start();
        DeviceAuthorization authorization = client.startDeviceAuthorization(IDENTIFY);
        discord.advanceClock(Duration.ofSeconds(300));
        assertInstanceOf(Expired.class, client.pollDeviceToken(authorization), "Discord's expired_token");
        int polled = polls().size();
        NotGrantedException expired = assertThrows(NotGrantedException.class,
                () -> client.awaitDeviceToken(authorization));
        assertFalse(expired.denied());
        assertInstanceOf(Expired.class, expired.outcome());
        assertEquals(polled, polls().size(), "past expiresAt on the client's clock: no poll at all");
        CompletableFuture<AccessToken> async = client.async().awaitDeviceToken(authorization);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> async.get(5, TimeUnit.SECONDS));
        assertInstanceOf(NotGrantedException.class, failed.getCause());
    }

    @Test
    void asyncAwaitDeviceTokenWhenApprovedByHandThenCompletesWithTheTokens() throws Exception {
        start();
        DeviceAuthorization authorization = client.async().startDeviceAuthorization(IDENTIFY).get(5,
                TimeUnit.SECONDS);
        assertInstanceOf(Pending.class, client.async().pollDeviceToken(authorization).get(5, TimeUnit.SECONDS));
        CompletableFuture<AccessToken> awaited = client.async().awaitDeviceToken(authorization);
        waitUntil(() -> polls().size() >= 2, "the loop has polled once");
        assertFalse(awaited.isDone());
        discord.deviceCodes().approve(authorization.userCode(), CLYDE);
        assertEquals(CLYDE, awaited.get(10, TimeUnit.SECONDS).fetchIdentify().id());
        ExecutionException spent = assertThrows(ExecutionException.class,
                () -> client.async().pollDeviceToken(authorization).get(5, TimeUnit.SECONDS));
        assertInstanceOf(InvalidGrantException.class, spent.getCause(), "thrown as by the blocking call");
    }

    @Test
    void asyncAwaitDeviceTokenWhenCancelledThenNoFurtherPoll() throws Exception {
        start();
        DeviceAuthorization authorization = client.startDeviceAuthorization(IDENTIFY);
        CompletableFuture<AccessToken> waiting = client.async().awaitDeviceToken(authorization);
        waitUntil(() -> polls().size() >= 1, "the loop has polled once");
        assertTrue(waiting.cancel(true));
        int polled = polls().size();
        // and a loop cancelled while its poll is in flight: the poll is aborted
        discord.injectFault(TOKEN, Fault.delay(Duration.ofSeconds(2)));
        CompletableFuture<AccessToken> inFlight = client.async().awaitDeviceToken(
                client.startDeviceAuthorization(IDENTIFY));
        waitUntil(() -> discord.faultsPending(TOKEN) == 0, "the second loop's poll has reached the emulator");
        assertTrue(inFlight.cancel(true));
        assertThrows(CancellationException.class, inFlight::join);
        // the held poll is journaled once the emulator answers it (to a closed connection); then nothing more
        waitUntil(() -> polls().size() == polled + 1, "the emulator has answered the held poll");
        Thread.sleep(1500);
        assertEquals(polled + 1, polls().size(), "neither loop polled after its cancel");
    }

    @Test
    void awaitDeviceTokenWhenAPollIsRateLimitedThenTheClientWaitsAndStillGetsTheTokens() {
        start();
        DeviceAuthorization authorization = client.startDeviceAuthorization(IDENTIFY);
        discord.deviceCodes().approve(authorization.userCode(), NELLY);
        discord.injectFault(TOKEN, Fault.rateLimited(Duration.ofMillis(1200), false, "user"));
        AccessToken token = client.awaitDeviceToken(authorization);
        assertEquals(NELLY, token.fetchIdentify().id());
        List<RecordedRequest> polls = polls();
        assertEquals(List.of(429, 200), polls.stream().map(RecordedRequest::status).toList());
        assertTrue(millisBetween(polls.get(0), polls.get(1)) >= 1150, "retry_after waited out");
    }

    @Test
    void startDeviceAuthorizationWhenPublicClientThenNoSecretAndTheGrantWorks() throws Exception {
        discord = DiscordEmulator.builder().demoData(app().build())
                .application(EmulatedApplication.builder("100000000000000009").name("Console Game")
                        .clientSecret("unused").redirectUri(REDIRECT).publicClient(true).build())
                .deviceInterval(Duration.ofSeconds(1)).start();
        open.add(discord);
        DiscordOAuth2Client console = DiscordOAuth2Client.builder().clientId("100000000000000009")
                .apiBaseUri(discord.apiBaseUri()).build();
        open.add(console);
        DeviceAuthorization authorization = console.startDeviceAuthorization(Set.of("sdk.social_layer"));
        discord.deviceCodes().approve(authorization.userCode(), NELLY);
        AccessToken token = console.async().awaitDeviceToken(authorization).get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("sdk.social_layer"), token.scopes());
        assertTrue(discord.journal(TOKEN).stream().allMatch(r -> !r.headers().containsKey("Authorization")
                && !r.headers().containsKey("authorization")), "no Basic auth without a secret");
    }

    @Test
    void startDeviceAuthorizationWhenRefusedOrAnsweredBadlyThenTypedErrorsWithoutValues() {
        start();
        assertThrows(IllegalArgumentException.class, () -> client.startDeviceAuthorization(Set.of()));
        HttpException scope = assertThrows(HttpException.class,
                () -> client.startDeviceAuthorization(Set.of("bot")));
        assertEquals("invalid_scope", scope.error().orElseThrow());
        String route = "POST /oauth2/device/authorize";
        discord.injectFault(route, Fault.status(200, "{\"device_code\": \"secret-device-code\", \"user_code\": "
                + "\"BCDF-GHJK\", \"expires_in\": 300}"));
        DiscordException missing = assertThrows(DiscordException.class,
                () -> client.startDeviceAuthorization(IDENTIFY));
        assertTrue(missing.getMessage().contains("verification_uri is missing"), missing.getMessage());
        assertFalse(missing.getMessage().contains("secret-device-code"), missing.getMessage());
        discord.injectFault(route, Fault.status(200, "{\"device_code\": \"d\", \"user_code\": \"BCDF-GHJK\", "
                + "\"verification_uri\": \"https://discord.com/activate\", \"expires_in\": 300}"));
        DeviceAuthorization noInterval = client.startDeviceAuthorization(IDENTIFY);
        assertEquals(Duration.ofSeconds(5), noInterval.interval(), "RFC 8628's default");
        assertTrue(noInterval.verificationUriComplete().isEmpty());
        assertThrows(NullPointerException.class, () -> client.pollDeviceToken(null));
        assertTrue(client.async().awaitDeviceToken(null).isCompletedExceptionally());
    }
}
