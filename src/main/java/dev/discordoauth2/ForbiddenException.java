package dev.discordoauth2;

import jakarta.json.JsonObject;

/**
 * Discord refused the credentials (401: a missing, expired or revoked token, or a token without the scope the route needs) or the permission (403, e.g. `50013` Missing Permissions, `50025` Invalid OAuth2 access token). Immutable and thread-safe.
 */
public final class ForbiddenException extends HttpException {
    private static final long serialVersionUID = 1L;

    ForbiddenException(String message, int status, Integer code, String discordMessage, JsonObject errors, String error,
            String errorDescription) {
        super(message, status, code, discordMessage, errors, error, errorDescription);
    }
}
