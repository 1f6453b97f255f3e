package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static dev.discordoauth2.emulator.WebhookReceiver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator's webhook events over real HTTP, received by {@link WebhookReceiver}, which verifies every signature
 * with the public key the emulator publishes: the key itself (RFC 8032's test vector from a seed), PING when a URL is
 * set, APPLICATION_AUTHORIZED after a consent, APPLICATION_DEAUTHORIZED after an admin revocation, retries on 500,
 * events sent by hand, and Discord's deliberately wrong signature.
 */
class WebhookEventsTest {
    private DiscordEmulator discord;
    private WebhookReceiver receiver;

    @AfterEach
    void stop() {
        if (discord != null) {
            discord.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** The demo emulator with its admin API, a fast retry, and the receiver as the app's Webhook Events URL. */
    private DiscordEmulator start() {
        discord = demo().admin(true).webhookRetry(3, Duration.ofMillis(50)).start();
        receiver = new WebhookReceiver(discord.webhooks().publicKey());
        return discord;
    }

    private URI admin(String path) {
        return URI.create(discord.adminUri().orElseThrow() + path);
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private WebhookDelivery settled(long id) {
        await("delivery " + id, () -> discord.webhooks().deliveries().stream()
                .anyMatch(d -> d.id() == id && d.state() != WebhookDelivery.State.PENDING));
        return discord.webhooks().deliveries().stream().filter(d -> d.id() == id).findFirst().orElseThrow();
    }

    private WebhookDelivery onlySettled(String type) {
        await(type, () -> discord.webhooks().deliveries(type).stream()
                .anyMatch(d -> d.state() != WebhookDelivery.State.PENDING));
        List<WebhookDelivery> all = discord.webhooks().deliveries(type);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    @Test
    void seedIsTheRfc8032PrivateKeyAndThePublicKeyIsItsRawHexAsDiscordShowsIt() {
        byte[] seed = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        try (DiscordEmulator seeded = demo().webhookKeySeed(seed).start()) {
            assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                    seeded.webhooks().publicKey(), "RFC 8032 section 7.1, test 1");
        }
        try (DiscordEmulator a = demo().start(); DiscordEmulator b = demo().start()) {
            assertTrue(a.webhooks().publicKey().matches("[0-9a-f]{64}"));
            assertNotEquals(a.webhooks().publicKey(), b.webhooks().publicKey(), "a key pair per emulator");
        }
    }

    @Test
    void receiverRefusesAWrongSignatureSoEveryVerifiedAssertionMeansSomething() {
        start();
        WebhookKeys other = WebhookKeys.of(null);
        byte[] body = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
        assertFalse(receiver.verify(other.sign("1700000000", body), "1700000000", body), "another key");
    }

    @Test
    void settingTheUrlThroughTheAdminApiSendsAPingThatMustBeAnswered204() {
        start();
        HttpResponse<String> put = sendJson("PUT", admin("/applications/" + CLIENT_ID + "/webhook"),
                "{\"url\": \"" + receiver.url() + "\"}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(receiver.url().toString(), object(put).getString("url"));
        WebhookDelivery ping = settled(object(put).getJsonObject("ping").getJsonNumber("id").longValue());
        assertEquals(WebhookDelivery.State.DELIVERED, ping.state());
        assertEquals(204, ping.lastStatus());
        WebhookReceiver.Received got = receiver.received().get(0);
        assertTrue(got.verified(), "signed with the published key");
        JsonObject body = json(got.body());
        assertEquals(1, body.getInt("version"));
        assertEquals(CLIENT_ID, body.getString("application_id"));
        assertEquals(0, body.getInt("type"));
        assertFalse(body.containsKey("event"));

        receiver.answer(200);
        WebhookDelivery second = settled(discord.webhooks().setUrl(CLIENT_ID, receiver.url()).id());
        assertEquals(WebhookDelivery.State.FAILED, second.state(), "a PING needs 204, not 200");
        assertEquals(1, second.attempts(), "a PING is not retried");

        assertEquals(200, request("DELETE", admin("/applications/" + CLIENT_ID + "/webhook"), null, null)
                .statusCode());
        assertTrue(discord.webhooks().url(CLIENT_ID).isEmpty());
        assertThrows(IllegalStateException.class, () -> discord.webhooks().ping(CLIENT_ID));
    }

    @Test
    void consentSendsApplicationAuthorizedWithTheUserAndScopes() {
        start();
        discord.webhooks().setUrl(CLIENT_ID, receiver.url());
        onlySettled("PING");
        code(discord, NELLY, "identify email");
        WebhookDelivery delivery = onlySettled("APPLICATION_AUTHORIZED");
        assertEquals(WebhookDelivery.State.DELIVERED, delivery.state());
        WebhookReceiver.Received got = receiver.received().get(1);
        assertTrue(got.verified());
        assertEquals(delivery.body(), got.body());
        assertTrue(got.timestamp().matches("[0-9]{10}"), got.timestamp());
        JsonObject body = json(got.body());
        assertEquals(1, body.getInt("type"));
        JsonObject event = body.getJsonObject("event");
        assertEquals("APPLICATION_AUTHORIZED", event.getString("type"));
        assertTrue(event.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"));
        JsonObject data = event.getJsonObject("data");
        assertEquals(List.of("identify", "email"), data.getJsonArray("scopes").getValuesAs(
                jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        assertEquals(NELLY, data.getJsonObject("user").getString("id"));
        assertFalse(data.getJsonObject("user").containsKey("email"), "the public user object");
        assertFalse(data.containsKey("guild"));
        assertFalse(data.containsKey("integration_type"), "an OAuth2 login names no installation context");
    }

    @Test
    void botInstallToAGuildSendsIntegrationTypeZeroAndTheGuild() {
        start();
        discord.webhooks().setUrl(CLIENT_ID, receiver.url());
        code(discord, NELLY, "identify bot", "permissions", "0", "guild_id", TESTERS, "disable_guild_select", "true");
        JsonObject data = json(onlySettled("APPLICATION_AUTHORIZED").body()).getJsonObject("event")
                .getJsonObject("data");
        assertEquals(0, data.getInt("integration_type"));
        assertEquals(TESTERS, data.getJsonObject("guild").getString("id"));
    }

    @Test
    void revokingThroughTheAdminApiSendsApplicationDeauthorized() {
        start();
        discord.webhooks().setUrl(CLIENT_ID, receiver.url());
        accessToken(discord, NELLY, "identify");
        HttpResponse<String> revoked = request("DELETE", admin("/applications/" + CLIENT_ID + "/authorizations/"
                + NELLY), null, null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        WebhookDelivery delivery = onlySettled("APPLICATION_DEAUTHORIZED");
        assertEquals(WebhookDelivery.State.DELIVERED, delivery.state());
        WebhookReceiver.Received got = receiver.received().stream().filter(r -> r.body().equals(delivery.body()))
                .findFirst().orElseThrow();
        assertTrue(got.verified());
        JsonObject event = json(got.body()).getJsonObject("event");
        assertEquals("APPLICATION_DEAUTHORIZED", event.getString("type"));
        assertEquals(NELLY, event.getJsonObject("data").getJsonObject("user").getString("id"));
    }

    @Test
    void an500IsRetriedWithBackoffAndEveryAttemptIsRecorded() {
        start();
        discord.webhooks().setUrl(CLIENT_ID, receiver.url());
        onlySettled("PING");
        receiver.failNext(2);
        WebhookDelivery retried = settled(discord.webhooks().sendDeauthorized(CLIENT_ID, NELLY).id());
        assertEquals(WebhookDelivery.State.DELIVERED, retried.state());
        assertEquals(3, retried.attempts());
        assertEquals(204, retried.lastStatus());
        assertEquals(3, receiver.received().stream().filter(r -> r.body().equals(retried.body())).count());
        assertTrue(receiver.received().stream().allMatch(WebhookReceiver.Received::verified), "re-signed each time");

        receiver.answer(500);
        WebhookDelivery failed = settled(discord.webhooks().sendDeauthorized(CLIENT_ID, NELLY).id());
        assertEquals(WebhookDelivery.State.FAILED, failed.state());
        assertEquals(3, failed.attempts(), "bounded by webhookRetry");
        assertEquals(500, failed.lastStatus());

        JsonObject listed = object(get(admin("/webhooks/deliveries?type=APPLICATION_DEAUTHORIZED")));
        assertEquals(2, listed.getInt("total"));
        JsonObject last = listed.getJsonArray("deliveries").getJsonObject(1);
        assertEquals("failed", last.getString("state"));
        assertEquals(3, last.getInt("attempts"));
        assertEquals(500, last.getInt("last_status"));
        assertEquals(receiver.url().toString(), last.getString("url"));
    }

    @Test
    void anEventByHandThroughTheAdminApiAndTheDeliberatelyWrongSignature() {
        start();
        JsonObject overview = object(get(admin("/webhooks")));
        assertEquals(discord.webhooks().publicKey(), overview.getString("public_key"));
        assertEquals(409, sendJson("POST", admin("/applications/" + CLIENT_ID + "/webhook/events"),
                "{\"type\": \"APPLICATION_DEAUTHORIZED\", \"user_id\": \"" + NELLY + "\"}").statusCode(),
                "no URL yet");
        discord.webhooks().setUrl(CLIENT_ID, receiver.url());
        HttpResponse<String> sent = sendJson("POST", admin("/applications/" + CLIENT_ID + "/webhook/events"),
                "{\"type\": \"APPLICATION_AUTHORIZED\", \"user_id\": \"" + WUMPUS + "\", \"guild_id\": \""
                        + TESTERS + "\", \"scopes\": [\"bot\"]}");
        assertEquals(202, sent.statusCode(), sent.body());
        WebhookDelivery byHand = settled(object(sent).getJsonNumber("id").longValue());
        assertEquals(WebhookDelivery.State.DELIVERED, byHand.state());
        JsonObject data = json(byHand.body()).getJsonObject("event").getJsonObject("data");
        assertEquals(WUMPUS, data.getJsonObject("user").getString("id"));
        assertEquals(TESTERS, data.getJsonObject("guild").getString("id"));

        HttpResponse<String> entitlement = sendJson("POST", admin("/applications/" + CLIENT_ID + "/webhook/events"),
                "{\"type\": \"ENTITLEMENT_CREATE\", \"data\": {\"id\": \"1234505980407808808\"}}");
        assertEquals(202, entitlement.statusCode(), entitlement.body());
        assertEquals(WebhookDelivery.State.DELIVERED, settled(object(entitlement).getJsonNumber("id").longValue())
                .state());

        HttpResponse<String> check = sendJson("POST", admin("/applications/" + CLIENT_ID + "/webhook/events"),
                "{\"type\": \"PING\", \"invalid_signature\": true}");
        WebhookDelivery wrong = settled(object(check).getJsonNumber("id").longValue());
        assertEquals(401, wrong.lastStatus(), "the receiver refused the wrong signature");
        assertEquals(WebhookDelivery.State.DELIVERED, wrong.state(), "401 is the expected answer to the check");
        assertFalse(receiver.received().get(receiver.received().size() - 1).verified());
        assertEquals(0, json(wrong.body()).getInt("type"));
    }

    @Test
    void resetForgetsTheDeliveriesAndRestoreDataTheUrlsSetSinceStart() {
        start();
        discord.webhooks().setUrl(CLIENT_ID, receiver.url());
        onlySettled("PING");
        HttpResponse<String> reset = sendJson("POST", admin("/reset"), "{\"restore_data\": true}");
        assertEquals(200, reset.statusCode(), reset.body());
        assertEquals("cleared", object(reset).getString("webhook_deliveries"));
        assertTrue(discord.webhooks().deliveries().isEmpty());
        assertTrue(discord.webhooks().url(CLIENT_ID).isEmpty(), "no URL was given at start");
    }

    @Test
    void aBuilderUrlNeedsNoPingAndTheAppsOwnUrlWinsOverTheEmulatorWideOne() {
        receiver = new WebhookReceiver(WebhookKeys.of(new byte[32]).publicKeyHex());
        discord = demo().webhookKeySeed(new byte[32]).webhookUrl(URI.create("http://127.0.0.1:9/unused"))
                .webhookUrl(CLIENT_ID, receiver.url()).start();
        assertEquals(receiver.url(), discord.webhooks().url(CLIENT_ID).orElseThrow());
        code(discord, NELLY, "identify");
        assertEquals(WebhookDelivery.State.DELIVERED, onlySettled("APPLICATION_AUTHORIZED").state());
        assertTrue(discord.webhooks().deliveries("PING").isEmpty());
        assertTrue(receiver.received().get(0).verified(), "the seeded key signed it");
    }
}
