package dev.discordoauth2;

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
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A Discord OAuth2 client: every call of the Python library {@code discordoauth2}'s {@code Client} in Java. It builds
 * authorize URLs ({@link #generateUri}), runs the token grants ({@link #exchangeCode}, {@link #refreshToken},
 * {@link #clientCredentialsGrant}, and the device grant for consoles and CLIs: {@link #startDeviceAuthorization}),
 * revokes tokens, manages the application's linked-roles metadata with the bot token, and makes
 * {@link PartialAccessToken}s for the user API.
 *
 * <p>One pooled JAX-RS client (Jersey on Apache HttpClient 5) is inside; connections are reused across calls. Calls
 * respect Discord's rate limits: they wait for an empty bucket's reset rather than send a request bound to fail, wait
 * out 429s and retry while the wait fits the rate-limit budget (default 5 s), and otherwise throw
 * {@link RateLimitedException}. Idempotent calls are retried on 5xx answers and transport failures with backoff;
 * token grants are never retried. A call may be given one time budget for all of that
 * ({@link #withCallTimeout(Duration)}, {@link Builder#callTimeout(Duration)}). Errors are typed ({@link HttpException}
 * and subclasses, {@link DiscordTransportException}, {@link DiscordTimeoutException}); messages, logs and
 * {@link #toString()} never contain a secret or token.
 *
 * <p>Thread-safe: build one per application, share it, and {@link #close()} it on shutdown. Usable without any
 * container.
 */
public final class DiscordOAuth2Client implements AutoCloseable {
    /** The project's URL in the {@code DiscordBot (url, version)} User-Agent Discord asks for. */
    public static final String PROJECT_URL = "https://github.com/discord-oauth2-jakarta/discord-oauth2-jakarta";
    /** This library's version. */
    public static final String VERSION = ClientCore.readVersion();

    private final ClientCore core;
    private final Async async;
    /** Each call's time budget, or {@code null} for none. */
    private final Duration callTimeout;
    private final Duration readTimeout;
    /** Whether this instance built the shared resources and so closes them; views do not. */
    private final boolean owner;

    DiscordOAuth2Client(ClientCore core, Duration callTimeout, Duration readTimeout, boolean owner) {
        this.core = core;
        this.callTimeout = callTimeout;
        this.readTimeout = readTimeout;
        this.owner = owner;
        this.async = new AsyncCalls(this, core.runner);
    }

    /** A builder; {@code clientId} is required, everything else has Discord's defaults. */
    public static Builder builder() {
        return new ClientSettings();
    }

    /** The application's client id. */
    public String clientId() {
        return core.clientId;
    }

    /** The default redirect URI, if configured. */
    public Optional<URI> redirectUri() {
        return Optional.ofNullable(core.redirectUri);
    }

    /** The API root the client calls, e.g. {@code https://discord.com/api/v10}. */
    public URI apiBaseUri() {
        return core.apiBaseUri;
    }

    /** The authorization page, e.g. {@code https://discord.com/oauth2/authorize}. */
    public URI authorizeUri() {
        return core.authorizeUri;
    }

    /** Whether a bot token is configured (needed for {@link PartialAccessToken#joinGuild} and linked-roles metadata). */
    public boolean hasBotToken() {
        return core.botToken != null;
    }

    /** The clock that dates tokens ({@link AccessToken#expiresAt()}). */
    public Clock clock() {
        return core.clock;
    }

    /** The image URLs at {@link Builder#cdnBaseUri} ({@link DiscordCdn#discord()} by default); no network call. */
    public DiscordCdn cdn() {
        return core.cdn;
    }

    /**
     * A view of this client whose every call, with its retries, backoffs and rate-limit waits, finishes within
     * {@code callTimeout}: each attempt's connect and read timeouts are cut to the time left, no retry or wait is
     * begun that would end past the deadline, and a call that runs out throws {@link DiscordTimeoutException} naming
     * the route and the budget. The view shares everything with this client (connection pool, rate limiter, JSON-B,
     * async executor, clock); tokens obtained or wrapped through it ({@link AccessToken}, {@link PartialAccessToken})
     * and its {@link #async()} make their calls through it. Views are cheap: make one per request if budgets differ.
     * Closing a view does nothing; only the client made by {@link Builder#build()} closes the shared resources, after
     * which its views stop working too. Thread-safe.
     *
     * @param callTimeout the budget of each call, positive
     * @throws IllegalArgumentException when {@code callTimeout} is null, zero or negative
     */
    public DiscordOAuth2Client withCallTimeout(Duration callTimeout) {
        return new DiscordOAuth2Client(core, ClientCore.positive(callTimeout, "callTimeout"), readTimeout, false);
    }

    /**
     * A view of this client whose attempts wait up to {@code readTimeout} for Discord's answer instead of the
     * builder's read timeout (default 10 s); a call timeout of the view still cuts it. Meant for calls whose answer
     * must not be given up early: a token refresh rotates the refresh token when Discord handles it, so an answer
     * abandoned by a read timeout takes the only copy of the new tokens with it. Shares everything with this client,
     * as {@link #withCallTimeout} views do. Thread-safe.
     *
     * @param readTimeout how long each attempt waits for an answer, positive
     * @throws IllegalArgumentException when {@code readTimeout} is null, zero or negative
     */
    public DiscordOAuth2Client withReadTimeout(Duration readTimeout) {
        return new DiscordOAuth2Client(core, callTimeout, ClientCore.positive(readTimeout, "readTimeout"), false);
    }

    /** Each call's time budget ({@link #withCallTimeout}, {@link Builder#callTimeout}); empty when calls have none. */
    public Optional<Duration> callTimeout() {
        return Optional.ofNullable(callTimeout);
    }

    /**
     * The same calls, returning {@link java.util.concurrent.CompletableFuture}s that run on the async executor
     * ({@link Builder#asyncPool}, {@link Builder#asyncExecutor}) and can be cancelled.
     */
    public Async async() {
        return async;
    }

    /**
     * The authorize URL for the request, with Discord's spelling: scopes joined by {@code %20}, booleans as
     * {@code true}/{@code false}, {@code integration_type} only with the {@code applications.commands} scope, and
     * the PKCE challenge with {@code code_challenge_method=S256}. No network call.
     */
    public URI generateUri(AuthorizeRequest request) {
        return ApplicationCalls.authorizeUri(core, request);
    }

    /** Wraps a stored access token for the user API; no network call. */
    public PartialAccessToken fromAccessToken(String accessToken) {
        return new PartialAccessToken(ApplicationCalls.requireText(accessToken, "accessToken"), this);
    }

    /**
     * Wraps a stored access token like {@link #fromAccessToken(String)}, and notices when it stops working: every
     * call of the returned token that Discord answers with HTTP 401 (a revoked, expired or unknown token; not 403,
     * which is a missing scope or permission) runs {@code onUnauthorized} once, on the calling thread, before the
     * usual {@link ForbiddenException} is thrown. A web application can end the session of a token revoked elsewhere
     * this way. Only the token's own Bearer calls count: {@link PartialAccessToken#joinGuild} (authorised by the bot
     * token) and {@link PartialAccessToken#revoke} (by the client's credentials) do not run it. An exception thrown by
     * {@code onUnauthorized} is logged (without the token) and does not replace the {@code ForbiddenException}. No
     * network call. The token is thread-safe; {@code onUnauthorized} may be run by several threads at once.
     *
     * @param accessToken    the stored access token
     * @param onUnauthorized what to do when Discord refuses the token with 401; not null
     */
    public PartialAccessToken fromAccessToken(String accessToken, Runnable onUnauthorized) {
        Objects.requireNonNull(onUnauthorized, "onUnauthorized must not be null");
        return new PartialAccessToken(ApplicationCalls.requireText(accessToken, "accessToken"), this, onUnauthorized);
    }

    /** Exchanges an authorization code (from the redirect's {@code code}) for tokens, with the configured redirect URI. */
    public AccessToken exchangeCode(String code) {
        return exchangeCode(code, null, null);
    }

    /** Exchanges a code obtained with PKCE; {@code codeVerifier} is {@link AuthorizeRequest.Pkce#verifier()}. */
    public AccessToken exchangeCode(String code, String codeVerifier) {
        return exchangeCode(code, codeVerifier, null);
    }

    /**
     * Exchanges a code; {@code codeVerifier} may be null (no PKCE) and {@code redirectUri} null (the configured one).
     * The redirect URI must be the one of the authorize URL.
     *
     * @throws InvalidGrantException when the code is unknown, used, expired, or the PKCE verifier does not match
     */
    public AccessToken exchangeCode(String code, String codeVerifier, URI redirectUri) {
        return ApplicationCalls.exchangeCode(this, code, codeVerifier, redirectUri).run();
    }

    /**
     * Trades a refresh token for a new token pair. Discord rotates refresh tokens: store the returned
     * {@link AccessToken#refreshToken()}, the one passed in stops working.
     *
     * @throws InvalidGrantException when the refresh token is unknown, used or revoked (the user must log in again)
     */
    public AccessToken refreshToken(String refreshToken) {
        return ApplicationCalls.refreshToken(this, refreshToken).run();
    }

    /**
     * A token of the application's owner for the scopes (no refresh token). Team-owned applications may only ask
     * {@code identify} and {@code applications.commands.update}.
     */
    public AccessToken clientCredentialsGrant(Collection<String> scopes) {
        return ApplicationCalls.clientCredentials(this, scopes).run();
    }

    /**
     * Starts the device authorization grant ({@code POST /oauth2/device/authorize}) for a device without a browser:
     * show the user {@link DeviceAuthorization#userCode()} and {@link DeviceAuthorization#verificationUri()}, then
     * {@link #awaitDeviceToken}. Not retried, as no token grant is.
     */
    public DeviceAuthorization startDeviceAuthorization(Collection<String> scopes) {
        return DeviceGrant.start(this, scopes).run();
    }

    /**
     * Polls the token endpoint once with the device code: the tokens, or RFC 8628's {@code authorization_pending},
     * {@code slow_down}, {@code access_denied} and {@code expired_token} as {@link DeviceAuthorization.PollResult}s.
     * Other errors are thrown as {@link #exchangeCode}'s are; 429s are waited out as for every call.
     */
    public DeviceAuthorization.PollResult pollDeviceToken(DeviceAuthorization authorization) {
        return DeviceGrant.poll(this, authorization).run();
    }

    /**
     * Polls until the user decides, waiting {@link DeviceAuthorization#interval()} before each poll and 5 s longer
     * after each {@code slow_down} (RFC 8628 §3.5), and returns the tokens. It stops at
     * {@link DeviceAuthorization#expiresAt()} on the client's clock; an interrupt ends it with a
     * {@link DiscordException}. Another error of a poll ends it as {@link #pollDeviceToken} throws it.
     *
     * @throws DeviceAuthorization.NotGrantedException when the user denied, or the codes expired first
     */
    public AccessToken awaitDeviceToken(DeviceAuthorization authorization) {
        return DeviceGrant.await(this, authorization);
    }

    /** Revokes a token; Discord then revokes every token of that authorization. */
    public void revokeToken(String token) {
        revokeToken(token, null);
    }

    /** Revokes a token with a type hint (which only saves Discord a lookup). */
    public void revokeToken(String token, TokenTypeHint hint) {
        ApplicationCalls.revokeToken(this, token, hint).run();
    }

    /** Replaces the linked-roles metadata records (at most 5), returns what Discord stored; needs the bot token. */
    public List<RoleConnectionMetadata> updateLinkedRolesMetadata(List<RoleConnectionMetadata> records) {
        return ApplicationCalls.updateLinkedRolesMetadata(this, records).run();
    }

    /** The application's role connection metadata records. Needs the bot token. */
    public List<RoleConnectionMetadata> fetchLinkedRolesMetadata() {
        return ApplicationCalls.fetchLinkedRolesMetadata(this).run();
    }

    /**
     * Does ahead of time what otherwise makes the first call after start-up many times slower than later ones:
     * builds the JAX-RS client's runtime (Jersey's injection, providers, the connector) by running one request
     * that is answered inside the JVM, and JSON-B's mappings of the token answer and the user by parsing samples.
     * Sends nothing and opens no connection, so it may run before the network is up. Call it once after
     * {@link Builder#build()}, preferably on a background thread; the web components do so when they start. Calling
     * it again is harmless and cheap. Thread-safe.
     *
     * @throws RuntimeException when the JAX-RS or JSON-B runtime cannot be built; the first call would then fail alike
     */
    public void warmUp() {
        core.warmUp();
    }

    ClientCore core() {
        return core;
    }

    Transport.Answer send(ApiCall call) {
        return core.transport.send(call, callTimeout, readTimeout);
    }

    Transport.Exchange exchange(ApiCall call) {
        return core.transport.exchange(call, callTimeout, readTimeout);
    }

    /**
     * Closes the connection pool and the client's own async threads; async calls not yet done fail with a
     * {@link DiscordException}. On a view ({@link #withCallTimeout}) it does nothing: the client that built the
     * resources closes them.
     */
    @Override
    public void close() {
        if (owner) {
            core.close();
        }
    }

    @Override
    public String toString() {
        return "DiscordOAuth2Client[" + core.describe() + (callTimeout == null ? "" : ", callTimeout=" + callTimeout)
                + (readTimeout == null ? "" : ", readTimeout=" + readTimeout) + "]";
    }

    /**
     * Configures a {@link DiscordOAuth2Client}: from {@link DiscordOAuth2Client#builder()}, each setter returns the
     * same builder, {@link #build()} checks the settings. Not thread-safe. Its {@code toString()} redacts secrets.
     */
    public sealed interface Builder permits ClientSettings {
        /** The application's client id (a snowflake). Required. */
        Builder clientId(String clientId);

        /** The client secret; leave unset only for a public client that uses PKCE. */
        Builder clientSecret(String clientSecret);

        /** The redirect URI registered with Discord (absolute). */
        Builder redirectUri(String redirectUri);

        /** The redirect URI registered with Discord (absolute). */
        Builder redirectUri(URI redirectUri);

        /** The bot token, for Add Guild Member and linked-roles metadata. */
        Builder botToken(String botToken);

        /** Default {@code https://discord.com/api/v10}; point it at a {@code DiscordEmulator} in tests. */
        Builder apiBaseUri(URI apiBaseUri);

        /** Default {@code https://discord.com/oauth2/authorize}. */
        Builder authorizeUri(URI authorizeUri);

        /** Default {@code https://cdn.discordapp.com}, the base of {@link DiscordOAuth2Client#cdn()}'s image URLs. */
        Builder cdnBaseUri(URI cdnBaseUri);

        /** Must have Discord's form {@code DiscordBot (url, version)}, optionally followed by more. */
        Builder userAgent(String userAgent);

        /** Default 5 s. */
        Builder connectTimeout(Duration connectTimeout);

        /** Default 10 s. */
        Builder readTimeout(Duration readTimeout);

        /** The longest a call waits in all for rate limits before it throws {@link RateLimitedException} (default 5 s). */
        Builder maxRateLimitWait(Duration maxRateLimitWait);

        /** Retries of idempotent calls after 5xx answers or transport failures (default 2; 0 turns retries off). */
        Builder maxRetries(int maxRetries);

        /** The first retry's backoff, doubled for each further retry, with jitter (default 250 ms). */
        Builder retryBackoff(Duration retryBackoff);

        /** The connection pool's size (default 20). */
        Builder maxConnections(int maxConnections);

        /** The clock that dates token expiry (default the system clock, UTC). */
        Builder clock(Clock clock);

        /**
         * Where {@link Async} runs its calls' attempts instead of the client's own pool (see {@link #asyncPool}); the
         * client neither bounds nor shuts it down. A wait for a rate limit or a backoff holds none of its threads; the
         * client's timer thread hands each later attempt to it, so it must not run tasks on the submitting thread (no
         * {@code CallerRunsPolicy}). On Java 21, {@code Executors.newVirtualThreadPerTaskExecutor()} works.
         * {@code null} restores the own pool.
         */
        Builder asyncExecutor(Executor asyncExecutor);

        /**
         * The size of the client's own async pool: {@code threads} daemon threads (default {@link #maxConnections},
         * as a thread is only busy while a request is in flight) and a queue of {@code queueCapacity} calls waiting
         * for one (default 1000). A call beyond both fails at once: its future completes exceptionally with a
         * {@link java.util.concurrent.RejectedExecutionException}.
         */
        Builder asyncPool(int threads, int queueCapacity);

        /**
         * The default time budget of every call, retries and waits included (default none: each attempt is bounded
         * by the connect and read timeouts, retries and rate-limit waits by their own settings). See
         * {@link DiscordOAuth2Client#withCallTimeout(Duration)}; {@code null} means none.
         */
        Builder callTimeout(Duration callTimeout);

        /** Checks the configuration and creates the client (and its connection pool). */
        DiscordOAuth2Client build();
    }

    /**
     * The calls of this client and of {@link PartialAccessToken} returning {@link CompletableFuture}s (Python's
     * {@code AsyncClient}): each method is the blocking call of the same name, the token's calls taking the token
     * first. Same rate limiting, retries and errors as the blocking calls: a failure completes the future
     * exceptionally with the exception the blocking call throws (an argument refused included). Attempts run on the
     * async executor ({@link Builder#asyncPool}, {@link Builder#asyncExecutor}); waits for a rate limit or a backoff
     * hold no thread. Completing a returned future from outside ({@code cancel}, {@code orTimeout}, {@code complete})
     * stops its call: no further attempt or retry is made, and the attempt in flight is aborted (its connection
     * closed) and its thread interrupted. Futures derived from it ({@code thenApply}...) do not pass a cancel back.
     * When the executor is saturated the future fails at once with a
     * {@link java.util.concurrent.RejectedExecutionException}. Get it from {@link #async()}. Thread-safe.
     */
    public sealed interface Async permits AsyncCalls {
        /** The blocking client behind this one. */
        DiscordOAuth2Client blocking();

        /** No network call: the same as {@link DiscordOAuth2Client#generateUri}. */
        URI generateUri(AuthorizeRequest request);

        CompletableFuture<AccessToken> exchangeCode(String code);
        CompletableFuture<AccessToken> exchangeCode(String code, String codeVerifier);
        CompletableFuture<AccessToken> exchangeCode(String code, String codeVerifier, URI redirectUri);

        CompletableFuture<AccessToken> refreshToken(String refreshToken);
        CompletableFuture<AccessToken> clientCredentialsGrant(Collection<String> scopes);

        CompletableFuture<Void> revokeToken(String token);
        CompletableFuture<Void> revokeToken(String token, TokenTypeHint hint);

        CompletableFuture<DeviceAuthorization> startDeviceAuthorization(Collection<String> scopes);
        CompletableFuture<DeviceAuthorization.PollResult> pollDeviceToken(DeviceAuthorization authorization);

        /** Each poll an async call, each wait on the timer (no thread held); cancelling it ends the polling. */
        CompletableFuture<AccessToken> awaitDeviceToken(DeviceAuthorization authorization);

        CompletableFuture<List<RoleConnectionMetadata>> updateLinkedRolesMetadata(
                List<RoleConnectionMetadata> records);
        CompletableFuture<List<RoleConnectionMetadata>> fetchLinkedRolesMetadata();

        CompletableFuture<User> fetchIdentify(PartialAccessToken token);
        CompletableFuture<List<Connection>> fetchConnections(PartialAccessToken token);

        CompletableFuture<List<PartialGuild>> fetchGuilds(PartialAccessToken token);
        CompletableFuture<List<PartialGuild>> fetchGuilds(PartialAccessToken token, GuildQuery query);

        CompletableFuture<Guild.Member> fetchGuildMember(PartialAccessToken token, String guildId);

        CompletableFuture<JoinGuildResult> joinGuild(PartialAccessToken token, String guildId, String userId,
                JoinGuildOptions options);

        CompletableFuture<User.ApplicationRoleConnection> fetchMetadata(PartialAccessToken token);
        CompletableFuture<User.ApplicationRoleConnection> updateMetadata(PartialAccessToken token, String platformName,
                String platformUsername, Map<String, ?> metadata);
        CompletableFuture<User.ApplicationRoleConnection> clearMetadata(PartialAccessToken token);

        CompletableFuture<AuthorizationInfo> fetchAuthorizationInfo(PartialAccessToken token);
        CompletableFuture<Void> revoke(PartialAccessToken token);
    }

    /**
     * The {@code token_type_hint} of a revocation. Discord revokes the whole authorization whatever the hint says; it
     * only saves Discord a lookup.
     */
    public enum TokenTypeHint {
        ACCESS_TOKEN,
        REFRESH_TOKEN;

        /** Discord's spelling: {@code access_token} or {@code refresh_token}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
