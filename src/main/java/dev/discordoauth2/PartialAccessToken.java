package dev.discordoauth2;

import dev.discordoauth2.model.Snowflake;
import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import dev.discordoauth2.model.ApplicationRoleConnection;
import dev.discordoauth2.model.AuthorizationInfo;
import dev.discordoauth2.model.Connection;
import dev.discordoauth2.model.GuildMember;
import dev.discordoauth2.model.GuildQuery;
import dev.discordoauth2.model.JoinGuildOptions;
import dev.discordoauth2.model.JoinGuildResult;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.User;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An access token and the user API it opens (Python's {@code PartialAccessToken}): the current user, guilds, guild
 * member, connections, the role connection ("linked roles") for this application, Add Guild Member (with the bot
 * token) and {@code GET /oauth2/@me}. It knows only the token string; {@link AccessToken} adds what the token
 * endpoint said. {@link #toString()} does not show the token. Made with
 * {@link DiscordOAuth2Client#fromAccessToken(String, Runnable)}, it also tells its owner when Discord answers one of
 * its Bearer calls with 401 (the token was revoked or expired). Immutable and thread-safe.
 */
public class PartialAccessToken {
    private static final Pattern METADATA_KEY = Pattern.compile("^[a-z0-9_]{1,50}$");

    private final String token;
    private final DiscordOAuth2Client client;
    /** Run when a Bearer call of this token is answered 401; {@code null} for none. */
    private final Runnable onUnauthorized;

    PartialAccessToken(String token, DiscordOAuth2Client client) {
        this(token, client, null);
    }

    PartialAccessToken(String token, DiscordOAuth2Client client, Runnable onUnauthorized) {
        this.token = Objects.requireNonNull(token);
        this.client = Objects.requireNonNull(client);
        this.onUnauthorized = onUnauthorized;
    }

    /** The access token itself (a credential: do not log it). */
    public String token() {
        return token;
    }

    DiscordOAuth2Client client() {
        return client;
    }

    private ApiCall bearer(String method, String template) {
        return ApiCall.of(method, template).auth("Bearer " + token).retryable(!method.equals("POST"));
    }

    /** A call authorised by this token whose answer is {@code type}; a 401 runs {@link #onUnauthorized} (once). */
    private <T> Operation<T> get(ApiCall call, java.lang.reflect.Type type) {
        return new Operation<>(client, call, answer -> client.core().wire.read(call, answer.body(), type, true), onUnauthorized);
    }

    /** {@code GET /users/@me} (scope {@code identify}; {@code email} adds the e-mail address). */
    public User fetchIdentify() {
        return identifyCall().run();
    }

    Operation<User> identifyCall() {
        return get(bearer("GET", "/users/@me"), User.class);
    }

    /** {@code GET /users/@me/connections} (scope {@code connections}). */
    public List<Connection> fetchConnections() {
        return connectionsCall().run();
    }

    Operation<List<Connection>> connectionsCall() {
        return get(bearer("GET", "/users/@me/connections"), Wire.listOf(Connection.class));
    }

    /** {@code GET /users/@me/guilds} (scope {@code guilds}): up to 200 guilds, which is all a user can join. */
    public List<PartialGuild> fetchGuilds() {
        return fetchGuilds(GuildQuery.DEFAULT);
    }

    /** {@code GET /users/@me/guilds} with {@code before}, {@code after}, {@code limit} and {@code with_counts}. */
    public List<PartialGuild> fetchGuilds(GuildQuery query) {
        return guildsCall(query).run();
    }

    Operation<List<PartialGuild>> guildsCall(GuildQuery query) {
        Objects.requireNonNull(query, "query must not be null");
        ApiCall call = bearer("GET", "/users/@me/guilds");
        query.before().ifPresent(b -> call.query("before", b));
        query.after().ifPresent(a -> call.query("after", a));
        query.limit().ifPresent(l -> call.query("limit", Integer.toString(l)));
        if (query.withCounts()) {
            call.query("with_counts", "true");
        }
        return get(call, Wire.listOf(PartialGuild.class));
    }

    /**
     * {@code GET /users/@me/guilds/{guild.id}/member} (scope {@code guilds.members.read}).
     *
     * @throws NotFoundException when the user is not a member of the guild ({@code 10004})
     */
    public GuildMember fetchGuildMember(String guildId) {
        return guildMemberCall(guildId).run();
    }

    Operation<GuildMember> guildMemberCall(String guildId) {
        Snowflake.require(guildId, "guildId");
        ApiCall call = ApiCall.of("GET", "/users/@me/guilds/{guild.id}/member",
                "/users/@me/guilds/" + guildId + "/member", guildId).auth("Bearer " + token).retryable(true);
        return get(call, GuildMember.class);
    }

    /**
     * Adds the user to a guild ({@code PUT /guilds/{guild.id}/members/{user.id}}) with the client's bot token; this
     * token needs {@code guilds.join}. Already being a member is not an error.
     *
     * @param userId the id of this token's user ({@link User#id()})
     * @throws IllegalStateException when no bot token is configured
     * @throws ForbiddenException    for {@code 50025} (token of another user or app, or without {@code guilds.join}),
     *                               {@code 40007} (banned) or {@code 50013} (the bot is not in the guild or lacks a
     *                               permission)
     */
    public JoinGuildResult joinGuild(String guildId, String userId, JoinGuildOptions options) {
        return joinGuildCall(guildId, userId, options).run();
    }

    Operation<JoinGuildResult> joinGuildCall(String guildId, String userId, JoinGuildOptions options) {
        Snowflake.require(guildId, "guildId");
        Snowflake.require(userId, "userId");
        Objects.requireNonNull(options, "options must not be null (use JoinGuildOptions.NONE)");
        String bot = client.core().botAuthorization("joinGuild");
        JsonObjectBuilder body = Json.createObjectBuilder().add("access_token", token);
        options.nick().ifPresent(n -> body.add("nick", n));
        if (!options.roles().isEmpty()) {
            JsonArrayBuilder roles = Json.createArrayBuilder();
            options.roles().forEach(roles::add);
            body.add("roles", roles);
        }
        options.mute().ifPresent(m -> body.add("mute", m));
        options.deaf().ifPresent(d -> body.add("deaf", d));
        ApiCall call = ApiCall.of("PUT", "/guilds/{guild.id}/members/{user.id}",
                "/guilds/" + guildId + "/members/" + userId, guildId).auth(bot).retryable(true)
                .body(Entity.entity(body.build().toString(), MediaType.APPLICATION_JSON_TYPE));
        return new Operation<>(client, call, answer -> answer.status() == 204 || answer.body().isBlank()
                ? new JoinGuildResult.AlreadyMember()
                : new JoinGuildResult.Added(client.core().wire.read(call, answer.body(), GuildMember.class, true)));
    }

    /** Add Guild Member without options. */
    public JoinGuildResult joinGuild(String guildId, String userId) {
        return joinGuild(guildId, userId, JoinGuildOptions.NONE);
    }

    private ApiCall roleConnection(String method) {
        String id = client.clientId();
        return ApiCall.of(method, "/users/@me/applications/{application.id}/role-connection",
                "/users/@me/applications/" + id + "/role-connection", null).auth("Bearer " + token).retryable(true);
    }

    /** The user's role connection for this application (scope {@code role_connections.write}). */
    public ApplicationRoleConnection fetchMetadata() {
        return fetchMetadataCall().run();
    }

    Operation<ApplicationRoleConnection> fetchMetadataCall() {
        return get(roleConnection("GET"), ApplicationRoleConnection.class);
    }

    /**
     * Sets the user's role connection for this application (scope {@code role_connections.write}). Values are
     * stringified as Discord expects: booleans {@code "1"}/{@code "0"}, {@link Instant}, {@link OffsetDateTime},
     * {@link ZonedDateTime} and {@link LocalDate} as ISO 8601, integral numbers in decimal, strings as they are.
     * Discord's limits are checked before sending.
     *
     * @param platformName     shown on the profile (≤ 50 characters), or null
     * @param platformUsername the user's name on the platform (≤ 100 characters), or null
     * @param metadata         key → value, keys registered with {@link DiscordOAuth2Client#updateLinkedRolesMetadata}
     * @throws IllegalArgumentException for a value Discord would refuse (too long, wrong type, bad key)
     */
    public ApplicationRoleConnection updateMetadata(String platformName, String platformUsername,
            Map<String, ?> metadata) {
        return updateMetadataCall(platformName, platformUsername, metadata).run();
    }

    Operation<ApplicationRoleConnection> updateMetadataCall(String platformName, String platformUsername,
            Map<String, ?> metadata) {
        Objects.requireNonNull(metadata, "metadata must not be null (use Map.of())");
        if (platformName != null && platformName.length() > 50) {
            throw new IllegalArgumentException("platformName must be at most 50 characters");
        }
        if (platformUsername != null && platformUsername.length() > 100) {
            throw new IllegalArgumentException("platformUsername must be at most 100 characters");
        }
        if (metadata.size() > 5) {
            throw new IllegalArgumentException("an application has at most 5 metadata keys, got " + metadata.size());
        }
        Map<String, String> values = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (key == null || !METADATA_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("metadata key must match ^[a-z0-9_]{1,50}$: " + key);
            }
            String text = stringify(key, value);
            if (text.length() > 100) {
                throw new IllegalArgumentException("metadata value of " + key + " must be at most 100 characters");
            }
            values.put(key, text);
        });
        JsonObjectBuilder body = Json.createObjectBuilder();
        if (platformName != null) {
            body.add("platform_name", platformName);
        }
        if (platformUsername != null) {
            body.add("platform_username", platformUsername);
        }
        JsonObjectBuilder meta = Json.createObjectBuilder();
        values.forEach(meta::add);
        body.add("metadata", meta);
        ApiCall call = roleConnection("PUT").body(Entity.entity(body.build().toString(),
                MediaType.APPLICATION_JSON_TYPE));
        return get(call, ApplicationRoleConnection.class);
    }

    /** Clears the user's role connection (a PUT of {@code {}}, as Python's {@code clear_metadata}). */
    public ApplicationRoleConnection clearMetadata() {
        return clearMetadataCall().run();
    }

    Operation<ApplicationRoleConnection> clearMetadataCall() {
        ApiCall call = roleConnection("PUT").body(Entity.entity("{}", MediaType.APPLICATION_JSON_TYPE));
        return get(call, ApplicationRoleConnection.class);
    }

    /** Revokes this token, and with it every token of the authorization. */
    public void revoke() {
        revokeCall().run();
    }

    Operation<Void> revokeCall() {
        return ApplicationCalls.revokeToken(client, token, TokenTypeHint.ACCESS_TOKEN);
    }

    /** {@code GET /oauth2/@me}: the application, the granted scopes, the expiry, and the user with {@code identify}. */
    public AuthorizationInfo fetchAuthorizationInfo() {
        return authorizationInfoCall().run();
    }

    Operation<AuthorizationInfo> authorizationInfoCall() {
        return get(bearer("GET", "/oauth2/@me"), AuthorizationInfo.class);
    }

    static String stringify(String key, Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("metadata value of " + key + " must be an integer: " + d);
            }
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("metadata value of " + key + " must be an integer: " + d);
            }
            return Long.toString((long) d);
        }
        if (value instanceof Instant i) {
            return DateTimeFormatter.ISO_INSTANT.format(i);
        }
        if (value instanceof OffsetDateTime t) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        if (value instanceof ZonedDateTime t) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        if (value instanceof LocalDate d) {
            return DateTimeFormatter.ISO_LOCAL_DATE.format(d);
        }
        throw new IllegalArgumentException("metadata value of " + key + " must be a string, boolean, integer or "
                + "date-time, not " + (value == null ? "null" : value.getClass().getName()));
    }

    @Override
    public String toString() {
        return "PartialAccessToken[token=(redacted)]";
    }
}
