package dev.discordoauth2.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the {@link DiscordEmulator} received it, kept in its journal for assertions such as "the client
 * sent HTTP Basic auth and a {@code DiscordBot} User-Agent". The journal holds credentials exactly as sent; it lives
 * only in memory and is never printed. Immutable and thread-safe.
 *
 * @param receivedAt when it arrived (the emulator's clock)
 * @param method     HTTP method
 * @param path       the raw path as sent, not decoded, e.g. {@code /api/v10/users/@me} or {@code /api/v10/users/%40me}
 * @param route      the matched route, e.g. {@code GET /users/@me} (for either path above), or {@code null} when no
 *                   route matched
 * @param query      the raw query string, or {@code ""}
 * @param headers    request headers, names in lower case
 * @param body       the request body as UTF-8 text (form or JSON), or {@code ""}
 * @param status     the status the emulator answered with (0 when the connection was dropped)
 */
public record RecordedRequest(Instant receivedAt, String method, String path, String route, String query,
        Map<String, List<String>> headers, String body, int status) {

    public RecordedRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The decoded query parameters. */
    public Map<String, List<String>> queryParams() {
        return decodeForm(query);
    }

    /** The decoded {@code application/x-www-form-urlencoded} body parameters (empty for other bodies). */
    public Map<String, List<String>> formParams() {
        String type = header("content-type").orElse("");
        return type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                ? decodeForm(body) : Map.of();
    }

    /** The first value of a form body parameter. */
    public Optional<String> formParam(String name) {
        List<String> values = formParams().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    static Map<String, List<String>> decodeForm(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.computeIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformedEscape) {
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RecordedRequest[" + method + " " + path + " -> " + status + "]";
    }
}
