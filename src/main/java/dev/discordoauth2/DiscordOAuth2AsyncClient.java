package dev.discordoauth2;

import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
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
import java.util.function.Supplier;

/**
 * The calls of {@link DiscordOAuth2Client} and {@link PartialAccessToken} returning {@link CompletableFuture}s (Python's
 * {@code AsyncClient}), with the same rate limiting, retries and errors as the blocking calls: a failure completes
 * the future exceptionally with the exception the blocking call throws (an argument refused included). Attempts run
 * on the async executor ({@link DiscordOAuth2Client.Builder#asyncPool}, {@link DiscordOAuth2Client.Builder#asyncExecutor});
 * waits for a rate limit or a backoff hold no thread. Completing a returned future from outside ({@code cancel},
 * {@code orTimeout}, {@code complete}) stops its call: no further attempt or retry is made, and the attempt in flight
 * is aborted (its connection closed) and its thread interrupted. Futures derived from it ({@code thenApply}...) do not
 * pass a cancel back. When the executor is saturated the future fails at once with a
 * {@link java.util.concurrent.RejectedExecutionException}. Get it from {@link DiscordOAuth2Client#async()}.
 * Thread-safe.
 */
public final class DiscordOAuth2AsyncClient {
    private final DiscordOAuth2Client client;
    private final AsyncRunner runner;

    DiscordOAuth2AsyncClient(DiscordOAuth2Client client, AsyncRunner runner) {
        this.client = client;
        this.runner = runner;
    }

    /** The one adapter: builds the call here (a refusal fails the future), runs it on the async executor. */
    private <T> CompletableFuture<T> async(Supplier<Operation<T>> call) {
        Operation<T> operation;
        try {
            operation = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return runner.start(operation);
    }

    /** The blocking client behind this one. */
    public DiscordOAuth2Client blocking() {
        return client;
    }

    /** No network call: the same as {@link DiscordOAuth2Client#generateUri}. */
    public URI generateUri(AuthorizeRequest request) {
        return client.generateUri(request);
    }

    public CompletableFuture<AccessToken> exchangeCode(String code) {
        return exchangeCode(code, null, null);
    }

    public CompletableFuture<AccessToken> exchangeCode(String code, String codeVerifier) {
        return exchangeCode(code, codeVerifier, null);
    }

    public CompletableFuture<AccessToken> exchangeCode(String code, String codeVerifier, URI redirectUri) {
        return async(() -> ApplicationCalls.exchangeCode(client, code, codeVerifier, redirectUri));
    }

    public CompletableFuture<AccessToken> refreshToken(String refreshToken) {
        return async(() -> ApplicationCalls.refreshToken(client, refreshToken));
    }

    public CompletableFuture<AccessToken> clientCredentialsGrant(Collection<String> scopes) {
        return async(() -> ApplicationCalls.clientCredentials(client, scopes));
    }

    public CompletableFuture<Void> revokeToken(String token) {
        return revokeToken(token, null);
    }

    public CompletableFuture<Void> revokeToken(String token, TokenTypeHint hint) {
        return async(() -> ApplicationCalls.revokeToken(client, token, hint));
    }

    public CompletableFuture<List<RoleConnectionMetadata>> updateLinkedRolesMetadata(
            List<RoleConnectionMetadata> records) {
        return async(() -> ApplicationCalls.updateLinkedRolesMetadata(client, records));
    }

    public CompletableFuture<List<RoleConnectionMetadata>> fetchLinkedRolesMetadata() {
        return async(() -> ApplicationCalls.fetchLinkedRolesMetadata(client));
    }

    public CompletableFuture<User> fetchIdentify(PartialAccessToken token) {
        return async(token::identifyCall);
    }

    public CompletableFuture<List<Connection>> fetchConnections(PartialAccessToken token) {
        return async(token::connectionsCall);
    }

    public CompletableFuture<List<PartialGuild>> fetchGuilds(PartialAccessToken token) {
        return fetchGuilds(token, GuildQuery.DEFAULT);
    }

    public CompletableFuture<List<PartialGuild>> fetchGuilds(PartialAccessToken token, GuildQuery query) {
        return async(() -> token.guildsCall(query));
    }

    public CompletableFuture<GuildMember> fetchGuildMember(PartialAccessToken token, String guildId) {
        return async(() -> token.guildMemberCall(guildId));
    }

    public CompletableFuture<JoinGuildResult> joinGuild(PartialAccessToken token, String guildId, String userId,
            JoinGuildOptions options) {
        return async(() -> token.joinGuildCall(guildId, userId, options));
    }

    public CompletableFuture<ApplicationRoleConnection> fetchMetadata(PartialAccessToken token) {
        return async(token::fetchMetadataCall);
    }

    public CompletableFuture<ApplicationRoleConnection> updateMetadata(PartialAccessToken token, String platformName,
            String platformUsername, Map<String, ?> metadata) {
        return async(() -> token.updateMetadataCall(platformName, platformUsername, metadata));
    }

    public CompletableFuture<ApplicationRoleConnection> clearMetadata(PartialAccessToken token) {
        return async(token::clearMetadataCall);
    }

    public CompletableFuture<AuthorizationInfo> fetchAuthorizationInfo(PartialAccessToken token) {
        return async(token::authorizationInfoCall);
    }

    public CompletableFuture<Void> revoke(PartialAccessToken token) {
        return async(token::revokeCall);
    }
}
