package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * The token endpoint's success body, as Discord sends it; {@code dev.discordoauth2.AccessToken} is what callers use.
 * {@link #toString()} shows no credential. Immutable and thread-safe.
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

    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", scope=" + scope
                + ", accessToken=(redacted), refreshToken=" + (refreshToken == null ? "none" : "(redacted)")
                + ", idToken=" + (idToken == null ? "none" : "(redacted)") + "]";
    }
}
