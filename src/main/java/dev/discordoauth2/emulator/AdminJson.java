package dev.discordoauth2.emulator;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin API's JSON: faults and rate limits to and from their JSON, and reading a request body's fields, each
 * refusing a wrong value with a {@link AdminApi.Failure} (400, or 415 for a body that is not JSON). Stateless.
 */
final class AdminJson {
    private AdminJson() {
    }

    static AdminApi.Failure badRequest(String message) {
        return new AdminApi.Failure(400, "bad_request", message);
    }

    /** A fault from its JSON; {@code times} only where it applies (not for random faults). */
    static Fault fault(Map<String, Object> spec, boolean withTimes) {
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

    static Map<String, Object> faultJson(Fault fault, boolean withTimes) {
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

    static Map<String, Object> body(byte[] raw, String contentType) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Map.of();
        }
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
            throw new AdminApi.Failure(415, "unsupported_media_type", "send the body as application/json");
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
    static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw badRequest(what + " must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    static void known(Map<String, Object> body, String... keys) {
        List<String> allowed = List.of(keys);
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                throw badRequest("unknown field " + key + "; expected " + String.join(", ", allowed));
            }
        }
    }

    static Object require(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null || value == Json.NULL) {
            throw badRequest(key + " is required");
        }
        return value;
    }

    static RateLimiter.Limit limit(Map<String, Object> body) {
        int limit = intValue(require(body, "limit"), "limit");
        Duration window = duration(require(body, "window"), "window");
        try {
            return new RateLimiter.Limit(limit, window);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    static Map<String, Object> limitJson(RateLimiter.Limit limit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limit", limit.limit());
        out.put("window", limit.window().toString());
        return out;
    }

    /** A number of seconds or an ISO-8601 string. */
    static Duration duration(Object value, String key) {
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

    static int intValue(Object value, String key) {
        try {
            if (value instanceof BigDecimal d) {
                return d.intValueExact();
            }
        } catch (ArithmeticException e) {
            // falls through to the message below
        }
        throw badRequest(key + " must be a whole number: " + Json.write(value == null ? Json.NULL : value));
    }

    static long longValue(Object value, String key) {
        try {
            if (value instanceof BigDecimal d) {
                return d.longValueExact();
            }
        } catch (ArithmeticException e) {
            // falls through to the message below
        }
        throw badRequest(key + " must be a whole number");
    }

    static boolean bool(Map<String, Object> body, String key, boolean absent) {
        Object value = body.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Boolean b)) {
            throw badRequest(key + " must be true or false");
        }
        return b;
    }

    static String first(Map<String, List<String>> query, String key) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
