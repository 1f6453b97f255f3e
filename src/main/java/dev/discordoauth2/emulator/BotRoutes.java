package dev.discordoauth2.emulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The routes a bot token ({@code Authorization: Bot ...}) opens: Add Guild Member and the application's role
 * connection metadata. Not thread-safe: runs under the store's monitor.
 */
final class BotRoutes {
    static final long CREATE_INSTANT_INVITE = 1L;
    static final long ADMINISTRATOR = 1L << 3;
    static final long MUTE_MEMBERS = 1L << 22;
    static final long DEAFEN_MEMBERS = 1L << 23;
    static final long MANAGE_NICKNAMES = 1L << 27;
    static final long MANAGE_ROLES = 1L << 28;
    static final int MAX_GUILDS = 200;

    private final Store store;

    BotRoutes(Store store) {
        this.store = store;
    }

    private Store.App bot(Call call) {
        Store.App app = store.appByBotToken(call.authorization("Bot"));
        if (app == null) {
            throw Reply.unauthorized().stop();
        }
        return app;
    }

    /** {@code PUT /guilds/{guild.id}/members/{user.id}}: 201 with the member, or 204 when already a member. */
    Reply addGuildMember(Call call) {
        Store.App app = bot(call);
        String guildId = call.pathParams.get("guild.id");
        String userId = call.pathParams.get("user.id");
        EmulatedGuild guild = store.guilds.get(guildId);
        if (guild == null) {
            return Reply.discordError(404, 10004, "Unknown Guild");
        }
        if (!store.users.containsKey(userId)) {
            return Reply.discordError(404, 10013, "Unknown User");
        }
        Long botPermissions = app.botGuilds.get(guildId);
        if (botPermissions == null || !has(botPermissions, CREATE_INSTANT_INVITE)) {
            return Reply.discordError(403, 50013, "Missing Permissions");
        }
        Map<String, Object> body = Bodies.jsonObject(call);
        FormErrors errors = new FormErrors();
        Object accessToken = body.get("access_token");
        if (accessToken == null || accessToken == Json.NULL) {
            errors.add("access_token", "BASE_TYPE_REQUIRED", "This field is required");
        } else if (!(accessToken instanceof String)) {
            errors.add("access_token", "BASE_TYPE_STRING", "Must be a string.");
        }
        Object nick = body.get("nick");
        if (nick != null && nick != Json.NULL
                && (!(nick instanceof String s) || s.isEmpty() || s.length() > 32)) {
            errors.add("nick", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.");
        }
        List<String> roles = new ArrayList<>();
        Object rolesValue = body.get("roles");
        if (rolesValue instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object role = list.get(i);
                if (role instanceof String s && Snowflakes.isSnowflake(s)) {
                    roles.add(s);
                } else if (role instanceof BigDecimal d && d.signum() >= 0 && d.scale() <= 0
                        && Snowflakes.isSnowflake(d.toBigInteger().toString())) {
                    roles.add(d.toBigInteger().toString());
                } else {
                    errors.add(List.of("roles", Integer.toString(i)), "NUMBER_TYPE_COERCE",
                            "Value \"" + role + "\" is not snowflake.");
                }
            }
        } else if (rolesValue != null && rolesValue != Json.NULL) {
            errors.add("roles", "BASE_TYPE_ARRAY", "Must be an array.");
        }
        Boolean mute = bool(body, "mute", errors);
        Boolean deaf = bool(body, "deaf", errors);
        errors.throwIfAny();

        Store.Grant grant = store.byAccessToken.get((String) accessToken);
        if (grant == null || !grant.usable(store.clock.now()) || !grant.clientId.equals(app.id())
                || !grant.userId.equals(userId) || !grant.scopes.contains("guilds.join")) {
            return Reply.discordError(403, 50025, "Invalid OAuth2 access token provided");
        }
        if (store.member(guildId, userId) != null) {
            return Reply.empty(204);
        }
        if (store.bans.contains(Store.pair(guildId, userId))) {
            return Reply.discordError(403, 40007, "The user is banned from this guild.");
        }
        if (store.guildsOf(userId).size() >= MAX_GUILDS) {
            return Reply.discordError(400, 30001, "Maximum number of guilds reached (100)");
        }
        if ((nick instanceof String && !has(botPermissions, MANAGE_NICKNAMES))
                || (!roles.isEmpty() && !has(botPermissions, MANAGE_ROLES))
                || (Boolean.TRUE.equals(mute) && !has(botPermissions, MUTE_MEMBERS))
                || (Boolean.TRUE.equals(deaf) && !has(botPermissions, DEAFEN_MEMBERS))) {
            return Reply.discordError(403, 50013, "Missing Permissions");
        }
        EmulatedMember member = new EmulatedMember(guildId, userId, nick instanceof String s ? s : null, roles,
                store.clock.now(), 1071698660929L, Boolean.TRUE.equals(deaf), Boolean.TRUE.equals(mute));
        store.addMember(member);
        return Reply.json(201, DiscordObjects.member(member, store.users.get(userId)));
    }

