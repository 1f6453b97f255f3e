package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.AdminJson.badRequest;
import static dev.discordoauth2.emulator.AdminJson.bool;
import static dev.discordoauth2.emulator.AdminJson.first;
import static dev.discordoauth2.emulator.AdminJson.known;
import static dev.discordoauth2.emulator.AdminJson.require;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin endpoints of the emulator's webhook events ({@link WebhookEvents}): the public key and the URLs, setting
 * and removing an application's Webhook Events URL, sending an event by hand, and the recorded deliveries.
 * {@link AdminApi} routes to them. Thread-safe, as {@link WebhookEvents} is.
 */
final class AdminWebhooks {
    private final WebhookEvents webhooks;

    AdminWebhooks(WebhookEvents webhooks) {
        this.webhooks = webhooks;
    }

    Reply overview() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("public_key", webhooks.publicKey());
        Map<String, Object> urls = new LinkedHashMap<>();
        for (String app : webhooks.applicationIds()) {
            urls.put(app, webhooks.url(app).map(u -> (Object) u.toString()).orElse(Json.NULL));
        }
        out.put("urls", urls);
        Map<String, Object> retry = new LinkedHashMap<>();
        retry.put("attempts", webhooks.attempts());
        retry.put("first_backoff", webhooks.firstBackoff().toString());
        retry.put("answer_within", WebhookSender.ANSWER_WITHIN.toString());
        out.put("retry", retry);
        return Reply.json(200, out);
    }

    Reply setUrl(String clientId, Map<String, Object> body) {
        known(body, "url");
        if (!(require(body, "url") instanceof String text) || text.isBlank()) {
            throw badRequest("url must be a string");
        }
        URI url;
        try {
            url = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw badRequest("url is not a URI: " + text);
        }
        requireApp(clientId);
        WebhookDelivery ping;
        try {
            ping = webhooks.setUrl(clientId, url);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        Map<String, Object> out = urlJson(clientId);
        out.put("ping", deliveryJson(ping));
        return Reply.json(200, out);
    }

    Reply removeUrl(String clientId) {
        requireApp(clientId);
        webhooks.removeUrl(clientId);
        return Reply.json(200, urlJson(clientId));
    }

    Reply getUrl(String clientId) {
        requireApp(clientId);
        return Reply.json(200, urlJson(clientId));
    }

    /**
     * Sends an event by hand: {@code type} ({@code PING}, {@code APPLICATION_AUTHORIZED} with {@code user_id},
     * optional {@code guild_id} and {@code scopes}, {@code APPLICATION_DEAUTHORIZED} with {@code user_id}, or any
     * other type with an optional {@code data} object) and optional {@code invalid_signature}.
     */
    Reply send(String clientId, Map<String, Object> body) {
        known(body, "type", "user_id", "guild_id", "scopes", "data", "invalid_signature");
        if (!(require(body, "type") instanceof String type) || type.isBlank()) {
            throw badRequest("type must be a string such as \"APPLICATION_AUTHORIZED\"");
        }
        boolean invalid = bool(body, "invalid_signature", false);
        requireApp(clientId);
        WebhookDelivery delivery;
        try {
            if (invalid || !List.of(WebhookPayloads.PING, WebhookPayloads.AUTHORIZED, WebhookPayloads.DEAUTHORIZED)
                    .contains(type)) {
                Object data = body.get("data");
                if (data != null && data != Json.NULL && !(data instanceof Map)) {
                    throw badRequest("data must be an object");
                }
                delivery = webhooks.send(clientId, type, data == null || data == Json.NULL ? null : Json.write(data),
                        invalid);
            } else if (type.equals(WebhookPayloads.PING)) {
                delivery = webhooks.ping(clientId);
            } else if (type.equals(WebhookPayloads.AUTHORIZED)) {
                delivery = webhooks.sendAuthorized(clientId, snowflake(body, "user_id", true),
                        snowflake(body, "guild_id", false), scopes(body));
            } else {
                delivery = webhooks.sendDeauthorized(clientId, snowflake(body, "user_id", true));
            }
        } catch (IllegalStateException e) {
            throw new AdminApi.Failure(409, "no_webhook_url", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AdminApi.Failure(404, "not_found", e.getMessage());
        }
        return Reply.json(202, deliveryJson(delivery));
    }

    Reply deliveries(Map<String, List<String>> query) {
        String type = first(query, "type");
        List<WebhookDelivery> all = type == null ? webhooks.deliveries() : webhooks.deliveries(type);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", all.size());
        out.put("deliveries", all.stream().map(d -> (Object) deliveryJson(d)).toList());
        return Reply.json(200, out);
    }

    Reply clearDeliveries() {
        webhooks.clearDeliveries();
        return Reply.json(200, Map.of("cleared", true));
    }

    static Map<String, Object> deliveryJson(WebhookDelivery d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("application_id", d.applicationId());
        out.put("url", d.url().toString());
        out.put("type", d.type());
        out.put("invalid_signature", d.invalidSignature());
        out.put("state", d.state().name().toLowerCase(java.util.Locale.ROOT));
        out.put("attempts", d.attempts());
        out.put("last_status", d.lastStatus() == 0 ? Json.NULL : d.lastStatus());
        out.put("last_error", d.lastError() == null ? Json.NULL : d.lastError());
        out.put("body", d.body());
        return out;
    }

    private Map<String, Object> urlJson(String clientId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("url", webhooks.url(clientId).map(u -> (Object) u.toString()).orElse(Json.NULL));
        return out;
    }

    private void requireApp(String clientId) {
        if (!webhooks.applicationIds().contains(clientId)) {
            throw new AdminApi.Failure(404, "not_found", "unknown application " + clientId);
        }
    }

    private static String snowflake(Map<String, Object> body, String key, boolean required) {
        Object value = required ? require(body, key) : body.get(key);
        if (value == null || value == Json.NULL) {
            return null;
        }
        if (!(value instanceof String id) || !Snowflakes.isSnowflake(id)) {
            throw badRequest(key + " must be a snowflake string");
        }
        return id;
    }

    private static List<String> scopes(Map<String, Object> body) {
        Object value = body.get("scopes");
        if (value == null || value == Json.NULL) {
            return null;
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(s -> s instanceof String)) {
            throw badRequest("scopes must be an array of strings");
        }
        return new ArrayList<>(list.stream().map(String.class::cast).toList());
    }
}
