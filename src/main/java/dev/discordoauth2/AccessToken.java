package dev.discordoauth2;

import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.Webhook;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the token endpoint returned (Python's {@code AccessToken}): the access token with its type, lifetime and
 * scopes, the refresh token, and the {@code webhook}, {@code guild} and {@code id_token} that some flows add. Discord
 * rotates refresh tokens, so store {@link #refreshToken()} after every refresh. {@link #toString()} shows no
 * credential. Immutable and thread-safe.
 */
public final class AccessToken extends PartialAccessToken {
    private final String tokenType;
    private final Duration expiresIn;
    private final Instant expiresAt;
    private final Set<String> scopes;
    private final String refreshToken;
    private final Webhook webhook;
    private final Guild guild;
    private final String idToken;

    AccessToken(DiscordOAuth2Client client, String token, String tokenType, Long expiresIn, String scope,
            String refreshToken, Webhook webhook, Guild guild, String idToken, Instant obtainedAt) {
        super(token, client);
        this.tokenType = tokenType == null ? "Bearer" : tokenType;
        this.expiresIn = Duration.ofSeconds(expiresIn == null ? 0 : expiresIn);
        this.expiresAt = obtainedAt.plus(this.expiresIn);
        this.scopes = scope == null || scope.isBlank() ? Set.of()
                : Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+"))));
        this.refreshToken = refreshToken == null || refreshToken.isEmpty() ? null : refreshToken;
        this.webhook = webhook;
        this.guild = guild;
        this.idToken = idToken;
    }

    /** {@code token_type}, always {@code Bearer} at Discord. */
    public String tokenType() {
        return tokenType;
    }

    /** {@code expires_in}: the lifetime Discord gave (604800 s, seven days). */
    public Duration expiresIn() {
        return expiresIn;
    }

    /** When the access token expires: when it was obtained (the client's clock) plus {@link #expiresIn()}. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Whether the token expires within {@code skew} of now on the client's clock. */
    public boolean expiresWithin(Duration skew) {
        return !client().clock().instant().plus(skew).isBefore(expiresAt);
    }

    /** The granted scopes; empty when Discord sent none. */
    public Set<String> scopes() {
        return scopes;
    }

    /** The refresh token; absent for the client credentials grant and the implicit grant. */
    public Optional<String> refreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    /** The incoming webhook of the {@code webhook.incoming} flow. */
    public Optional<Webhook> webhook() {
        return Optional.ofNullable(webhook);
    }

    /** The guild the bot was added to, in the bot authorization flow. */
    public Optional<Guild> guild() {
        return Optional.ofNullable(guild);
    }

    /** The OpenID Connect id token (scope {@code openid}), not decoded or verified here. */
    public Optional<String> idToken() {
        return Optional.ofNullable(idToken);
    }

    /** Refreshes with {@link #refreshToken()}; the returned token replaces this one. */
    public AccessToken refresh() {
        return client().refreshToken(refreshToken().orElseThrow(
                () -> new IllegalStateException("this token has no refresh token (client credentials or implicit)")));
    }

    /** Revokes the refresh token, and with it every token of the authorization. */
    public void revokeRefreshToken() {
        client().revokeToken(refreshToken().orElseThrow(
                () -> new IllegalStateException("this token has no refresh token (client credentials or implicit)")),
                TokenTypeHint.REFRESH_TOKEN);
    }

    @Override
    public String toString() {
        return "AccessToken[tokenType=" + tokenType + ", scopes=" + scopes + ", expiresAt=" + expiresAt
                + ", token=(redacted), refreshToken=" + (refreshToken == null ? "none" : "(redacted)")
                + (webhook != null ? ", webhook=" + webhook : "") + (guild != null ? ", guild=" + guild.id() : "")
                + "]";
    }
}
