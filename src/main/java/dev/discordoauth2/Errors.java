package dev.discordoauth2;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Turns Discord's error answers into exceptions: Discord's {@code {"code", "message", "errors"}} bodies, the token
 * endpoint's OAuth2 {@code {"error", "error_description"}}, and 429s (JSON or Cloudflare HTML). Messages name the
 * route and what Discord said, never a credential. Stateless.
 */
final class Errors {
    private Errors() {
    }

    /** The body as a JSON object, or {@code null} when it is not one. */
    static JsonObject jsonObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            return value.getValueType() == JsonValue.ValueType.OBJECT ? value.asJsonObject() : null;
        } catch (JsonParsingException | IllegalStateException e) {
            return null;
        } catch (JsonException e) {
            return null;
        }
    }

    static HttpException toException(ApiCall call, int status, String body) {
        JsonObject json = jsonObject(body);
        Integer code = null;
        String message = null;
        JsonObject errors = null;
        String error = null;
        String description = null;
        if (json != null) {
            if (json.get("code") instanceof JsonNumber n) {
                code = n.intValue();
            }
            message = string(json, "message");
            if (json.get("errors") instanceof JsonObject e) {
                errors = e;
            }
            error = string(json, "error");
            description = string(json, "error_description");
        }
        StringBuilder text = new StringBuilder(call.route()).append(" failed: HTTP ").append(status);
        if (error != null) {
            text.append(' ').append(error);
            if (description != null) {
                text.append(" (").append(description).append(')');
            }
        } else if (message != null) {
            text.append(": ").append(message);
            if (code != null) {
                text.append(" (code ").append(code).append(')');
            }
        }
        if (errors != null) {
            text.append(" ").append(errors);
        }
        String m = text.toString();
        if (status == 400 && "invalid_grant".equals(error)) {
            return new InvalidGrantException(m, status, code, message, errors, error, description);
        }
        if (status == 401 || status == 403) {
            return new ForbiddenException(m, status, code, message, errors, error, description);
        }
        if (status == 404) {
            return new NotFoundException(m, status, code, message, errors, error, description);
        }
        return new HttpException(m, status, code, message, errors, error, description);
    }

    /** What a 429 says: how long to wait, and for whom. */
    record TooManyRequests(Duration retryAfter, boolean global, String scope, String bucket, boolean cloudflare,
            Integer code, String message) {

        RateLimitedException toException(ApiCall call, String why) {
            String text = call.route() + " rate limited: " + (cloudflare
                    ? "Cloudflare banned this address for too many invalid requests (HTML 429 without Retry-After)"
                    : (global ? "global limit" : "scope " + (scope == null ? "unknown" : scope)) + ", retry after "
                            + retryAfter.toMillis() + " ms") + why;
            return new RateLimitedException(text, code, message, retryAfter, global, scope, bucket, cloudflare);
        }
    }

    static TooManyRequests tooManyRequests(Map<String, List<Object>> headers, String body) {
        JsonObject json = jsonObject(body);
        String retryHeader = RateLimiter.first(headers, "Retry-After");
        String contentType = RateLimiter.first(headers, "Content-Type");
        boolean html = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("text/html");
        if (json == null && (retryHeader == null || html)) {
            return new TooManyRequests(RateLimitedException.CLOUDFLARE_BAN_RETRY, true, null, null, true, null, null);
        }
        Duration retryAfter = null;
        if (json != null && json.get("retry_after") instanceof JsonNumber n) {
            retryAfter = seconds(n.bigDecimalValue());
        }
        if (retryAfter == null && retryHeader != null) {
            try {
                retryAfter = seconds(new java.math.BigDecimal(retryHeader.trim()));
            } catch (NumberFormatException e) {
                retryAfter = null;
            }
        }
        if (retryAfter == null) {
            retryAfter = Duration.ofSeconds(1);
        }
        boolean global = "true".equalsIgnoreCase(RateLimiter.first(headers, "X-RateLimit-Global"))
                || (json != null && json.getBoolean("global", false));
        Integer code = json != null && json.get("code") instanceof JsonNumber n ? n.intValue() : null;
        return new TooManyRequests(retryAfter, global, RateLimiter.first(headers, "X-RateLimit-Scope"),
                RateLimiter.first(headers, "X-RateLimit-Bucket"), false, code,
                json == null ? null : string(json, "message"));
    }

    /**
     * Seconds with decimals, exactly, as a duration: negative values count as zero, and anything above
     * {@link RateLimitedException#MAX_RETRY_AFTER} counts as that (so {@code 1e10} cannot overflow into a tiny wait).
     */
    static Duration seconds(java.math.BigDecimal seconds) {
        if (seconds.signum() <= 0) {
            return Duration.ZERO;
        }
        if (seconds.compareTo(MAX_RETRY_AFTER_SECONDS) >= 0) {
            return RateLimitedException.MAX_RETRY_AFTER;
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    private static final java.math.BigDecimal MAX_RETRY_AFTER_SECONDS =
            java.math.BigDecimal.valueOf(RateLimitedException.MAX_RETRY_AFTER.toSeconds());

    private static String string(JsonObject json, String name) {
        JsonValue value = json.get(name);
        return value != null && value.getValueType() == JsonValue.ValueType.STRING ? json.getString(name) : null;
    }
}
