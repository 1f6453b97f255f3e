package dev.discordoauth2;

import dev.discordoauth2.model.Snowflake;
import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.model.User;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A Discord OAuth2 client: every call of the Python library {@code discordoauth2}'s {@code Client} in Java. It builds
 * authorize URLs ({@link #generateUri}), runs the token grants ({@link #exchangeCode}, {@link #refreshToken},
 * {@link #clientCredentialsGrant}), revokes tokens, manages the application's linked-roles metadata with the bot
 * token, and makes {@link PartialAccessToken}s for the user API.
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
    public static final String VERSION = readVersion();
    static final URI DEFAULT_API_BASE = URI.create("https://discord.com/api/v10");
    static final URI DEFAULT_AUTHORIZE = URI.create("https://discord.com/oauth2/authorize");

    private final String clientId;
    private final String clientSecret;
    private final URI redirectUri;
    private final String botToken;
    private final URI apiBaseUri;
    private final URI authorizeUri;
    private final Clock clock;
    private final Client http;
    private final Wire wire;
    private final Transport transport;
    private final AsyncRunner runner;
    private final DiscordOAuth2AsyncClient async;
    /** Each call's time budget, or {@code null} for none. */
    private final Duration callTimeout;
    private final Duration readTimeout;
    /** Whether this instance built the shared resources and so closes them; views do not. */
    private final boolean owner;

    private DiscordOAuth2Client(Builder b) {
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.redirectUri = b.redirectUri;
        this.botToken = b.botToken;
        this.apiBaseUri = b.apiBaseUri;
        this.authorizeUri = b.authorizeUri;
        this.clock = b.clock;
        this.http = JerseyClientFactory.create(b.connectTimeout, b.readTimeout, b.maxConnections);
        this.wire = new Wire();
        this.transport = new Transport(http, apiBaseUri, b.userAgent, b.maxRateLimitWait, b.maxRetries,
                b.retryBackoff, b.connectTimeout, b.readTimeout);
        this.callTimeout = b.callTimeout;
        this.readTimeout = null;
        this.owner = true;
        this.runner = new AsyncRunner(b.asyncExecutor, b.asyncThreads == 0 ? b.maxConnections : b.asyncThreads,
                b.asyncQueueCapacity);
        this.async = new DiscordOAuth2AsyncClient(this, runner);
    }

    /** A view of {@code shared} with another call timeout: every resource is shared, none is owned. */
    private DiscordOAuth2Client(DiscordOAuth2Client shared, Duration callTimeout, Duration readTimeout) {
        this.clientId = shared.clientId;
        this.clientSecret = shared.clientSecret;
        this.redirectUri = shared.redirectUri;
        this.botToken = shared.botToken;
        this.apiBaseUri = shared.apiBaseUri;
        this.authorizeUri = shared.authorizeUri;
        this.clock = shared.clock;
        this.http = shared.http;
        this.wire = shared.wire;
        this.transport = shared.transport;
        this.runner = shared.runner;
        this.callTimeout = callTimeout;
        this.readTimeout = readTimeout;
        this.owner = false;
        this.async = new DiscordOAuth2AsyncClient(this, runner);
    }

    /** A builder; {@code clientId} is required, everything else has Discord's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The application's client id. */
    public String clientId() {
        return clientId;
    }

    /** The default redirect URI, if configured. */
    public Optional<URI> redirectUri() {
        return Optional.ofNullable(redirectUri);
    }

    /** The API root the client calls, e.g. {@code https://discord.com/api/v10}. */
    public URI apiBaseUri() {
        return apiBaseUri;
    }

    /** The authorization page, e.g. {@code https://discord.com/oauth2/authorize}. */
    public URI authorizeUri() {
        return authorizeUri;
    }

    /** Whether a bot token is configured (needed for {@link PartialAccessToken#joinGuild} and linked-roles metadata). */
    public boolean hasBotToken() {
        return botToken != null;
    }

    /** The clock that dates tokens ({@link AccessToken#expiresAt()}). */
    public Clock clock() {
        return clock;
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
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
        }
        return new DiscordOAuth2Client(this, callTimeout, readTimeout);
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
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("readTimeout must be positive: " + readTimeout);
        }
        return new DiscordOAuth2Client(this, callTimeout, readTimeout);
    }

    /** Each call's time budget ({@link #withCallTimeout}, {@link Builder#callTimeout}); empty when calls have none. */
    public Optional<Duration> callTimeout() {
        return Optional.ofNullable(callTimeout);
    }

    /**
     * The same calls, returning {@link java.util.concurrent.CompletableFuture}s that run on the async executor
     * ({@link Builder#asyncPool}, {@link Builder#asyncExecutor}) and can be cancelled.
     */
    public DiscordOAuth2AsyncClient async() {
        return async;
    }

    // ------------------------------------------------------------------------------------------ authorize URL

    /**
     * The authorize URL for the request, with Discord's spelling: scopes joined by {@code %20}, booleans as
     * {@code true}/{@code false}, {@code integration_type} only with the {@code applications.commands} scope, and
     * the PKCE challenge with {@code code_challenge_method=S256}. No network call.
     */
    public URI generateUri(AuthorizeRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        QueryString q = new QueryString();
        q.add("response_type", request.responseType().value());
        q.add("client_id", clientId);
        q.add("scope", String.join(" ", request.scopes()));
        request.state().ifPresent(s -> q.add("state", s));
        URI redirect = request.redirectUri().orElse(redirectUri);
        if (redirect != null) {
            q.add("redirect_uri", redirect.toString());
        }
        request.prompt().ifPresent(p -> q.add("prompt", p.value()));
        request.guildId().ifPresent(g -> q.add("guild_id", g));
        request.disableGuildSelect().ifPresent(d -> q.add("disable_guild_select", d.toString()));
        request.permissions().ifPresent(p -> q.add("permissions", Long.toString(p)));
        if (request.scopes().contains("applications.commands")) {
            request.integrationType().ifPresent(t -> q.add("integration_type", Integer.toString(t.value())));
        }
        request.codeChallenge().ifPresent(pkce -> {
            q.add("code_challenge", pkce.challenge());
            q.add("code_challenge_method", pkce.method());
        });
        String base = authorizeUri.toString();
        return URI.create(base + (authorizeUri.getRawQuery() == null ? "?" : "&") + q);
    }

    // ------------------------------------------------------------------------------------------ tokens

    /** Wraps a stored access token for the user API; no network call. */
    public PartialAccessToken fromAccessToken(String accessToken) {
        return new PartialAccessToken(requireText(accessToken, "accessToken"), this);
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
        return new PartialAccessToken(requireText(accessToken, "accessToken"), this, onUnauthorized);
    }

    /** Exchanges an authorization code (from the redirect's {@code code}) for tokens, with the configured redirect URI. */
    public AccessToken exchangeCode(String code) {
        return exchangeCode(code, null, null);
    }

    /** Exchanges a code obtained with PKCE; {@code codeVerifier} is {@link Pkce#verifier()}. */
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
        return exchangeCodeCall(code, codeVerifier, redirectUri).run();
    }

    Operation<AccessToken> exchangeCodeCall(String code, String codeVerifier, URI redirectUri) {
        requireText(code, "code");
        URI redirect = redirectUri != null ? redirectUri : this.redirectUri;
        if (redirect == null) {
            throw new IllegalStateException("exchangeCode needs the redirect URI of the authorize URL: configure "
                    + "DiscordOAuth2Client.Builder.redirectUri or pass one");
        }
        Form form = new Form().param("grant_type", "authorization_code").param("code", code)
                .param("redirect_uri", redirect.toString());
        if (codeVerifier != null) {
            form.param("code_verifier", codeVerifier);
        }
        return tokenGrant(form);
    }

    /**
     * Trades a refresh token for a new token pair. Discord rotates refresh tokens: store the returned
     * {@link AccessToken#refreshToken()}, the one passed in stops working.
     *
     * @throws InvalidGrantException when the refresh token is unknown, used or revoked (the user must log in again)
     */
    public AccessToken refreshToken(String refreshToken) {
        return refreshTokenCall(refreshToken).run();
    }

    Operation<AccessToken> refreshTokenCall(String refreshToken) {
        requireText(refreshToken, "refreshToken");
        return tokenGrant(new Form().param("grant_type", "refresh_token").param("refresh_token", refreshToken));
    }

    /**
     * A token of the application's owner for the scopes (no refresh token). Team-owned applications may only ask
     * {@code identify} and {@code applications.commands.update}.
     */
    public AccessToken clientCredentialsGrant(Collection<String> scopes) {
        return clientCredentialsCall(scopes).run();
    }

    Operation<AccessToken> clientCredentialsCall(Collection<String> scopes) {
        Objects.requireNonNull(scopes, "scopes must not be null");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("clientCredentialsGrant needs at least one scope");
        }
        requireSecret("clientCredentialsGrant");
        return tokenGrant(new Form().param("grant_type", "client_credentials").param("scope", String.join(" ", scopes)));
    }

    /** Revokes a token; Discord then revokes every token of that authorization. */
    public void revokeToken(String token) {
        revokeToken(token, null);
    }

    /** Revokes a token with a type hint (which only saves Discord a lookup). */
    public void revokeToken(String token, TokenTypeHint hint) {
        revokeTokenCall(token, hint).run();
    }

    Operation<Void> revokeTokenCall(String token, TokenTypeHint hint) {
        requireText(token, "token");
        Form form = new Form().param("token", token);
        if (hint != null) {
            form.param("token_type_hint", hint.value());
        }
        return new Operation<>(this, clientAuthenticated(ApiCall.of("POST", "/oauth2/token/revoke"), form)
                .retryable(true), answer -> null);
    }

    private Operation<AccessToken> tokenGrant(Form form) {
        ApiCall call = clientAuthenticated(ApiCall.of("POST", "/oauth2/token"), form);
        return new Operation<>(this, call, answer -> {
            Wire.TokenResponse response = read(call, answer.body(), Wire.TokenResponse.class, false);
            return new AccessToken(this, response.accessToken(), response.tokenType(), response.expiresIn(),
                    response.scope(), response.refreshToken(), response.webhook(), response.guild(),
                    response.idToken(), clock.instant());
        });
    }

    private ApiCall clientAuthenticated(ApiCall call, Form form) {
        if (clientSecret != null) {
            call.auth("Basic " + Base64.getEncoder().encodeToString(
                    (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)));
        } else {
            form.param("client_id", clientId);
        }
        return call.body(Entity.form(form));
    }

    // ------------------------------------------------------------------------------------------ linked roles

    /**
     * Replaces the application's role connection metadata records (at most 5) and returns what Discord stored.
     * Needs the bot token.
     */
    public List<RoleConnectionMetadata> updateLinkedRolesMetadata(List<RoleConnectionMetadata> records) {
        return updateLinkedRolesMetadataCall(records).run();
    }

    Operation<List<RoleConnectionMetadata>> updateLinkedRolesMetadataCall(List<RoleConnectionMetadata> records) {
        Objects.requireNonNull(records, "records must not be null");
        if (records.size() > 5) {
            throw new IllegalArgumentException("Discord allows at most 5 role connection metadata records, got "
                    + records.size());
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (RoleConnectionMetadata r : records) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("type", r.type().value()).add("key", r.key())
                    .add("name", r.name()).add("description", r.description());
            if (!r.nameLocalizations().isEmpty()) {
                o.add("name_localizations", Json.createObjectBuilder(new java.util.HashMap<>(r.nameLocalizations())));
            }
            if (!r.descriptionLocalizations().isEmpty()) {
                o.add("description_localizations",
                        Json.createObjectBuilder(new java.util.HashMap<>(r.descriptionLocalizations())));
            }
            array.add(o);
        }
        return metadata(metadataCall("PUT").body(Entity.entity(array.build().toString(),
                MediaType.APPLICATION_JSON_TYPE)));
    }

    /** The application's role connection metadata records. Needs the bot token. */
    public List<RoleConnectionMetadata> fetchLinkedRolesMetadata() {
        return fetchLinkedRolesMetadataCall().run();
    }

    Operation<List<RoleConnectionMetadata>> fetchLinkedRolesMetadataCall() {
        return metadata(metadataCall("GET"));
    }

    private Operation<List<RoleConnectionMetadata>> metadata(ApiCall call) {
        return new Operation<>(this, call, answer -> read(call, answer.body(), Wire.listOf(RoleConnectionMetadata.class),
                true));
    }

    private ApiCall metadataCall(String method) {
        String template = "/applications/{application.id}/role-connections/metadata";
        return ApiCall.of(method, template, "/applications/" + clientId + "/role-connections/metadata", null)
                .auth(botAuthorization("the linked roles metadata")).retryable(true);
    }

    String botAuthorization(String what) {
        if (botToken == null) {
            throw new IllegalStateException(what + " needs the bot token: configure "
                    + "DiscordOAuth2Client.Builder.botToken(...)");
        }
        return "Bot " + botToken;
    }

    // ------------------------------------------------------------------------------------------ warm-up

    /** A token answer of Discord's documented shape, with made-up values; only parsed, never sent or used. */
    private static final String SAMPLE_TOKEN = "{\"access_token\":\"warm-up\",\"token_type\":\"Bearer\","
            + "\"expires_in\":604800,\"refresh_token\":\"warm-up\",\"scope\":\"identify\"}";
    /** A {@code GET /users/@me} answer of Discord's documented shape, with made-up values. */
    private static final String SAMPLE_USER = "{\"id\":\"80351110224678912\",\"username\":\"warm-up\","
            + "\"discriminator\":\"0\",\"global_name\":null,\"avatar\":null,\"verified\":true,"
            + "\"email\":null,\"flags\":0,\"public_flags\":0,\"premium_type\":0}";

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
        read(ApiCall.of("POST", "/oauth2/token"), SAMPLE_TOKEN, Wire.TokenResponse.class, true);
        read(ApiCall.of("GET", "/users/@me"), transport.warmUp(SAMPLE_USER), User.class, true);
    }

    // ------------------------------------------------------------------------------------------ plumbing

    Transport transport() {
        return transport;
    }

    Transport.Answer send(ApiCall call) {
        return transport.send(call, callTimeout, readTimeout);
    }

    Transport.Exchange exchange(ApiCall call) {
        return transport.exchange(call, callTimeout, readTimeout);
    }

    /** {@link Wire#read}. */
    <T> T read(ApiCall call, String body, Type type, boolean keepCause) {
        return wire.read(call, body, type, keepCause);
    }

    String applicationId() {
        return clientId;
    }

    private void requireSecret(String call) {
        if (clientSecret == null) {
            throw new IllegalStateException(call + " needs the client secret: configure "
                    + "DiscordOAuth2Client.Builder.clientSecret(...)");
        }
    }

    static String requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be null or empty");
        }
        return value;
    }

    /**
     * Closes the connection pool and the client's own async threads; async calls not yet done fail with a
     * {@link DiscordException}. On a view ({@link #withCallTimeout}) it does
     * nothing: the client that built the resources closes them.
     */
    @Override
    public void close() {
        if (!owner) {
            return;
        }
        http.close();
        wire.close();
        runner.close();
    }

    @Override
    public String toString() {
        return "DiscordOAuth2Client[clientId=" + clientId + ", apiBaseUri=" + apiBaseUri + ", redirectUri="
                + redirectUri + ", clientSecret=" + (clientSecret == null ? "none" : "(redacted)") + ", botToken="
                + (botToken == null ? "none" : "(redacted)")
                + (callTimeout == null ? "" : ", callTimeout=" + callTimeout)
                + (readTimeout == null ? "" : ", readTimeout=" + readTimeout) + "]";
    }

    private static String readVersion() {
        try (InputStream in = DiscordOAuth2Client.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }

    /** Configures a {@link DiscordOAuth2Client}. Not thread-safe. {@link #toString()} redacts secrets. */
    public static final class Builder {
        private String clientId;
        private String clientSecret;
        private URI redirectUri;
        private String botToken;
        private URI apiBaseUri = DEFAULT_API_BASE;
        private URI authorizeUri = DEFAULT_AUTHORIZE;
        private String userAgent = "DiscordBot (" + PROJECT_URL + ", " + VERSION + ")";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration maxRateLimitWait = Duration.ofSeconds(5);
        private int maxRetries = 2;
        private Duration retryBackoff = Duration.ofMillis(250);
        private int maxConnections = 20;
        private Clock clock = Clock.systemUTC();
        private Executor asyncExecutor;
        private int asyncThreads;
        private int asyncQueueCapacity = 1_000;
        private Duration callTimeout;

        private Builder() {
        }

        /** The application's client id (a snowflake). Required. */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** The client secret; leave unset only for a public client that uses PKCE. */
        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        /** The redirect URI registered with Discord (absolute). */
        public Builder redirectUri(String redirectUri) {
            return redirectUri(redirectUri == null ? null : URI.create(redirectUri));
        }

        public Builder redirectUri(URI redirectUri) {
            this.redirectUri = redirectUri;
            return this;
        }

        /** The bot token, for Add Guild Member and linked-roles metadata. */
        public Builder botToken(String botToken) {
            this.botToken = botToken;
            return this;
        }

        /** Default {@code https://discord.com/api/v10}; point it at a {@code DiscordEmulator} in tests. */
        public Builder apiBaseUri(URI apiBaseUri) {
            this.apiBaseUri = apiBaseUri;
            return this;
        }

        /** Default {@code https://discord.com/oauth2/authorize}. */
        public Builder authorizeUri(URI authorizeUri) {
            this.authorizeUri = authorizeUri;
            return this;
        }

        /** Must have Discord's form {@code DiscordBot (url, version)}, optionally followed by more. */
        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        /** Default 5 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Default 10 s. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /** The longest a call waits in all for rate limits before it throws {@link RateLimitedException} (default 5 s). */
        public Builder maxRateLimitWait(Duration maxRateLimitWait) {
            this.maxRateLimitWait = maxRateLimitWait;
            return this;
        }

        /** Retries of idempotent calls after 5xx answers or transport failures (default 2; 0 turns retries off). */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** The first retry's backoff, doubled for each further retry, with jitter (default 250 ms). */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** The connection pool's size (default 20). */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** The clock that dates token expiry (default the system clock, UTC). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Where {@link DiscordOAuth2AsyncClient} runs its calls' attempts instead of the client's own pool (see
         * {@link #asyncPool}); the client neither bounds nor shuts it down. A wait for a rate limit or a backoff holds
         * none of its threads. On Java 21, {@code Executors.newVirtualThreadPerTaskExecutor()} works; a cancelled
         * call's socket read then also ends at once. {@code null} restores the own pool.
         */
        public Builder asyncExecutor(Executor asyncExecutor) {
            this.asyncExecutor = asyncExecutor;
            return this;
        }

        /**
         * The size of the client's own async pool: {@code threads} daemon threads (default {@link #maxConnections},
         * as a thread is only busy while a request is in flight) and a queue of {@code queueCapacity} calls waiting
         * for one (default 1000). A call beyond both fails at once: its future completes exceptionally with a
         * {@link java.util.concurrent.RejectedExecutionException}.
         */
        public Builder asyncPool(int threads, int queueCapacity) {
            if (threads < 1 || queueCapacity < 1) {
                throw new IllegalArgumentException("asyncPool needs at least 1 thread and a queue of 1: " + threads
                        + ", " + queueCapacity);
            }
            this.asyncThreads = threads;
            this.asyncQueueCapacity = queueCapacity;
            return this;
        }

        /**
         * The default time budget of every call, retries and waits included (default none: each attempt is bounded
         * by the connect and read timeouts, retries and rate-limit waits by their own settings). See
         * {@link DiscordOAuth2Client#withCallTimeout(Duration)}; {@code null} means none.
         */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        /** Checks the configuration and creates the client (and its connection pool). */
        public DiscordOAuth2Client build() {
            if (!Snowflake.isValid(clientId)) {
                throw new IllegalStateException("clientId must be the application's id (a snowflake): " + clientId);
            }
            if (clientSecret != null && clientSecret.isEmpty()) {
                throw new IllegalStateException("clientSecret must not be empty; leave it unset for a public client");
            }
            if (botToken != null && botToken.isBlank()) {
                throw new IllegalStateException("botToken must not be blank");
            }
            requireHttpUri(apiBaseUri, "apiBaseUri");
            requireHttpUri(authorizeUri, "authorizeUri");
            if (redirectUri != null && !redirectUri.isAbsolute()) {
                throw new IllegalStateException("redirectUri must be absolute: " + redirectUri);
            }
            if (userAgent == null || !userAgent.matches("^DiscordBot \\([^,()]+, [^()]+\\).*")) {
                throw new IllegalStateException("userAgent must have Discord's form 'DiscordBot (url, version)': "
                        + userAgent);
            }
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(readTimeout, "readTimeout");
            requirePositive(retryBackoff, "retryBackoff");
            if (maxRateLimitWait == null || maxRateLimitWait.isNegative()) {
                throw new IllegalStateException("maxRateLimitWait must not be negative: " + maxRateLimitWait);
            }
            if (callTimeout != null) {
                requirePositive(callTimeout, "callTimeout");
            }
            if (maxRetries < 0) {
                throw new IllegalStateException("maxRetries must not be negative: " + maxRetries);
            }
            if (maxConnections < 1) {
                throw new IllegalStateException("maxConnections must be at least 1: " + maxConnections);
            }
            Objects.requireNonNull(clock, "clock must not be null");
            return new DiscordOAuth2Client(this);
        }

        private static void requireHttpUri(URI uri, String name) {
            if (uri == null || !uri.isAbsolute()
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalStateException(name + " must be an absolute http(s) URI: " + uri);
            }
        }

        private static void requirePositive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalStateException(name + " must be positive: " + d);
            }
        }

        @Override
        public String toString() {
            return "DiscordOAuth2Client.Builder[clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null ? "none" : "(redacted)") + ", botToken="
                    + (botToken == null ? "none" : "(redacted)") + "]";
        }
    }

    /**
     * The {@code token_type_hint} of a revocation. Discord revokes the whole authorization whatever the hint says; it
     * only saves Discord a lookup.
     */
    public enum TokenTypeHint {
        ACCESS_TOKEN("access_token"),
        REFRESH_TOKEN("refresh_token");

        private final String value;

        TokenTypeHint(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }
}
