package dev.discordoauth2.emulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's admin API under {@code /__admin}, in the spirit of WireMock's: JSON in and out, so that tests in
 * any language and other processes can inject faults, move the clock, read the journal, change rate limits, revoke
 * authorizations, approve or deny device codes, set Webhook Events URLs, send webhook events and read their
 * deliveries, read what an application holds (issued tokens, role connections, metadata records, bot guilds), and
 * reset. Served only when enabled ({@link DiscordEmulator.Builder#admin(boolean)}, {@code --admin})
 * and only to loopback callers: a caller that is not on loopback, a request whose {@code Host} is not
 * {@code localhost} or a loopback address (DNS rebinding), a request forwarded for another client, or one sent by a
 * web page of another origin gets 403. Errors are JSON ({@code {"error": ..., "message": ...}}), never a stack
 * trace. Its requests are neither journaled nor rate limited. Thread-safe.
 */
final class AdminApi implements HttpHandler {
    static final String PATH = "/__admin";
    private static final int MAX_BODY = 1 << 20;
    private static final Pattern PARAMETER = Pattern.compile("\\{[a-z_]+}");

    private final AdminEndpoints endpoints;
    private final AdminWebhooks webhooks;
    private final AdminDevices devices;
    private final AdminApplications applications;
    private final List<Route> routes;

    AdminApi(DiscordEmulator emulator, Dispatcher dispatcher, RateLimiter rateLimiter) {
        this.endpoints = new AdminEndpoints(emulator, dispatcher, rateLimiter);
        this.webhooks = new AdminWebhooks(emulator.webhooks());
        this.devices = new AdminDevices(emulator);
        this.applications = new AdminApplications(emulator.data);
        this.routes = routes();
    }

    /** A refusal with its status, short error code and message. */
    static final class Failure extends RuntimeException {
        final int status;
        final String error;

        Failure(int status, String error, String message) {
            super(message, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = answer(exchange);
        } catch (Failure f) {
            reply = error(f.status, f.error, f.getMessage());
        } catch (RuntimeException e) {
            reply = error(500, "internal_error", "the admin request failed: " + e.getClass().getSimpleName());
        }
        reply.header("Cache-Control", "no-store");
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", reply.contentType);
        reply.headers.forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        exchange.sendResponseHeaders(reply.status, reply.body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body);
        }
        exchange.close();
    }

    private static Reply error(int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return Reply.json(status, body);
    }

    private static String relativePath(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath().substring(PATH.length());
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private Reply answer(HttpExchange exchange) throws IOException {
        Optional<String> refusal = AdminAccess.refusal(exchange.getRemoteAddress().getAddress(), exchange.getRequestURI(),
                exchange.getRequestHeaders());
        if (refusal.isPresent()) {
            throw new Failure(403, "forbidden", refusal.get());
        }
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            throw new Failure(413, "too_large", "the body is larger than 1 MiB");
        }
        String method = exchange.getRequestMethod();
        String path = relativePath(exchange);
        for (Route route : routes) {
            Matcher m = route.pattern.matcher(path);
            if (!m.matches()) {
                continue;
            }
            Handler handler = route.methods.get(method);
            if (handler == null) {
                return error(405, "method_not_allowed", method + " is not allowed here").header("Allow", route.allow());
            }
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) {
                params.add(m.group(i));
            }
            return handler.answer(new Request(List.copyOf(params),
                    RecordedRequest.decodeForm(exchange.getRequestURI().getRawQuery()),
                    AdminJson.body(raw, exchange.getRequestHeaders().getFirst("Content-Type"))));
        }
        throw new Failure(404, "not_found", "no admin endpoint " + PATH + path + "; GET " + PATH + " lists them");
    }

    // --------------------------------------------------------------------------------------------- routes

    /** What a handler gets: the path's parameters in template order, the query and the JSON body. */
    private record Request(List<String> params, Map<String, List<String>> query, Map<String, Object> body) {
    }

    @FunctionalInterface
    private interface Handler {
        Reply answer(Request request);
    }

    /**
     * One endpoint: its path template ({@code {name}} stands for a snowflake) and the methods it serves, in the
     * order {@code Allow} and the index list them. The only place that says which methods an endpoint serves.
     */
    private static final class Route {
        final String template;
        final Pattern pattern;
        final Map<String, Handler> methods = new LinkedHashMap<>();

        Route(String template) {
            this.template = template;
            StringBuilder regex = new StringBuilder("^");
            Matcher param = PARAMETER.matcher(template);
            int literal = 0;
            while (param.find()) {
                regex.append(Pattern.quote(template.substring(literal, param.start()))).append("([0-9]{1,20})");
                literal = param.end();
            }
            this.pattern = Pattern.compile(regex.append(Pattern.quote(template.substring(literal))).append('$')
                    .toString());
        }

        Route on(String method, Handler handler) {
            methods.put(method, handler);
            return this;
        }

        String allow() {
            return String.join(", ", methods.keySet());
        }

        /** As the index lists it: {@code GET|PUT|DELETE /__admin/guilds/{guild_id}/members/{user_id}}. */
        String endpoint() {
            return String.join("|", methods.keySet()) + " " + PATH + template;
        }
    }

    /** Every admin endpoint; dispatch, {@code Allow} and the index's list all come from here. */
    private List<Route> routes() {
        return List.of(
                new Route("").on("GET", r -> endpoints.index(routes.stream().map(Route::endpoint).toList())),
                new Route("/faults").on("GET", r -> endpoints.listFaults())
                        .on("POST", r -> endpoints.addFault(r.body()))
                        .on("DELETE", r -> endpoints.clearFaults(r.query())),
                new Route("/faults/random").on("POST", r -> endpoints.addRandomFaults(r.body())),
                new Route("/clock").on("GET", r -> endpoints.clock()),
                new Route("/clock/advance").on("POST", r -> endpoints.advanceClock(r.body())),
                new Route("/requests").on("GET", r -> endpoints.journal(r.query()))
                        .on("DELETE", r -> endpoints.clearJournal()),
                new Route("/rate-limits").on("GET", r -> endpoints.rateLimits()),
                new Route("/rate-limits/routes").on("PUT", r -> endpoints.setRouteLimit(r.body())),
                new Route("/rate-limits/default").on("PUT", r -> endpoints.setDefaultLimit(r.body())),
                new Route("/rate-limits/global").on("PUT", r -> endpoints.setGlobalLimit(r.body())),
                new Route("/applications/{client_id}/redirect-uris")
                        .on("POST", r -> endpoints.addRedirectUri(r.params().get(0), r.body())),
                new Route("/applications/{client_id}/tokens")
                        .on("GET", r -> endpoints.tokens(r.params().get(0), r.query())),
                new Route("/applications/{client_id}/role-connections")
                        .on("GET", r -> applications.roleConnections(r.params().get(0), r.query())),
                new Route("/applications/{client_id}/role-connection-metadata")
                        .on("GET", r -> applications.metadata(r.params().get(0))),
                new Route("/applications/{client_id}/bot-guilds")
                        .on("GET", r -> applications.botGuilds(r.params().get(0))),
                new Route("/applications/{client_id}/authorizations/{user_id}")
                        .on("DELETE", r -> endpoints.revoke(r.params().get(0), r.params().get(1))),
                new Route("/applications/{client_id}/webhook").on("GET", r -> webhooks.getUrl(r.params().get(0)))
                        .on("PUT", r -> webhooks.setUrl(r.params().get(0), r.body()))
                        .on("DELETE", r -> webhooks.removeUrl(r.params().get(0))),
                new Route("/applications/{client_id}/webhook/events")
                        .on("POST", r -> webhooks.send(r.params().get(0), r.body())),
                new Route("/webhooks").on("GET", r -> webhooks.overview()),
                new Route("/webhooks/deliveries").on("GET", r -> webhooks.deliveries(r.query()))
                        .on("DELETE", r -> webhooks.clearDeliveries()),
                new Route("/device-codes").on("GET", r -> devices.list()),
                new Route("/device-codes/approve").on("POST", r -> devices.approve(r.body())),
                new Route("/device-codes/deny").on("POST", r -> devices.deny(r.body())),
                new Route("/guilds/{guild_id}/members/{user_id}")
                        .on("GET", r -> endpoints.getMember(r.params().get(0), r.params().get(1)))
                        .on("PUT", r -> endpoints.putMember(r.params().get(0), r.params().get(1), r.body()))
                        .on("DELETE", r -> endpoints.removeMember(r.params().get(0), r.params().get(1))),
                new Route("/reset").on("POST", r -> endpoints.reset(r.body())));
    }
}
