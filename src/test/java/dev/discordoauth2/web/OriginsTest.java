package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The request's origin, absolute URLs into the application, and the same-origin check of state-changing posts. */
class OriginsTest {

    /** A request of {@code scheme://host:port/ctx} with these headers (name, value, ...). */
    private static TestExchange request(String scheme, String host, int port, String... headers) {
        TestExchange e = TestExchange.get("/").contextPath("/ctx").origin(Origins.of(scheme, host, port));
        for (int i = 0; i < headers.length; i += 2) {
            e.header(headers[i], headers[i + 1]);
        }
        return e;
    }

    @Test
    void ofWhenDefaultPortThenLeftOut() {
        assertEquals("https://app.example", Origins.of("https", "App.Example", 443));
        assertEquals("http://127.0.0.1:8080", Origins.of("http", "127.0.0.1", 8080));
        assertEquals("http://[::1]:8080", Origins.of("http", "::1", 8080));
    }

    @Test
    void appWhenPathThenAbsoluteOnOwnOriginAndContext() {
        assertEquals("http://127.0.0.1:8080/ctx/profile?x=1", Origins.app(request("http", "127.0.0.1", 8080),
                "/profile?x=1"));
    }

    @Test
    void isSameOriginWhenOriginHeaderThenComparedWithRequestOrTrustedOrigin() {
        assertTrue(Origins.isSameOrigin(request("http", "127.0.0.1", 8080, "Origin", "http://127.0.0.1:8080"), null));
        assertFalse(Origins.isSameOrigin(request("http", "127.0.0.1", 8080, "Origin", "https://evil.example"), null));
        assertFalse(Origins.isSameOrigin(request("http", "127.0.0.1", 8080, "Origin", "null"), null));
        assertFalse(Origins.isSameOrigin(request("http", "127.0.0.1", 8080, "Origin", "http://127.0.0.1:8081"), null));
        assertTrue(Origins.isSameOrigin(request("http", "10.0.0.5", 8080, "Origin", "https://app.example"),
                "https://app.example"), "behind a proxy: the redirect URI's origin");
        assertFalse(Origins.isSameOrigin(request("http", "127.0.0.1", 8080, "Origin", "https://evil.example",
                "Sec-Fetch-Site", "same-origin"), null), "Origin wins over the other headers");
    }

    @Test
    void isSameOriginWhenNoOriginThenFetchMetadataThenReferer() {
        assertTrue(Origins.isSameOrigin(request("http", "h", 80, "Sec-Fetch-Site", "same-origin"), null));
        assertTrue(Origins.isSameOrigin(request("http", "h", 80, "Sec-Fetch-Site", "none"), null));
        assertFalse(Origins.isSameOrigin(request("http", "h", 80, "Sec-Fetch-Site", "same-site"), null));
        assertFalse(Origins.isSameOrigin(request("http", "h", 80, "Sec-Fetch-Site", "cross-site"), null));
        assertTrue(Origins.isSameOrigin(request("http", "h", 80, "Referer", "http://h/ctx/page"), null));
        assertFalse(Origins.isSameOrigin(request("http", "h", 80, "Referer", "http://evil.example/h"), null));
        assertFalse(Origins.isSameOrigin(request("http", "h", 80, "Referer", "not a url"), null));
        assertTrue(Origins.isSameOrigin(request("http", "h", 80), null), "no browser headers: not a browser");
    }

    @Test
    void originOfWhenNotHttpThenNull() {
        assertNull(Origins.originOf("javascript:alert(1)"));
        assertNull(Origins.originOf("//evil.example"));
        assertEquals("https://a.example:8443", Origins.originOf("HTTPS://A.example:8443/x"));
    }
}
