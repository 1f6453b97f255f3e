package dev.discordoauth2.servlet;

import dev.discordoauth2.DiscordOAuth2Client;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Lets the library's other packages share the web components' runtime: a {@link Lease} gives the CDI producer the
 * client of the application's runtime for this configuration (created if needed) until it is closed, the last user
 * closing the client (outside a servlet container, with no {@code ServletContext}, a lease owns a client of its own);
 * a {@link Flow} gives the Jakarta Security mechanism the very login steps of the filter and servlets. Not for
 * application code. Thread-safe.
 */
public final class DiscordWebAccess {
    private DiscordWebAccess() {
    }

    /** One user's hold on a client; {@link #close()} gives it back. Thread-safe. */
    public static final class Lease implements AutoCloseable {
        private final DiscordOAuth2Client client;
        private final DiscordWeb web;

        private Lease(DiscordOAuth2Client client, DiscordWeb web) {
            this.client = client;
            this.web = web;
        }

        public DiscordOAuth2Client client() {
            return client;
        }

        @Override
        public void close() {
            if (web != null) {
                web.release();
            } else {
                client.close();
            }
        }
    }

    /** A message naming the jars the library needs at run time that cannot be loaded; empty when all load. */
    public static java.util.Optional<String> missingDependencies() {
        return Dependencies.missing();
    }

    /** The front doors' answer to anything their own work threw: one log line, 503, nothing let through. */
    public static void failClosed(HttpServletRequest request, HttpServletResponse response, Throwable failure,
            String component) {
        WebPages.failClosed(request, response, failure, component);
    }

    /** The request's path inside the application as the container mapped it (decoded, without path parameters). */
    public static String mappedPath(HttpServletRequest request) {
        return LoginFlow.mappedPath(request);
    }

    public static Lease acquire(ServletContext context, DiscordConfig config) {
        if (context == null) {
            return new Lease(config.newClientBuilder().build(), null);
        }
        DiscordWeb web = DiscordWeb.acquire(context, config);
        return new Lease(web.client, web);
    }

    /**
     * The login steps of the filter and servlets for the Jakarta Security mechanism, on the application's shared
     * runtime (so {@link DiscordAuth}, the CDI beans and the mechanism see one client and one set of refreshes). A
     * step that answers the request returns true when the browser goes on (a redirect or an informational page) and
     * false when it sent a refusal (an error or retry page, 401, 403, 405). {@link #close()} gives the runtime back.
     * Thread-safe.
     */
    public static final class Flow implements AutoCloseable {
        private final DiscordWeb web;
        private final LoginFlow flow;

        private Flow(DiscordWeb web) {
            this.web = web;
            this.flow = web.flow;
        }

        /** The flow for this configuration in this application. */
        public static Flow start(ServletContext context, DiscordConfig config) {
            return new Flow(DiscordWeb.acquire(Objects.requireNonNull(context, "context must not be null"),
                    Objects.requireNonNull(config, "config must not be null")));
        }

        public DiscordConfig config() {
            return web.config;
        }

        /** Whether the request is Discord's redirect back (the path of {@code discord.redirect-uri}). */
        public boolean isCallback(HttpServletRequest request) {
            return flow.route(request, web.config.logoutPath()) == LoginFlow.Route.CALLBACK;
        }

        /** Whether the request is on {@code discord.login-path}. */
        public boolean isLoginPath(HttpServletRequest request) {
            return flow.route(request, web.config.logoutPath()) == LoginFlow.Route.LOGIN;
        }

        /** Whether the request is on {@code discord.logout-path}. */
        public boolean isLogoutPath(HttpServletRequest request) {
            return flow.route(request, web.config.logoutPath()) == LoginFlow.Route.LOGOUT;
        }

        /** The request's login, its tokens refreshed first when due (once per session, as behind the filter). */
        public Caller caller(HttpServletRequest request) {
            LoginFlow.Current current = flow.current(request);
            if (current.outcome() instanceof TokenOutcome.Valid valid) {
                return new Caller(current.principal(), flow.groups(valid.state()), null);
            }
            if (current.outcome() instanceof TokenOutcome.Unavailable unavailable) {
                return new Caller(null, Set.of(), unavailable.retryAfter());
            }
            return Caller.NONE;
        }

        /** A request that needs a login and has none: a navigation goes to Discord, anything else gets 401. */
        public boolean challenge(HttpServletRequest request, HttpServletResponse response) throws IOException {
            return flow.challenge(request, response) == LoginFlow.Result.CONTINUE;
        }

        /** The retry page (503, {@code Retry-After}) of a login kept while Discord does not answer. */
        public void unavailable(HttpServletRequest request, HttpServletResponse response, Duration retryAfter)
                throws IOException {
            flow.unavailable(request, response, retryAfter);
        }

        /** The login path: start a login ({@code ?return=/path}), or the "login cancelled" page. */
        public boolean loginPath(HttpServletRequest request, HttpServletResponse response) throws IOException {
            return flow.login(request, response) == LoginFlow.Result.CONTINUE;
        }

        /** Discord's redirect back: finishes the login and redirects to the saved return path, or an error page. */
        public boolean callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
            return flow.callback(request, response) == LoginFlow.Result.CONTINUE;
        }

        /** The logout path: POST from the application's own pages, revoke, end the session, 303. */
        public boolean logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
            return flow.logout(request, response) == LoginFlow.Result.CONTINUE;
        }

        /**
         * Ends the request's login and keeps its session ({@code request.logout()}); revokes as at logout. A session
         * cookie the container sets on {@code response} gets the library's defaults.
         */
        public void forget(HttpServletRequest request, HttpServletResponse response) {
            flow.forget(request);
            web.hardenSessionCookie(request, response);
        }

        /** The 503 page of a login that is not configured (fail closed). */
        public static void notConfigured(HttpServletRequest request, HttpServletResponse response) throws IOException {
            WebPages.notConfigured(request, response);
        }

        @Override
        public void close() {
            web.release();
        }
    }

    /**
     * What {@link Flow#caller} found: a logged-in user with valid tokens ({@code principal} and {@code groups}), a
     * login kept while Discord does not answer ({@code retryAfter}), or neither. Immutable and thread-safe.
     *
     * @param principal  the logged-in user, or null
     * @param groups     the user's groups (see {@link DiscordLoginFilter}), empty without a user
     * @param retryAfter when a login is kept but no valid token can be had now, when to try again; else null
     */
    public record Caller(DiscordPrincipal principal, Set<String> groups, Duration retryAfter) {
        static final Caller NONE = new Caller(null, Set.of(), null);

        public Caller {
            groups = Set.copyOf(groups);
        }

        public boolean loggedIn() {
            return principal != null;
        }

        public boolean unavailable() {
            return retryAfter != null;
        }
    }
}
