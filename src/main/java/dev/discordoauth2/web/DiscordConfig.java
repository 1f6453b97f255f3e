package dev.discordoauth2.web;

import dev.discordoauth2.AuthorizeRequest.Prompt;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The "Log in with Discord" configuration of a web application: one immutable object, checked when the application
 * starts. Each key is looked up, in this order, as the filter's or servlet's init-param, the context-param,
 * a MicroProfile Config property (when MicroProfile Config is on the classpath), a system property, and an
 * environment variable (the key upper-cased with dots and dashes as underscores: {@code DISCORD_CLIENT_ID}). When
 * MicroProfile Config is present it reads system properties and the environment itself, ranked by its own ordinals.
 * A missing or invalid value throws {@link IllegalStateException} naming the key, so the deployment fails at start-up
 * rather than at the first login. Every key, with its default and what it accepts, is in the README's configuration
 * table. {@link #toString()} shows no secret. Immutable and thread-safe.
 */
public final class DiscordConfig {
    public static final String CLIENT_ID = "discord.client-id";
    public static final String CLIENT_SECRET = "discord.client-secret";
    public static final String REDIRECT_URI = "discord.redirect-uri";
    public static final String SCOPES = "discord.scopes";
    public static final String PROMPT = "discord.prompt";
    public static final String BOT_TOKEN = "discord.bot-token";
    public static final String API_BASE_URI = "discord.api-base-uri";
    public static final String AUTHORIZE_URI = "discord.authorize-uri";
    public static final String CDN_BASE_URI = "discord.cdn-base-uri";
    public static final String AFTER_LOGIN_URI = "discord.after-login-uri";
    public static final String AFTER_LOGOUT_URI = "discord.after-logout-uri";
    public static final String LOGIN_PATH = "discord.login-path";
    public static final String LOGOUT_PATH = "discord.logout-path";
    public static final String LOGIN_CANCELLED_URI = "discord.login-cancelled-uri";
    public static final String REFRESH_SKEW = "discord.refresh-skew";
    public static final String STATE_TTL = "discord.state-ttl";
    public static final String MAX_PENDING_LOGINS = "discord.max-pending-logins";
    public static final String MAX_CONCURRENT_LOGINS = "discord.max-concurrent-logins";
    public static final String REVOKE_ON_LOGOUT = "discord.revoke-on-logout";
    public static final String REQUIRE_VERIFIED_EMAIL = "discord.require-verified-email";
    public static final String ROLES = "discord.roles";
    public static final String REFRESH_TIMEOUT = "discord.refresh-timeout";
    public static final String CALLBACK_TIMEOUT = "discord.callback-timeout";
    public static final String REVALIDATE_INTERVAL = "discord.revalidate-interval";
    public static final String SESSION_COOKIE_DEFAULTS = "discord.session-cookie-defaults";
    public static final String ERROR_PAGES = "discord.error-pages";
    public static final String WARM_UP = "discord.warm-up";
    public static final String REQUIRED_GUILDS = "discord.required-guilds";
    public static final String REQUIRED_GUILDS_MATCH = "discord.required-guilds-match";
    public static final String GUILD_ROLES = "discord.guild-roles";
    public static final String GUILD_RECHECK_INTERVAL = "discord.guild-recheck-interval";
    public static final String GUILD_INVITE_URL = "discord.guild-invite-url";
    public static final String PUBLIC_KEY = "discord.public-key";
    public static final String TOKEN_STORE = "discord.token-store";
    public static final String TOKEN_STORE_DATASOURCE = "discord.token-store.datasource";
    public static final String TOKEN_STORE_JDBC_URL = "discord.token-store.jdbc-url";
    public static final String TOKEN_STORE_JDBC_USER = "discord.token-store.jdbc-user";
    public static final String TOKEN_STORE_JDBC_PASSWORD = "discord.token-store.jdbc-password";
    public static final String TOKEN_STORE_TABLE = "discord.token-store.table";
    public static final String TOKEN_STORE_CREATE_TABLE = "discord.token-store.create-table";
    public static final String TOKEN_STORE_KEYS = "discord.token-store.keys";
    public static final String LINKED_ROLES_PATH = "discord.linked-roles-path";
    public static final String ADD_TO_SERVER_PATH = "discord.add-to-server-path";
    public static final String BOT_SCOPES = "discord.bot-scopes";
    public static final String BOT_PERMISSIONS = "discord.bot-permissions";
    public static final String AFTER_ADD_TO_SERVER_URI = "discord.after-add-to-server-uri";
    public static final String SESSION = "discord.session";
    public static final String COOKIE_KEYS = "discord.cookie-keys";
    public static final String COOKIE_MAX_AGE = "discord.cookie-max-age";
    public static final String CONTAINER_AUTHENTICATION = "discord.container-authentication";

    /** Every key, for documentation and error messages, in the order they are read and documented. */
    public static final List<String> KEYS = Keys.names();

    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final List<String> scopes;
    private final Prompt prompt;
    private final String botToken;
    private final URI apiBaseUri;
    private final URI authorizeUri;
    private final URI cdnBaseUri;
    private final String afterLoginUri;
    private final String afterLogoutUri;
    private final String loginPath;
    private final String logoutPath;
    private final String loginCancelledUri;
    private final Duration refreshSkew;
    private final Duration stateTtl;
    private final int maxPendingLogins;
    private final int maxConcurrentLogins;
    private final boolean revokeOnLogout;
    private final boolean requireVerifiedEmail;
    private final Map<String, Set<String>> roles;
    private final Duration refreshTimeout;
    private final Duration callbackTimeout;
    private final Duration revalidateInterval;
    private final boolean sessionCookieDefaults;
    private final boolean containerErrorPages;
    private final boolean warmUp;
    private final boolean cookieSessions;
    private final GuildRules guildRules;
    private final String publicKey;
    /** The path of an absolute redirect URI, parsed once; null for a context-relative one. */
    private final String absoluteRedirectPath;

    /** The values this configuration was built from, by key (for {@link #equals}; never printed). */
    private final Map<String, String> values;
    /** The parsed values, for the parts read where they are used (the token store's). */
    private final Keys.Values parsed;

    private DiscordConfig(Function<String, String> source) {
        Keys.Values read = Keys.read(source);
        this.values = read.texts();
        this.parsed = read;
        this.clientId = read.get(Keys.CLIENT_ID);
        this.clientSecret = read.get(Keys.CLIENT_SECRET);
        this.redirectUri = read.get(Keys.REDIRECT_URI);
        this.scopes = read.get(Keys.SCOPES);
        this.prompt = read.get(Keys.PROMPT);
        this.botToken = read.get(Keys.BOT_TOKEN);
        this.apiBaseUri = read.get(Keys.API_BASE_URI);
        this.authorizeUri = read.get(Keys.AUTHORIZE_URI);
        this.cdnBaseUri = read.get(Keys.CDN_BASE_URI);
        this.afterLoginUri = read.get(Keys.AFTER_LOGIN_URI);
        this.afterLogoutUri = read.get(Keys.AFTER_LOGOUT_URI);
        this.loginPath = read.get(Keys.LOGIN_PATH);
        this.logoutPath = read.get(Keys.LOGOUT_PATH);
        this.loginCancelledUri = read.get(Keys.LOGIN_CANCELLED_URI);
        this.refreshSkew = read.get(Keys.REFRESH_SKEW);
        this.stateTtl = read.get(Keys.STATE_TTL);
        this.maxPendingLogins = read.get(Keys.MAX_PENDING_LOGINS);
        this.maxConcurrentLogins = read.get(Keys.MAX_CONCURRENT_LOGINS);
        this.revokeOnLogout = read.get(Keys.REVOKE_ON_LOGOUT);
        this.requireVerifiedEmail = read.get(Keys.REQUIRE_VERIFIED_EMAIL);
        this.roles = read.get(Keys.ROLES);
        this.refreshTimeout = read.get(Keys.REFRESH_TIMEOUT);
        this.callbackTimeout = read.get(Keys.CALLBACK_TIMEOUT);
        this.revalidateInterval = read.get(Keys.REVALIDATE_INTERVAL);
        this.sessionCookieDefaults = read.get(Keys.SESSION_COOKIE_DEFAULTS);
        this.containerErrorPages = read.get(Keys.ERROR_PAGES);
        this.warmUp = read.get(Keys.WARM_UP);
        this.cookieSessions = read.get(Keys.SESSION);
        this.guildRules = Keys.guildRules(read);
        this.publicKey = read.get(Keys.PUBLIC_KEY);
        this.absoluteRedirectPath = redirectUri.startsWith("/") ? null : URI.create(redirectUri).getPath();
    }

    /**
     * Loads the configuration for a component: its init-params ({@code initParams}, may be null) first, then the
     * context-params ({@code contextParams}, may be null), MicroProfile Config, system properties, environment.
     *
     * @throws IllegalStateException naming the key that is missing or invalid
     */
    public static DiscordConfig load(Function<String, String> initParams, Function<String, String> contextParams) {
        return new DiscordConfig(new ConfigLookup(initParams, contextParams, System.getenv()));
    }

    /**
     * One key's value in the order of {@link #load}: {@code initParams}, {@code contextParams} (either may be null),
     * MicroProfile Config, system properties, environment; null when none has it.
     */
    public static String lookUp(String key, Function<String, String> initParams,
            Function<String, String> contextParams) {
        return new ConfigLookup(initParams, contextParams, System.getenv()).apply(key);
    }

    /** Loads from explicit values only (tests, programmatic setups). */
    public static DiscordConfig of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new DiscordConfig(copy::get);
    }

    /** {@code discord.client-id} → {@code DISCORD_CLIENT_ID}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    /** As configured: an absolute URI or a context-relative path. */
    public String redirectUri() {
        return redirectUri;
    }

    public List<String> scopes() {
        return scopes;
    }

    public Optional<Prompt> prompt() {
        return Optional.ofNullable(prompt);
    }

    public Optional<String> botToken() {
        return Optional.ofNullable(botToken);
    }

    /** The application's public key (64 lowercase hex digits), which signs Discord's webhook events; if configured. */
    public Optional<String> publicKey() {
        return Optional.ofNullable(publicKey);
    }

    public URI apiBaseUri() {
        return apiBaseUri;
    }

    public URI authorizeUri() {
        return authorizeUri;
    }

    /**
     * Discord's image CDN ({@value #CDN_BASE_URI}, default {@code https://cdn.discordapp.com}; a
     * {@code DiscordEmulator}'s {@code cdnBaseUri()} in tests and offline demos): the base of the client's
     * {@link dev.discordoauth2.DiscordOAuth2Client#cdn()}, which makes avatar and icon URLs.
     */
    public URI cdnBaseUri() {
        return cdnBaseUri;
    }

    public String afterLoginUri() {
        return afterLoginUri;
    }

    public String afterLogoutUri() {
        return afterLogoutUri;
    }

    public String loginPath() {
        return loginPath;
    }

    /**
     * Where the Jakarta Security mechanism logs out ({@value #LOGOUT_PATH}, default {@code /oauth2/logout}; a POST
     * from the application's own pages). With web.xml, map {@link dev.discordoauth2.servlet.DiscordLogoutServlet} to the path instead.
     */
    public String logoutPath() {
        return logoutPath;
    }

    public Optional<String> loginCancelledUri() {
        return Optional.ofNullable(loginCancelledUri);
    }

    public Duration refreshSkew() {
        return refreshSkew;
    }

    public Duration stateTtl() {
        return stateTtl;
    }

    public int maxPendingLogins() {
        return maxPendingLogins;
    }

    /**
     * How many callbacks may exchange their code with Discord at once ({@value #MAX_CONCURRENT_LOGINS}, default 32):
     * each holds its request thread for up to {@code discord.callback-timeout} while Discord answers, so a slow
     * Discord cannot take every thread; a callback past the limit gets a 503 retry page at once, its code unused.
     */
    public int maxConcurrentLogins() {
        return maxConcurrentLogins;
    }

    public boolean revokeOnLogout() {
        return revokeOnLogout;
    }

    public boolean requireVerifiedEmail() {
        return requireVerifiedEmail;
    }

    /** Role → user ids, from {@value #ROLES}. */
    public Map<String, Set<String>> roles() {
        return roles;
    }

    /** How long a request waits for a token refresh ({@value #REFRESH_TIMEOUT}); a slower one goes on in the background. */
    public Duration refreshTimeout() {
        return refreshTimeout;
    }

    /** How long the callback may take in all: code exchange and user lookup ({@value #CALLBACK_TIMEOUT}, default 10 s). */
    public Duration callbackTimeout() {
        return callbackTimeout;
    }

    /** How often a session's token is checked with {@code GET /oauth2/@me} ({@value #REVALIDATE_INTERVAL}; 0: never). */
    public Duration revalidateInterval() {
        return revalidateInterval;
    }

    /** Whether an unconfigured session cookie gets the library's defaults ({@value #SESSION_COOKIE_DEFAULTS}, true). */
    public boolean sessionCookieDefaults() {
        return sessionCookieDefaults;
    }

    /** Whether failures go to the application's {@code <error-page>} ({@value #ERROR_PAGES}{@code =container}). */
    public boolean containerErrorPages() {
        return containerErrorPages;
    }

    /** Whether the client is warmed up in the background at start ({@value #WARM_UP}, default true; sends nothing). */
    public boolean warmUp() {
        return warmUp;
    }

    /** Whether the login lives in sealed cookies ({@value #SESSION}{@code =cookie}), never in an {@code HttpSession}. */
    public boolean cookieSessions() {
        return cookieSessions;
    }

    /** The Linked Roles Verification URL's path ({@value #LINKED_ROLES_PATH}, default {@code /discord/linked-roles}). */
    public String linkedRolesPath() {
        return parsed.get(Keys.LINKED_ROLES_PATH);
    }

    /** The "Add to server" path ({@value #ADD_TO_SERVER_PATH}, default {@code /discord/add-to-server}). */
    public String addToServerPath() {
        return parsed.get(Keys.ADD_TO_SERVER_PATH);
    }

    /** The application roles {@value #GUILD_ROLES} can give, in configuration order; empty without that key. */
    public Set<String> guildRoleNames() {
        return guildRules.roleNames();
    }

    /** Discord-native authorization: required servers, server roles as application roles, recheck interval. */
    GuildRules guildRules() {
        return guildRules;
    }

    /** The path part of the redirect URI, which the callback servlet serves, e.g. {@code /oauth2/callback}. */
    String callbackPath(String contextPath) {
        if (redirectUri.startsWith("/")) {
            return redirectUri;
        }
        String path = absoluteRedirectPath;
        return path.startsWith(contextPath) ? path.substring(contextPath.length()) : path;
    }

    /** A new client with this configuration's credentials and endpoints; the caller closes it. */
    public dev.discordoauth2.DiscordOAuth2Client newClient() {
        return newClientBuilder().build();
    }

    /** A client builder with this configuration's credentials and endpoints. */
    dev.discordoauth2.DiscordOAuth2Client.Builder newClientBuilder() {
        dev.discordoauth2.DiscordOAuth2Client.Builder builder = dev.discordoauth2.DiscordOAuth2Client.builder()
                .clientId(clientId).clientSecret(clientSecret).apiBaseUri(apiBaseUri).authorizeUri(authorizeUri)
                .cdnBaseUri(cdnBaseUri);
        if (botToken != null) {
            builder.botToken(botToken);
        }
        if (!redirectUri.startsWith("/")) {
            builder.redirectUri(redirectUri);
        }
        return builder;
    }

    /** What identifies a client: configurations with the same key share one {@code DiscordOAuth2Client}. */
    String clientKey() {
        return clientId + "|" + apiBaseUri + "|" + authorizeUri + "|" + cdnBaseUri + "|" + clientSecret.hashCode()
                + "|" + (botToken == null ? 0 : botToken.hashCode());
    }

    /** The parsed values (the token store's keys are read by {@link TokenStores}). */
    Keys.Values parsed() {
        return parsed;
    }

    /** Two configurations are equal when they were built from the same values. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DiscordConfig c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "DiscordConfig[clientId=" + clientId + ", redirectUri=" + redirectUri + ", scopes=" + scopes
                + ", apiBaseUri=" + apiBaseUri + ", clientSecret=(redacted), botToken="
                + (botToken == null ? "none" : "(redacted)") + "]";
    }
}
