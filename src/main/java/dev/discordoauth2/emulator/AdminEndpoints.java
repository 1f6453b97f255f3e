package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.AdminApi.PATH;
import static dev.discordoauth2.emulator.AdminJson.badRequest;
import static dev.discordoauth2.emulator.AdminJson.bool;
import static dev.discordoauth2.emulator.AdminJson.duration;
import static dev.discordoauth2.emulator.AdminJson.fault;
import static dev.discordoauth2.emulator.AdminJson.faultJson;
import static dev.discordoauth2.emulator.AdminJson.first;
import static dev.discordoauth2.emulator.AdminJson.known;
import static dev.discordoauth2.emulator.AdminJson.limit;
import static dev.discordoauth2.emulator.AdminJson.limitJson;
import static dev.discordoauth2.emulator.AdminJson.longValue;
import static dev.discordoauth2.emulator.AdminJson.object;
import static dev.discordoauth2.emulator.AdminJson.require;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each admin endpoint does, on the emulator's controls: one method per endpoint and method, given the path's
 * parameters, the query or the JSON body, answering JSON. {@link AdminApi} routes to them. Thread-safe, as the
 * controls are.
 */
final class AdminEndpoints {
    private final DiscordEmulator emulator;
    private final Dispatcher dispatcher;
    private final RateLimiter rateLimiter;

    AdminEndpoints(DiscordEmulator emulator, Dispatcher dispatcher, RateLimiter rateLimiter) {
        this.emulator = emulator;
        this.dispatcher = dispatcher;
        this.rateLimiter = rateLimiter;
    }

