package dev.discordoauth2;

/**
 * The root of every exception this library throws for a failed Discord call: {@link HttpException} when Discord
 * answered with an error status, {@link DiscordTransportException} when no answer arrived, and this type itself when
 * Discord's answer could not be read (malformed JSON). Unchecked. Messages never contain a token, secret or code.
 * Instances are immutable and thread-safe.
 */
public class DiscordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DiscordException(String message) {
        super(message);
    }

    public DiscordException(String message, Throwable cause) {
        super(message, cause);
    }
}
