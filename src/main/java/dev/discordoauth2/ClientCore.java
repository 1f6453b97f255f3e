package dev.discordoauth2;

import dev.discordoauth2.model.Snowflake;
import dev.discordoauth2.model.User;
import jakarta.ws.rs.client.Client;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * What a {@link DiscordOAuth2Client} and all its views share: the checked configuration and the resources built from
 * it (the JAX-RS client and its connection pool, JSON-B, the transport with its rate limiter, the async runner). Made
 * once by {@link DiscordOAuth2Client.Builder#build()}, closed by the client that built it. Thread-safe.
 */
final class ClientCore implements AutoCloseable {
    /** A token answer of Discord's documented shape, with made-up values; only parsed, never sent or used. */
    private static final String SAMPLE_TOKEN = "{\"access_token\":\"warm-up\",\"token_type\":\"Bearer\","
            + "\"expires_in\":604800,\"refresh_token\":\"warm-up\",\"scope\":\"identify\"}";
    /** A {@code GET /users/@me} answer of Discord's documented shape, with made-up values. */
    private static final String SAMPLE_USER = "{\"id\":\"80351110224678912\",\"username\":\"warm-up\","
            + "\"discriminator\":\"0\",\"global_name\":null,\"avatar\":null,\"verified\":true,"
            + "\"email\":null,\"flags\":0,\"public_flags\":0,\"premium_type\":0}";

    final String clientId;
    final String clientSecret;
    final URI redirectUri;
    final String botToken;
    final URI apiBaseUri;
    final URI authorizeUri;
    final DiscordCdn cdn;
    final Clock clock;
    final Client http;
    final Wire wire;
    final Transport transport;
    final AsyncRunner runner;

    /** Checks the builder's settings (see {@link #check}) and builds the resources. */
    ClientCore(ClientSettings b) {
        check(b);
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.redirectUri = b.redirectUri;
        this.botToken = b.botToken;
        this.apiBaseUri = b.apiBaseUri;
        this.authorizeUri = b.authorizeUri;
        this.cdn = DiscordCdn.at(b.cdnBaseUri);
        this.clock = b.clock;
        this.http = JerseyClientFactory.create(b.connectTimeout, b.readTimeout, b.maxConnections);
        this.wire = new Wire();
        this.transport = new Transport(http, apiBaseUri, b.userAgent, b.maxRateLimitWait, b.maxRetries,
                b.retryBackoff, b.connectTimeout, b.readTimeout);
        this.runner = new AsyncRunner(b.asyncExecutor, b.asyncThreads == 0 ? b.maxConnections : b.asyncThreads,
                b.asyncQueueCapacity);
    }

    /** @throws IllegalStateException naming the first setting that is missing or out of range */
    /** {@code d} when it is positive; the views' and settings' one check of a duration. */
    static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    private static void check(ClientSettings b) {
        if (!Snowflake.isValid(b.clientId)) {
            throw new IllegalStateException("clientId must be the application's id (a snowflake): " + b.clientId);
        }
        if (b.clientSecret != null && b.clientSecret.isEmpty()) {
            throw new IllegalStateException("clientSecret must not be empty; leave it unset for a public client");
        }
        if (b.botToken != null && b.botToken.isBlank()) {
            throw new IllegalStateException("botToken must not be blank");
        }
        requireHttpUri(b.apiBaseUri, "apiBaseUri");
        requireHttpUri(b.authorizeUri, "authorizeUri");
        requireHttpUri(b.cdnBaseUri, "cdnBaseUri");
        if (b.cdnBaseUri.getRawQuery() != null || b.cdnBaseUri.getRawFragment() != null) {
            throw new IllegalStateException("cdnBaseUri must have no query or fragment: " + b.cdnBaseUri);
        }
        if (b.redirectUri != null && !b.redirectUri.isAbsolute()) {
            throw new IllegalStateException("redirectUri must be absolute: " + b.redirectUri);
        }
        if (b.userAgent == null || !b.userAgent.matches("^DiscordBot \\([^,()]+, [^()]+\\).*")) {
            throw new IllegalStateException("userAgent must have Discord's form 'DiscordBot (url, version)': "
                    + b.userAgent);
        }
        requirePositive(b.connectTimeout, "connectTimeout");
        requirePositive(b.readTimeout, "readTimeout");
        requirePositive(b.retryBackoff, "retryBackoff");
        if (b.maxRateLimitWait == null || b.maxRateLimitWait.isNegative()) {
            throw new IllegalStateException("maxRateLimitWait must not be negative: " + b.maxRateLimitWait);
        }
        if (b.callTimeout != null) {
            requirePositive(b.callTimeout, "callTimeout");
        }
        if (b.maxRetries < 0) {
            throw new IllegalStateException("maxRetries must not be negative: " + b.maxRetries);
        }
        if (b.maxConnections < 1) {
            throw new IllegalStateException("maxConnections must be at least 1: " + b.maxConnections);
        }
        Objects.requireNonNull(b.clock, "clock must not be null");
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

    /** The bot token's {@code Authorization}, for {@code what} (named in the message when none is configured). */
    String botAuthorization(String what) {
        if (botToken == null) {
            throw new IllegalStateException(what + " needs the bot token: configure "
                    + "DiscordOAuth2Client.Builder.botToken(...)");
        }
        return "Bot " + botToken;
    }

    /** See {@link DiscordOAuth2Client#warmUp()}. */
    void warmUp() {
        wire.read(ApiCall.of("POST", "/oauth2/token"), SAMPLE_TOKEN, Wire.TokenResponse.class, true);
        wire.read(ApiCall.of("GET", "/users/@me"), transport.warmUp(SAMPLE_USER), User.class, true);
    }

    /** The settings as {@link DiscordOAuth2Client#toString()} shows them: secrets redacted. */
    String describe() {
        return "clientId=" + clientId + ", apiBaseUri=" + apiBaseUri + ", redirectUri=" + redirectUri
                + ", clientSecret=" + (clientSecret == null ? "none" : "(redacted)") + ", botToken="
                + (botToken == null ? "none" : "(redacted)");
    }

    /** Closes the connection pool, JSON-B and the async runner (whose calls not yet done fail). */
    @Override
    public void close() {
        http.close();
        wire.close();
        runner.close();
    }

    /** This library's version from the build's {@code version.properties}, or {@code dev} when run from sources. */
    static String readVersion() {
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
}
