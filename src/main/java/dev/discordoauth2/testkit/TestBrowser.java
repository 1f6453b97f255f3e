package dev.discordoauth2.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP "browser" for tests of a web application that logs in with Discord: a cookie jar (per host, for every
 * port, as browsers keep them), browser-like default headers ({@code Accept: text/html,application/xhtml+xml}, so the
 * library treats a {@link #get} as a page navigation and not as a script), and no automatic redirects:
 * {@link #get}/{@link #post} return each answer as it is, {@link #follow} takes one redirect, {@link #navigate} and
 * {@link #followRedirects} take them all. On the way, a consent page of a {@code DiscordEmulator} is answered with that
 * emulator's next queued decision ({@link NextLogins}), so "log in as user X" is
 * {@code NextLogins.of(emulator).as(X); browser.navigate(app + "/protected/page")}; {@link #consent} answers one
 * explicitly. It reads pages minimally: {@link #form} (inputs, selects, buttons), {@link #links}. On
 * {@code java.net.http.HttpClient}; no JavaScript, no HTML parser (the regular expressions suit well-formed pages such
 * as the library's and the emulator's). Thread-safe: requests may run at once (like tabs, sharing the cookies).
 */
public final class TestBrowser {
    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern SELECT = Pattern.compile("<select\\b([^>]*)>(.*?)</select>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("<option\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern TEXTAREA = Pattern.compile("<textarea\\b([^>]*)>(.*?)</textarea>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+)))?");
    private static final Pattern LINK = Pattern.compile("<a\\b[^>]*?\\bhref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_REDIRECTS = 20;

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final Map<String, String> defaultHeaders = new ConcurrentHashMap<>();
    private volatile Duration timeout = Duration.ofSeconds(60);
    private volatile HttpClient http = newClient();

    /** A browser with an empty cookie jar and the default headers. */
    public TestBrowser() {
        defaultHeaders.put("Accept", "text/html,application/xhtml+xml");
    }

    private HttpClient newClient() {
        return HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Sends {@code value} as header {@code name} on every request (a request's own headers win). */
    public TestBrowser defaultHeader(String name, String value) {
        defaultHeaders.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return this;
    }

    /** Stops sending a default header, e.g. {@code Accept} to look like a client that names no type. */
    public TestBrowser removeDefaultHeader(String name) {
        defaultHeaders.remove(name);
        return this;
    }

    /** How long one request may take before it fails (default 60 s). */
    public TestBrowser timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return this;
    }

    /** New connections, same cookies: the browser after a server restart. */
    public void reconnect() {
        http = newClient();
    }

    /** {@code GET url} with extra headers as name, value pairs; redirects are not followed. */
    public HttpResponse<String> get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    /** {@code POST url} with an {@code application/x-www-form-urlencoded} body; redirects are not followed. */
    public HttpResponse<String> post(String url, String form, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), headers);
    }

    /** {@code POST url} with these form fields, encoded in order. */
    public HttpResponse<String> post(String url, Map<String, String> form, String... headers) {
        return post(url, encode(form), headers);
    }

    /** Sends any request with this browser's cookies and default headers (its own headers win). */
    public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come as name, value pairs");
        }
        HttpRequest probe = request.copy().build();
        defaultHeaders.forEach((name, value) -> {
            if (probe.headers().firstValue(name).isEmpty()) {
                request.setHeader(name, value);
            }
        });
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        if (probe.timeout().isEmpty()) {
            request.timeout(timeout);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.build().method() + " " + probe.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Takes the redirect: {@code GET} of its {@code Location}. */
    public HttpResponse<String> follow(HttpResponse<String> redirect) {
        return get(location(redirect));
    }

    /**
     * {@code GET url}, then {@link #followRedirects}: where a browser ends up from the address bar, logging in on the
     * way when an emulator's next login is queued ({@link NextLogins}).
     */
    public HttpResponse<String> navigate(String url, String... headers) {
        return followRedirects(get(url, headers));
    }

    /**
     * Follows redirects (301, 302, 303, 307, 308 as {@code GET}; at most 20) and answers a {@code DiscordEmulator}'s
     * consent page met on the way with that emulator's next queued decision; returns the first answer that is neither
     * (a consent page with nothing queued is returned as it is).
     */
    public HttpResponse<String> followRedirects(HttpResponse<String> response) {
        HttpResponse<String> current = response;
        for (int hops = 0; hops <= MAX_REDIRECTS; hops++) {
            if (isRedirect(current)) {
                current = follow(current);
                continue;
            }
            if (!isConsentPage(current)) {
                return current;
            }
            NextLogins.Decision decision = NextLogins.serving(current.uri()).map(NextLogins::take).orElse(null);
            if (decision == null) {
                return current;
            }
            Form form = form(current, "consent").set("decision", decision.approve() ? "approve" : "deny");
            if (decision.approve()) {
                form.set("user_id", decision.userId());
            }
            if (decision.guildId() != null) {
                form.set("selected_guild_id", decision.guildId());
            }
            current = form.submit();
        }
        throw new IllegalStateException("more than " + MAX_REDIRECTS + " redirects, last at " + current.uri());
    }

    /**
     * Answers the emulator's consent page at {@code authorizeUrl} as {@code userId} with {@code decision}
     * ({@code "approve"} or {@code "deny"}); returns the emulator's answer (a redirect to the application, as a rule).
     */
    public HttpResponse<String> consent(String authorizeUrl, String userId, String decision) {
        HttpResponse<String> page = get(authorizeUrl);
        if (page.statusCode() != 200 || !isConsentPage(page)) {
            throw new IllegalStateException("no consent page at " + authorizeUrl + ": " + page.statusCode() + " "
                    + page.body());
        }
        return form(page, "consent").set("user_id", userId).set("decision", decision).submit();
    }

    private static boolean isRedirect(HttpResponse<String> response) {
        int status = response.statusCode();
        return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                && response.headers().firstValue("Location").isPresent();
    }

    private static boolean isConsentPage(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.uri().getPath() != null
                && response.uri().getPath().endsWith("/oauth2/authorize")
                && response.body().contains("<form method=\"post\" id=\"consent\">");
    }

    /** A cookie's value in the jar (any host), or empty. */
    public Optional<String> cookie(String name) {
        for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
            if (cookie.getName().equals(name)) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Puts a cookie into the jar for the host of {@code url} with {@code path} (e.g. the context path), such as
     * {@link DiscordTestLogin#into(TestBrowser, String, jakarta.servlet.ServletContext)}'s sealed login.
     */
    public void addCookie(String url, String name, String value, String path) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath(path == null || path.isEmpty() ? "/" : path);
        cookie.setVersion(0);
        URI uri = URI.create(url);
        cookies.getCookieStore().add(URI.create(uri.getScheme() + "://" + uri.getAuthority() + "/"), cookie);
    }

    /** Empties the cookie jar (a new private window). */
    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    /** The redirect target of a 3xx, resolved against the request's URL. */
    public static String location(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(
                "no Location in the " + response.statusCode() + " answer from " + response.uri()));
        return response.uri().resolve(location).toString();
    }

    /** The decoded query parameters of {@code url} (the first value of each), in order. */
    public static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                out.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The {@code href} of every link on the page, resolved against its URL, in order. */
    public static List<String> links(HttpResponse<String> page) {
        List<String> out = new ArrayList<>();
        Matcher m = LINK.matcher(page.body());
        while (m.find()) {
            out.add(page.uri().resolve(unescape(m.group(1) != null ? m.group(1) : m.group(2))).toString());
        }
        return out;
    }

    /**
     * The page's form whose {@code id} is {@code id} (or, when no form has that id, the {@code id}-th form counting
     * from 0 when {@code id} is a number), with its fields' current values, ready to change and submit.
     */
    public Form form(HttpResponse<String> page, String id) {
        List<java.util.regex.MatchResult> forms = new ArrayList<>();
        Matcher m = FORM.matcher(page.body());
        while (m.find()) {
            Map<String, String> attributes = attributes(m.group(1));
            if (id.equals(attributes.get("id"))) {
                return new Form(this, page.uri(), attributes, m.group(2));
            }
            forms.add(m.toMatchResult());
        }
        if (id.matches("\\d{1,9}") && Integer.parseInt(id) < forms.size()) {
            java.util.regex.MatchResult nth = forms.get(Integer.parseInt(id));
            return new Form(this, page.uri(), attributes(nth.group(1)), nth.group(2));
        }
        throw new IllegalStateException("no form " + id + " on " + page.uri() + " (" + forms.size() + " forms)");
    }

    /**
     * A form read from a page: its action (resolved against the page, the page itself without one), method and fields
     * (hidden, text and checked inputs, each select's selected or first option, textareas; buttons are not fields:
     * set the one "clicked" with {@link #set}). Not thread-safe; one per submission.
     */
    public static final class Form {
        private final TestBrowser browser;
        private final URI action;
        private final String method;
        private final Map<String, String> fields = new LinkedHashMap<>();

        Form(TestBrowser browser, URI page, Map<String, String> attributes, String html) {
            this.browser = browser;
            String act = attributes.get("action");
            this.action = act == null || act.isEmpty() ? page : page.resolve(unescape(act));
            this.method = attributes.getOrDefault("method", "get").toUpperCase(java.util.Locale.ROOT);
            Matcher in = INPUT.matcher(html);
            while (in.find()) {
                Map<String, String> a = attributes(in.group(1));
                String type = a.getOrDefault("type", "text").toLowerCase(java.util.Locale.ROOT);
                String name = a.get("name");
                if (name == null || type.equals("submit") || type.equals("button") || type.equals("image")
                        || type.equals("reset") || type.equals("file")) {
                    continue;
                }
                if ((type.equals("checkbox") || type.equals("radio")) && !a.containsKey("checked")) {
                    continue;
                }
                fields.put(name, a.getOrDefault("value", type.equals("checkbox") ? "on" : ""));
            }
            Matcher select = SELECT.matcher(html);
            while (select.find()) {
                String name = attributes(select.group(1)).get("name");
                if (name == null) {
                    continue;
                }
                String first = null;
                String selected = null;
                Matcher option = OPTION.matcher(select.group(2));
                while (option.find()) {
                    Map<String, String> a = attributes(option.group(1));
                    String value = a.getOrDefault("value", "");
                    first = first == null ? value : first;
                    if (a.containsKey("selected")) {
                        selected = value;
                    }
                }
                if (selected != null || first != null) {
                    fields.put(name, selected != null ? selected : first);
                }
            }
            Matcher area = TEXTAREA.matcher(html);
            while (area.find()) {
                String name = attributes(area.group(1)).get("name");
                if (name != null) {
                    fields.put(name, unescape(area.group(2)));
                }
            }
        }

        /** Sets (or adds) a field, as typing, choosing or clicking the button with that name and value would. */
        public Form set(String name, String value) {
            fields.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** The fields as they would be sent, in order. */
        public Map<String, String> fields() {
            return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public URI action() {
            return action;
        }

        public String method() {
            return method;
        }

        /** Submits the form (a POST as {@code application/x-www-form-urlencoded}, a GET as the query). */
        public HttpResponse<String> submit(String... headers) {
            if (method.equals("POST")) {
                return browser.post(action.toString(), encode(fields), headers);
            }
            String base = action.toString();
            int q = base.indexOf('?');
            return browser.get((q < 0 ? base : base.substring(0, q)) + (fields.isEmpty() ? "" : "?" + encode(fields)),
                    headers);
        }
    }

    private static String encode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((name, value) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            String value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
            out.putIfAbsent(m.group(1).toLowerCase(java.util.Locale.ROOT), value == null ? "" : unescape(value));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
