package dev.discordoauth2.emulator;

import java.net.URI;
import java.util.Objects;

/**
 * One webhook event the emulator sent (or is sending) to an application's Webhook Events URL, as
 * {@link WebhookEvents#deliveries()} and {@code GET /__admin/webhooks/deliveries} report it: where it went, what it
 * was ({@code "PING"} or the event's {@code event.type}), the exact body signed, how many attempts were made, the last
 * HTTP status and the outcome. A snapshot: a later look at the same {@link #id()} may show more attempts. Immutable.
 *
 * @param id the delivery's number, from 1 in the order the emulator queued them
 * @param applicationId the application's id ({@code application_id} of the payload)
 * @param url the Webhook Events URL it was posted to
 * @param type {@code "PING"} for a type 0 payload, else the event's type, e.g. {@code "APPLICATION_AUTHORIZED"}
 * @param body the payload exactly as sent and signed
 * @param invalidSignature whether it was sent with a deliberately wrong signature (Discord's routine security check);
 *     then a {@code 401} answer is the expected one
 * @param state {@link State#PENDING} while attempts remain, then {@link State#DELIVERED} or {@link State#FAILED}
 * @param attempts how many POSTs were made so far
 * @param lastStatus the HTTP status of the last answer, 0 when none came (no attempt yet, timeout, refused connection)
 * @param lastError why the last attempt failed, or null
 */
public record WebhookDelivery(long id, String applicationId, URI url, String type, String body,
        boolean invalidSignature, State state, int attempts, int lastStatus, String lastError) {

    /** Checks the record's parts. */
    public WebhookDelivery {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(state, "state");
    }

    /** Where a delivery stands. */
    public enum State {
        /** Queued or between attempts. */
        PENDING,
        /** Acknowledged: a 2xx answer to an event, 204 to a PING, 401 to a wrongly signed check. */
        DELIVERED,
        /** Every attempt failed; the emulator gives up on it. */
        FAILED
    }
}
