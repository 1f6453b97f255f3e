package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.servlet.app.RolesServlet;
import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.DiscordLoginEvent;
import dev.discordoauth2.web.DiscordWebhookEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DiscordWebhookServlet} over real HTTP on embedded Jetty, next to the login filter, with requests signed by a
 * test key pair as Discord signs them: what it refuses changes nothing, and a deauthorization ends the user's login at
 * their next request.
 */
class WebhookIT {
    static final String CLIENT_ID = "100000000000000001";
    static final String NELLY = "80351110224678912";
    static final String WEBHOOK = "/discord/webhook";

    private static final KeyPair DISCORD = keyPair();
    private static final KeyPair SOMEBODY_ELSE = keyPair();

    private final List<DiscordWebhookEvent> webhookEvents = new CopyOnWriteArrayList<>();
    private final List<DiscordLoginEvent> loginEvents = new CopyOnWriteArrayList<>();
    private DiscordEmulator discord;
    private EmbeddedApp server;

    private static KeyPair keyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 32 raw bytes of a public key in hex, as the developer portal shows it (the end of its X.509 form). */
    static String hex(KeyPair pair) {
        byte[] der = pair.getPublic().getEncoded();
        return HexFormat.of().formatHex(Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    private EmbeddedApp start(Map<String, String> params) throws Exception {
        Consumer<DiscordWebhookEvent> webhooks = webhookEvents::add;
        Consumer<DiscordLoginEvent> logins = loginEvents::add;
        return EmbeddedApp.builder().initializer().emulator(discord, CLIENT_ID, "webhook-secret")
                .initParameters(params)
                .attribute(DiscordAuth.CLOCK_ATTRIBUTE, discord.clock())
                .attribute(DiscordWebhookEvent.LISTENER_ATTRIBUTE, webhooks)
                .attribute(DiscordLoginEvent.LISTENER_ATTRIBUTE, logins)
                .filter("/protected/*").callback().logout()
                .servlet(RolesServlet.class, "/protected/roles")
                .servlet(DiscordWebhookServlet.class, WEBHOOK)
                .start();
    }

    @BeforeEach
    void startAll() throws Exception {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret(
                "webhook-secret").redirectUri("http://127.0.0.1:1/app/oauth2/callback").build()).start();
        server = start(Map.of(DiscordConfig.PUBLIC_KEY, hex(DISCORD)));
        discord.addRedirectUri(CLIENT_ID, server.url("/oauth2/callback"));
    }

    @AfterEach
    void stopAll() throws Exception {
        server.close();
        discord.close();
    }

    private TestBrowser loggedIn() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(server.url("/protected/roles"));
        assertEquals(302, toDiscord.statusCode(), toDiscord.body());
        browser.follow(browser.consent(TestBrowser.location(toDiscord), NELLY, "approve"));
        assertEquals(200, browser.get(server.url("/protected/roles")).statusCode(), "logged in");
        return browser;
    }

    private static String deauthorized(String userId) {
        return "{\"version\":1,\"application_id\":\"" + CLIENT_ID + "\",\"type\":1,\"event\":{\"type\":"
                + "\"APPLICATION_DEAUTHORIZED\",\"timestamp\":\"2024-10-18T14:42:53.064834\",\"data\":{\"user\":{"
                + "\"id\":\"" + userId + "\",\"username\":\"nelly\"}}}}";
    }

    private long now() {
        return discord.clock().instant().getEpochSecond();
    }

