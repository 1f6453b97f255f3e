package dev.discordoauth2;

import jakarta.json.JsonObject;

/**
 * The token endpoint answered `invalid_grant`: the code or refresh token is unknown, expired, already used or revoked. For a refresh token this means the user must log in again. Immutable and thread-safe.
 */
public final class InvalidGrantException extends HttpException {
    private static final long serialVersionUID = 1L;

    InvalidGrantException(String message, int status, Integer code, String discordMessage, JsonObject errors, String error,
            String errorDescription) {
        super(message, status, code, discordMessage, errors, error, errorDescription);
    }
}
