package dev.discordoauth2;

/**
 * No answer came from Discord: the connection was refused or dropped, or the connect or read timeout passed. The
 * request may or may not have reached Discord. Extended only by {@link DiscordTimeoutException}, for a call whose own
 * time budget ran out. Immutable and thread-safe.
 */
public class DiscordTransportException extends DiscordException {
    private static final long serialVersionUID = 1L;

    DiscordTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
