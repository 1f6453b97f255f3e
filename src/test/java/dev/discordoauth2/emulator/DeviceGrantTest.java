package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The device authorization grant on the wire: {@code POST /oauth2/device/authorize} with Discord's documented answer,
 * the activation page driven as a browser would, the token endpoint's {@code device_code} grant with RFC 8628's four
 * answers (timed on the emulator's clock), the controls, the admin endpoints and the flags.
 */
class DeviceGrantTest {
    private static final Pattern USER_CODE = Pattern.compile("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$");
    private DiscordEmulator discord;

    @AfterEach
    void stop() {
        if (discord != null) {
            discord.close();
        }
    }

    private URI deviceAuthorizeUri() {
        return api(discord, "/oauth2/device/authorize");
    }

    private JsonObject startDevice(String scope) {
        HttpResponse<String> response = postForm(deviceAuthorizeUri(), params("scope", scope),
                "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, response.statusCode(), response.body());
        return object(response);
    }

    private HttpResponse<String> poll(String deviceCode) {
        return postForm(discord.tokenUri(), params("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", deviceCode), "Authorization", basic(CLIENT_ID, SECRET));
    }

    private static void assertOAuthError(HttpResponse<String> response, String error) {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(error, object(response).getString("error"), response.body());
    }

    private HttpResponse<String> activate(String userCode) {
        return get(URI.create(discord.baseUri() + "/activate?user_code=" + URLEncoder.encode(userCode,
                StandardCharsets.UTF_8)));
    }

    /** The activation page's consent form, submitted as a browser would: its hidden inputs, the user, the decision. */
    private HttpResponse<String> decide(HttpResponse<String> consent, String userId, String decision) {
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().contains("<form method=\"post\" id=\"consent\">"), consent.body());
        StringBuilder form = new StringBuilder();
        for (String[] input : hiddenInputs(consent.body())) {
            form.append(URLEncoder.encode(input[0], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(input[1], StandardCharsets.UTF_8)).append('&');
        }
        form.append("user_id=").append(userId).append("&decision=").append(decision);
        return request("POST", URI.create(discord.baseUri() + "/activate"), "application/x-www-form-urlencoded",
                form.toString());
    }

    @Test
    void deviceAuthorizeWhenClientAuthenticatedThenDiscordsDocumentedAnswer() {
        discord = demo().start();
        JsonObject answer = startDevice("identify");
        assertEquals(List.of("device_code", "user_code", "verification_uri", "verification_uri_complete",
                "expires_in", "interval"), List.copyOf(answer.keySet()));
        assertTrue(answer.getString("device_code").length() >= 32, "an unguessable device code");
        String userCode = answer.getString("user_code");
        assertTrue(USER_CODE.matcher(userCode).matches(), userCode);
        assertEquals(discord.baseUri() + "/activate", answer.getString("verification_uri"));
        assertEquals(discord.deviceCodes().verificationUri().toString(), answer.getString("verification_uri"));
        assertEquals(discord.baseUri() + "/activate?user_code=" + userCode,
                answer.getString("verification_uri_complete"));
        assertEquals(300, answer.getInt("expires_in"));
        assertEquals(5, answer.getInt("interval"));
        assertEquals(List.of(userCode), discord.deviceCodes().pending());
        assertNotEqualsCode(answer.getString("device_code"), startDevice("identify").getString("device_code"));
    }

    private String userCodeOf(String deviceCode) {
        return (String) discord.deviceCodes().list().get(0).get("user_code");
    }

    private static void assertNotEqualsCode(String a, String b) {
        assertFalse(a.equals(b), "two device authorizations, two device codes");
    }

    @Test
    void deviceAuthorizeWhenBadClientOrScopeOrBodyThenOAuthErrors() {
        discord = demo().start();
        HttpResponse<String> wrongSecret = postForm(deviceAuthorizeUri(), params("scope", "identify"),
                "Authorization", basic(CLIENT_ID, "wrong"));
        assertEquals(401, wrongSecret.statusCode());
        assertEquals("invalid_client", object(wrongSecret).getString("error"));
        assertOAuthError(postForm(deviceAuthorizeUri(), params("scope", "identify nonsense"),
                "Authorization", basic(CLIENT_ID, SECRET)), "invalid_scope");
        assertOAuthError(postForm(deviceAuthorizeUri(), params("scope", "bot"),
                "Authorization", basic(CLIENT_ID, SECRET)), "invalid_scope");
        assertOAuthError(postForm(deviceAuthorizeUri(), params("client_id", CLIENT_ID, "client_secret", SECRET),
                "Accept", "application/json"), "invalid_scope");
        assertOAuthError(sendJson("POST", deviceAuthorizeUri(), "{\"scope\":\"identify\"}",
                "Authorization", basic(CLIENT_ID, SECRET)), "invalid_request");
    }

    @Test
    void tokenWhenPolledBeforeTheUserDecidesThenAuthorizationPending() {
        discord = demo().start();
        String deviceCode = startDevice("identify").getString("device_code");
        assertOAuthError(poll(deviceCode), "authorization_pending");
        discord.advanceClock(Duration.ofSeconds(5));
        assertOAuthError(poll(deviceCode), "authorization_pending");
    }

    @Test
    void tokenWhenPolledSoonerThanTheIntervalThenSlowDownAndTheIntervalGrowsByFiveSeconds() {
        discord = demo().start();
        String deviceCode = startDevice("identify").getString("device_code");
        assertOAuthError(poll(deviceCode), "authorization_pending");
        assertOAuthError(poll(deviceCode), "slow_down");                     // interval now 10 s
        discord.advanceClock(Duration.ofSeconds(5));
        assertOAuthError(poll(deviceCode), "slow_down");                     // 5 s is too soon now; 15 s from here
        discord.advanceClock(Duration.ofSeconds(15));
        assertOAuthError(poll(deviceCode), "authorization_pending");
        assertEquals(Duration.ofSeconds(15), discord.deviceCodes().interval(userCodeOf(deviceCode)));
    }

    @Test
    void activateWhenTheUserEntersTheCodeAndApprovesThenTheNextPollGetsTokensOnce() {
        discord = demo().start();
        JsonObject device = startDevice("identify email");
        String userCode = device.getString("user_code");
        HttpResponse<String> entry = get(URI.create(discord.baseUri() + "/activate"));
        assertEquals(200, entry.statusCode());
        assertTrue(entry.body().contains("<form method=\"get\" id=\"activate\">"), entry.body());
        // typed as a user would: lower case, without the dash (RFC 8628 §6.1)
        HttpResponse<String> consent = activate(userCode.toLowerCase().replace("-", " "));
        assertTrue(consent.body().contains("Test App"), consent.body());
        assertTrue(consent.body().contains("data-scope=\"email\""), consent.body());
        HttpResponse<String> done = decide(consent, NELLY, "approve");
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("Device connected"), done.body());
        assertTrue(done.headers().firstValue("Set-Cookie").orElse("").startsWith("discord_emulator_user=" + NELLY));
        assertEquals(List.of(), discord.deviceCodes().pending());

        discord.advanceClock(Duration.ofSeconds(5));
        HttpResponse<String> granted = poll(device.getString("device_code"));
        assertEquals(200, granted.statusCode(), granted.body());
        JsonObject tokens = object(granted);
        assertEquals("Bearer", tokens.getString("token_type"));
        assertEquals(604800, tokens.getInt("expires_in"));
        assertEquals("identify email", tokens.getString("scope"));
        assertFalse(tokens.getString("refresh_token").isEmpty());
        JsonObject me = object(get(api(discord, "/users/@me"), "Authorization",
                bearer(tokens.getString("access_token"))));
        assertEquals(NELLY, me.getString("id"));
        assertTrue(discord.isAuthorized(CLIENT_ID, NELLY));

        discord.advanceClock(Duration.ofSeconds(5));
        assertOAuthError(poll(device.getString("device_code")), "invalid_grant");
        assertEquals(400, activate(userCode).statusCode(), "a used code is no longer accepted on the page");
    }

    @Test
    void activateWhenTheUserDeniesThenAccessDenied() {
        discord = demo().start();
        JsonObject device = startDevice("identify");
        HttpResponse<String> done = decide(activate(device.getString("user_code")), NELLY, "deny");
        assertEquals(200, done.statusCode());
        assertTrue(done.body().contains("Cancelled"), done.body());
        assertOAuthError(poll(device.getString("device_code")), "access_denied");
        assertFalse(discord.isAuthorized(CLIENT_ID, NELLY));
    }

    @Test
    void tokenWhenTheCodesExpiredThenExpiredTokenAndThePageRefusesTheCode() {
        discord = demo().deviceCodeLifetime(Duration.ofSeconds(60)).start();
        JsonObject device = startDevice("identify");
        assertEquals(60, device.getInt("expires_in"));
        discord.advanceClock(Duration.ofSeconds(60));
        assertOAuthError(poll(device.getString("device_code")), "expired_token");
        HttpResponse<String> page = activate(device.getString("user_code"));
        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("not valid or has expired"), page.body());
        assertTrue(page.body().contains("<form method=\"get\" id=\"activate\">"), "the code can be entered again");
        assertThrows(IllegalArgumentException.class,
                () -> discord.deviceCodes().approve(device.getString("user_code"), NELLY));
    }

    @Test
    void tokenWhenDeviceCodeUnknownMissingOrAnotherAppsThenInvalidGrantOrRequest() {
        discord = DiscordEmulator.builder().demoData(appBuilder().build())
                .application(EmulatedApplication.builder("100000000000000002").clientSecret("other")
                        .redirectUri(REDIRECT).build()).start();
        String deviceCode = startDevice("identify").getString("device_code");
        assertOAuthError(poll("no-such-code"), "invalid_grant");
        assertOAuthError(postForm(discord.tokenUri(), params("grant_type",
                "urn:ietf:params:oauth:grant-type:device_code"), "Authorization", basic(CLIENT_ID, SECRET)),
                "invalid_request");
        assertOAuthError(postForm(discord.tokenUri(), params("grant_type",
                "urn:ietf:params:oauth:grant-type:device_code", "device_code", deviceCode),
                "Authorization", basic("100000000000000002", "other")), "invalid_grant");
    }

    @Test
    void activateWhenAutoApproveThenOpeningThePageApprovesAsThatUser() {
        discord = demo().autoApprove(WUMPUS).deviceInterval(Duration.ofSeconds(1)).start();
        JsonObject device = startDevice("identify");
        assertEquals(1, device.getInt("interval"));
        HttpResponse<String> page = get(URI.create(device.getString("verification_uri_complete")));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Device connected"), page.body());
        discord.advanceClock(Duration.ofSeconds(1));
        JsonObject tokens = object(poll(device.getString("device_code")));
        assertEquals(WUMPUS, object(get(api(discord, "/users/@me"), "Authorization",
                bearer(tokens.getString("access_token")))).getString("id"));
    }

    @Test
    void deviceCodesWhenApprovedOrDeniedByHandThenThePollsSaySo() {
        discord = demo().start();
        JsonObject approved = startDevice("identify");
        JsonObject denied = startDevice("identify");
        discord.deviceCodes().approve(approved.getString("user_code").toLowerCase(), CLYDE);
        discord.deviceCodes().deny(denied.getString("user_code"));
        assertEquals(200, poll(approved.getString("device_code")).statusCode());
        assertOAuthError(poll(denied.getString("device_code")), "access_denied");
        assertThrows(IllegalArgumentException.class, () -> discord.deviceCodes().deny(denied.getString("user_code")));
        assertThrows(IllegalArgumentException.class, () -> discord.deviceCodes().approve("BCDF-GHJK", NELLY));
        JsonObject third = startDevice("identify");
        assertThrows(IllegalArgumentException.class,
                () -> discord.deviceCodes().approve(third.getString("user_code"), "1"));
    }

    @Test
    void adminWhenDeviceCodesListedAndDecidedThenNoDeviceCodeShownAndThePollsSaySo() {
        discord = demo().admin(true).start();
        JsonObject device = startDevice("identify");
        String userCode = device.getString("user_code");
        URI admin = discord.adminUri().orElseThrow();
        JsonObject listed = object(get(URI.create(admin + "/device-codes")));
        assertEquals(discord.baseUri() + "/activate", listed.getString("verification_uri"));
        JsonArray codes = listed.getJsonArray("device_codes");
        assertEquals(1, codes.size());
        JsonObject code = codes.getJsonObject(0);
        assertEquals(userCode, code.getString("user_code"));
        assertEquals("pending", code.getString("state"));
        assertEquals(CLIENT_ID, code.getString("client_id"));
        assertFalse(listed.toString().contains(device.getString("device_code")), "the device code is a credential");

        HttpResponse<String> approved = sendJson("POST", URI.create(admin + "/device-codes/approve"),
                "{\"user_code\":\"" + userCode + "\",\"user_id\":\"" + NELLY + "\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("approved", object(approved).getString("state"));
        assertEquals(404, sendJson("POST", URI.create(admin + "/device-codes/deny"),
                "{\"user_code\":\"" + userCode + "\"}").statusCode(), "decided already");
        assertEquals(400, sendJson("POST", URI.create(admin + "/device-codes/deny"), "{\"code\":\"x\"}")
                .statusCode());
        assertEquals(200, poll(device.getString("device_code")).statusCode());

        String journal = get(URI.create(admin + "/requests?route=" + URLEncoder.encode("POST /oauth2/token",
                StandardCharsets.UTF_8))).body();
        assertFalse(journal.contains(device.getString("device_code")), journal);
        assertTrue(journal.contains("\"device_code\":[\"[redacted]\"]"), journal);
    }

    @Test
    void builderAndFlagsWhenDeviceSettingsGivenThenCheckedAndUsed() {
        assertThrows(IllegalArgumentException.class, () -> DiscordEmulator.builder()
                .deviceInterval(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> DiscordEmulator.builder().deviceInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> DiscordEmulator.builder()
                .deviceCodeLifetime(Duration.ZERO));
        StandaloneOptions options = StandaloneOptions.parse(new String[] {"--port", "0", "--device-interval", "2",
                "--device-code-lifetime", "PT90S"});
        assertEquals(Duration.ofSeconds(2), options.deviceInterval());
        assertEquals(Duration.ofSeconds(90), options.deviceCodeLifetime());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> StandaloneOptions.parse(new String[] {"--device-interval", "0.5"}));
        assertTrue(fraction.getMessage().startsWith("--device-interval"), fraction.getMessage());
        assertTrue(StandaloneOptions.USAGE.contains("--device-interval"));
        discord = EmulatorMain.builderFor(options).start();
        HttpResponse<String> started = postForm(deviceAuthorizeUri(), params("scope", "identify"), "Authorization",
                basic(StandaloneOptions.DEFAULT_CLIENT_ID, StandaloneOptions.DEFAULT_CLIENT_SECRET));
        assertEquals(200, started.statusCode(), started.body());
        JsonObject device = object(started);
        assertEquals(2, device.getInt("interval"));
        assertEquals(90, device.getInt("expires_in"));
        Matcher banner = Pattern.compile("activate URL  : (\\S+)").matcher(DemoData.banner(discord, options));
        assertTrue(banner.find());
        assertEquals(discord.baseUri() + "/activate", banner.group(1));
    }
}
