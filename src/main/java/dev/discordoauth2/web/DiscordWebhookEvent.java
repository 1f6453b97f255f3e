package dev.discordoauth2.web;

import java.util.List;
import java.util.Objects;

/**
 * A webhook event Discord sent the application, signed with its key and verified by {@code DiscordWebhookServlet}: a
 * user added the application to their account or a server ({@link Authorized}), or removed it ({@link Deauthorized};
 * the library has then already ended that user's logins, see {@link LoginCore#endLoginsOf}). In a CDI application
 * these are CDI events ({@code void onRemoved(@Observes DiscordWebhookEvent.Deauthorized event)}); elsewhere a
 * {@code java.util.function.Consumer<DiscordWebhookEvent>} put under the {@code ServletContext} attribute
 * {@link #LISTENER_ATTRIBUTE} before the servlet starts receives them. They are delivered on the webhook request's
 * thread before Discord gets its answer, which it wants within 3 seconds: an observer should be quick (hand long work
 * to an executor) and idempotent, since Discord retries an event it did not see answered. An observer that throws is
 * logged and changes nothing. Immutable and thread-safe.
 */
public sealed interface DiscordWebhookEvent {
    /** The {@code ServletContext} attribute of an application's listener ({@code Consumer<DiscordWebhookEvent>}). */
    String LISTENER_ATTRIBUTE = DiscordWebhookEvent.class.getName();

    /** The application's id, as Discord sent it. */
    String applicationId();

    /** The id of the user the event is about. */
    String userId();

    /** When the event happened, as Discord wrote it (ISO 8601, e.g. {@code 2024-10-18T14:42:53.064834}). */
    String timestamp();

    /**
     * {@code APPLICATION_AUTHORIZED}: the user added the application, with {@code scopes}; {@code guildId} names the
     * server it was added to, or is null when it was added to the user's account.
     */
    record Authorized(String applicationId, String userId, String timestamp, List<String> scopes, String guildId)
            implements DiscordWebhookEvent {
        public Authorized {
            Objects.requireNonNull(applicationId, "applicationId must not be null");
            Objects.requireNonNull(userId, "userId must not be null");
            Objects.requireNonNull(timestamp, "timestamp must not be null");
            scopes = List.copyOf(scopes);
        }
    }

    /** {@code APPLICATION_DEAUTHORIZED}: the user removed the application; their logins are ended. */
    record Deauthorized(String applicationId, String userId, String timestamp) implements DiscordWebhookEvent {
        public Deauthorized {
            Objects.requireNonNull(applicationId, "applicationId must not be null");
            Objects.requireNonNull(userId, "userId must not be null");
            Objects.requireNonNull(timestamp, "timestamp must not be null");
        }
    }
}
