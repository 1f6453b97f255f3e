package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter's decisions, on a minimal request stand-in (the only servlet edge these need). */
class ReturnPathsTest {
    private static TestExchange request(String method, String uri, String query, Map<String, String> headers) {
        TestExchange e = TestExchange.get((uri.startsWith("/app") ? uri.substring(4) : uri)
                + (query == null ? "" : "?" + query)).method(method);
        headers.forEach(e::header);
        return e;
    }

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Test
    void isLocalWhenPathInsideApplicationThenTrue() {
        for (String ok : List.of("/", "/profile", "/a/b?x=1&y=%2F", "/protected/me?tab=guilds", "/a.b/c..d/e.",
                "/.well-known/x", "/...", "/a/", "/%C3%A9t%C3%A9", "/a%2eb", "/100%25", "/100%25off",
                "/a;jsessionid=1/b", "/search?q=a%20b", "/search?q=a+b&r=%2E%2E%2F%2F", "/s?q=/../..//x",
                "/p?q=%25", "/a?b?c", "/" + "a".repeat(2047))) {
            assertTrue(ReturnPaths.isLocal(ok), ok);
        }
    }

    @Test
    void isLocalWhenAbsoluteProtocolRelativeOrControlCharactersThenFalse() {
        for (String bad : List.of("", "profile", "https://evil.example/", "//evil.example", "/\\evil.example",
                "/ok\r\nSet-Cookie: x=y", "/a\\b", "javascript:alert(1)", "?x=1", "%2F%2Fevil.example")) {
            assertFalse(ReturnPaths.isLocal(bad), bad);
        }
        assertFalse(ReturnPaths.isLocal(null));
        assertFalse(ReturnPaths.isLocal("/" + "a".repeat(2048)));
        assertFalse(ReturnPaths.isLocal("/" + "a".repeat(3000)));
    }

    @Test
    void isLocalWhenDotSegmentRawOrEncodedThenFalse() {
        for (String bad : List.of("/./", "/.", "/..", "/./..", "/../x", "/a/../../", "/a/..", "/a/./b",
                "/.//evil.example", "/a/..//evil.example", "/a/b/../..//evil.example",
                "/..//evil.example", "/%2e", "/%2E", "/%2e%2e", "/%2E%2e/x", "/.%2e/x", "/%2e./x", "/a/%2e%2e",
                "/%252e/x", "/%252E%252e/x", "/a%252eb", "/%25%32%65/x", "/%25%32e/x", "/%252%65/x", "/%25252e/x",
                "/..;/x", "/.;x/y", "/a/..;jsessionid=1/", "/%2e%2e%3b/x", "/%C0%AE%C0%AE/x", "/%c0%ae/x",
                "/x/..?q=1")) {
            assertFalse(ReturnPaths.isLocal(bad), bad);
        }
    }

    @Test
    void isLocalWhenEmptySegmentOrEncodedSlashOrBackslashThenFalse() {
        for (String bad : List.of("/a//b", "/a/b//", "/%2F/evil.example", "/%2fevil.example", "/a%2Fb", "/a%2f",
                "/%5Cevil.example", "/%5cx", "/a%255Cb", "/A%252FB", "/;x/y",
                "/\\/evil.example", "/a\\..\\x", "/\\evil.example?q=1")) {
            assertFalse(ReturnPaths.isLocal(bad), bad);
        }
    }

    @Test
    void isLocalWhenWhitespaceOrControlRawOrEncodedThenFalse() {
        for (String bad : List.of("/a b", "/a\tb", "/a\u0000", "/a\u007f", "/a\u0085", "/a\u00a0b", "/a\u2028b",
                "/a\u2029b", "/a\u3000b", "/a\u200bb", "/a\u202eb", "/\u00e9t\u00e9", "/a%00", "/a%0d%0aSet-Cookie:x",
                "/a%0A", "/a%09b", "/a%20b", "/a%7F", "/a%7f", "/a%1f", "/a%2509", "/a%250d%250a",
                "/s?q=a b", "/s?q=a%0d%0aX:y", "/s?q=%00", "/s?q=%7f", "/s?q=a\tb", "/s?q=\\", "/s?q=\u00a0")) {
            assertFalse(ReturnPaths.isLocal(bad), bad);
        }
    }

    @Test
    void isLocalWhenMalformedEscapeOrFragmentThenFalse() {
        for (String bad : List.of("/%zz", "/a%", "/a%2", "/a%g0", "/%%2e", "/s?q=%", "/s?q=%zz", "/s?q=%2",
                "/page#top", "/p?q=1#f", "/#", "/a%23b#")) {
            assertFalse(ReturnPaths.isLocal(bad), bad);
        }
    }

    @Test
    void isNavigationWhenBrowserGetThenTrue() {
        assertTrue(ReturnPaths.isNavigation(request("GET", "/app/profile", null, Map.of("Accept", BROWSER_ACCEPT,
                "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"))));
        assertTrue(ReturnPaths.isNavigation(request("GET", "/app/profile", null, Map.of())), "no Accept at all");
    }

    @Test
    void isNavigationWhenApiAjaxFetchPostOrAssetThenFalse() {
        assertFalse(ReturnPaths.isNavigation(request("GET", "/app/api", null, Map.of("Accept", "application/json"))));
        assertFalse(ReturnPaths.isNavigation(request("GET", "/app/api", null, Map.of("Accept", "*/*"))));
        assertFalse(ReturnPaths.isNavigation(request("GET", "/app/p", null, Map.of("Accept", BROWSER_ACCEPT,
                "X-Requested-With", "XMLHttpRequest"))));
        assertFalse(ReturnPaths.isNavigation(request("GET", "/app/p", null, Map.of("Accept", BROWSER_ACCEPT,
                "Sec-Fetch-Mode", "cors"))));
        assertFalse(ReturnPaths.isNavigation(request("POST", "/app/p", null, Map.of("Accept", BROWSER_ACCEPT))));
        assertFalse(ReturnPaths.isNavigation(request("GET", "/app/style.css", null, Map.of("Accept", BROWSER_ACCEPT))));
        assertFalse(ReturnPaths.isNavigation(request("GET", "/app/img", null, Map.of("Accept", BROWSER_ACCEPT,
                "Sec-Fetch-Dest", "image"))));
    }

    @Test
    void ofWhenQueryThenPathAndQueryInsideApplication() {
        assertEquals("/profile?tab=guilds", ReturnPaths.of(request("GET", "/app/profile", "tab=guilds", Map.of())));
        assertEquals("/", ReturnPaths.of(request("GET", "/app", null, Map.of())));
    }
}