    Reply index(List<String> endpoints) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("base_uri", emulator.baseUri().toString());
        out.put("api_base_uri", emulator.apiBaseUri().toString());
        out.put("cdn_base_uri", emulator.cdnBaseUri().toString());
        out.put("now", emulator.now().toString());
        List<String> routes = new ArrayList<>(List.of("GET /oauth2/authorize", "POST /oauth2/authorize"));
        RateLimiter.BUILT_IN_ROUTE_LIMITS.keySet().stream().filter(dispatcher::isRoute).sorted().forEach(routes::add);
        out.put("routes", routes);
        out.put("endpoints", endpoints);
        return Reply.json(200, out);
    }

    Reply listFaults() {
        return Reply.json(200, faultsJson());
    }

    Map<String, Object> faultsJson() {
        List<Object> queued = new ArrayList<>();
        dispatcher.faults().forEach((route, faults) -> faults.forEach(f -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("route", route);
            entry.putAll(faultJson(f, true));
            queued.add(entry);
        }));
        List<Object> random = new ArrayList<>();
        new java.util.TreeMap<>(dispatcher.randomFaults.plans()).forEach((route, plan) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("route", route);
            entry.put("probability", BigDecimal.valueOf(plan.probability()));
            entry.put("seed", plan.seed() == null ? Json.NULL : plan.seed());
            entry.put("faults", plan.faults().stream().map(f -> (Object) faultJson(f, false)).toList());
            random.add(entry);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("faults", queued);
        out.put("random", random);
        return out;
    }

    Reply addFault(Map<String, Object> body) {
        String route = route(body);
        Map<String, Object> spec = new LinkedHashMap<>(body);
        spec.remove("route");
        Fault fault = fault(spec, true);
        emulator.injectFault(route, fault);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("route", route);
        out.putAll(faultJson(fault, true));
        return Reply.json(201, out);
    }

    Reply addRandomFaults(Map<String, Object> body) {
        known(body, "route", "probability", "faults", "seed");
        String route = route(body);
        Object p = require(body, "probability");
        if (!(p instanceof BigDecimal probability) || probability.signum() < 0
                || probability.compareTo(BigDecimal.ONE) > 0) {
            throw badRequest("probability must be a number within 0-1: " + Json.write(p));
        }
        if (!(require(body, "faults") instanceof List<?> list) || list.isEmpty()) {
            throw badRequest("faults must be a non-empty array of faults");
        }
        List<Fault> faults = new ArrayList<>();
        for (Object item : list) {
            faults.add(fault(object(item, "each of faults"), false));
        }
        Object seed = body.get("seed");
        if (seed == null || seed == Json.NULL) {
            emulator.injectRandomFaults(route, probability.doubleValue(), faults);
        } else {
            emulator.injectRandomFaults(route, probability.doubleValue(), faults, longValue(seed, "seed"));
        }
        return Reply.json(201, faultsJson());
    }

    Reply clearFaults(Map<String, List<String>> query) {
        List<String> routes = query.get("route");
        if (routes == null || routes.isEmpty()) {
            emulator.clearFaults();
        } else {
            for (String route : routes) {
                if (!dispatcher.isRoute(route)) {
                    throw badRequest("no such route: " + route);
                }
                emulator.clearFaults(route);
            }
        }
        return listFaults();
    }

    Reply clock() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", emulator.now().toString());
        out.put("epoch_millis", emulator.now().toEpochMilli());
        return Reply.json(200, out);
    }

    Reply advanceClock(Map<String, Object> body) {
        known(body, "seconds", "duration");
        Duration by;
        if (body.containsKey("seconds") == body.containsKey("duration")) {
            throw badRequest("give either seconds (a number) or duration (ISO-8601, e.g. \"PT1H\")");
        } else if (body.containsKey("seconds")) {
            if (!(body.get("seconds") instanceof BigDecimal seconds) || seconds.signum() < 0) {
                throw badRequest("seconds must be a number, not negative: " + Json.write(body.get("seconds")));
            }
            by = Durations.ofSeconds(seconds);
        } else {
            by = duration(body.get("duration"), "duration");
        }
        emulator.advanceClock(by);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("advanced_by", by.toString());
        out.put("now", emulator.now().toString());
        out.put("epoch_millis", emulator.now().toEpochMilli());
        return Reply.json(200, out);
    }

    Reply journal(Map<String, List<String>> query) {
        String route = first(query, "route");
        if (route != null && !dispatcher.isRoute(route)) {
            throw badRequest("no such route: " + route);
        }
        String limitText = first(query, "limit");
        int limit = Integer.MAX_VALUE;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1) {
                throw badRequest("limit must be a whole number of at least 1: " + limitText);
            }
        }
        List<RecordedRequest> all = route == null ? emulator.journal() : emulator.journal(route);
        List<RecordedRequest> shown = all.subList(Math.max(0, all.size() - limit), all.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", all.size());
        out.put("requests", shown.stream().map(r -> (Object) JournalJson.of(r)).toList());
        return Reply.json(200, out);
    }

    Reply clearJournal() {
        emulator.clearJournal();
        return Reply.json(200, Map.of("cleared", true));
    }

    Reply setRouteLimit(Map<String, Object> body) {
        known(body, "route", "limit", "window");
        String route = route(body);
        RateLimiter.Limit limit = limit(body);
        emulator.setRateLimit(route, limit.limit(), limit.window());
        return rateLimits();
    }

    Reply setDefaultLimit(Map<String, Object> body) {
        known(body, "limit", "window");
        RateLimiter.Limit limit = limit(body);
        emulator.setDefaultRateLimit(limit.limit(), limit.window());
        return rateLimits();
    }

    Reply setGlobalLimit(Map<String, Object> body) {
        known(body, "limit", "window");
        RateLimiter.Limit limit = limit(body);
        emulator.setGlobalRateLimit(limit.limit(), limit.window());
        return rateLimits();
    }

    Reply reset(Map<String, Object> body) {
        known(body, "restore_data");
        boolean data = bool(body, "restore_data", false);
        emulator.reset();
        if (data) {
            emulator.restoreData();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("faults", "cleared");
        out.put("journal", "cleared");
        out.put("webhook_deliveries", "cleared");
        out.put("rate_limits", "restored to the start configuration, every window and ban cleared");
        out.put("data", data ? "restored to the start data set" : "unchanged");
        out.put("clock", "unchanged");
        return Reply.json(200, out);
    }

    Reply rateLimits() {
        Map<String, Object> out = new LinkedHashMap<>();
        RateLimiter.Limit global = rateLimiter.globalLimit();
        out.put("global", global == null ? Json.NULL : limitJson(global));
        RateLimiter.Limit fallback = rateLimiter.defaultLimit();
        out.put("default", fallback == null ? Json.NULL : limitJson(fallback));
        Map<String, Object> routes = new LinkedHashMap<>();
        RateLimiter.BUILT_IN_ROUTE_LIMITS.keySet().stream().filter(dispatcher::isRoute).sorted()
                .forEach(route -> routes.put(route, limitJson(rateLimiter.limitOf(route))));
        out.put("routes", routes);
        return Reply.json(200, out);
    }

    Reply addRedirectUri(String clientId, Map<String, Object> body) {
        known(body, "redirect_uri");
        if (!(require(body, "redirect_uri") instanceof String uri) || uri.isBlank()) {
            throw badRequest("redirect_uri must be a string");
        }
        try {
            if (!URI.create(uri).isAbsolute()) {
                throw badRequest("redirect_uri must be absolute: " + uri);
            }
        } catch (IllegalArgumentException e) {
            throw badRequest("redirect_uri is not a URI: " + uri);
        }
        try {
            emulator.addRedirectUri(clientId, uri);
        } catch (IllegalArgumentException e) {
            throw new AdminApi.Failure(404, "not_found", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("redirect_uris", emulator.redirectUris(clientId));
        return Reply.json(200, out);
    }

    Reply getMember(String guildId, String userId) {
        EmulatedMember m = emulator.member(guildId, userId).orElseThrow(() -> new AdminApi.Failure(404, "not_found",
                "user " + userId + " is not a member of guild " + guildId));
        return Reply.json(200, memberJson(m));
    }

    /** Adds or replaces a membership: {@code roles} (role ids), {@code nick}, {@code permissions}, all optional. */
    Reply putMember(String guildId, String userId, Map<String, Object> body) {
        known(body, "roles", "nick", "permissions");
        EmulatedMember current = emulator.member(guildId, userId).orElse(null);
        EmulatedMember.Builder b = EmulatedMember.builder(guildId, userId);
        if (current != null) {
            b.nick(current.nick()).joinedAt(current.joinedAt()).permissions(current.permissions())
                    .roles(current.roles().toArray(String[]::new)).deaf(current.deaf()).mute(current.mute());
        }
        if (body.containsKey("roles")) {
            if (!(body.get("roles") instanceof List<?> list) || !list.stream().allMatch(
                    r -> r instanceof String id && Snowflakes.isSnowflake(id))) {
                throw badRequest("roles must be an array of role ids (snowflake strings)");
            }
            b.roles(list.stream().map(String.class::cast).toArray(String[]::new));
        }
        if (body.containsKey("nick")) {
            Object nick = body.get("nick");
            if (nick != Json.NULL && !(nick instanceof String)) {
                throw badRequest("nick must be a string or null");
            }
            b.nick(nick instanceof String n ? n : null);
        }
        if (body.containsKey("permissions")) {
            if (!(body.get("permissions") instanceof String p) || !p.matches("[0-9]{1,20}")) {
                throw badRequest("permissions must be a bit field as a decimal string");
            }
            b.permissions(Long.parseUnsignedLong((String) body.get("permissions")));
        }
        try {
            emulator.putMember(b.build());
        } catch (IllegalArgumentException e) {
            throw new AdminApi.Failure(404, "not_found", e.getMessage());
        }
        return Reply.json(200, memberJson(emulator.member(guildId, userId).orElseThrow()));
    }

    Reply removeMember(String guildId, String userId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("guild_id", guildId);
        out.put("user_id", userId);
        out.put("removed", emulator.removeMember(guildId, userId));
        return Reply.json(200, out);
    }

    static Map<String, Object> memberJson(EmulatedMember m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("guild_id", m.guildId());
        out.put("user_id", m.userId());
        out.put("nick", m.nick() == null ? Json.NULL : m.nick());
        out.put("roles", List.copyOf(m.roles()));
        out.put("permissions", Long.toUnsignedString(m.permissions()));
        out.put("joined_at", m.joinedAt().toString());
        return out;
    }

    Reply revoke(String clientId, String userId) {
        int revoked;
        try {
            revoked = emulator.revokeAuthorization(clientId, userId);
        } catch (IllegalArgumentException e) {
            throw new AdminApi.Failure(404, "not_found", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("user_id", userId);
        out.put("revoked_tokens", revoked);
        return Reply.json(200, out);
    }

    /**
     * Every token issued to the application, with its values: test infrastructure for checking that no token value
     * shows where it must not (a log, a database), and what happened to each token. Read-only.
     */
    Reply tokens(String clientId, Map<String, List<String>> query) {
        String userId = first(query, "user_id");
        if (userId != null && !Snowflakes.isSnowflake(userId)) {
            throw badRequest("user_id must be a snowflake: " + userId);
        }
        List<Map<String, Object>> tokens;
        try {
            tokens = emulator.data.issuedTokens(clientId, userId);
        } catch (IllegalArgumentException e) {
            throw new AdminApi.Failure(404, "not_found", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("total", tokens.size());
        out.put("tokens", new ArrayList<Object>(tokens));
        return Reply.json(200, out);
    }

    private String route(Map<String, Object> body) {
        if (!(require(body, "route") instanceof String route)) {
            throw badRequest("route must be a string like \"GET /users/@me\"");
        }
        if (!dispatcher.isRoute(route)) {
            throw badRequest("no such route: " + route + "; GET " + PATH + " lists them");
        }
        return route;
    }
}
