package dev.discordoauth2;

import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import dev.discordoauth2.PartialAccessToken.GuildQuery;
import dev.discordoauth2.PartialAccessToken.JoinGuildOptions;
import dev.discordoauth2.PartialAccessToken.JoinGuildResult;
import dev.discordoauth2.model.AuthorizationInfo;
import dev.discordoauth2.model.User.Connection;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.Snowflake;
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
 * The user API's calls as {@link Operation}s, for {@link PartialAccessToken}'s blocking methods and
 * {@link DiscordOAuth2Client.Async} alike: arguments are checked here, when the call is built, so both refuse them the
 * same way.
 */
final class UserCalls {
    private static final Pattern METADATA_KEY = Pattern.compile("^[a-z0-9_]{1,50}$");

    private UserCalls() {
    }

    private static ApiCall bearer(PartialAccessToken t, String method, String template) {
        return ApiCall.of(method, template).auth("Bearer " + t.token()).retryable(!method.equals("POST"));
    }

    /** A call authorised by the token whose answer is {@code type}; a 401 runs the token's callback (once). */
    private static <T> Operation<T> get(PartialAccessToken t, ApiCall call, java.lang.reflect.Type type) {
        return new Operation<>(t.client(), call, answer -> t.client().core().wire.read(call, answer.body(), type, true),
                t.onUnauthorized());
    }

    static Operation<User> identify(PartialAccessToken t) {
        return get(t, bearer(t, "GET", "/users/@me"), User.class);
    }

    static Operation<List<Connection>> connections(PartialAccessToken t) {
        return get(t, bearer(t, "GET", "/users/@me/connections"), Wire.listOf(Connection.class));
    }

    static Operation<List<PartialGuild>> guilds(PartialAccessToken t, GuildQuery query) {
        Objects.requireNonNull(query, "query must not be null");
        ApiCall call = bearer(t, "GET", "/users/@me/guilds");
        query.before().ifPresent(b -> call.query("before", b));
        query.after().ifPresent(a -> call.query("after", a));
        query.limit().ifPresent(l -> call.query("limit", Integer.toString(l)));
        if (query.withCounts()) {
            call.query("with_counts", "true");
        }
        return get(t, call, Wire.listOf(PartialGuild.class));
    }

    static Operation<Guild.Member> guildMember(PartialAccessToken t, String guildId) {
        Snowflake.require(guildId, "guildId");
        ApiCall call = ApiCall.of("GET", "/users/@me/guilds/{guild.id}/member",
                "/users/@me/guilds/" + guildId + "/member", guildId).auth("Bearer " + t.token()).retryable(true);
        return get(t, call, Guild.Member.class);
    }

    static Operation<JoinGuildResult> joinGuild(PartialAccessToken t, String guildId, String userId,
            JoinGuildOptions options) {
        Snowflake.require(guildId, "guildId");
        Snowflake.require(userId, "userId");
        Objects.requireNonNull(options, "options must not be null (use JoinGuildOptions.NONE)");
        String bot = t.client().core().botAuthorization("joinGuild");
        JsonObjectBuilder body = Json.createObjectBuilder().add("access_token", t.token());
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
        return new Operation<>(t.client(), call, answer -> answer.status() == 204 || answer.body().isBlank()
                ? new JoinGuildResult.AlreadyMember()
                : new JoinGuildResult.Added(t.client().core().wire.read(call, answer.body(), Guild.Member.class, true)));
    }

    private static ApiCall roleConnection(PartialAccessToken t, String method) {
        String id = t.client().clientId();
        return ApiCall.of(method, "/users/@me/applications/{application.id}/role-connection",
                "/users/@me/applications/" + id + "/role-connection", null).auth("Bearer " + t.token()).retryable(true);
    }

    static Operation<User.ApplicationRoleConnection> fetchMetadata(PartialAccessToken t) {
        return get(t, roleConnection(t, "GET"), User.ApplicationRoleConnection.class);
    }

    static Operation<User.ApplicationRoleConnection> updateMetadata(PartialAccessToken t, String platformName,
            String platformUsername, Map<String, ?> metadata) {
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
        ApiCall call = roleConnection(t, "PUT").body(Entity.entity(body.build().toString(),
                MediaType.APPLICATION_JSON_TYPE));
        return get(t, call, User.ApplicationRoleConnection.class);
    }

    static Operation<User.ApplicationRoleConnection> clearMetadata(PartialAccessToken t) {
        ApiCall call = roleConnection(t, "PUT").body(Entity.entity("{}", MediaType.APPLICATION_JSON_TYPE));
        return get(t, call, User.ApplicationRoleConnection.class);
    }

    static Operation<Void> revoke(PartialAccessToken t) {
        return ApplicationCalls.revokeToken(t.client(), t.token(), TokenTypeHint.ACCESS_TOKEN);
    }

    static Operation<AuthorizationInfo> authorizationInfo(PartialAccessToken t) {
        return get(t, bearer(t, "GET", "/oauth2/@me"), AuthorizationInfo.class);
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
}
