package dev.discordoauth2.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Receives every request: refuses bodies of undeclared length (411), percent-decodes the path once, resolves the API
 * version and the route, applies bans, injected faults and rate limits, runs the route under the store's monitor,
 * records the request in the journal and writes the answer. Thread-safe.
 */
final class Dispatcher implements HttpHandler {
    private static final int MAX_BODY = 1 << 20;
    private static final Pattern VERSIONED = Pattern.compile("^/api/v(\\d+)(/.*)$");

    private record Route(String method, String template, Pattern pattern, List<String> names,
            Function<Call, Reply> handler) {
    }

    private final Store store;
    private final RateLimiter rateLimiter;
    private final PrintStream requestLog;
    private final List<Route> routes = new ArrayList<>();
    private final AuthorizeRoutes authorize;
    private final DeviceRoutes devices;
    private final Deque<RecordedRequest> journal = new ArrayDeque<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    final RandomFaults randomFaults = new RandomFaults();
    private final Set<String> connections = ConcurrentHashMap.newKeySet();

    Dispatcher(Store store, RateLimiter rateLimiter, AutoApproval autoApproval, PrintStream requestLog,
            WebhookEvents webhooks) {
        this.store = store;
        this.rateLimiter = rateLimiter;
        this.requestLog = requestLog;
        this.authorize = new AuthorizeRoutes(store, autoApproval, webhooks);
        this.devices = new DeviceRoutes(store, autoApproval, webhooks);
        TokenRoutes tokens = new TokenRoutes(store, devices);
        UserRoutes user = new UserRoutes(store);
        BotRoutes bot = new BotRoutes(store);
        route("POST", "/oauth2/token", tokens::token);
        route("POST", "/oauth2/token/revoke", tokens::revoke);
        route("POST", "/oauth2/device/authorize", devices::authorize);
        route("GET", "/oauth2/@me", tokens::currentAuthorization);
        route("GET", "/users/@me", user::me);
        route("GET", "/users/@me/guilds", user::guilds);
        route("GET", "/users/@me/guilds/{guild.id}/member", user::guildMember);
        route("GET", "/users/@me/connections", user::connections);
        route("GET", "/users/@me/applications/{application.id}/role-connection", user::getRoleConnection);
        route("PUT", "/users/@me/applications/{application.id}/role-connection", user::putRoleConnection);
        route("DELETE", "/users/@me/applications/{application.id}/role-connection", user::deleteRoleConnection);
        route("PUT", "/guilds/{guild.id}/members/{user.id}", bot::addGuildMember);
        route("GET", "/applications/{application.id}/role-connections/metadata", bot::getMetadata);
        route("PUT", "/applications/{application.id}/role-connections/metadata", bot::putMetadata);
    }

