package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter's decisions, on a minimal request stand-in (the only servlet edge these need). */
class ReturnPathsTest {
    private static HttpServletRequest request(String method, String uri, String query, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(ReturnPathsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> "/app";
                    case "getQueryString" -> query;
                    case "getHeader" -> headers.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Test
    void isLocalWhenPathInsideApplicationThenTrue() {
        for (String ok : List.of("/", "/profile", "/a/b?x=1&y=%2F", "/page#top")) {
            assertTrue(ReturnPaths.isLocal(ok), ok);
        }
    }

    @Test
    void isLocalWhenAbsoluteProtocolRelativeOrControlCharactersThenFalse() {
        for (String bad : List.of("", "profile", "https://evil.example/", "//evil.example", "/\\evil.example",
                "/ok\r\nSet-Cookie: x=y", "/a\\b", "javascript:alert(1)")) {
            assertFalse(ReturnPaths.isLocal(bad), bad);
        }
        assertFalse(ReturnPaths.isLocal(null));
        assertFalse(ReturnPaths.isLocal("/" + "a".repeat(3000)));
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
