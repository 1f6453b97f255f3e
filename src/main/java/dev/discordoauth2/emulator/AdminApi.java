package dev.discordoauth2.emulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's admin API under {@code /__admin}, in the spirit of WireMock's: JSON in and out, so that tests in
 * any language and other processes can inject faults, move the clock, read the journal, change rate limits, revoke
 * authorizations and reset. Served only when enabled ({@link DiscordEmulator.Builder#admin(boolean)},
 * {@code --admin}) and only to loopback callers: a caller that is not on loopback, a request whose {@code Host} is
 * not {@code localhost} or a loopback address (DNS rebinding), a request forwarded for another client, or one sent by
 * a web page of another origin gets 403. Errors are JSON ({@code {"error": ..., "message": ...}}), never a
 * stack trace. Its requests are neither journaled nor rate limited. Thread-safe.
 */
final class AdminApi implements HttpHandler {
    static final String PATH = "/__admin";
    private static final int MAX_BODY = 1 << 20;
    private static final Pattern PARAMETER = Pattern.compile("\\{[a-z_]+}");
    /** Headers in which proxies and CDNs name the client they forward for, as one address or a list. */
    private static final List<String> CLIENT_HEADERS =
            List.of("X-Forwarded-For", "X-Real-IP", "True-Client-IP", "CF-Connecting-IP", "X-Client-IP");
    private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)for=(\"[^\"]*\"|[^;,\\s]+)");
    /**
     * {@code localhost}, {@code 127.x.x.x} or {@code [IPv6]} (group 1, checked for loopback; with a colon, so that
     * {@link InetAddress#getByName} parses it and never looks it up), each with an optional port.
     */
    private static final Pattern LOOPBACK_HOST = Pattern.compile(
            "(?i)(?:localhost|127(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
                    + "|\\[([0-9a-f.]*:[0-9a-f:.]*)])(?::[0-9]{1,5})?");

    private final DiscordEmulator emulator;
    private final Dispatcher dispatcher;
    private final RateLimiter rateLimiter;
    private final List<Route> routes = routes();

    AdminApi(DiscordEmulator emulator, Dispatcher dispatcher, RateLimiter rateLimiter) {
        this.emulator = emulator;
        this.dispatcher = dispatcher;
        this.rateLimiter = rateLimiter;
    }

    /** A refusal with its status, short error code and message. */
    static final class Failure extends RuntimeException {
        final int status;
        final String error;

        Failure(int status, String error, String message) {
            super(message, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    private static Failure badRequest(String message) {
        return new Failure(400, "bad_request", message);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = answer(exchange);
        } catch (Failure f) {
            reply = error(f.status, f.error, f.getMessage());
        } catch (RuntimeException e) {
            reply = error(500, "internal_error", "the admin request failed: " + e.getClass().getSimpleName());
        }
        reply.header("Cache-Control", "no-store");
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", reply.contentType);
        reply.headers.forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        exchange.sendResponseHeaders(reply.status, reply.body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body);
        }
        exchange.close();
    }

    private static Reply error(int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return Reply.json(status, body);
    }

    private static String relativePath(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath().substring(PATH.length());
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private Reply answer(HttpExchange exchange) throws IOException {
        Optional<String> refusal = refusal(exchange.getRemoteAddress().getAddress(), exchange.getRequestURI(),
                exchange.getRequestHeaders());
        if (refusal.isPresent()) {
            throw new Failure(403, "forbidden", refusal.get());
        }
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            throw new Failure(413, "too_large", "the body is larger than 1 MiB");
        }
        String method = exchange.getRequestMethod();
        String path = relativePath(exchange);
        for (Route route : routes) {
            Matcher m = route.pattern.matcher(path);
            if (!m.matches()) {
                continue;
            }
            Handler handler = route.methods.get(method);
            if (handler == null) {
                return error(405, "method_not_allowed", method + " is not allowed here").header("Allow", route.allow());
            }
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) {
                params.add(m.group(i));
            }
            return handler.answer(new Request(List.copyOf(params),
                    RecordedRequest.decodeForm(exchange.getRequestURI().getRawQuery()),
                    body(raw, exchange.getRequestHeaders().getFirst("Content-Type"))));
        }
        throw new Failure(404, "not_found", "no admin endpoint " + PATH + path + "; GET " + PATH + " lists them");
    }

    // --------------------------------------------------------------------------------------------- routes

    /** What a handler gets: the path's parameters in template order, the query and the JSON body. */
    private record Request(List<String> params, Map<String, List<String>> query, Map<String, Object> body) {
    }

    @FunctionalInterface
    private interface Handler {
        Reply answer(Request request);
    }

    /**
     * One endpoint: its path template ({@code {name}} stands for a snowflake) and the methods it serves, in the
     * order {@code Allow} and the index list them. The only place that says which methods an endpoint serves.
     */
    private static final class Route {
        final String template;
        final Pattern pattern;
        final Map<String, Handler> methods = new LinkedHashMap<>();

        Route(String template) {
            this.template = template;
            StringBuilder regex = new StringBuilder("^");
            Matcher param = PARAMETER.matcher(template);
            int literal = 0;
            while (param.find()) {
                regex.append(Pattern.quote(template.substring(literal, param.start()))).append("([0-9]{1,20})");
                literal = param.end();
            }
            this.pattern = Pattern.compile(regex.append(Pattern.quote(template.substring(literal))).append('$')
                    .toString());
        }

        Route on(String method, Handler handler) {
            methods.put(method, handler);
            return this;
        }

        String allow() {
            return String.join(", ", methods.keySet());
        }

        /** As the index lists it: {@code GET|PUT|DELETE /__admin/guilds/{guild_id}/members/{user_id}}. */
        String endpoint() {
            return String.join("|", methods.keySet()) + " " + PATH + template;
        }
    }

    /** Every admin endpoint; dispatch, {@code Allow} and the index's list all come from here. */
    private List<Route> routes() {
        return List.of(
                new Route("").on("GET", r -> index()),
                new Route("/faults").on("GET", r -> listFaults()).on("POST", r -> addFault(r.body()))
                        .on("DELETE", r -> clearFaults(r.query())),
                new Route("/faults/random").on("POST", r -> addRandomFaults(r.body())),
                new Route("/clock").on("GET", r -> clock()),
                new Route("/clock/advance").on("POST", r -> advanceClock(r.body())),
                new Route("/requests").on("GET", r -> journal(r.query())).on("DELETE", r -> clearJournal()),
                new Route("/rate-limits").on("GET", r -> rateLimits()),
                new Route("/rate-limits/routes").on("PUT", r -> setRouteLimit(r.body())),
                new Route("/rate-limits/default").on("PUT", r -> setDefaultLimit(r.body())),
                new Route("/rate-limits/global").on("PUT", r -> setGlobalLimit(r.body())),
                new Route("/applications/{client_id}/redirect-uris")
                        .on("POST", r -> addRedirectUri(r.params().get(0), r.body())),
                new Route("/applications/{client_id}/authorizations/{user_id}")
                        .on("DELETE", r -> revoke(r.params().get(0), r.params().get(1))),
                new Route("/guilds/{guild_id}/members/{user_id}")
                        .on("GET", r -> getMember(r.params().get(0), r.params().get(1)))
                        .on("PUT", r -> putMember(r.params().get(0), r.params().get(1), r.body()))
                        .on("DELETE", r -> removeMember(r.params().get(0), r.params().get(1))),
                new Route("/reset").on("POST", r -> reset(r.body())));
    }

    // --------------------------------------------------------------------------------------------- access

    /**
     * Why the caller may not use the admin API, or empty when it may: its address must be loopback; {@code Host} (or
     * the authority of an absolute request target) must be {@code localhost} or a loopback literal, so that a
     * DNS-rebinding page, which reaches loopback under its own host name, is refused; no header that proxies use to
     * name the client ({@code X-Forwarded-For}, {@code Forwarded}'s {@code for=}, {@code X-Real-IP},
     * {@code True-Client-IP}, {@code CF-Connecting-IP}, {@code X-Client-IP}) may name a host that is not loopback; and
     * an {@code Origin} (sent by browsers) must be a loopback one.
     */
    static Optional<String> refusal(InetAddress remote, URI target, Headers headers) {
        if (remote == null || !remote.isLoopbackAddress()) {
            return Optional.of("the admin API answers loopback callers only");
        }
        List<String> hosts = headers.getOrDefault("Host", List.of());
        if (hosts.size() != 1 || !isLoopbackHost(hosts.get(0))
                || target.getRawAuthority() != null && !isLoopbackHost(target.getRawAuthority())) {
            return Optional.of("the admin API answers only requests for localhost or a loopback address as Host");
        }
        for (String header : CLIENT_HEADERS) {
            for (String value : headers.getOrDefault(header, List.of())) {
                for (String host : value.split(",")) {
                    if (!isLoopbackLiteral(host)) {
                        return Optional.of("the admin API answers loopback callers only; " + header
                                + " names another client");
                    }
                }
            }
        }
        for (String value : headers.getOrDefault("Forwarded", List.of())) {
            Matcher m = FORWARDED_FOR.matcher(value);
            while (m.find()) {
                if (!isLoopbackLiteral(m.group(1))) {
                    return Optional.of("the admin API answers loopback callers only; Forwarded names another client");
                }
            }
        }
        String origin = headers.getFirst("Origin");
        if (origin != null) {
            String host;
            try {
                host = URI.create(origin.trim()).getHost();
            } catch (IllegalArgumentException e) {
                host = null;
            }
            if (host == null || !isLoopbackLiteral(host)) {
                return Optional.of("the admin API refuses requests from web pages of another origin");
            }
        }
        return Optional.empty();
    }

    /**
     * A {@code Host} value the admin API accepts: {@code localhost} (any case), {@code 127.x.x.x} or a bracketed
     * loopback IPv6 literal such as {@code [::1]}, each with an optional port. Nothing else: not a name that merely
     * starts with one of them ({@code 127.0.0.1.evil.example}), not a user part, not an empty value.
     */
    private static boolean isLoopbackHost(String value) {
        Matcher m = LOOPBACK_HOST.matcher(value.trim());
        if (!m.matches()) {
            return false;
        }
        if (m.group(1) == null) {
            return true;
        }
        try {
            return InetAddress.getByName(m.group(1)).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A loopback address written as a literal ({@code 127.0.0.1}, {@code [::1]:8080}) or {@code localhost}. */
    static boolean isLoopbackLiteral(String text) {
        String host = text.trim().replace("\"", "");
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close < 0 ? host : host.substring(1, close);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.contains(":")) {
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return host.startsWith("127.");
        }
        if (host.contains(":") && host.matches("[0-9a-fA-F:.]+")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    // --------------------------------------------------------------------------------------------- endpoints

    private Reply index() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("base_uri", emulator.baseUri().toString());
        out.put("api_base_uri", emulator.apiBaseUri().toString());
        out.put("now", emulator.now().toString());
        List<String> routes = new ArrayList<>(List.of("GET /oauth2/authorize", "POST /oauth2/authorize"));
        RateLimiter.BUILT_IN_ROUTE_LIMITS.keySet().stream().filter(emulator::isRoute).sorted().forEach(routes::add);
        out.put("routes", routes);
        out.put("endpoints", this.routes.stream().map(Route::endpoint).toList());
        return Reply.json(200, out);
    }

    private Reply listFaults() {
        return Reply.json(200, faultsJson());
    }

    private Map<String, Object> faultsJson() {
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

    private Reply addFault(Map<String, Object> body) {
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

    private Reply addRandomFaults(Map<String, Object> body) {
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

    private Reply clearFaults(Map<String, List<String>> query) {
        List<String> routes = query.get("route");
        if (routes == null || routes.isEmpty()) {
            emulator.clearFaults();
        } else {
            for (String route : routes) {
                if (!emulator.isRoute(route)) {
                    throw badRequest("no such route: " + route);
                }
                emulator.clearFaults(route);
            }
        }
        return listFaults();
    }

    private Reply clock() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", emulator.now().toString());
        out.put("epoch_millis", emulator.now().toEpochMilli());
        return Reply.json(200, out);
    }

    private Reply advanceClock(Map<String, Object> body) {
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

    private Reply journal(Map<String, List<String>> query) {
        String route = first(query, "route");
        if (route != null && !emulator.isRoute(route)) {
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

    private Reply clearJournal() {
        emulator.clearJournal();
        return Reply.json(200, Map.of("cleared", true));
    }

    private Reply setRouteLimit(Map<String, Object> body) {
        known(body, "route", "limit", "window");
        String route = route(body);
        RateLimiter.Limit limit = limit(body);
        emulator.setRateLimit(route, limit.limit(), limit.window());
        return rateLimits();
    }

    private Reply setDefaultLimit(Map<String, Object> body) {
        known(body, "limit", "window");
        RateLimiter.Limit limit = limit(body);
        emulator.setDefaultRateLimit(limit.limit(), limit.window());
        return rateLimits();
    }

    private Reply setGlobalLimit(Map<String, Object> body) {
        known(body, "limit", "window");
        RateLimiter.Limit limit = limit(body);
        emulator.setGlobalRateLimit(limit.limit(), limit.window());
        return rateLimits();
    }

    private Reply reset(Map<String, Object> body) {
        known(body, "restore_data");
        boolean data = bool(body, "restore_data", false);
        emulator.reset();
        if (data) {
            emulator.restoreData();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("faults", "cleared");
        out.put("journal", "cleared");
        out.put("rate_limits", "restored to the start configuration, every window and ban cleared");
        out.put("data", data ? "restored to the start data set" : "unchanged");
        out.put("clock", "unchanged");
        return Reply.json(200, out);
    }

    private Reply rateLimits() {
        Map<String, Object> out = new LinkedHashMap<>();
        RateLimiter.Limit global = rateLimiter.globalLimit();
        out.put("global", global == null ? Json.NULL : limitJson(global));
        RateLimiter.Limit fallback = rateLimiter.defaultLimit();
        out.put("default", fallback == null ? Json.NULL : limitJson(fallback));
        Map<String, Object> routes = new LinkedHashMap<>();
        RateLimiter.BUILT_IN_ROUTE_LIMITS.keySet().stream().filter(emulator::isRoute).sorted()
                .forEach(route -> routes.put(route, limitJson(rateLimiter.limitOf(route))));
        out.put("routes", routes);
        return Reply.json(200, out);
    }

    private Reply addRedirectUri(String clientId, Map<String, Object> body) {
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
            throw new Failure(404, "not_found", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("redirect_uris", emulator.redirectUris(clientId));
        return Reply.json(200, out);
    }

    private Reply getMember(String guildId, String userId) {
        EmulatedMember m = emulator.member(guildId, userId).orElseThrow(() -> new Failure(404, "not_found",
                "user " + userId + " is not a member of guild " + guildId));
        return Reply.json(200, memberJson(m));
    }

    /** Adds or replaces a membership: {@code roles} (role ids), {@code nick}, {@code permissions}, all optional. */
    private Reply putMember(String guildId, String userId, Map<String, Object> body) {
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
            throw new Failure(404, "not_found", e.getMessage());
        }
        return Reply.json(200, memberJson(emulator.member(guildId, userId).orElseThrow()));
    }

    private Reply removeMember(String guildId, String userId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("guild_id", guildId);
        out.put("user_id", userId);
        out.put("removed", emulator.removeMember(guildId, userId));
        return Reply.json(200, out);
    }

    private static Map<String, Object> memberJson(EmulatedMember m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("guild_id", m.guildId());
        out.put("user_id", m.userId());
        out.put("nick", m.nick() == null ? Json.NULL : m.nick());
        out.put("roles", List.copyOf(m.roles()));
        out.put("permissions", Long.toUnsignedString(m.permissions()));
        out.put("joined_at", m.joinedAt().toString());
        return out;
    }

    private Reply revoke(String clientId, String userId) {
        int revoked;
        try {
            revoked = emulator.revokeAuthorization(clientId, userId);
        } catch (IllegalArgumentException e) {
            throw new Failure(404, "not_found", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("user_id", userId);
        out.put("revoked_tokens", revoked);
        return Reply.json(200, out);
    }

    // --------------------------------------------------------------------------------------------- faults as JSON

    /** A fault from its JSON; {@code times} only where it applies (not for random faults). */
    private static Fault fault(Map<String, Object> spec, boolean withTimes) {
        Object typeValue = require(spec, "type");
        if (!(typeValue instanceof String type)) {
            throw badRequest("type must be a string");
        }
        List<String> keys = new ArrayList<>(switch (type) {
            case "status" -> List.of("type", "status", "body", "content_type", "headers");
            case "rate_limited" -> List.of("type", "retry_after", "global", "scope", "headers");
            case "malformed_json" -> List.of("type", "headers");
            case "delay" -> List.of("type", "delay");
            case "drop" -> List.of("type");
            default -> throw badRequest("type must be status, rate_limited, malformed_json, delay or drop: " + type);
        });
        if (withTimes) {
            keys.add("times");
        }
        known(spec, keys.toArray(String[]::new));
        Fault fault = switch (type) {
            case "status" -> {
                int status = intValue(require(spec, "status"), "status");
                if (status < 100 || status > 599) {
                    throw badRequest("status must be 100-599: " + status);
                }
                Object body = spec.getOrDefault("body", "");
                String text = body instanceof String s ? s : Json.write(body);
                Object contentType = spec.getOrDefault("content_type", "application/json");
                if (!(contentType instanceof String ct) || ct.isBlank()) {
                    throw badRequest("content_type must be a string");
                }
                yield Fault.status(status, ct, text);
            }
            case "rate_limited" -> {
                Duration retryAfter = spec.containsKey("retry_after") ? duration(spec.get("retry_after"),
                        "retry_after") : Duration.ofSeconds(1);
                boolean global = bool(spec, "global", false);
                Object scope = spec.getOrDefault("scope", global ? "global" : "user");
                if (!(scope instanceof String s) || !List.of("user", "global", "shared").contains(s)) {
                    throw badRequest("scope must be user, global or shared: " + Json.write(scope));
                }
                yield Fault.rateLimited(retryAfter, global, (String) scope);
            }
            case "malformed_json" -> Fault.malformedJson();
            case "delay" -> Fault.delay(duration(require(spec, "delay"), "delay"));
            default -> Fault.dropConnection();
        };
        if (spec.get("headers") != null) {
            for (Map.Entry<String, Object> h : object(spec.get("headers"), "headers").entrySet()) {
                if (!(h.getValue() instanceof String value) || !h.getKey().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                    throw badRequest("headers must map header names to strings: " + h.getKey());
                }
                fault = fault.withHeader(h.getKey(), value);
            }
        }
        if (withTimes && spec.containsKey("times")) {
            int times = intValue(spec.get("times"), "times");
            if (times < 1) {
                throw badRequest("times must be at least 1: " + times);
            }
            fault = fault.times(times);
        }
        return fault;
    }

    private static Map<String, Object> faultJson(Fault fault, boolean withTimes) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (fault.kind()) {
            case STATUS -> {
                out.put("type", "status");
                out.put("status", fault.status());
                out.put("content_type", fault.contentType());
                out.put("body", fault.body());
                out.put("headers", new LinkedHashMap<>(fault.headers()));
            }
            case MALFORMED_JSON -> {
                out.put("type", "malformed_json");
                out.put("headers", new LinkedHashMap<>(fault.headers()));
            }
            case DELAY -> {
                out.put("type", "delay");
                out.put("delay", fault.delay().toString());
            }
            case DROP -> out.put("type", "drop");
        }
        if (withTimes) {
            out.put("times", fault.count());
        }
        return out;
    }

    // --------------------------------------------------------------------------------------------- reading JSON

    private static Map<String, Object> body(byte[] raw, String contentType) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Map.of();
        }
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
            throw new Failure(415, "unsupported_media_type", "send the body as application/json");
        }
        Object value;
        try {
            value = Json.parse(text);
        } catch (Json.MalformedJsonException e) {
            throw badRequest("the body is not JSON: " + e.getMessage());
        }
        return object(value, "the body");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw badRequest(what + " must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    private static void known(Map<String, Object> body, String... keys) {
        List<String> allowed = List.of(keys);
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                throw badRequest("unknown field " + key + "; expected " + String.join(", ", allowed));
            }
        }
    }

    private static Object require(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null || value == Json.NULL) {
            throw badRequest(key + " is required");
        }
        return value;
    }

    private String route(Map<String, Object> body) {
        if (!(require(body, "route") instanceof String route)) {
            throw badRequest("route must be a string like \"GET /users/@me\"");
        }
        if (!emulator.isRoute(route)) {
            throw badRequest("no such route: " + route + "; GET " + PATH + " lists them");
        }
        return route;
    }

    private static RateLimiter.Limit limit(Map<String, Object> body) {
        int limit = intValue(require(body, "limit"), "limit");
        Duration window = duration(require(body, "window"), "window");
        try {
            return new RateLimiter.Limit(limit, window);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    private static Map<String, Object> limitJson(RateLimiter.Limit limit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limit", limit.limit());
        out.put("window", limit.window().toString());
        return out;
    }

    /** A number of seconds or an ISO-8601 string. */
    private static Duration duration(Object value, String key) {
        try {
            if (value instanceof BigDecimal seconds && seconds.signum() >= 0) {
                return Durations.ofSeconds(seconds);
            }
            if (value instanceof String text) {
                return Durations.parse(text);
            }
        } catch (IllegalArgumentException e) {
            throw badRequest(key + ": " + e.getMessage());
        }
        throw badRequest(key + " must be seconds (a number) or an ISO-8601 duration like \"PT30S\"");
    }

    private static int intValue(Object value, String key) {
        try {
            if (value instanceof BigDecimal d) {
                return d.intValueExact();
            }
        } catch (ArithmeticException e) {
            // falls through to the message below
        }
        throw badRequest(key + " must be a whole number: " + Json.write(value == null ? Json.NULL : value));
    }

    private static long longValue(Object value, String key) {
        try {
            if (value instanceof BigDecimal d) {
                return d.longValueExact();
            }
        } catch (ArithmeticException e) {
            // falls through to the message below
        }
        throw badRequest(key + " must be a whole number");
    }

    private static boolean bool(Map<String, Object> body, String key, boolean absent) {
        Object value = body.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Boolean b)) {
            throw badRequest(key + " must be true or false");
        }
        return b;
    }

    private static String first(Map<String, List<String>> query, String key) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
