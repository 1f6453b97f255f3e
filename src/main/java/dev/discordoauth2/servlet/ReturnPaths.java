package dev.discordoauth2.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;

/**
 * The filter's decisions, free of servlet state so they can be tested alone: which requests are top-level browser
 * navigations (redirected to Discord, return URL saved), which are API or asset requests (401, never redirected,
 * never saved), and which return paths are safe (same origin, inside the application). Stateless.
 */
final class ReturnPaths {
    private static final Set<String> ASSET_EXTENSIONS = Set.of("css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif",
            "svg", "ico", "webp", "avif", "woff", "woff2", "ttf", "otf", "eot", "json", "txt", "xml", "webmanifest");
    private static final Set<String> ASSET_DESTINATIONS = Set.of("image", "script", "style", "font", "manifest",
            "audio", "video", "track", "worker", "sharedworker", "serviceworker");

    private ReturnPaths() {
    }

    /**
     * Whether a return path stays inside this application: starts with one {@code /}, no {@code //} or {@code /\}
     * (protocol-relative), no scheme, no control characters.
     */
    static boolean isLocal(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/' || path.length() > 2048) {
            return false;
        }
        if (path.length() > 1 && (path.charAt(1) == '/' || path.charAt(1) == '\\')) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * A navigation the browser makes itself: GET (or HEAD), an {@code Accept} naming {@code text/html} (or none), no
     * {@code X-Requested-With}, {@code Sec-Fetch-Mode} absent or {@code navigate}, not an asset.
     */
    static boolean isNavigation(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        if ("XMLHttpRequest".equalsIgnoreCase(request.getHeader("X-Requested-With"))) {
            return false;
        }
        String mode = request.getHeader("Sec-Fetch-Mode");
        if (mode != null && !mode.equalsIgnoreCase("navigate")) {
            return false;
        }
        String accept = request.getHeader("Accept");
        if (accept != null && !accept.isBlank() && !accept.toLowerCase(Locale.ROOT).contains("text/html")) {
            return false;
        }
        return !isAsset(request);
    }

    /** Static resources: by {@code Sec-Fetch-Dest} or by file extension. */
    static boolean isAsset(HttpServletRequest request) {
        String dest = request.getHeader("Sec-Fetch-Dest");
        if (dest != null && ASSET_DESTINATIONS.contains(dest.toLowerCase(Locale.ROOT))) {
            return true;
        }
        String path = request.getRequestURI();
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash && ASSET_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The request's path and query inside the application, e.g. {@code /profile?tab=guilds}. */
    static String of(HttpServletRequest request) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String query = request.getQueryString();
        String path = uri.isEmpty() ? "/" : uri;
        return query == null ? path : path + "?" + query;
    }
}
