package dev.discordoauth2;

import jakarta.json.JsonObject;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Discord answered with an error status. It carries the HTTP status, Discord's JSON error {@code code} and
 * {@code message}, the raw {@code errors} tree of a form error ({@code 50035}), and for the token endpoint the OAuth2
 * {@code error} and {@code error_description}. Subclasses name the common cases: {@link ForbiddenException},
 * {@link NotFoundException}, {@link InvalidGrantException}, {@link RateLimitedException}. Immutable and thread-safe.
 */
public class HttpException extends DiscordException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final Integer code;
    private final String discordMessage;
    private final transient JsonObject errors;
    private final String error;
    private final String errorDescription;

    HttpException(String message, int status, Integer code, String discordMessage, JsonObject errors,
            String error, String errorDescription) {
        super(message);
        this.status = status;
        this.code = code;
        this.discordMessage = discordMessage;
        this.errors = errors;
        this.error = error;
        this.errorDescription = errorDescription;
    }

    /** The HTTP status, e.g. 401. */
    public int status() {
        return status;
    }

    /** Discord's JSON error code (e.g. {@code 50035}, {@code 10004}; {@code 0} for generic errors), if sent. */
    public OptionalInt code() {
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /** Discord's {@code message}, e.g. {@code "Unknown Guild"}, if sent. */
    public Optional<String> discordMessage() {
        return Optional.ofNullable(discordMessage);
    }

    /** The {@code errors} tree of a form error, e.g. {@code {"limit": {"_errors": [...]}}}, if sent. */
    public Optional<JsonObject> errors() {
        return Optional.ofNullable(errors);
    }

    /** The token endpoint's OAuth2 {@code error}, e.g. {@code invalid_grant}, if sent. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** The token endpoint's {@code error_description}, if sent. */
    public Optional<String> errorDescription() {
        return Optional.ofNullable(errorDescription);
    }
}
