package dev.discordoauth2;

import jakarta.json.JsonObject;

/**
 * Discord answered 404: an unknown guild, user, member or route (e.g. `10004` Unknown Guild when the user is not in the guild). Immutable and thread-safe.
 */
public final class NotFoundException extends HttpException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String message, int status, Integer code, String discordMessage, JsonObject errors, String error,
            String errorDescription) {
        super(message, status, code, discordMessage, errors, error, errorDescription);
    }
}
