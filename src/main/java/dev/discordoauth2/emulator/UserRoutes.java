package dev.discordoauth2.emulator;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes a user's Bearer token opens: {@code /users/@me}, its guilds, guild member, connections and the
 * application role connection. Each checks its scope; a missing scope or a dead token is
 * {@code 401 {"message": "401: Unauthorized", "code": 0}}. Not thread-safe: runs under the store's monitor.
 */
final class UserRoutes {
    private final Store store;

    UserRoutes(Store store) {
        this.store = store;
    }

    /** The live grant behind the request's Bearer token that has {@code scope} (any scope when null); else 401. */
    static Store.Grant bearer(Store store, Call call, String scope) {
        String token = call.authorization("Bearer");
        Store.Grant grant = token == null ? null : store.byAccessToken.get(token);
        java.time.Instant now = store.clock.now();
        if (grant != null && !grant.usable(now)) {
            grant.refused("access_token", call, now);
        }
        if (grant == null || !grant.usable(now) || (scope != null && !grant.scopes.contains(scope))) {
            throw Reply.unauthorized().stop();
        }
        grant.used(now);
        return grant;
    }

    Reply me(Call call) {
        Store.Grant grant = bearer(store, call, "identify");
        return Reply.json(200, DiscordObjects.currentUser(store.users.get(grant.userId), grant.scopes));
    }

