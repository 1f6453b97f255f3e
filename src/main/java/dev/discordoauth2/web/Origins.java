package dev.discordoauth2.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The request's own origin, and absolute URLs into the application built on it: every redirect into the application
 * is sent as {@code scheme://host:port/context/path}, so no container normalisation of a relative {@code Location}
 * can move it to another host. Also the same-origin check for state-changing POSTs. Stateless.
 */
final class Origins {
    private Origins() {
    }

    /**
     * {@code scheme://host[:port]} from a request's scheme, host and port, the port left out when it is the scheme's
     * default (for the adapters' {@link LoginCore.Exchange#origin()}).
     */
    static String of(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        boolean defaultPort = port <= 0 || ("http".equals(s) && port == 80) || ("https".equals(s) && port == 443);
        return s + "://" + h.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** The absolute URL of {@code path} (a path inside the application, starting with {@code /}). */
    static String app(LoginCore.Exchange request, String path) {
        return request.origin() + request.contextPath() + path;
    }

    /**
     * Whether a state-changing request comes from the application's own pages: its {@code Origin} is the request's
     * origin (or {@code trusted}, the origin of an absolute redirect URI, when behind a proxy); without
     * {@code Origin}, {@code Sec-Fetch-Site} must be {@code same-origin} or {@code none}; without either, a
     * {@code Referer} must be on the same origin. A request with none of the three (not a browser) passes.
     */
    static boolean isSameOrigin(LoginCore.Exchange request, String trusted) {
        String own = request.origin();
        String origin = request.header("Origin");
        if (origin != null) {
            return matches(origin.trim(), own, trusted);
        }
        String site = request.header("Sec-Fetch-Site");
        if (site != null) {
            String s = site.trim().toLowerCase(Locale.ROOT);
            return s.equals("same-origin") || s.equals("none");
        }
        String referer = request.header("Referer");
        if (referer != null) {
            String refererOrigin = originOf(referer.trim());
            return refererOrigin != null && matches(refererOrigin, own, trusted);
        }
        return true;
    }

    private static boolean matches(String origin, String own, String trusted) {
        String normal = originOf(origin);
        return normal != null && (normal.equals(own) || normal.equals(trusted));
    }

    /** The origin of an absolute http(s) URL in normal form, or null. */
    static String originOf(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80)
                    || ("https".equals(scheme) && port == 443);
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
