package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits over real HTTP: the {@code X-RateLimit-*} headers, per-route buckets per caller, the global limit, the
 * 429 answers, the invalid request count and the Cloudflare-style ban. Time moves only through the emulator's clock.
 */
class RateLimitTest {
    private static final String IDENTIFY = "identify";
    private DiscordEmulator discord;

    @AfterEach
    void stop() {
        if (discord != null) {
            discord.close();
        }
    }

    private HttpResponse<String> me(String token) {
        return get(api(discord, "/users/@me"), "Authorization", bearer(token));
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name)
                .orElseThrow(() -> new AssertionError("no " + name + " in " + response.headers().map()));
    }

    private static boolean hasHeader(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).isPresent();
    }

    private static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    // -------------------------------------------------------------------------------------------- headers

    @Test
    void usersMeWhenAnsweredThenCarriesEveryRateLimitHeader() {
        discord = demo().start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        double before = epochSeconds(discord.now());
        HttpResponse<String> response = me(token);
        double after = epochSeconds(discord.now());

        assertEquals(200, response.statusCode());
        assertEquals("5", header(response, "X-RateLimit-Limit"), "the built-in limit of GET /users/@me is 5 per second");
        assertEquals("4", header(response, "X-RateLimit-Remaining"));
        String reset = header(response, "X-RateLimit-Reset");
        assertTrue(reset.matches("\\d{10}(\\.\\d{1,3})?"), "epoch seconds with at most 3 decimals: " + reset);
        double resetValue = Double.parseDouble(reset);
        assertTrue(resetValue >= before + 1 - 0.002 && resetValue <= after + 1 + 0.002,
                "reset " + reset + " should be one window (1 s) after the request in [" + before + ", " + after + "]");
        double resetAfter = Double.parseDouble(header(response, "X-RateLimit-Reset-After"));
        assertTrue(resetAfter > 0 && resetAfter <= 1, "reset-after within the window: " + resetAfter);
        assertFalse(header(response, "X-RateLimit-Bucket").isBlank());
        assertFalse(hasHeader(response, "X-RateLimit-Scope"), "Scope is only sent on 429");
        assertFalse(hasHeader(response, "X-RateLimit-Global"), "Global is only sent on 429");
    }

    @Test
    void usersMeWhenRepeatedThenRemainingCountsDownAndResetStaysWithinWindow() {
        discord = demo().rateLimit("GET /users/@me", 5, Duration.ofSeconds(60)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        double before = epochSeconds(discord.now());
        HttpResponse<String> first = me(token);
        HttpResponse<String> second = me(token);
        HttpResponse<String> third = me(token);
        double after = epochSeconds(discord.now());

        assertEquals("4", header(first, "X-RateLimit-Remaining"));
        assertEquals("3", header(second, "X-RateLimit-Remaining"));
        assertEquals("2", header(third, "X-RateLimit-Remaining"));
        for (HttpResponse<String> r : List.of(first, second, third)) {
            assertEquals(200, r.statusCode());
            assertEquals("5", header(r, "X-RateLimit-Limit"));
        }
        assertEquals(header(first, "X-RateLimit-Reset"), header(third, "X-RateLimit-Reset"),
                "one fixed window: the reset time does not move");
        double reset = Double.parseDouble(header(first, "X-RateLimit-Reset"));
        assertTrue(reset >= before + 60 - 0.002 && reset <= after + 60 + 0.002, "reset near now + 60 s: " + reset);
        double firstResetAfter = Double.parseDouble(header(first, "X-RateLimit-Reset-After"));
        double thirdResetAfter = Double.parseDouble(header(third, "X-RateLimit-Reset-After"));
        assertTrue(firstResetAfter <= 60 && firstResetAfter > 59, "reset-after of a fresh 60 s window: "
                + firstResetAfter);
        assertTrue(thirdResetAfter <= firstResetAfter, "reset-after does not grow: " + thirdResetAfter);
    }

    @Test
    void resetAfterWhenClockAdvancedThenShrinksByTheAdvance() {
        discord = demo().rateLimit("GET /users/@me", 5, Duration.ofSeconds(60)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        double first = Double.parseDouble(header(me(token), "X-RateLimit-Reset-After"));
        discord.advanceClock(Duration.ofSeconds(20));
        HttpResponse<String> later = me(token);
        double second = Double.parseDouble(header(later, "X-RateLimit-Reset-After"));
        assertEquals("3", header(later, "X-RateLimit-Remaining"), "still the same window");
        assertTrue(second <= first - 20 + 0.002 && second > first - 25, first + " then " + second);
    }

    @Test
    void guildMemberWhenTwoGuildIdsThenSameBucketHashButIndependentCounts() {
        discord = demo().rateLimit("GET /users/@me/guilds/{guild.id}/member", 3, Duration.ofSeconds(60)).start();
        String token = accessToken(discord, NELLY, "identify guilds.members.read");
        HttpResponse<String> testers1 = get(api(discord, "/users/@me/guilds/" + TESTERS + "/member"),
                "Authorization", bearer(token));
        HttpResponse<String> testers2 = get(api(discord, "/users/@me/guilds/" + TESTERS + "/member"),
                "Authorization", bearer(token));
        HttpResponse<String> fanClub = get(api(discord, "/users/@me/guilds/" + FAN_CLUB + "/member"),
                "Authorization", bearer(token));

        assertEquals(200, testers1.statusCode(), testers1.body());
        assertEquals(200, fanClub.statusCode(), fanClub.body());
        assertEquals(header(testers1, "X-RateLimit-Bucket"), header(fanClub, "X-RateLimit-Bucket"),
                "the bucket hash leaves out the top-level resource");
        assertEquals("1", header(testers2, "X-RateLimit-Remaining"));
        assertEquals("2", header(fanClub, "X-RateLimit-Remaining"),
                "another guild id counts in its own bucket");
    }

    @Test
    void bucketWhenRoutesDifferThenHashesDiffer() {
        discord = demo().start();
        String token = accessToken(discord, NELLY, "identify guilds guilds.members.read");
        String me = header(me(token), "X-RateLimit-Bucket");
        String guilds = header(get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token)),
                "X-RateLimit-Bucket");
        String member = header(get(api(discord, "/users/@me/guilds/" + TESTERS + "/member"),
                "Authorization", bearer(token)), "X-RateLimit-Bucket");
        assertNotEquals(me, guilds);
        assertNotEquals(me, member);
        assertNotEquals(guilds, member);
        assertEquals(me, header(me(token), "X-RateLimit-Bucket"), "a route keeps its hash");
    }

    // -------------------------------------------------------------------------------------------- route limit

    @Test
    void usersMeWhenRouteLimitExceededThen429WithUserScopeAndRetryAfter() {
        discord = demo().rateLimit("GET /users/@me", 2, Duration.ofSeconds(30)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        assertEquals(200, me(token).statusCode());
        assertEquals(200, me(token).statusCode());
        HttpResponse<String> limited = me(token);

        assertEquals(429, limited.statusCode());
        assertTrue(header(limited, "Content-Type").startsWith("application/json"));
        JsonObject body = object(limited);
        assertEquals("You are being rate limited.", body.getString("message"));
        assertFalse(body.getBoolean("global"));
        BigDecimal retryAfter = body.getJsonNumber("retry_after").bigDecimalValue();
        assertTrue(retryAfter.signum() > 0 && retryAfter.compareTo(BigDecimal.valueOf(30)) <= 0,
                "0 < retry_after <= 30: " + retryAfter);
        String retryAfterHeader = header(limited, "Retry-After");
        assertTrue(retryAfterHeader.matches("\\d+"), "Retry-After is an integer: " + retryAfterHeader);
        assertEquals((long) Math.ceil(retryAfter.doubleValue()), Long.parseLong(retryAfterHeader),
                "Retry-After is retry_after rounded up");
        assertEquals("user", header(limited, "X-RateLimit-Scope"));
        assertFalse(hasHeader(limited, "X-RateLimit-Global"));
        assertEquals("0", header(limited, "X-RateLimit-Remaining"), "the route headers come along");
        assertEquals("2", header(limited, "X-RateLimit-Limit"));
    }

    @Test
    void usersMeWhenAnotherUserIsLimitedThenOwnBucketStillAnswers200() {
        discord = demo().rateLimit("GET /users/@me", 2, Duration.ofSeconds(30)).start();
        String nelly = accessToken(discord, NELLY, IDENTIFY);
        String wumpus = accessToken(discord, WUMPUS, IDENTIFY);
        me(nelly);
        me(nelly);
        assertEquals(429, me(nelly).statusCode());

        HttpResponse<String> other = me(wumpus);
        assertEquals(200, other.statusCode(), other.body());
        assertEquals(WUMPUS, object(other).getString("id"));
        assertEquals("1", header(other, "X-RateLimit-Remaining"));
    }

    @Test
    void usersMeWhenClockAdvancedPastWindowThenBucketResets() {
        discord = demo().rateLimit("GET /users/@me", 2, Duration.ofSeconds(30)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        me(token);
        me(token);
        assertEquals(429, me(token).statusCode());

        discord.advanceClock(Duration.ofSeconds(31));
        HttpResponse<String> again = me(token);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("1", header(again, "X-RateLimit-Remaining"));
    }

    @Test
    void usersMeWhenClockAdvancedWithinWindowThenStillLimited() {
        discord = demo().rateLimit("GET /users/@me", 2, Duration.ofSeconds(30)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        me(token);
        me(token);
        discord.advanceClock(Duration.ofSeconds(20));
        HttpResponse<String> limited = me(token);
        assertEquals(429, limited.statusCode());
        double retryAfter = object(limited).getJsonNumber("retry_after").doubleValue();
        assertTrue(retryAfter <= 10 && retryAfter > 5, "about 10 s left: " + retryAfter);
        assertEquals((long) Math.ceil(retryAfter), Long.parseLong(header(limited, "Retry-After")));
    }

    // -------------------------------------------------------------------------------------------- defaults

    @Test
    void usersMeWhenDrainedWithDefaultsThenBucket429BeforeAnyGlobal429() {
        discord = demo().start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        int served = 0;
        HttpResponse<String> response = me(token);
        while (response.statusCode() == 200 && served < 100) {
            served++;
            response = me(token);
        }
        assertEquals(429, response.statusCode(), response.body());
        assertEquals(5, served, "the route's bucket (5 per second) runs out long before the global 50");
        assertEquals("user", header(response, "X-RateLimit-Scope"));
        assertFalse(object(response).getBoolean("global"));
        assertFalse(hasHeader(response, "X-RateLimit-Global"));
    }

    @Test
    void routesWhenDefaultsThenEachBelowTheGlobalLimit() {
        discord = demo().start();
        String token = accessToken(discord, NELLY, "identify guilds guilds.members.read connections");
        for (String path : List.of("/users/@me", "/users/@me/guilds", "/users/@me/guilds/" + TESTERS + "/member",
                "/users/@me/connections", "/oauth2/@me",
                "/users/@me/applications/" + CLIENT_ID + "/role-connection")) {
            HttpResponse<String> response = get(api(discord, path), "Authorization", bearer(token));
            assertEquals("5", header(response, "X-RateLimit-Limit"), path + ": " + response.body());
        }
        HttpResponse<String> tokenResponse = postForm(discord.tokenUri(), params("grant_type",
                "client_credentials", "scope", "identify"), "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, tokenResponse.statusCode(), tokenResponse.body());
        assertEquals("10", header(tokenResponse, "X-RateLimit-Limit"), "the token endpoint allows 10 per second");
    }

    @Test
    void defaultRateLimitWhenConfiguredThenReplacesTheBuiltInRouteLimits() {
        discord = demo().defaultRateLimit(100, Duration.ofSeconds(1)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        assertEquals("100", header(me(token), "X-RateLimit-Limit"));
    }

    @Test
    void requestsWhenRefusedByTheirBucketThenGlobalAllowanceNotUsed() {
        discord = demo().globalRateLimit(4, Duration.ofSeconds(60)).rateLimit("GET /users/@me", 2,
                Duration.ofSeconds(60)).start();
        String token = accessToken(discord, NELLY, "identify guilds");
        assertEquals(200, me(token).statusCode());
        assertEquals(200, me(token).statusCode());
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> refused = me(token);
            assertEquals(429, refused.statusCode());
            assertEquals("user", header(refused, "X-RateLimit-Scope"), "refusal " + i);
        }
        HttpResponse<String> guilds = get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token));
        assertEquals(200, guilds.statusCode(), "two served requests of four; the refused ones did not count: "
                + guilds.body());
        assertEquals(200, get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token)).statusCode());
        HttpResponse<String> global = get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token));
        assertEquals("global", header(global, "X-RateLimit-Scope"), "the fifth served request meets the global");
    }

    // -------------------------------------------------------------------------------------------- global

    @Test
    void requestsWhenGlobalLimitExceededAcrossRoutesThen429Global() {
        discord = demo().globalRateLimit(3, Duration.ofSeconds(60)).start();
        String token = accessToken(discord, NELLY, "identify guilds connections");
        assertEquals(200, me(token).statusCode());
        assertEquals(200, get(api(discord, "/users/@me/guilds"), "Authorization", bearer(token)).statusCode());
        assertEquals(200, get(api(discord, "/users/@me/connections"), "Authorization", bearer(token)).statusCode());
        HttpResponse<String> limited = me(token);

        assertEquals(429, limited.statusCode(), limited.body());
        assertEquals("true", header(limited, "X-RateLimit-Global"));
        assertEquals("global", header(limited, "X-RateLimit-Scope"));
        assertFalse(hasHeader(limited, "X-RateLimit-Bucket"), "no bucket headers on a global 429");
        JsonObject body = object(limited);
        assertTrue(body.getBoolean("global"));
        assertEquals("You are being rate limited.", body.getString("message"));
        double retryAfter = body.getJsonNumber("retry_after").doubleValue();
        assertTrue(retryAfter > 0 && retryAfter <= 60, "retry_after within the window: " + retryAfter);
        assertEquals((long) Math.ceil(retryAfter), Long.parseLong(header(limited, "Retry-After")));
    }

    @Test
    void requestsWhenGlobalLimitReachedByOneCallerThenOtherCallerStillAnswered() {
        discord = demo().globalRateLimit(3, Duration.ofSeconds(60)).start();
        String nelly = accessToken(discord, NELLY, IDENTIFY);
        String wumpus = accessToken(discord, WUMPUS, IDENTIFY);
        me(nelly);
        me(nelly);
        me(nelly);
        assertEquals(429, me(nelly).statusCode());
        assertEquals(200, me(wumpus).statusCode());
        discord.advanceClock(Duration.ofSeconds(61));
        assertEquals(200, me(nelly).statusCode(), "the global window resets with the clock");
    }

    // -------------------------------------------------------------------------------------------- invalid requests

    @Test
    void invalidRequestCountWhen401And403And429ThenRises() {
        discord = demo().rateLimit("GET /users/@me", 1, Duration.ofSeconds(30)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        assertEquals(0, discord.invalidRequestCount());

        assertEquals(401, me("not-a-token").statusCode());
        assertEquals(1, discord.invalidRequestCount(), "401 counts");

        // the demo bot sits in the lounge without CREATE_INSTANT_INVITE: 403 Missing Permissions
        HttpResponse<String> forbidden = sendJson("PUT", api(discord, "/guilds/" + LOUNGE + "/members/" + WUMPUS),
                "{\"access_token\":\"x\"}", "Authorization", "Bot " + BOT_TOKEN);
        assertEquals(403, forbidden.statusCode(), forbidden.body());
        assertEquals(2, discord.invalidRequestCount(), "403 counts");

        assertEquals(200, me(token).statusCode());
        assertEquals(429, me(token).statusCode());
        assertEquals(3, discord.invalidRequestCount(), "429 counts");
    }

    @Test
    void invalidRequestCountWhen200And404ThenUnchanged() {
        discord = demo().start();
        String token = accessToken(discord, NELLY, "identify guilds.members.read");
        assertEquals(200, me(token).statusCode());
        HttpResponse<String> notMember = get(api(discord, "/users/@me/guilds/" + API_GUILD + "1/member"),
                "Authorization", bearer(token));
        assertEquals(404, notMember.statusCode(), notMember.body());
        assertEquals(404, get(api(discord, "/no/such/route"), "Authorization", bearer(token)).statusCode());
        assertEquals(0, discord.invalidRequestCount());
    }

    @Test
    void invalidRequestCountWhenInjected429HasSharedScopeThenNotCounted() {
        discord = demo().start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        discord.injectFault("GET /users/@me", Fault.status(429,
                "{\"message\":\"The resource is being rate limited.\",\"retry_after\":1336.57,\"global\":false}")
                .withHeader("X-RateLimit-Scope", "shared").withHeader("Retry-After", "1337"));
        HttpResponse<String> shared = me(token);
        assertEquals(429, shared.statusCode());
        assertEquals("shared", header(shared, "X-RateLimit-Scope"));
        assertEquals(0, discord.invalidRequestCount(), "shared 429s are not counted against the caller");

        discord.injectFault("GET /users/@me", Fault.status(429,
                "{\"message\":\"You are being rate limited.\",\"retry_after\":1.5,\"global\":false}")
                .withHeader("X-RateLimit-Scope", "user"));
        assertEquals(429, me(token).statusCode());
        assertEquals(1, discord.invalidRequestCount(), "a user-scope 429 is counted");
    }

    @Test
    void invalidRequestCountWhenSharedScopeHeaderNameInLowerCaseThenNotCounted() {
        discord = demo().start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        discord.injectFault("GET /users/@me", Fault.status(429,
                "{\"message\":\"The resource is being rate limited.\",\"retry_after\":3.5,\"global\":false}")
                .withHeader("x-ratelimit-scope", "shared"));
        HttpResponse<String> shared = me(token);
        assertEquals(429, shared.statusCode());
        assertEquals("shared", header(shared, "X-RateLimit-Scope"));
        assertEquals(0, discord.invalidRequestCount(), "header names are case-insensitive");
    }

    @Test
    void invalidRequestCountWhenElevenMinutesPassThenZero() {
        discord = demo().start();
        me("bad-1");
        me("bad-2");
        assertEquals(2, discord.invalidRequestCount());
        discord.advanceClock(Duration.ofMinutes(9));
        assertEquals(2, discord.invalidRequestCount(), "still within ten minutes");
        discord.advanceClock(Duration.ofMinutes(2));
        assertEquals(0, discord.invalidRequestCount());
    }

    @Test
    void requestsWhenInvalidRequestBanTriggeredThenHtml429UntilBanExpires() {
        discord = demo().invalidRequestBan(3, Duration.ofMinutes(5)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        assertEquals(200, me(token).statusCode());
        assertEquals(401, me("bad-1").statusCode());
        assertEquals(401, me("bad-2").statusCode());
        assertEquals(401, me("bad-3").statusCode());

        HttpResponse<String> banned = me(token);
        assertEquals(429, banned.statusCode());
        assertTrue(header(banned, "Content-Type").startsWith("text/html"), header(banned, "Content-Type"));
        assertTrue(banned.body().contains("<html"), banned.body());
        assertFalse(hasHeader(banned, "Retry-After"), "a Cloudflare ban sends no Retry-After");
        assertFalse(hasHeader(banned, "X-RateLimit-Bucket"));

        discord.advanceClock(Duration.ofMinutes(4));
        assertEquals(429, me(token).statusCode(), "still banned after four minutes");
        discord.advanceClock(Duration.ofMinutes(2));
        HttpResponse<String> after = me(token);
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(NELLY, object(after).getString("id"));
    }

    @Test
    void requestsWhenBannedThenEvenUnroutedRequestsGetTheBanPage() {
        discord = demo().invalidRequestBan(3, Duration.ofMinutes(5)).start();
        me("bad-1");
        me("bad-2");
        me("bad-3");
        for (URI uri : List.of(api(discord, "/no/such/route"), URI.create(discord.baseUri() + "/api/v4/users/@me"),
                URI.create(discord.baseUri() + "/favicon.ico"))) {
            HttpResponse<String> response = get(uri);
            assertEquals(429, response.statusCode(), uri.toString());
            assertTrue(header(response, "Content-Type").startsWith("text/html"), uri.toString());
        }
    }

    @Test
    void requestsWhenBelowBanThresholdThenAnswered() {
        discord = demo().invalidRequestBan(3, Duration.ofMinutes(5)).start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        me("bad-1");
        me("bad-2");
        assertEquals(200, me(token).statusCode(), "two invalid requests do not reach a threshold of three");
    }

    @Test
    void usersMeWhenNoBanConfiguredThenManyInvalidRequestsDoNotBan() {
        discord = demo().start();
        String token = accessToken(discord, NELLY, IDENTIFY);
        for (int i = 0; i < 12; i++) {
            assertEquals(401, me("bad-" + i).statusCode());
        }
        assertEquals(12, discord.invalidRequestCount());
        assertEquals(200, me(token).statusCode());
    }
}
