package dev.discordoauth2;

import dev.discordoauth2.model.ApplicationRoleConnection;
import dev.discordoauth2.model.AuthorizationInfo;
import dev.discordoauth2.model.Connection;
import dev.discordoauth2.model.GuildMember;
import dev.discordoauth2.model.GuildQuery;
import dev.discordoauth2.model.JoinGuildOptions;
import dev.discordoauth2.model.JoinGuildResult;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.model.User;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The calls of {@link DiscordOAuth2Client} and {@link PartialAccessToken} returning {@link CompletionStage}s (Python's
 * {@code AsyncClient}). They run on the client's async executor with the same rate limiting, retries and errors; a
 * failure completes the stage exceptionally with the same exception the blocking call throws. Get it from
 * {@link DiscordOAuth2Client#async()}. Thread-safe.
 */
public final class DiscordOAuth2AsyncClient {
    private final DiscordOAuth2Client client;
    private final Executor executor;

    DiscordOAuth2AsyncClient(DiscordOAuth2Client client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    private <T> CompletionStage<T> run(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }

    /** The blocking client behind this one. */
    public DiscordOAuth2Client blocking() {
        return client;
    }

    /** No network call: the same as {@link DiscordOAuth2Client#generateUri}. */
    public URI generateUri(AuthorizeRequest request) {
        return client.generateUri(request);
    }

    public CompletionStage<AccessToken> exchangeCode(String code) {
        return run(() -> client.exchangeCode(code));
    }

    public CompletionStage<AccessToken> exchangeCode(String code, String codeVerifier) {
        return run(() -> client.exchangeCode(code, codeVerifier));
    }

    public CompletionStage<AccessToken> exchangeCode(String code, String codeVerifier, URI redirectUri) {
        return run(() -> client.exchangeCode(code, codeVerifier, redirectUri));
    }

    public CompletionStage<AccessToken> refreshToken(String refreshToken) {
        return run(() -> client.refreshToken(refreshToken));
    }

    public CompletionStage<AccessToken> clientCredentialsGrant(Collection<String> scopes) {
        return run(() -> client.clientCredentialsGrant(scopes));
    }

    public CompletionStage<Void> revokeToken(String token) {
        return run(() -> {
            client.revokeToken(token);
            return null;
        });
    }

    public CompletionStage<Void> revokeToken(String token, TokenTypeHint hint) {
        return run(() -> {
            client.revokeToken(token, hint);
            return null;
        });
    }

    public CompletionStage<List<RoleConnectionMetadata>> updateLinkedRolesMetadata(
            List<RoleConnectionMetadata> records) {
        return run(() -> client.updateLinkedRolesMetadata(records));
    }

    public CompletionStage<List<RoleConnectionMetadata>> fetchLinkedRolesMetadata() {
        return run(client::fetchLinkedRolesMetadata);
    }

    public CompletionStage<User> fetchIdentify(PartialAccessToken token) {
        return run(token::fetchIdentify);
    }

    public CompletionStage<List<Connection>> fetchConnections(PartialAccessToken token) {
        return run(token::fetchConnections);
    }

    public CompletionStage<List<PartialGuild>> fetchGuilds(PartialAccessToken token) {
        return run(token::fetchGuilds);
    }

    public CompletionStage<List<PartialGuild>> fetchGuilds(PartialAccessToken token, GuildQuery query) {
        return run(() -> token.fetchGuilds(query));
    }

    public CompletionStage<GuildMember> fetchGuildMember(PartialAccessToken token, String guildId) {
        return run(() -> token.fetchGuildMember(guildId));
    }

    public CompletionStage<JoinGuildResult> joinGuild(PartialAccessToken token, String guildId, String userId,
            JoinGuildOptions options) {
        return run(() -> token.joinGuild(guildId, userId, options));
    }

    public CompletionStage<ApplicationRoleConnection> fetchMetadata(PartialAccessToken token) {
        return run(token::fetchMetadata);
    }

    public CompletionStage<ApplicationRoleConnection> updateMetadata(PartialAccessToken token, String platformName,
            String platformUsername, Map<String, ?> metadata) {
        return run(() -> token.updateMetadata(platformName, platformUsername, metadata));
    }

    public CompletionStage<ApplicationRoleConnection> clearMetadata(PartialAccessToken token) {
        return run(token::clearMetadata);
    }

    public CompletionStage<AuthorizationInfo> fetchAuthorizationInfo(PartialAccessToken token) {
        return run(token::fetchAuthorizationInfo);
    }

    public CompletionStage<Void> revoke(PartialAccessToken token) {
        return run(() -> {
            token.revoke();
            return null;
        });
    }
}
