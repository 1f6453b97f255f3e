package dev.discordoauth2.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A response the emulator sends: status, headers and body. Not thread-safe; built per request. */
final class Reply {
    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, List<String>> headers = new LinkedHashMap<>();

    private Reply(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    static Reply json(int status, Object value) {
        return new Reply(status, "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    static Reply raw(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply bytes(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, body);
    }

    static Reply html(int status, String html) {
        return new Reply(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    static Reply empty(int status) {
        return new Reply(status, null, new byte[0]);
    }

    /** A 302 to the given location. */
    static Reply redirect(String location) {
        return empty(302).header("Location", location).header("Cache-Control", "no-store");
    }

    Reply header(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    /** Discord's error body {@code {"message": ..., "code": ...}}. */
    static Reply discordError(int status, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("code", code);
        return json(status, body);
    }

    /** {@code 401 {"message": "401: Unauthorized", "code": 0}}: bad token, wrong token type or missing scope. */
    static Reply unauthorized() {
        return discordError(401, 0, "401: Unauthorized");
    }

    static Reply notFound() {
        return discordError(404, 0, "404: Not Found");
    }

    /** An RFC 6749 §5.2 error of the token endpoint; the description is left out when {@code null}. */
    static Reply oauthError(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (description != null) {
            body.put("error_description", description);
        }
        return json(status, body);
    }

    /** Thrown by route code to answer at once with a reply (an error, usually). */
    static final class Stop extends RuntimeException {
        final transient Reply reply;

        Stop(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    Stop stop() {
        return new Stop(this);
    }
}
