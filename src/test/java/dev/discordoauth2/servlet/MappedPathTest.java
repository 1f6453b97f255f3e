package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.discordoauth2.testkit.TestRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;

/** The path a request is routed by: servlet path and path info as the container mapped them, whatever the mapping. */
class MappedPathTest {
    /** Exactly these two values as a container may report them (null and empty included), over a test kit request. */
    private static HttpServletRequest request(String servletPath, String pathInfo) {
        return new HttpServletRequestWrapper(TestRequest.get("/").build()) {
            @Override
            public String getServletPath() {
                return servletPath;
            }

            @Override
            public String getPathInfo() {
                return pathInfo;
            }
        };
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
