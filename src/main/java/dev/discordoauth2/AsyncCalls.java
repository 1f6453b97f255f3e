package dev.discordoauth2;

import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import dev.discordoauth2.PartialAccessToken.GuildQuery;
import dev.discordoauth2.PartialAccessToken.JoinGuildOptions;
import dev.discordoauth2.PartialAccessToken.JoinGuildResult;
import dev.discordoauth2.model.AuthorizationInfo;
import dev.discordoauth2.model.User.Connection;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.model.User;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The one {@link DiscordOAuth2Client.Async}: each call built on the caller, run by the {@link AsyncRunner}. */
final class AsyncCalls implements DiscordOAuth2Client.Async {
    private final DiscordOAuth2Client client;
    private final AsyncRunner runner;

    AsyncCalls(DiscordOAuth2Client client, AsyncRunner runner) {
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

    @Override
    public DiscordOAuth2Client blocking() {
        return client;
    }

    @Override
    public URI generateUri(AuthorizeRequest request) {
        return client.generateUri(request);
    }

    @Override
    public CompletableFuture<AccessToken> exchangeCode(String code) {
        return exchangeCode(code, null, null);
    }

    @Override
    public CompletableFuture<AccessToken> exchangeCode(String code, String codeVerifier) {
        return exchangeCode(code, codeVerifier, null);
    }

    @Override
    public CompletableFuture<AccessToken> exchangeCode(String code, String codeVerifier, URI redirectUri) {
        return async(() -> ApplicationCalls.exchangeCode(client, code, codeVerifier, redirectUri));
    }

    @Override
    public CompletableFuture<AccessToken> refreshToken(String refreshToken) {
        return async(() -> ApplicationCalls.refreshToken(client, refreshToken));
    }

    @Override
    public CompletableFuture<AccessToken> clientCredentialsGrant(Collection<String> scopes) {
        return async(() -> ApplicationCalls.clientCredentials(client, scopes));
    }

    @Override
    public CompletableFuture<Void> revokeToken(String token) {
        return revokeToken(token, null);
    }

    @Override
    public CompletableFuture<Void> revokeToken(String token, TokenTypeHint hint) {
        return async(() -> ApplicationCalls.revokeToken(client, token, hint));
    }

    @Override
    public CompletableFuture<DeviceAuthorization> startDeviceAuthorization(Collection<String> scopes) {
        return async(() -> DeviceGrant.start(client, scopes));
    }

    @Override
    public CompletableFuture<DeviceAuthorization.PollResult> pollDeviceToken(DeviceAuthorization authorization) {
        return async(() -> DeviceGrant.poll(client, authorization));
    }

    @Override
    public CompletableFuture<AccessToken> awaitDeviceToken(DeviceAuthorization authorization) {
        if (authorization == null) {
            return CompletableFuture.failedFuture(new NullPointerException("authorization must not be null"));
        }
        return new DeviceGrant.Polling(client, runner, authorization).start();
    }

    @Override
    public CompletableFuture<List<RoleConnectionMetadata>> updateLinkedRolesMetadata(
            List<RoleConnectionMetadata> records) {
        return async(() -> ApplicationCalls.updateLinkedRolesMetadata(client, records));
    }

    @Override
    public CompletableFuture<List<RoleConnectionMetadata>> fetchLinkedRolesMetadata() {
        return async(() -> ApplicationCalls.fetchLinkedRolesMetadata(client));
    }

    @Override
    public CompletableFuture<User> fetchIdentify(PartialAccessToken token) {
        return async(() -> UserCalls.identify(token));
    }

    @Override
    public CompletableFuture<List<Connection>> fetchConnections(PartialAccessToken token) {
        return async(() -> UserCalls.connections(token));
    }

    @Override
    public CompletableFuture<List<PartialGuild>> fetchGuilds(PartialAccessToken token) {
        return fetchGuilds(token, GuildQuery.DEFAULT);
    }

    @Override
    public CompletableFuture<List<PartialGuild>> fetchGuilds(PartialAccessToken token, GuildQuery query) {
        return async(() -> UserCalls.guilds(token, query));
    }

    @Override
    public CompletableFuture<Guild.Member> fetchGuildMember(PartialAccessToken token, String guildId) {
        return async(() -> UserCalls.guildMember(token, guildId));
    }

    @Override
    public CompletableFuture<JoinGuildResult> joinGuild(PartialAccessToken token, String guildId, String userId,
            JoinGuildOptions options) {
        return async(() -> UserCalls.joinGuild(token, guildId, userId, options));
    }

    @Override
    public CompletableFuture<User.ApplicationRoleConnection> fetchMetadata(PartialAccessToken token) {
        return async(() -> UserCalls.fetchMetadata(token));
    }

    @Override
    public CompletableFuture<User.ApplicationRoleConnection> updateMetadata(PartialAccessToken token, String platformName,
            String platformUsername, Map<String, ?> metadata) {
        return async(() -> UserCalls.updateMetadata(token, platformName, platformUsername, metadata));
    }

    @Override
    public CompletableFuture<User.ApplicationRoleConnection> clearMetadata(PartialAccessToken token) {
        return async(() -> UserCalls.clearMetadata(token));
    }

    @Override
    public CompletableFuture<AuthorizationInfo> fetchAuthorizationInfo(PartialAccessToken token) {
        return async(() -> UserCalls.authorizationInfo(token));
    }

    @Override
    public CompletableFuture<Void> revoke(PartialAccessToken token) {
        return async(() -> UserCalls.revoke(token));
    }
}