    Reply guilds(Call call) {
        Store.Grant grant = bearer(store, call, "guilds");
        FormErrors errors = new FormErrors();
        String before = call.queryParam("before");
        String after = call.queryParam("after");
        String limitParam = call.queryParam("limit");
        String withCountsParam = call.queryParam("with_counts");
        int limit = 200;
        if (before != null && !Snowflakes.isSnowflake(before)) {
            errors.add("before", "NUMBER_TYPE_COERCE", "Value \"" + before + "\" is not snowflake.");
        }
        if (after != null && !Snowflakes.isSnowflake(after)) {
            errors.add("after", "NUMBER_TYPE_COERCE", "Value \"" + after + "\" is not snowflake.");
        }
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
                if (limit < 1) {
                    errors.add("limit", "NUMBER_TYPE_MIN", "int value should be greater than or equal to 1.");
                } else if (limit > 200) {
                    errors.add("limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 200.");
                }
            } catch (NumberFormatException e) {
                errors.add("limit", "NUMBER_TYPE_COERCE", "Value \"" + limitParam + "\" is not int.");
            }
        }
        boolean withCounts = false;
        if (withCountsParam != null) {
            switch (withCountsParam.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1" -> withCounts = true;
                case "false", "0" -> withCounts = false;
                default -> errors.add("with_counts", "BOOLEAN_TYPE_COERCE",
                        "Value \"" + withCountsParam + "\" is not a valid boolean.");
            }
        }
        errors.throwIfAny();
        List<EmulatedGuild> all = store.guildsOf(grant.userId);
        List<EmulatedGuild> selected = new ArrayList<>();
        if (before != null && after == null) {
            long b = Long.parseUnsignedLong(before);
            List<EmulatedGuild> earlier = all.stream()
                    .filter(g -> Long.compareUnsigned(Long.parseUnsignedLong(g.id()), b) < 0).toList();
            selected.addAll(earlier.subList(Math.max(0, earlier.size() - limit), earlier.size()));
        } else {
            long a = after == null ? -1 : Long.parseUnsignedLong(after);
            Long b = before == null ? null : Long.parseUnsignedLong(before);
            for (EmulatedGuild g : all) {
                long id = Long.parseUnsignedLong(g.id());
                if ((after == null || Long.compareUnsigned(id, a) > 0)
                        && (b == null || Long.compareUnsigned(id, b) < 0) && selected.size() < limit) {
                    selected.add(g);
                }
            }
        }
        List<Object> out = new ArrayList<>();
        for (EmulatedGuild g : selected) {
            out.add(DiscordObjects.partialGuild(g, store.member(g.id(), grant.userId), withCounts));
        }
        return Reply.json(200, out);
    }

    Reply guildMember(Call call) {
        Store.Grant grant = bearer(store, call, "guilds.members.read");
        String guildId = call.pathParams.get("guild.id");
        EmulatedMember member = store.member(guildId, grant.userId);
        if (member == null || !store.guilds.containsKey(guildId)) {
            return Reply.discordError(404, 10004, "Unknown Guild");
        }
        return Reply.json(200, DiscordObjects.member(member, store.users.get(grant.userId)));
    }

    Reply connections(Call call) {
        Store.Grant grant = bearer(store, call, "connections");
        List<Object> out = new ArrayList<>();
        for (EmulatedConnection c : store.connections.getOrDefault(grant.userId, List.of())) {
            out.add(DiscordObjects.connection(c));
        }
        return Reply.json(200, out);
    }

    // ------------------------------------------------------------------------------------ role connection

    private Store.Grant roleConnectionGrant(Call call) {
        Store.Grant grant = bearer(store, call, "role_connections.write");
        if (!grant.clientId.equals(call.pathParams.get("application.id"))) {
            throw Reply.unauthorized().stop();
        }
        return grant;
    }

    Reply getRoleConnection(Call call) {
        Store.Grant grant = roleConnectionGrant(call);
        return Reply.json(200, DiscordObjects.roleConnection(store.roleConnections
                .getOrDefault(Store.pair(grant.clientId, grant.userId), Store.RoleConnection.EMPTY)));
    }

    Reply deleteRoleConnection(Call call) {
        Store.Grant grant = roleConnectionGrant(call);
        store.roleConnections.remove(Store.pair(grant.clientId, grant.userId));
        return Reply.empty(204);
    }

    Reply putRoleConnection(Call call) {
        Store.Grant grant = roleConnectionGrant(call);
        Map<String, Object> body = Bodies.jsonObject(call);
        Store.App app = store.apps.get(grant.clientId);
        FormErrors errors = new FormErrors();
        String platformName = optionalString(body, "platform_name", 50, errors);
        String platformUsername = optionalString(body, "platform_username", 100, errors);
        Map<String, String> metadata = new LinkedHashMap<>();
        Object rawMetadata = body.get("metadata");
        if (rawMetadata instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                List<String> path = List.of("metadata", key);
                EmulatedMetadataField field = app.metadata.stream().filter(f -> f.key().equals(key)).findFirst()
                        .orElse(null);
                if (field == null) {
                    errors.add(path, "APPLICATION_ROLE_CONNECTIONS_METADATA_UNKNOWN_KEY",
                            "Unknown metadata key \"" + key + "\".");
                    continue;
                }
                String value = stringified(e.getValue());
                if (value == null) {
                    errors.add(path, "BASE_TYPE_STRING", "Must be a string.");
                } else if (value.length() > 100) {
                    errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
                } else if (!valueFits(field.type(), value)) {
                    errors.add(path, "APPLICATION_ROLE_CONNECTIONS_METADATA_INVALID_VALUE",
                            "Invalid value for metadata type " + field.type() + ".");
                } else {
                    metadata.put(key, value);
                }
            }
        } else if (rawMetadata != null && rawMetadata != Json.NULL) {
            errors.add("metadata", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
        }
        errors.throwIfAny();
        Store.RoleConnection connection = new Store.RoleConnection(platformName, platformUsername, metadata);
        store.roleConnections.put(Store.pair(grant.clientId, grant.userId), connection);
        return Reply.json(200, DiscordObjects.roleConnection(connection));
    }

    private static String optionalString(Map<String, Object> body, String field, int max, FormErrors errors) {
        Object value = body.get(field);
        if (value == null || value == Json.NULL) {
            return null;
        }
        if (!(value instanceof String s)) {
            errors.add(field, "BASE_TYPE_STRING", "Must be a string.");
            return null;
        }
        if (s.length() > max) {
            errors.add(field, "BASE_TYPE_MAX_LENGTH", "Must be " + max + " or fewer in length.");
            return null;
        }
        return s;
    }

    /** A metadata value as Discord stores it: strings as they are, numbers in decimal; else {@code null}. */
    private static String stringified(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return null;
    }

    /** Integer types need an integer, datetime types an ISO 8601 timestamp, boolean types 0 or 1. */
    static boolean valueFits(int type, String value) {
        return switch (type) {
            case 1, 2, 3, 4 -> value.matches("-?[0-9]{1,19}");
            case 5, 6 -> {
                try {
                    OffsetDateTime.parse(value);
                    yield true;
                } catch (DateTimeParseException e) {
                    yield false;
                }
            }
            case 7, 8 -> value.equals("0") || value.equals("1");
            default -> false;
        };
    }
}
