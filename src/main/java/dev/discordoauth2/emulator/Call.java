package dev.discordoauth2.emulator;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One request being answered: method, path, headers, body, and the route it matched. Not thread-safe. */
final class Call {
    final String method;
    final String path;
    final String query;
    final Headers headers;
    final byte[] body;
    final String remoteHost;
    String route;
    /** When it arrived (the emulator's clock), before any fault's delay; null for a call made in-process. */
    java.time.Instant receivedAt;
    Map<String, String> pathParams = Map.of();
    private Map<String, List<String>> queryParams;
    private Map<String, List<String>> formParams;

    Call(String method, String path, String query, Headers headers, byte[] body, String remoteHost) {
        this.method = method;
        this.path = path;
        this.query = query == null ? "" : query;
        this.headers = headers;
        this.body = body;
        this.remoteHost = remoteHost;
    }

    String header(String name) {
        return headers.getFirst(name);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    String mediaType() {
        String type = header("Content-Type");
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    boolean isForm() {
        return mediaType().equals("application/x-www-form-urlencoded");
    }

    /** First value of a query parameter, or {@code null}. */
    String queryParam(String name) {
        if (queryParams == null) {
            queryParams = RecordedRequest.decodeForm(query);
        }
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    Map<String, List<String>> queryParams() {
        if (queryParams == null) {
            queryParams = RecordedRequest.decodeForm(query);
        }
        return queryParams;
    }

    /** First value of a form body parameter, or {@code null}; only for form bodies. */
    String formParam(String name) {
        List<String> values = formParams().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    Map<String, List<String>> formParams() {
        if (formParams == null) {
            formParams = isForm() ? RecordedRequest.decodeForm(bodyText()) : Map.of();
        }
        return formParams;
    }

    /** The credential after {@code "<scheme> "} in the Authorization header, or {@code null}. */
    String authorization(String scheme) {
        String value = header("Authorization");
        if (value == null || value.length() <= scheme.length() + 1
                || !value.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1)) {
            return null;
        }
        return value.substring(scheme.length() + 1).trim();
    }

    /** HTTP Basic credentials as {@code [user, password]}, or {@code null} when absent or malformed. */
    String[] basicCredentials() {
        String encoded = authorization("Basic");
        if (encoded == null) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A cookie's value, or {@code null}. */
    String cookie(String name) {
        List<String> cookies = headers.get("Cookie");
        if (cookies == null) {
            return null;
        }
        for (String header : cookies) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }
}