    private static Boolean bool(Map<String, Object> body, String field, FormErrors errors) {
        Object value = body.get(field);
        if (value == null || value == Json.NULL) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        errors.add(field, "BASE_TYPE_BOOLEAN", "Must be either true or false.");
        return null;
    }

    private static boolean has(long permissions, long permission) {
        return (permissions & ADMINISTRATOR) != 0 || (permissions & permission) == permission;
    }

    // --------------------------------------------------------------------------------- metadata (linked roles)

    private Store.App ownBot(Call call) {
        Store.App app = bot(call);
        if (!app.id().equals(call.pathParams.get("application.id"))) {
            throw Reply.discordError(403, 50001, "Missing Access").stop();
        }
        return app;
    }

    Reply getMetadata(Call call) {
        Store.App app = ownBot(call);
        return Reply.json(200, app.metadata.stream().map(DiscordObjects::metadataField).toList());
    }

    Reply putMetadata(Call call) {
        Store.App app = ownBot(call);
        Object body = Bodies.json(call);
        FormErrors errors = new FormErrors();
        if (!(body instanceof List<?> records)) {
            throw errors.add(List.of(), "BASE_TYPE_ARRAY", "Must be an array.").reply().stop();
        }
        if (records.size() > MetadataRules.MAX_RECORDS) {
            throw errors.add(List.of(), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.").reply().stop();
        }
        List<EmulatedMetadataField> fields = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            String index = Integer.toString(i);
            if (!(records.get(i) instanceof Map<?, ?> record)) {
                errors.add(List.of(index), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
                continue;
            }
            Object type = record.get("type");
            Object key = record.get("key");
            Object name = record.get("name");
            Object description = record.get("description");
            int before = count(errors);
            if (!(type instanceof BigDecimal t) || t.stripTrailingZeros().scale() > 0 || t.compareTo(BigDecimal.ONE) < 0
                    || t.compareTo(BigDecimal.valueOf(8)) > 0) {
                errors.add(List.of(index, "type"), "BASE_TYPE_CHOICES",
                        "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8}.");
            }
            if (!(key instanceof String k) || !MetadataRules.KEY.matcher(k).matches()) {
                errors.add(List.of(index, "key"), "APPLICATION_ROLE_CONNECTIONS_METADATA_INVALID_KEY",
                        "Must be 1-50 characters of a-z, 0-9 or _.");
            } else if (keys.contains(k)) {
                errors.add(List.of(index, "key"), "APPLICATION_ROLE_CONNECTIONS_METADATA_DUPLICATE_KEY",
                        "Keys must be unique.");
            } else {
                keys.add(k);
            }
            checkLength(name, 100, List.of(index, "name"), errors);
            checkLength(description, 200, List.of(index, "description"), errors);
            if (count(errors) == before) {
                fields.add(new EmulatedMetadataField(((BigDecimal) type).intValue(), (String) key, (String) name,
                        (String) description));
            }
        }
        errors.throwIfAny();
        app.metadata = fields;
        app.metadataUpdates++;
        return Reply.json(200, fields.stream().map(DiscordObjects::metadataField).toList());
    }

    private static void checkLength(Object value, int max, List<String> path, FormErrors errors) {
        if (!(value instanceof String s)) {
            errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
        } else if (s.isEmpty() || s.length() > max) {
            errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and " + max + " in length.");
        }
    }

    private int count(FormErrors errors) {
        return errors.size();
    }
}