    private void route(String method, String template, Function<Call, Reply> handler) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([a-z.]+)}").matcher(template);
        StringBuilder regex = new StringBuilder("^");
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([0-9]{1,20})");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append('$');
        routes.add(new Route(method, template, Pattern.compile(regex.toString()), names, handler));
    }

    /** The device grant's routes and controls. */
    DeviceRoutes devices() {
        return devices;
    }

    /** Whether a {@code "METHOD /template"} names one of the emulated routes. */
    boolean isRoute(String route) {
        if (route.equals("GET /oauth2/authorize") || route.equals("POST /oauth2/authorize")
                || route.equals("GET " + DeviceRoutes.ACTIVATE_PATH)
                || route.equals("POST " + DeviceRoutes.ACTIVATE_PATH)) {
            return true;
        }
        return routes.stream().anyMatch(r -> (r.method + " " + r.template).equals(route));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        Call call;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            InetSocketAddress remote = exchange.getRemoteAddress();
            call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body,
                    remote.getAddress().getHostAddress());
            call.receivedAt = store.clock.now();
            connections.add(remote.toString());
        }
        Reply reply;
        boolean dropped = false;
        try {
            reply = answer(call);
        } catch (DropConnection drop) {
            reply = null;
            dropped = true;
        } catch (RuntimeException e) {
            reply = Reply.discordError(500, 0, "500: Internal Server Error");
        }
        record(call, dropped ? 0 : reply.status);
        if (dropped) {
            exchange.close();
            log(call, 0, started);
            return;
        }
        try {
            send(exchange, reply);
        } finally {
            log(call, reply.status, started);
        }
    }

    private static final class DropConnection extends RuntimeException {
        DropConnection() {
            super(null, null, false, false);
        }
    }

    private Reply answer(Call call) {
        // Discord's front end refuses a body whose length is not declared before routing, auth or rate limits
        if (lengthRequired(call)) {
            return Reply.raw(411, "text/html", Pages.LENGTH_REQUIRED).header("Connection", "close");
        }
        // a banned address gets the ban page for every request, routed or not
        Reply banned = rateLimiter.banned(call.remoteHost);
        if (banned != null) {
            return banned;
        }
        if (call.body.length > MAX_BODY) {
            return Reply.discordError(413, 40005, "Request entity too large");
        }
        // routes match the path percent-decoded once (/users/%40me is /users/@me); an encoded slash or a malformed
        // escape matches no route
        String path = RequestPath.decode(call.path);
        if (path == null) {
            return call.path.equals("/api") || call.path.startsWith("/api/") ? Reply.notFound()
                    : Reply.html(404, Pages.error("Not Found", "The emulator serves /oauth2/authorize and /api/..."));
        }
        if (path.equals("/favicon.ico")) {
            // browsers ask for it with every emulator page: no icon, and no 404 in their console either
            return Reply.empty(204).header("Cache-Control", "max-age=86400");
        }
        boolean api = path.equals("/api") || path.startsWith("/api/");
        Reply image = api ? null : CdnImages.answer(call, path);
        if (image != null) {
            return image; // the image CDN: no rate limits, no faults
        }
        if (api) {
            Matcher versioned = VERSIONED.matcher(path);
            if (versioned.matches()) {
                int version;
                try {
                    version = Integer.parseInt(versioned.group(1));
                } catch (NumberFormatException e) {
                    version = -1;
                }
                if (version < 6 || version > 10) {
                    return Reply.discordError(400, 50041, "Invalid API version provided");
                }
                path = versioned.group(2);
            } else {
                path = path.substring(4);
            }
        }
        if (path.equals("/oauth2/authorize") || path.equals("/oauth2/authorize/")) {
            if (!call.method.equals("GET") && !call.method.equals("POST")) {
                return Reply.html(405, Pages.error("Method Not Allowed", call.method));
            }
            call.route = call.method + " /oauth2/authorize";
            return run(call, () -> authorize.authorize(call), false, null);
        }
        if (!api && (path.equals(DeviceRoutes.ACTIVATE_PATH) || path.equals(DeviceRoutes.ACTIVATE_PATH + "/"))) {
            if (!call.method.equals("GET") && !call.method.equals("POST")) {
                return Reply.html(405, Pages.error("Method Not Allowed", call.method));
            }
            call.route = call.method + " " + DeviceRoutes.ACTIVATE_PATH;
            return run(call, () -> devices.activate(call), false, null);
        }
        if (!api) {
            return Reply.html(404, Pages.error("Not Found", "The emulator serves /oauth2/authorize, /api/... and the "
                    + "image CDN's paths (/avatars/..., /icons/..., ...)"));
        }
        boolean pathMatched = false;
        for (Route route : routes) {
            Matcher m = route.pattern.matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathMatched = true;
            if (!route.method.equals(call.method)) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < route.names.size(); i++) {
                params.put(route.names.get(i), m.group(i + 1));
            }
            call.pathParams = params;
            call.route = route.method + " " + route.template;
            return run(call, () -> route.handler.apply(call), true, params.get("guild.id"));
        }
        return pathMatched ? Reply.discordError(405, 0, "405: Method Not Allowed") : Reply.notFound();
    }

    /** A chunked body (any method), or a POST, PUT or PATCH without {@code Content-Length}. */
    private static boolean lengthRequired(Call call) {
        String transferEncoding = call.header("Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            return true;
        }
        boolean bodyMethod = call.method.equals("POST") || call.method.equals("PUT") || call.method.equals("PATCH");
        return bodyMethod && call.header("Content-Length") == null;
    }

    private Reply run(Call call, java.util.function.Supplier<Reply> handler, boolean rateLimited,
            String topLevelId) {
        Fault fault = takeFault(call.route);
        if (fault != null) {
            switch (fault.kind()) {
                case DROP -> throw new DropConnection();
                case DELAY -> sleep(fault.delay());
                default -> {
                    Reply reply = Reply.raw(fault.status(), fault.contentType(), fault.body());
                    fault.headers().forEach(reply::header);
                    boolean shared = fault.headers().entrySet().stream()
                            .anyMatch(h -> h.getKey().equalsIgnoreCase("X-RateLimit-Scope")
                                    && h.getValue().trim().equalsIgnoreCase("shared"));
                    rateLimiter.recordStatus(call.remoteHost, reply.status, shared);
                    return reply;
                }
            }
        }
        Map<String, String> limitHeaders = new LinkedHashMap<>();
        if (rateLimited) {
            String caller = call.header("Authorization");
            Reply limited = rateLimiter.acquire(caller != null ? caller : "ip:" + call.remoteHost, call.route,
                    topLevelId, limitHeaders);
            if (limited != null) {
                rateLimiter.recordStatus(call.remoteHost, 429, false);
                return limited;
            }
        }
        Reply reply;
        synchronized (store) {
            try {
                reply = handler.get();
            } catch (Reply.Stop stop) {
                reply = stop.reply;
            }
        }
        limitHeaders.forEach(reply::header);
        rateLimiter.recordStatus(call.remoteHost, reply.status, false);
        return reply;
    }

    private static void sleep(java.time.Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        var headers = exchange.getResponseHeaders();
        if (reply.contentType != null) {
            headers.set("Content-Type", reply.contentType);
        }
        reply.headers.forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        boolean noBody = reply.body.length == 0 || reply.status == 204 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(reply.status, noBody ? -1 : reply.body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body);
            }
        }
        exchange.close();
    }

    // ---------------------------------------------------------------------------------------- faults, journal

    void injectFault(String route, Fault fault) {
        synchronized (faults) {
            faults.computeIfAbsent(route, k -> new ArrayDeque<>()).addLast(fault);
        }
    }

    void clearFaults() {
        synchronized (faults) {
            faults.clear();
        }
    }

    /** Forgets the route's faults not yet played. */
    void clearFaults(String route) {
        synchronized (faults) {
            faults.remove(route);
        }
    }

    /** The faults not yet played, by route, each queue in playing order. */
    Map<String, List<Fault>> faults() {
        synchronized (faults) {
            Map<String, List<Fault>> copy = new java.util.TreeMap<>();
            faults.forEach((route, queue) -> {
                if (!queue.isEmpty()) {
                    copy.put(route, List.copyOf(queue));
                }
            });
            return copy;
        }
    }

    /** The next queued fault of the route, else one of its random faults if it draws one, else {@code null}. */
    private Fault takeFault(String route) {
        synchronized (faults) {
            Deque<Fault> queue = faults.get(route);
            if (queue == null || queue.isEmpty()) {
                return randomFaults.pick(route);
            }
            Fault head = queue.peekFirst();
            Fault use = head;
            if (head.count() > 1) {
                queue.pollFirst();
                queue.addFirst(head.times(head.count() - 1));
            } else {
                queue.pollFirst();
            }
            return use;
        }
    }

    private void record(Call call, int status) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        call.headers.forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
        RecordedRequest request = new RecordedRequest(store.clock.now(), call.method, call.path, call.route,
                call.query, headers, call.bodyText(), status);
        synchronized (journal) {
            journal.addLast(request);
            while (journal.size() > 10_000) {
                journal.removeFirst();
            }
        }
    }

    List<RecordedRequest> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    void clearJournal() {
        synchronized (journal) {
            journal.clear();
        }
        connections.clear();
    }

    int connectionCount() {
        return connections.size();
    }

    /** One line per request; the path only, never the query, headers or body (they carry codes and tokens). */
    private void log(Call call, int status, long startedNanos) {
        if (requestLog != null) {
            requestLog.printf("%s %s %s %s %d %dms%n", Instant.now(), call.remoteHost, call.method, call.path,
                    status, (System.nanoTime() - startedNanos) / 1_000_000);
        }
    }
}
