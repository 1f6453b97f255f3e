package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** The path a request is routed by: servlet path and path info as the container mapped them, whatever the mapping. */
class MappedPathTest {
    private static HttpServletRequest request(String servletPath, String pathInfo) {
        return (HttpServletRequest) Proxy.newProxyInstance(MappedPathTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> pathInfo;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void mappedPathWhenAnyMappingThenServletPathAndPathInfoJoined() {
        assertEquals("/oauth2/callback", ServletExchange.mappedPath(request("/oauth2/callback", null))); // exact
        assertEquals("/oauth2/callback", ServletExchange.mappedPath(request("/oauth2/callback", "")));
        assertEquals("/oauth2/callback", ServletExchange.mappedPath(request("", "/oauth2/callback"))); // /*
        assertEquals("/oauth2/callback", ServletExchange.mappedPath(request(null, "/oauth2/callback")));
        assertEquals("/oauth2/callback", ServletExchange.mappedPath(request("/oauth2", "/callback"))); // /oauth2/*
        assertEquals("/", ServletExchange.mappedPath(request("", null)));
        assertEquals("/", ServletExchange.mappedPath(request(null, null)));
        assertEquals("/", ServletExchange.mappedPath(request("", "")));
        assertEquals("/", ServletExchange.mappedPath(request("", "/"))); // the context root under /*
    }
}