    /** POSTs {@code body} to the webhook with Discord's headers, signed by {@code key} at {@code timestamp}. */
    private HttpResponse<String> post(String body, PrivateKey key, long timestamp) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
        signer.update(bytes);
        return new TestBrowser().send(HttpRequest.newBuilder(URI.create(server.url(WEBHOOK)))
                .header("Content-Type", "application/json")
                .header("X-Signature-Ed25519", HexFormat.of().formatHex(signer.sign()))
                .header("X-Signature-Timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    @Test
    void webhookWhenBadOrStaleSignatureThen401AndTheLoginHolds() throws Exception {
        TestBrowser browser = loggedIn();
        assertEquals(401, post(deauthorized(NELLY), SOMEBODY_ELSE.getPrivate(), now()).statusCode(), "another key");
        assertEquals(401, post(deauthorized(NELLY), DISCORD.getPrivate(), now() - 301).statusCode(), "stale");
        assertEquals(401, post(deauthorized(NELLY), DISCORD.getPrivate(), now() + 301).statusCode(), "from the future");
        HttpResponse<String> unsigned = new TestBrowser().send(HttpRequest.newBuilder(URI.create(server.url(WEBHOOK)))
                .POST(HttpRequest.BodyPublishers.ofString(deauthorized(NELLY))));
        assertEquals(401, unsigned.statusCode(), "no signature");
        HttpResponse<String> tampered = new TestBrowser().send(HttpRequest.newBuilder(URI.create(server.url(WEBHOOK)))
                .header("X-Signature-Ed25519", "00".repeat(64))
                .header("X-Signature-Timestamp", Long.toString(now()))
                .POST(HttpRequest.BodyPublishers.ofString(deauthorized(NELLY))));
        assertEquals(401, tampered.statusCode(), "a signature of nothing");
        assertEquals(200, browser.get(server.url("/protected/roles")).statusCode(), "nothing happened");
        assertTrue(webhookEvents.isEmpty(), webhookEvents.toString());
    }

    @Test
    void webhookWhenPingThen204AndOtherMethods405() throws Exception {
        HttpResponse<String> ping = post("{\"version\":1,\"application_id\":\"" + CLIENT_ID + "\",\"type\":0}",
                DISCORD.getPrivate(), now());
        assertEquals(204, ping.statusCode(), ping.body());
        assertEquals("", ping.body());
        HttpResponse<String> get = new TestBrowser().get(server.url(WEBHOOK));
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
        assertEquals(400, post("{\"type\":", DISCORD.getPrivate(), now()).statusCode(), "signed, not JSON");
        assertEquals(400, post("[1]", DISCORD.getPrivate(), now()).statusCode(), "signed, not an object");
        assertEquals(204, post("{\"version\":1,\"application_id\":\"" + CLIENT_ID + "\",\"type\":1,\"event\":{"
                + "\"type\":\"ENTITLEMENT_CREATE\",\"timestamp\":\"x\",\"data\":{}}}", DISCORD.getPrivate(), now())
                .statusCode(), "an event this library does not handle is acknowledged");
        assertEquals(413, post(" ".repeat(DiscordWebhookServlet.MAX_BODY_BYTES + 1), DISCORD.getPrivate(), now())
                .statusCode());
        assertTrue(webhookEvents.isEmpty(), webhookEvents.toString());
    }

    @Test
    void webhookWhenDeauthorizedThenTheUsersSessionEndsAtItsNextRequest() throws Exception {
        TestBrowser browser = loggedIn();
        TestBrowser other = new TestBrowser();
        assertEquals(302, other.get(server.url("/protected/roles")).statusCode());
        HttpResponse<String> answer = post(deauthorized(NELLY), DISCORD.getPrivate(), now());
        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals(204, post(deauthorized(NELLY), DISCORD.getPrivate(), now()).statusCode(), "a retry: the same");
        HttpResponse<String> next = browser.get(server.url("/protected/roles"));
        assertEquals(302, next.statusCode(), "the login ended: the navigation goes to Discord");
        assertTrue(TestBrowser.location(next).startsWith(discord.authorizeUri().toString()), TestBrowser.location(next));
        assertEquals(List.of(new DiscordWebhookEvent.Deauthorized(CLIENT_ID, NELLY, "2024-10-18T14:42:53.064834"),
                new DiscordWebhookEvent.Deauthorized(CLIENT_ID, NELLY, "2024-10-18T14:42:53.064834")), webhookEvents);
        assertTrue(loginEvents.stream().anyMatch(e -> e instanceof DiscordLoginEvent.LoginEnded ended
                && ended.reason() == DiscordLoginEvent.Reason.REVOKED && ended.user().id().equals(NELLY)),
                loginEvents.toString());
    }

    /** Waits (up to 10 s) until the emulator's last delivery of {@code type} is no longer pending; returns it. */
    private dev.discordoauth2.emulator.WebhookDelivery delivered(String type) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<dev.discordoauth2.emulator.WebhookDelivery> sent = discord.webhooks().deliveries(type);
            if (!sent.isEmpty() && sent.get(sent.size() - 1).state() != dev.discordoauth2.emulator.WebhookDelivery.State.PENDING
                    || System.nanoTime() > deadline) {
                assertFalse(sent.isEmpty(), "the emulator sent no " + type);
                return sent.get(sent.size() - 1);
            }
            Thread.sleep(20);
        }
    }

