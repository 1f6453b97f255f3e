package dev.discordoauth2.emulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's own JSON reader and writer. It deliberately shares nothing with the client's JSON-B mapping, so that
 * a field the client misreads cannot be hidden by the same misreading here.
 *
 * <p>Objects are {@link LinkedHashMap}s (key order kept), arrays {@link List}s, numbers {@link BigDecimal}, and JSON
 * {@code null} is the {@link #NULL} marker, so that an absent key and a {@code null} value stay apart. Stateless and
 * thread-safe.
 */
final class Json {

    /** JSON {@code null} as a value, distinct from an absent key. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private Json() {
    }

    /** Thrown for text that is not JSON. */
    static final class MalformedJsonException extends Exception {
        MalformedJsonException(String message) {
            super(message);
        }
    }

    static Object parse(String text) throws MalformedJsonException {
        Parser parser = new Parser(text);
        parser.skipWhitespace();
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw new MalformedJsonException("trailing characters at " + parser.pos);
        }
        return value;
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder(128);
        write(value, out);
        return out.toString();
    }

    /** Writes {@code null} and {@link #NULL} as JSON null; maps, lists, strings, numbers and booleans as such. */
    private static void write(Object value, StringBuilder out) {
        if (value == null || value == NULL) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof BigDecimal) {
            out.append(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
        } else if (value instanceof Double d) {
            out.append(BigDecimal.valueOf(d).toPlainString());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(String.valueOf(e.getKey()), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Iterable<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static final class Parser {
        /** RFC 8259 number: no leading zeros, digits on both sides of the point, an optional exponent. */
        private static final java.util.regex.Pattern NUMBER =
                java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private final String text;
        private int pos;
        private int depth;

        Parser(String text) {
            this.text = text;
        }

        Object value() throws MalformedJsonException {
            if (pos >= text.length()) {
                throw new MalformedJsonException("unexpected end of input");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", NULL);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw new MalformedJsonException("unexpected character at " + pos);
                }
            };
        }

        private Map<String, Object> object() throws MalformedJsonException {
            enter();
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw new MalformedJsonException("expected a key at " + pos);
                }
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value());
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    depth--;
                    return map;
                }
                if (c != ',') {
                    throw new MalformedJsonException("expected , or } at " + (pos - 1));
                }
            }
        }

        private List<Object> array() throws MalformedJsonException {
            enter();
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value());
                skipWhitespace();
                char c = next();
                if (c == ']') {
                    depth--;
                    return list;
                }
                if (c != ',') {
                    throw new MalformedJsonException("expected , or ] at " + (pos - 1));
                }
            }
        }

        private void enter() throws MalformedJsonException {
            if (++depth > 64) {
                throw new MalformedJsonException("nested too deeply");
            }
        }

        private String string() throws MalformedJsonException {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    char e = next();
                    switch (e) {
                        case '"', '\\', '/' -> sb.append(e);
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            if (pos + 4 > text.length() || !text.substring(pos, pos + 4).chars()
                                    .allMatch(h -> "0123456789abcdefABCDEF".indexOf(h) >= 0)) {
                                throw new MalformedJsonException("bad unicode escape at " + pos);
                            }
                            try {
                                sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw new MalformedJsonException("bad unicode escape at " + pos);
                            }
                            pos += 4;
                        }
                        default -> throw new MalformedJsonException("bad escape at " + (pos - 1));
                    }
                } else if (c < 0x20) {
                    throw new MalformedJsonException("control character in string at " + (pos - 1));
                } else {
                    sb.append(c);
                }
            }
        }

        private BigDecimal number() throws MalformedJsonException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            if (!NUMBER.matcher(text.substring(start, pos)).matches()) {
                throw new MalformedJsonException("bad number at " + start);
            }
            try {
                return new BigDecimal(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new MalformedJsonException("bad number at " + start);
            }
        }

        private Object literal(String word, Object value) throws MalformedJsonException {
            if (!text.startsWith(word, pos)) {
                throw new MalformedJsonException("unexpected literal at " + pos);
            }
            pos += word.length();
            return value;
        }

        private char peek() throws MalformedJsonException {
            if (pos >= text.length()) {
                throw new MalformedJsonException("unexpected end of input");
            }
            return text.charAt(pos);
        }

        private char next() throws MalformedJsonException {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) throws MalformedJsonException {
            if (next() != c) {
                throw new MalformedJsonException("expected " + c + " at " + (pos - 1));
            }
        }

        void skipWhitespace() {
            while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }
    }
}
