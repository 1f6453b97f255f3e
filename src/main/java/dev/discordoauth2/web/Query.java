package dev.discordoauth2.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of the library's own GET paths (callback and login), read from the raw query string the same way on
 * every container: {@code application/x-www-form-urlencoded}, UTF-8, the first value of each name. A malformed
 * escape ({@code %zz}, a trailing {@code %}) or bytes that are not UTF-8 make the whole query malformed, which the
 * front door answers with a 400 page instead of the container's exception. Immutable and thread-safe.
 */
final class Query {
    /** Longer than anything Discord or the library sends; a longer query is refused as malformed. */
    static final int MAX_LENGTH = 8192;
    private static final Query EMPTY = new Query(Map.of());

    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    /** The request's query, or empty when it is malformed. */
    static Optional<Query> of(LoginCore.Exchange request) {
        return parse(request.rawQuery());
    }

    /** The query string's parameters (null: none), or empty when it is malformed. */
    static Optional<Query> parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Optional.of(EMPTY);
        }
        if (raw.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
            if (name == null || value == null) {
                return Optional.empty();
            }
            values.putIfAbsent(name, value);
        }
        return Optional.of(new Query(Collections.unmodifiableMap(values)));
    }

    /** The first value of {@code name} ({@code ""} for {@code ?name} without {@code =}), or null. */
    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** Percent-decoded, {@code +} as a space, strictly UTF-8; null when malformed. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int high = Character.digit(s.charAt(i + 1), 16);
                int low = Character.digit(s.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
