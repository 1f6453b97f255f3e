package dev.discordoauth2;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/** The one {@link DiscordOAuth2Client.Builder}: the settings {@link ClientCore} checks and reads. Not thread-safe. */
final class ClientSettings implements DiscordOAuth2Client.Builder {
    String clientId;
    String clientSecret;
    URI redirectUri;
    String botToken;
    URI apiBaseUri = URI.create("https://discord.com/api/v10");
    URI authorizeUri = URI.create("https://discord.com/oauth2/authorize");
    URI cdnBaseUri = DiscordCdn.DISCORD_BASE_URI;
    String userAgent = "DiscordBot (" + DiscordOAuth2Client.PROJECT_URL + ", " + DiscordOAuth2Client.VERSION + ")";
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration readTimeout = Duration.ofSeconds(10);
    Duration maxRateLimitWait = Duration.ofSeconds(5);
    int maxRetries = 2;
    Duration retryBackoff = Duration.ofMillis(250);
    int maxConnections = 20;
    Clock clock = Clock.systemUTC();
    Executor asyncExecutor;
    int asyncThreads;
    int asyncQueueCapacity = 1_000;
    Duration callTimeout;

    ClientSettings() {
    }

    @Override
    public ClientSettings clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    @Override
    public ClientSettings clientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
        return this;
    }

    @Override
    public ClientSettings redirectUri(String redirectUri) {
        return redirectUri(redirectUri == null ? null : URI.create(redirectUri));
    }

    @Override
    public ClientSettings redirectUri(URI redirectUri) {
        this.redirectUri = redirectUri;
        return this;
    }

    @Override
    public ClientSettings botToken(String botToken) {
        this.botToken = botToken;
        return this;
    }

    @Override
    public ClientSettings apiBaseUri(URI apiBaseUri) {
        this.apiBaseUri = apiBaseUri;
        return this;
    }

    @Override
    public ClientSettings authorizeUri(URI authorizeUri) {
        this.authorizeUri = authorizeUri;
        return this;
    }

    @Override
    public ClientSettings cdnBaseUri(URI cdnBaseUri) {
        this.cdnBaseUri = cdnBaseUri;
        return this;
    }

    @Override
    public ClientSettings userAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    @Override
    public ClientSettings connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    @Override
    public ClientSettings readTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
        return this;
    }

    @Override
    public ClientSettings maxRateLimitWait(Duration maxRateLimitWait) {
        this.maxRateLimitWait = maxRateLimitWait;
        return this;
    }

    @Override
    public ClientSettings maxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    @Override
    public ClientSettings retryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
        return this;
    }

    @Override
    public ClientSettings maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    @Override
    public ClientSettings clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    @Override
    public ClientSettings asyncExecutor(Executor asyncExecutor) {
        this.asyncExecutor = asyncExecutor;
        return this;
    }

    @Override
    public ClientSettings asyncPool(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("asyncPool needs at least 1 thread and a queue of 1: " + threads
                    + ", " + queueCapacity);
        }
        this.asyncThreads = threads;
        this.asyncQueueCapacity = queueCapacity;
        return this;
    }

    @Override
    public ClientSettings callTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
        return this;
    }

    @Override
    public DiscordOAuth2Client build() {
        return new DiscordOAuth2Client(new ClientCore(this), callTimeout, null, true);
    }

    @Override
    public String toString() {
        return "DiscordOAuth2Client.Builder[clientId=" + clientId + ", clientSecret="
                + (clientSecret == null ? "none" : "(redacted)") + ", botToken="
                + (botToken == null ? "none" : "(redacted)") + "]";
    }
}
