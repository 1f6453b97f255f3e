package dev.discordoauth2;

import java.nio.charset.StandardCharsets;

/**
 * Builds a URL query string, percent-encoding every byte outside RFC 3986's unreserved set, so a space is
 * {@code %20} (as Discord documents for scopes), never {@code +}. Not thread-safe.
 */
final class QueryString {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private final StringBuilder out = new StringBuilder(256);

    QueryString add(String name, String value) {
        if (out.length() > 0) {
            out.append('&');
        }
        encode(name);
        out.append('=');
        encode(value);
        return this;
    }

    private void encode(String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
