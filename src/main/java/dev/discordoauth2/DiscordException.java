package dev.discordoauth2;

/**
 * The root of every exception this library throws for a failed Discord call: {@link HttpException} when Discord
 * answered with an error status, {@link DiscordTransportException} when no answer arrived (and its subclass
 * {@link DiscordTimeoutException} when a call's time budget ran out), and this type itself when Discord's answer could
 * not be read (malformed JSON, or an object without a required field, e.g. a user without an id; the message names
 * the route, the field and the rule, never the body). Unchecked. Messages never contain a token, secret or code.
 * Instances are immutable and thread-safe.
 */
public class DiscordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DiscordException(String message) {
        super(message);
    }

    DiscordException(String message, Throwable cause) {
        super(message, cause);
    }
}
