package dev.discordoauth2.servlet;

import dev.discordoauth2.web.DiscordWebhookEvent;
import dev.discordoauth2.web.LoginCore;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Receives Discord's webhook events (the developer portal's Webhooks page, "Endpoint URL"), mapped by the application
 * at a path of its own that no login filter covers. Each request is a POST (else 405 with {@code Allow: POST}) of at
 * most 64 KiB (else 413) signed with the application's key, {@code discord.public-key}: a missing, bad or stale
 * signature (its timestamp more than 5 minutes from now) is refused with 401 before the body is read as JSON, and
 * changes nothing. A signed body that is not the JSON of a webhook is a 400. A {@code PING} (type 0) is answered 204; so
 * is every event (type 1), after {@code APPLICATION_AUTHORIZED} is delivered as a {@link DiscordWebhookEvent.Authorized}
 * and {@code APPLICATION_DEAUTHORIZED} ends that user's logins ({@link LoginCore#endLoginsOf}) and is delivered as a
 * {@link DiscordWebhookEvent.Deauthorized}; other event types are ignored. Handling is quick and idempotent, as Discord
 * wants an answer within 3 seconds and retries. Without {@code discord.public-key}, with another misconfiguration, or
 * when its work throws, it refuses every request with 503 (logged in one line). Thread-safe.
 */
public final class DiscordWebhookServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(DiscordWebhookServlet.class.getName());
    /** The largest body read; Discord's events are a few KiB. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private transient Cores.Started started;
    private transient WebhookSignature signature;
    private transient Clock clock;
    private transient List<Consumer<DiscordWebhookEvent>> listeners;

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
        super.init(servletConfig);
        var context = servletConfig.getServletContext();
        Cores.Started core = FrontDoors.start("DiscordWebhookServlet", context, servletConfig::getInitParameter);
        if (core == null) {
            return;
        }
        started = core;
        try {
            signature = core.core().config().publicKey().map(WebhookSignature::new).orElse(null);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, "DiscordWebhookServlet refuses every request with 503: "
                    + "discord.public-key is invalid: " + e.getMessage());
        }
        if (signature == null && core.core().config().publicKey().isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "DiscordWebhookServlet refuses every request with 503: "
                    + "discord.public-key is missing: set it to the public key of the developer portal's General "
                    + "Information page");
        }
        clock = context.getAttribute(DiscordAuth.CLOCK_ATTRIBUTE) instanceof Clock c ? c : Clock.systemUTC();
        List<Consumer<DiscordWebhookEvent>> all = new ArrayList<>();
        if (context.getAttribute(DiscordWebhookEvent.LISTENER_ATTRIBUTE) instanceof Consumer<?> listener) {
            @SuppressWarnings("unchecked")
            Consumer<DiscordWebhookEvent> typed = (Consumer<DiscordWebhookEvent>) listener;
            all.add(typed);
        }
        Consumer<DiscordWebhookEvent> cdi = CdiEvents.listenerOrNull(DiscordWebhookEvent.class);
        if (cdi != null) {
            all.add(cdi);
        }
        listeners = List.copyOf(all);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Cores.Started current = started;
            WebhookSignature verifier = signature;
            if (current == null || verifier == null) {
                WebPages.json(response, 503, "{\"error\":\"not_configured\"}");
                return;
            }
            if (!"POST".equals(request.getMethod())) {
                response.setHeader("Allow", "POST");
                WebPages.json(response, 405, "{\"error\":\"method_not_allowed\"}");
                return;
            }
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                WebPages.json(response, 413, "{\"error\":\"too_large\"}");
                return;
            }
            byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                WebPages.json(response, 413, "{\"error\":\"too_large\"}");
                return;
            }
            WebhookSignature.Verdict verdict = verifier.verify(request.getHeader("X-Signature-Ed25519"),
                    request.getHeader("X-Signature-Timestamp"), body, clock.instant());
            if (verdict != WebhookSignature.Verdict.VALID) {
                LOG.log(System.Logger.Level.DEBUG, () -> "DiscordWebhookServlet refused a request: " + verdict);
                WebPages.json(response, 401, "{\"error\":\"invalid_signature\"}");
                return;
            }
            JsonObject webhook;
            try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
                webhook = reader.readObject();
            } catch (JsonException | IllegalStateException e) {
                WebPages.json(response, 400, "{\"error\":\"malformed_json\"}");
                return;
            }
            if (!handle(webhook, current.core())) {
                WebPages.json(response, 400, "{\"error\":\"not_a_webhook\"}");
                return;
            }
            response.setStatus(204);
            response.setContentType("application/json");
        } catch (IOException e) {
            throw e; // the request could not be read or answered: the client went away
        } catch (Throwable e) {
            WebPages.failClosed(request, response, e, "DiscordWebhookServlet");
        }
    }

    /** Acts on a verified webhook; false when it is not one (no numeric type, or an event without its fields). */
    private boolean handle(JsonObject webhook, LoginCore core) {
        if (!(webhook.get("type") instanceof jakarta.json.JsonNumber type)) {
            return false;
        }
        if (type.intValue() != 1) {
            return true; // 0 is a PING; a type this library does not know is acknowledged and ignored
        }
        if (!(webhook.get("event") instanceof JsonObject event)) {
            return false;
        }
        String kind = text(event, "type");
        if (!"APPLICATION_AUTHORIZED".equals(kind) && !"APPLICATION_DEAUTHORIZED".equals(kind)) {
            return kind != null; // another event type: ignored
        }
        String applicationId = text(webhook, "application_id");
        String timestamp = text(event, "timestamp");
        JsonObject data = event.get("data") instanceof JsonObject d ? d : null;
        String userId = data != null && data.get("user") instanceof JsonObject user ? text(user, "id") : null;
        if (applicationId == null || timestamp == null || userId == null) {
            return false;
        }
        if (!applicationId.equals(core.config().clientId())) {
            LOG.log(System.Logger.Level.WARNING, "DiscordWebhookServlet ignored an event of application "
                    + WebPages.printable(applicationId) + ", not " + core.config().clientId());
            return true;
        }
        if (kind.equals("APPLICATION_DEAUTHORIZED")) {
            core.endLoginsOf(userId); // first: an observer that fails cannot keep the login
            deliver(new DiscordWebhookEvent.Deauthorized(applicationId, userId, timestamp));
        } else {
            List<String> scopes = new ArrayList<>();
            if (data.get("scopes") instanceof jakarta.json.JsonArray array) {
                for (JsonValue scope : array) {
                    if (scope instanceof JsonString s) {
                        scopes.add(s.getString());
                    }
                }
            }
            String guildId = data.get("guild") instanceof JsonObject guild ? text(guild, "id") : null;
            deliver(new DiscordWebhookEvent.Authorized(applicationId, userId, timestamp, scopes, guildId));
        }
        return true;
    }

    private static String text(JsonObject object, String name) {
        return object.get(name) instanceof JsonString s ? s.getString() : null;
    }

    private void deliver(DiscordWebhookEvent event) {
        for (Consumer<DiscordWebhookEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a listener of " + event.getClass().getSimpleName()
                        + " failed; the webhook is acknowledged: " + e);
            }
        }
    }

    @Override
    public void destroy() {
        Cores.Started current = started;
        started = null;
        if (current != null) {
            Cores.release(getServletContext(), current);
        }
    }
}