    // the emulator as Discord: its own key (given to the application as discord.public-key), its PING when the URL
    // is set, APPLICATION_AUTHORIZED after the consent, APPLICATION_DEAUTHORIZED when the authorization is revoked
    @Test
    void webhookWhenTheEmulatorSendsItsSignedEventsThenPingAcknowledgedAndTheRevokedLoginEnds() throws Exception {
        server.close();
        server = start(Map.of(DiscordConfig.PUBLIC_KEY, discord.webhooks().publicKey()));
        discord.addRedirectUri(CLIENT_ID, server.url("/oauth2/callback"));
        dev.discordoauth2.emulator.WebhookDelivery ping = discord.webhooks().setUrl(CLIENT_ID,
                URI.create(server.url(WEBHOOK)));
        assertEquals(dev.discordoauth2.emulator.WebhookDelivery.State.DELIVERED, delivered("PING").state(),
                "PING answered 204: " + ping);
        TestBrowser browser = loggedIn();
        assertEquals(dev.discordoauth2.emulator.WebhookDelivery.State.DELIVERED,
                delivered("APPLICATION_AUTHORIZED").state());
        assertTrue(webhookEvents.stream().anyMatch(e -> e instanceof DiscordWebhookEvent.Authorized a
                && a.userId().equals(NELLY)), webhookEvents.toString());
        discord.revokeAuthorization(CLIENT_ID, NELLY);
        assertEquals(dev.discordoauth2.emulator.WebhookDelivery.State.DELIVERED,
                delivered("APPLICATION_DEAUTHORIZED").state());
        HttpResponse<String> next = browser.get(server.url("/protected/roles"));
        assertEquals(302, next.statusCode(), "the login ended at the event, before any check with Discord");
        assertTrue(loginEvents.stream().anyMatch(e -> e instanceof DiscordLoginEvent.LoginEnded ended
                && ended.reason() == DiscordLoginEvent.Reason.REVOKED), loginEvents.toString());
    }

    @Test
    void webhookWhenAuthorizedThenEventWithScopesAndGuild() throws Exception {
        String body = "{\"version\":1,\"application_id\":\"" + CLIENT_ID + "\",\"type\":1,\"event\":{\"type\":"
                + "\"APPLICATION_AUTHORIZED\",\"timestamp\":\"2024-10-18T14:42:53.064834\",\"data\":{"
                + "\"integration_type\":0,\"scopes\":[\"applications.commands\",\"bot\"],\"user\":{\"id\":\"" + NELLY
                + "\"},\"guild\":{\"id\":\"197038439483310086\"}}}}";
        assertEquals(204, post(body, DISCORD.getPrivate(), now()).statusCode());
        assertEquals(List.of(new DiscordWebhookEvent.Authorized(CLIENT_ID, NELLY, "2024-10-18T14:42:53.064834",
                List.of("applications.commands", "bot"), "197038439483310086")), webhookEvents);
    }

    @Test
    void webhookWhenNoPublicKeyThen503ForEveryRequest() throws Exception {
        server.close();
        server = start(Map.of());
        assertEquals(503, post(deauthorized(NELLY), DISCORD.getPrivate(), now()).statusCode());
        assertEquals(503, new TestBrowser().get(server.url(WEBHOOK)).statusCode());
        assertTrue(webhookEvents.isEmpty());
    }
}
