package dev.discordoauth2.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies of Discord's webhook events (webhook-events.mdx "Payload Structure"): the outer
 * {@code {"version": 1, "application_id", "type", "event"}} and the {@code event} of {@code APPLICATION_AUTHORIZED}
 * and {@code APPLICATION_DEAUTHORIZED}, written with the emulator's own {@link Json}. Stateless.
 */
final class WebhookPayloads {
    static final String PING = "PING";
    static final String AUTHORIZED = "APPLICATION_AUTHORIZED";
    static final String DEAUTHORIZED = "APPLICATION_DEAUTHORIZED";
    static final int GUILD_INSTALL = 0;
    static final int USER_INSTALL = 1;

    /** As the docs' examples write {@code event.timestamp}: {@code 2024-10-18T14:42:53.064834}, UTC, no offset. */
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private WebhookPayloads() {
    }

    /** A type 0 payload: {@code {"version":1,"application_id":...,"type":0}}, without {@code event}. */
    static String ping(String applicationId) {
        Map<String, Object> out = outer(applicationId, 0);
        return Json.write(out);
    }

    /** A type 1 payload with {@code event: {type, timestamp, data}}. */
    static String event(String applicationId, String type, Instant at, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("timestamp", EVENT_TIME.format(at));
        if (data != null) {
            event.put("data", data);
        }
        Map<String, Object> out = outer(applicationId, 1);
        out.put("event", event);
        return Json.write(out);
    }

    /**
     * {@code APPLICATION_AUTHORIZED}'s data: {@code integration_type} (when known), {@code scopes}, {@code user}, and
     * {@code guild} for a guild install.
     */
    static Map<String, Object> authorized(Integer integrationType, EmulatedUser user, List<String> scopes,
            Map<String, Object> guild) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (integrationType != null) {
            data.put("integration_type", integrationType);
        }
        data.put("scopes", List.copyOf(scopes));
        data.put("user", DiscordObjects.publicUser(user));
        if (guild != null) {
            data.put("guild", guild);
        }
        return data;
    }

    /** {@code APPLICATION_DEAUTHORIZED}'s data: {@code user}. */
    static Map<String, Object> deauthorized(EmulatedUser user) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user", DiscordObjects.publicUser(user));
        return data;
    }

    private static Map<String, Object> outer(String applicationId, int type) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", 1);
        out.put("application_id", applicationId);
        out.put("type", type);
        return out;
    }
}
