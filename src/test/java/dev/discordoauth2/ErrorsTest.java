package dev.discordoauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Discord's documented error bodies turned into typed exceptions. */
class ErrorsTest {
    private static final ApiCall TOKEN = ApiCall.of("POST", "/oauth2/token");
    private static final ApiCall ME = ApiCall.of("GET", "/users/@me");

    @Test
    void toExceptionWhenInvalidGrantThenInvalidGrantExceptionWithOAuthFields() {
        HttpException e = Errors.toException(TOKEN, 400, Fixtures.read("invalid-grant.json"));
        InvalidGrantException grant = assertInstanceOf(InvalidGrantException.class, e);
        assertEquals(400, grant.status());
        assertEquals(Optional.of("invalid_grant"), grant.error());
        assertEquals(Optional.of("Invalid \"refresh_token\" in request"), grant.errorDescription());
        assertEquals("POST /oauth2/token failed: HTTP 400 invalid_grant (Invalid \"refresh_token\" in request)",
                grant.getMessage());
    }

    @Test
    void toExceptionWhenFormErrorThenCodeMessageAndErrorsTree() {
        HttpException e = Errors.toException(ME, 400, Fixtures.read("form-error.json"));
        assertEquals(HttpException.class, e.getClass());
        assertEquals(50035, e.code().getAsInt());
        assertEquals(Optional.of("Invalid Form Body"), e.discordMessage());
        assertEquals("BASE_TYPE_REQUIRED", e.errors().orElseThrow().getJsonObject("access_token")
                .getJsonArray("_errors").getJsonObject(0).getString("code"));
        assertTrue(e.getMessage().contains("Invalid Form Body (code 50035)"));
    }

    @Test
    void toExceptionWhenStatusThenMatchingSubtype() {
        String unauthorized = "{\"message\": \"401: Unauthorized\", \"code\": 0}";
        assertInstanceOf(ForbiddenException.class, Errors.toException(ME, 401, unauthorized));
        assertInstanceOf(ForbiddenException.class, Errors.toException(ME, 403,
                "{\"message\": \"Missing Permissions\", \"code\": 50013}"));
        NotFoundException notFound = assertInstanceOf(NotFoundException.class, Errors.toException(ME, 404,
                "{\"message\": \"Unknown Guild\", \"code\": 10004}"));
        assertEquals(10004, notFound.code().getAsInt());
        HttpException server = Errors.toException(ME, 502, "<html>Bad Gateway</html>");
        assertEquals(HttpException.class, server.getClass());
        assertEquals(502, server.status());
        assertTrue(server.code().isEmpty());
        assertEquals("GET /users/@me failed: HTTP 502", server.getMessage());
    }

    @Test
    void tooManyRequestsWhenUserLimitThenRetryAfterFromBodyAndHeaders() {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.putSingle("Retry-After", "65");
        headers.putSingle("X-RateLimit-Scope", "user");
        headers.putSingle("X-RateLimit-Bucket", "abcd1234");
        Errors.TooManyRequests limited = Errors.tooManyRequests(headers, Fixtures.read("rate-limited-user.json"));
        assertEquals(Duration.ofMillis(64570), limited.retryAfter());
        assertFalse(limited.global());
        assertEquals("user", limited.scope());
        RateLimitedException e = limited.toException(ME, "");
        assertEquals(Optional.of("abcd1234"), e.bucket());
        assertEquals(Optional.of("user"), e.scope());
        assertEquals(429, e.status());
        assertFalse(e.cloudflareBan());
    }

    @Test
    void tooManyRequestsWhenGlobalThenGlobal() {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.putSingle("Retry-After", "65");
        headers.putSingle("X-RateLimit-Global", "true");
        headers.putSingle("X-RateLimit-Scope", "global");
        Errors.TooManyRequests limited = Errors.tooManyRequests(headers, Fixtures.read("rate-limited-global.json"));
        assertTrue(limited.global());
        assertTrue(limited.toException(ME, "").global());
    }

    @Test
    void tooManyRequestsWhenOnlyHeaderThenRetryAfterFromHeader() {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.putSingle("Retry-After", "3");
        assertEquals(Duration.ofSeconds(3), Errors.tooManyRequests(headers, "{}").retryAfter());
    }

    @Test
    void tooManyRequestsWhenCloudflareHtmlWithoutRetryAfterThenCloudflareBan() {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.putSingle("Content-Type", "text/html; charset=UTF-8");
        Errors.TooManyRequests limited = Errors.tooManyRequests(headers, "<html><h1>Error 1015</h1></html>");
        assertTrue(limited.cloudflare());
        RateLimitedException e = limited.toException(ME, "");
        assertTrue(e.cloudflareBan());
        assertEquals(RateLimitedException.CLOUDFLARE_BAN_RETRY, e.retryAfter());
    }
}
