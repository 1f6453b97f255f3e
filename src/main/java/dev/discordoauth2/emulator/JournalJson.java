package dev.discordoauth2.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A journal entry as the admin API shows it, without credentials: the {@code Authorization} header keeps only its
 * scheme ({@code "Bearer [redacted]"}), {@code Cookie} is redacted, query and form parameters show their values only
 * for names known to carry nothing secret (codes, tokens, secrets, verifiers, state are redacted), and other bodies
 * (JSON) only their size. Stateless.
 */
final class JournalJson {
    static final String REDACTED = "[redacted]";

    /** Parameters whose values are shown; every other value is redacted. */
    static final Set<String> SHOWN_PARAMS = Set.of("grant_type", "client_id", "redirect_uri", "scope",
            "response_type", "prompt", "permissions", "guild_id", "disable_guild_select", "integration_type",
            "code_challenge_method", "token_type_hint", "limit", "before", "after", "with_counts", "user_id",
            "decision");

    private static final Set<String> REDACTED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private JournalJson() {
    }

    static Map<String, Object> of(RecordedRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", request.receivedAt().toString());
        out.put("method", request.method());
        out.put("route", request.route() == null ? Json.NULL : request.route());
        out.put("path", request.path());
        out.put("status", request.status());
        Map<String, Object> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name, values.stream()
                .map(v -> (Object) (REDACTED_HEADERS.contains(name) ? redactCredential(v) : v)).toList()));
        out.put("headers", headers);
        out.put("query", params(request.queryParams()));
        Map<String, List<String>> form = request.formParams();
        if (!form.isEmpty()) {
            out.put("form", params(form));
        } else if (!request.body().isEmpty()) {
            out.put("body_bytes", request.body().getBytes(StandardCharsets.UTF_8).length);
        }
        return out;
    }

    /** {@code "Bearer abc"} → {@code "Bearer [redacted]"}; anything else → {@code "[redacted]"}. */
    private static String redactCredential(String value) {
        String trimmed = value.trim();
        int space = trimmed.indexOf(' ');
        if (space > 0 && trimmed.substring(0, space).matches("[A-Za-z]+")) {
            return trimmed.substring(0, space) + " " + REDACTED;
        }
        return REDACTED;
    }

    private static Map<String, Object> params(Map<String, List<String>> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((name, values) -> out.put(name, values.stream()
                .map(v -> (Object) (SHOWN_PARAMS.contains(name.toLowerCase(Locale.ROOT)) ? v : REDACTED)).toList()));
        return out;
    }
}
