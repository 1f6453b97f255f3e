package dev.discordoauth2.emulator;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The emulator's outgoing webhook events ({@link DiscordEmulator#webhooks()}), as Discord sends them to an
 * application's Webhook Events URL (webhook-events.mdx): each body signed with the emulator's Ed25519 key
 * ({@link #publicKey()}, in hex as Discord's developer portal shows it) in {@code X-Signature-Ed25519} over
 * {@code X-Signature-Timestamp + body}. It sends {@code APPLICATION_AUTHORIZED} after each consent,
 * {@code APPLICATION_DEAUTHORIZED} when an authorization is revoked ({@link DiscordEmulator#revokeAuthorization}),
 * a {@code PING} when a URL is set, and any event by hand. Delivery is asynchronous, on the emulator's own small
 * executor, with a bounded retry (docs/emulator.md, "Webhook events"); {@link #deliveries()} records each one.
 * Thread-safe.
 */
public final class WebhookEvents {
    private final Store store;
    private final EmulatorClock clock;
    private final WebhookKeys keys;
    private final WebhookSender sender;
    private final URI defaultUrl;
    /** Per application: a URL, or empty when removed (then the emulator-wide URL does not apply either). */
    private final Map<String, Optional<URI>> urls = new HashMap<>();
    private final Map<String, URI> startUrls;

    WebhookEvents(Store store, EmulatorClock clock, EmulatorConfig config) {
        this.store = store;
        this.clock = clock;
        this.keys = WebhookKeys.of(config.webhookKeySeed);
        this.sender = new WebhookSender(keys, clock, config.webhookAttempts, config.webhookBackoff);
        this.defaultUrl = config.webhookUrl;
        this.startUrls = Map.copyOf(config.webhookUrls);
        restoreUrls();
    }

    /** Back to the URLs given at start ({@link DiscordEmulator#restoreData()}). */
    void restoreUrls() {
        synchronized (urls) {
            urls.clear();
            startUrls.forEach((app, url) -> urls.put(app, Optional.of(url)));
        }
    }

    /** The public key of the emulator's Ed25519 pair: the 32 raw bytes as 64 lowercase hex digits. */
    public String publicKey() {
        return keys.publicKeyHex();
    }

    /** The application's Webhook Events URL: its own, else the emulator-wide one, unless removed. */
    public Optional<URI> url(String clientId) {
        requireApp(clientId);
        synchronized (urls) {
            return urls.containsKey(clientId) ? urls.get(clientId) : Optional.ofNullable(defaultUrl);
        }
    }

    /**
     * Sets the application's Webhook Events URL and, as Discord does when one saves it, sends it a {@code PING}
     * (type 0), which the endpoint must answer {@code 204}; returns that delivery (pending).
     *
     * @throws IllegalArgumentException when the application is unknown or the URL is not absolute http(s)
     */
    public WebhookDelivery setUrl(String clientId, URI url) {
        requireApp(clientId);
        Objects.requireNonNull(url, "url must not be null");
        if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("a Webhook Events URL is absolute http or https: " + url);
        }
        synchronized (urls) {
            urls.put(clientId, Optional.of(url));
        }
        return ping(clientId);
    }

    /** Removes the application's Webhook Events URL (the emulator-wide one no longer applies to it); no more events. */
    public void removeUrl(String clientId) {
        requireApp(clientId);
        synchronized (urls) {
            urls.put(clientId, Optional.empty());
        }
    }

    /**
     * Sends a {@code PING} to the application's URL (one attempt; {@code 204} expected).
     *
     * @throws IllegalStateException when the application has no Webhook Events URL
     */
    public WebhookDelivery ping(String clientId) {
        URI url = requireUrl(clientId);
        return sender.send(clientId, url, WebhookPayloads.PING, WebhookPayloads.ping(clientId), false);
    }

    /**
     * Sends {@code APPLICATION_AUTHORIZED} by hand for the user, with the given scopes (or, when null, those the
     * user approved, else {@code identify}); with a guild, as a guild install ({@code integration_type} 0, the guild
     * object), else as a user install (1).
     *
     * @throws IllegalArgumentException when the application, user or guild is unknown
     * @throws IllegalStateException when the application has no Webhook Events URL
     */
    public WebhookDelivery sendAuthorized(String clientId, String userId, String guildId, List<String> scopes) {
        URI url = requireUrl(clientId);
        synchronized (store) {
            EmulatedUser user = requireUser(userId);
            if (guildId != null && !store.guilds.containsKey(guildId)) {
                throw new IllegalArgumentException("unknown guild " + guildId);
            }
            List<String> granted = scopes != null ? List.copyOf(scopes)
                    : List.copyOf(store.approvals.getOrDefault(Store.pair(clientId, userId), Set.of("identify")));
            String body = authorizedBody(clientId, user, granted, guildId,
                    guildId == null ? WebhookPayloads.USER_INSTALL : WebhookPayloads.GUILD_INSTALL);
            return sender.send(clientId, url, WebhookPayloads.AUTHORIZED, body, false);
        }
    }

    /**
     * Sends {@code APPLICATION_DEAUTHORIZED} by hand for the user (without revoking anything).
     *
     * @throws IllegalArgumentException when the application or user is unknown
     * @throws IllegalStateException when the application has no Webhook Events URL
     */
    public WebhookDelivery sendDeauthorized(String clientId, String userId) {
        URI url = requireUrl(clientId);
        synchronized (store) {
            String body = WebhookPayloads.event(clientId, WebhookPayloads.DEAUTHORIZED, clock.now(),
                    WebhookPayloads.deauthorized(requireUser(userId)));
            return sender.send(clientId, url, WebhookPayloads.DEAUTHORIZED, body, false);
        }
    }

    /**
     * Sends any event by hand, e.g. {@code ENTITLEMENT_CREATE}, with {@code dataJson} (a JSON object, or null for none)
     * as its {@code event.data} ({@code "PING"}: a type 0 payload); with {@code invalidSignature}, signed wrongly on
     * purpose, as Discord's routine security checks do (the endpoint must answer {@code 401}; one attempt).
     *
     * @throws IllegalArgumentException when the application is unknown, the type blank or the data not a JSON object
     * @throws IllegalStateException when the application has no Webhook Events URL
     */
    public WebhookDelivery send(String clientId, String type, String dataJson, boolean invalidSignature) {
        URI url = requireUrl(clientId);
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("an event type is required, e.g. APPLICATION_AUTHORIZED");
        }
        Map<String, Object> data = null;
        if (dataJson != null) {
            try {
                if (!(Json.parse(dataJson) instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("event data must be a JSON object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                data = object;
            } catch (Json.MalformedJsonException e) {
                throw new IllegalArgumentException("event data is not JSON: " + e.getMessage(), e);
            }
        }
        String body = WebhookPayloads.PING.equals(type) ? WebhookPayloads.ping(clientId)
                : WebhookPayloads.event(clientId, type, clock.now(), data);
        return sender.send(clientId, url, type, body, invalidSignature);
    }

    /** Every delivery since start or {@link #clearDeliveries()}, oldest first (at most 1,000), as they stand now. */
    public List<WebhookDelivery> deliveries() {
        return sender.deliveries();
    }

    /** The deliveries of one type, e.g. {@code "APPLICATION_AUTHORIZED"} or {@code "PING"}. */
    public List<WebhookDelivery> deliveries(String type) {
        return sender.deliveries().stream().filter(d -> d.type().equals(type)).toList();
    }

    /** Forgets the recorded deliveries (those still pending go on). */
    public void clearDeliveries() {
        sender.clear();
    }

    /** The attempts per event and the first backoff (doubling after each failure). */
    Duration firstBackoff() {
        return sender.firstBackoff;
    }

    int attempts() {
        return sender.attempts;
    }

    /** After a consent (under the store's monitor): {@code APPLICATION_AUTHORIZED}, when the app has a URL. */
    void authorized(String clientId, String userId, Set<String> scopes, String guildId, Integer integrationType) {
        url(clientId).ifPresent(url -> {
            Integer type = integrationType != null ? integrationType
                    : guildId != null ? Integer.valueOf(WebhookPayloads.GUILD_INSTALL) : null;
            String body = authorizedBody(clientId, store.users.get(userId), new ArrayList<>(scopes), guildId, type);
            sender.send(clientId, url, WebhookPayloads.AUTHORIZED, body, false);
        });
    }

    /** After a revocation: {@code APPLICATION_DEAUTHORIZED}, when the app has a URL. */
    void deauthorized(String clientId, String userId) {
        url(clientId).ifPresent(url -> {
            synchronized (store) {
                String body = WebhookPayloads.event(clientId, WebhookPayloads.DEAUTHORIZED, clock.now(),
                        WebhookPayloads.deauthorized(store.users.get(userId)));
                sender.send(clientId, url, WebhookPayloads.DEAUTHORIZED, body, false);
            }
        });
    }

    /** The ids of the emulator's applications, in order. */
    List<String> applicationIds() {
        synchronized (store) {
            return List.copyOf(store.apps.keySet());
        }
    }

    /** Stops the executor; deliveries still pending are abandoned. */
    void close() {
        sender.close();
    }

    private String authorizedBody(String clientId, EmulatedUser user, List<String> scopes, String guildId,
            Integer integrationType) {
        Map<String, Object> guild = guildId == null ? null
                : DiscordObjects.fullGuild(store.guilds.get(guildId), clientId);
        return WebhookPayloads.event(clientId, WebhookPayloads.AUTHORIZED, clock.now(),
                WebhookPayloads.authorized(integrationType, user, new ArrayList<>(new LinkedHashSet<>(scopes)), guild));
    }

    private EmulatedUser requireUser(String userId) {
        EmulatedUser user = store.users.get(userId);
        if (user == null) {
            throw new IllegalArgumentException("unknown user " + userId);
        }
        return user;
    }

    private void requireApp(String clientId) {
        synchronized (store) {
            if (clientId == null || !store.apps.containsKey(clientId)) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
        }
    }

    private URI requireUrl(String clientId) {
        return url(clientId).orElseThrow(() -> new IllegalStateException(
                "application " + clientId + " has no Webhook Events URL"));
    }
}
