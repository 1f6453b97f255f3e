package dev.discordoauth2.web;

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

    private static final int MAX_RETURN_PATH = 2048;

    private ReturnPaths() {
    }

    /**
     * Whether a return path is a path (and query) inside this application that is already in normal form, so that
     * neither the container nor the browser rewrites it into something else when it becomes a redirect:
     * <ul>
     * <li>at most 2048 characters, printable ASCII only (no white space, no control or non-ASCII character: those
     * arrive percent-encoded), no backslash, no {@code #} (a fragment is refused);</li>
     * <li>a path starting with exactly one {@code /}, optionally followed by {@code ?} and a query;</li>
     * <li>every {@code %} starts a well-formed escape ({@code %zz} or a trailing {@code %} is refused);</li>
     * <li>in the path, no escape of a slash, backslash, control or white-space character ({@code %2F}, {@code %5C},
     * {@code %00}–{@code %20}, {@code %7F}) nor of the overlong UTF-8 lead bytes {@code %C0}/{@code %C1}; a
     * double-encoded {@code %25XX} (also {@code %25%32%65}) must not decode to {@code .}, {@code %}, or anything
     * refused at the first level;</li>
     * <li>in the path, once decoded, no empty segment ({@code //}) except a trailing slash, and no segment that is
     * {@code .} or {@code ..} (also before a {@code ;} path parameter, as in {@code ..;x});</li>
     * <li>in the query, no escape of a control character ({@code %20} is fine there).</li>
     * </ul>
     * Anything else is not local: the caller uses {@code discord.after-login-uri} instead. {@code null} is not local.
     */
    static boolean isLocal(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_RETURN_PATH || path.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#') {
                return false;
            }
        }
        int question = path.indexOf('?');
        String rawPath = question < 0 ? path : path.substring(0, question);
        String query = question < 0 ? "" : path.substring(question + 1);
        String decoded = decodePath(rawPath);
        return decoded != null && isNormalPath(decoded) && isSafeQuery(query);
    }

    /**
     * {@code rawPath} decoded once (bytes as ISO-8859-1 characters), or {@code null} when an escape is malformed or
     * decodes to a byte that is refused in a path, at the first or (for {@code %25}) the second level.
     */
    private static String decodePath(String rawPath) {
        StringBuilder once = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '%') {
                once.append(c);
                continue;
            }
            int b = escapedByte(rawPath, i);
            if (b < 0 || isRefusedInPath(b)) {
                return null;
            }
            once.append((char) b);
            i += 2;
        }
        // second level: only the escapes that the first decoding made (%25XX, %25%32%65, ...)
        String first = once.toString();
        for (int i = 0; i < first.length(); i++) {
            if (first.charAt(i) == '%') {
                int b = escapedByte(first, i);
                if (b >= 0 && (isRefusedInPath(b) || b == '.' || b == '%')) {
                    return null;
                }
            }
        }
        return first;
    }

    private static boolean isRefusedInPath(int b) {
        return b <= 0x20 || b == 0x7f || b == '/' || b == '\\' || b == 0xc0 || b == 0xc1;
    }

    /** No {@code //} (a trailing {@code /} is fine) and no {@code .} or {@code ..} segment, path parameters aside. */
    private static boolean isNormalPath(String decoded) {
        if (decoded.equals("/")) {
            return true;
        }
        String[] segments = decoded.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() && i == segments.length - 1) {
                continue;
            }
            int semicolon = segment.indexOf(';');
            String name = semicolon < 0 ? segment : segment.substring(0, semicolon);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSafeQuery(String query) {
        for (int i = 0; i < query.length(); i++) {
            if (query.charAt(i) == '%') {
                int b = escapedByte(query, i);
                if (b < 0x20 || b == 0x7f) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    /** The byte of the escape {@code %XX} at {@code percent}, or -1 when it is not two hex digits. */
    private static int escapedByte(String s, int percent) {
        if (percent + 2 >= s.length()) {
            return -1;
        }
        int high = hex(s.charAt(percent + 1));
        int low = hex(s.charAt(percent + 2));
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * A navigation the browser makes itself: GET (or HEAD), an {@code Accept} naming {@code text/html} (or none), no
     * {@code X-Requested-With}, {@code Sec-Fetch-Mode} absent or {@code navigate}, not an asset.
     */
    static boolean isNavigation(LoginCore.Exchange request) {
        String method = request.method();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        if ("XMLHttpRequest".equalsIgnoreCase(request.header("X-Requested-With"))) {
            return false;
        }
        String mode = request.header("Sec-Fetch-Mode");
        if (mode != null && !mode.equalsIgnoreCase("navigate")) {
            return false;
        }
        String accept = request.header("Accept");
        if (accept != null && !accept.isBlank() && !accept.toLowerCase(Locale.ROOT).contains("text/html")) {
            return false;
        }
        return !isAsset(request);
    }

    /** Static resources: by {@code Sec-Fetch-Dest} or by file extension. */
    static boolean isAsset(LoginCore.Exchange request) {
        String dest = request.header("Sec-Fetch-Dest");
        if (dest != null && ASSET_DESTINATIONS.contains(dest.toLowerCase(Locale.ROOT))) {
            return true;
        }
        String path = request.rawPath();
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash && ASSET_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The request's path and query inside the application, e.g. {@code /profile?tab=guilds}. */
    static String of(LoginCore.Exchange request) {
        String uri = request.rawPath();
        String query = request.rawQuery();
        String path = uri.isEmpty() ? "/" : uri;
        return query == null ? path : path + "?" + query;
    }
}
