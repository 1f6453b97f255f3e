package dev.discordoauth2.web;

import java.io.Serial;

/**
 * The shared token store ({@code discord.token-store=jdbc}) could not be read or written: the database is down, a
 * connection could not be had in time, or a statement failed. The message names the table and the database's error
 * (never a token, a password or the JDBC URL's parameters). The login answers a retry page (503 with
 * {@code Retry-After}) and keeps the session; {@link OfflineAccess} throws it to its caller. Immutable.
 */
public final class TokenStoreException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    TokenStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
