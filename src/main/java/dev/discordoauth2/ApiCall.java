package dev.discordoauth2;

import jakarta.ws.rs.client.Entity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Discord request to make: method, route template (for rate-limit buckets, logs and messages), the path with ids
 * filled in, query, credentials, body, and whether it may be retried. Immutable once built; not thread-safe while
 * built.
 */
final class ApiCall {
    final String method;
    final String template;
    final String path;
    final String topLevelId;
    final Map<String, String> query = new LinkedHashMap<>();
    String authorization;
    Entity<?> body;
    boolean retryable;

    private ApiCall(String method, String template, String path, String topLevelId) {
        this.method = method;
        this.template = template;
        this.path = path;
        this.topLevelId = topLevelId;
    }

    static ApiCall of(String method, String template) {
        return new ApiCall(method, template, template, null);
    }

    /** A route with ids: {@code of("GET", "/users/@me/guilds/{guild.id}/member", "/users/@me/guilds/1/member", "1")}. */
    static ApiCall of(String method, String template, String path, String topLevelId) {
        return new ApiCall(method, template, path, topLevelId);
    }

    ApiCall auth(String authorization) {
        this.authorization = authorization;
        return this;
    }

    ApiCall body(Entity<?> body) {
        this.body = body;
        return this;
    }

    ApiCall query(String name, String value) {
        query.put(name, value);
        return this;
    }

    /** GET, PUT and DELETE are idempotent: retried on 5xx and transport errors. */
    ApiCall retryable(boolean retryable) {
        this.retryable = retryable;
        return this;
    }

    /** {@code "GET /users/@me"}: what messages and logs name; never ids of users, never credentials. */
    String route() {
        return method + " " + template;
    }
}
