package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The token endpoint's success body, as Discord sends it; {@code dev.discordoauth2.AccessToken} is what callers use.
 * {@link #toString()} shows no credential. Immutable and thread-safe.
 *
 * <p>Checked on construction: {@code access_token} present, {@code token_type} (if sent) {@code Bearer} in any case,
 * and {@code expires_in} present and between 0 and {@link #MAX_EXPIRES_IN} seconds. Discord's tokens live seven days;
 * ten years is far beyond any real lifetime yet far below what would overflow an {@link java.time.Instant}.
 *
 * @param accessToken  the access token
 * @param tokenType    {@code Bearer}
 * @param expiresIn    lifetime in seconds
 * @param refreshToken the refresh token (absent for client credentials)
 * @param scope        granted scopes, space-separated
 * @param webhook      the {@code webhook.incoming} flow's webhook
 * @param guild        the bot flow's guild
 * @param idToken      the {@code openid} scope's id token
 */
public record TokenResponse(@JsonbProperty("access_token") String accessToken,
        @JsonbProperty("token_type") String tokenType, @JsonbProperty("expires_in") Long expiresIn,
        @JsonbProperty("refresh_token") String refreshToken, String scope, Webhook webhook, Guild guild,
        @JsonbProperty("id_token") String idToken) {

    /** The longest {@code expires_in} accepted: ten years (3650 days) in seconds. */
    public static final long MAX_EXPIRES_IN = 3650L * 24 * 60 * 60;

    /**
     * Checks the values against the rules above.
     *
     * @param accessToken  the access token
     * @param tokenType    {@code Bearer}
     * @param expiresIn    lifetime in seconds
     * @param refreshToken the refresh token (absent for client credentials)
     * @param scope        granted scopes, space-separated
     * @param webhook      the {@code webhook.incoming} flow's webhook
     * @param guild        the bot flow's guild
     * @param idToken      the {@code openid} scope's id token
     * @throws InvalidWireObjectException when a field breaks the rules above; the message names the field only
     */
    public TokenResponse {
        Models.text(accessToken, "token response", "access_token");
        if (tokenType != null && !tokenType.equalsIgnoreCase("Bearer")) {
            throw new InvalidWireObjectException("token response", "token_type must be Bearer");
        }
        if (expiresIn == null) {
            throw new InvalidWireObjectException("token response", "expires_in is missing");
        }
        if (expiresIn < 0 || expiresIn > MAX_EXPIRES_IN) {
            throw new InvalidWireObjectException("token response",
                    "expires_in must be between 0 and " + MAX_EXPIRES_IN + " seconds (10 years)");
        }
    }

    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", scope=" + scope
                + ", accessToken=(redacted), refreshToken=" + (refreshToken == null ? "none" : "(redacted)")
                + ", idToken=" + (idToken == null ? "none" : "(redacted)") + "]";
    }
}
