package dev.discordoauth2.servlet;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.web.DiscordConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The library's web.xml components on embedded Jetty 12 (ee10) for the web tests, wired once: a context {@code /app}
 * with sessions on {@code 127.0.0.1} (port 0 unless given), the init-params given (or those pointing at an emulator,
 * {@link Builder#emulator}), the library's filter and servlets as asked, the test's own servlets, and hooks for what a
 * test changes about the server or the session store. {@link #close()} stops it.
 */
public final class EmbeddedApp implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;

    private EmbeddedApp(Builder b) {
        server = new Server();
        b.serverSetUp.forEach(s -> s.accept(server));
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(b.port);
        server.addConnector(connector);
        context = new ServletContextHandler("/app", ServletContextHandler.SESSIONS);
        if (b.initializer) {
            // as a container that scans for initializers would: the library's own (session end, cookie defaults)
            context.addServletContainerInitializer(new DiscordInitializer());
        }
        b.initParameters.forEach(context::setInitParameter);
        b.attributes.forEach(context::setAttribute);
        if (b.filterPattern != null) {
            context.addFilter(DiscordLoginFilter.class, b.filterPattern, EnumSet.of(DispatcherType.REQUEST));
        }
        b.servlets.forEach((path, servlet) -> context.addServlet(servlet, path));
        b.sessionSetUp.forEach(s -> s.accept(context.getSessionHandler()));
        if (b.gracefulStop != null) {
            // stop() waits for requests still completing (a session release after the browser got its answer)
            // before the session handler stops: else Jetty logs "Unable to release Session ... Not started"
            server.setHandler(new GracefulHandler(context));
            server.setStopTimeout(b.gracefulStop.toMillis());
        } else {
            server.setHandler(context);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the server; a failure is thrown as it is, the server left as it failed (see {@link Builder#start}). */
    public EmbeddedApp start() throws Exception {
        server.start();
        return this;
    }

    public Server server() {
        return server;
    }

    public ServletContextHandler context() {
        return context;
    }

    /** The port the server listens on (the one it bound, for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>/app}. */
    public String base() {
        return "http://127.0.0.1:" + port() + "/app";
    }

    /** {@link #base()} followed by {@code path}. */
    public String url(String path) {
        return base() + path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** What the application is made of. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> initParameters = new LinkedHashMap<>();
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private final Map<String, Class<? extends Servlet>> servlets = new LinkedHashMap<>();
        private final List<Consumer<Server>> serverSetUp = new ArrayList<>();
        private final List<Consumer<SessionHandler>> sessionSetUp = new ArrayList<>();
        private String filterPattern;
        private boolean initializer;
        private int port;
        private Duration gracefulStop;

        private Builder() {
        }

        /**
         * The application at the emulator: client id and secret, the redirect URI {@code /oauth2/callback}, and the
         * emulator's API and authorization URIs as init-params.
         */
        public Builder emulator(DiscordEmulator discord, String clientId, String clientSecret) {
            initParameter(DiscordConfig.CLIENT_ID, clientId);
            initParameter(DiscordConfig.CLIENT_SECRET, clientSecret);
            initParameter(DiscordConfig.REDIRECT_URI, "/oauth2/callback");
            initParameter(DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString());
            return initParameter(DiscordConfig.AUTHORIZE_URI, discord.authorizeUri().toString());
        }

        /** A context init-param; a later one with the same name wins. */
        public Builder initParameter(String name, String value) {
            initParameters.put(name, value);
            return this;
        }

        public Builder initParameters(Map<String, String> parameters) {
            parameters.forEach(this::initParameter);
            return this;
        }

        /** A {@code ServletContext} attribute, e.g. {@link DiscordAuth#CLOCK_ATTRIBUTE}. */
        public Builder attribute(String name, Object value) {
            attributes.put(name, value);
            return this;
        }

        /** The library's {@link DiscordLoginFilter} on {@code pattern} (for requests, as the README's web.xml). */
        public Builder filter(String pattern) {
            filterPattern = pattern;
            return this;
        }

        /** The library's {@link DiscordCallbackServlet} at {@code /oauth2/callback}. */
        public Builder callback() {
            return servlet(DiscordCallbackServlet.class, "/oauth2/callback");
        }

        /** The library's {@link DiscordLogoutServlet} at {@code /oauth2/logout}. */
        public Builder logout() {
            return servlet(DiscordLogoutServlet.class, "/oauth2/logout");
        }

        public Builder servlet(Class<? extends Servlet> servlet, String path) {
            servlets.put(path, servlet);
            return this;
        }

        /** The library's {@link DiscordInitializer} runs, as in a container that scans for initializers. */
        public Builder initializer() {
            initializer = true;
            return this;
        }

        /** Listens on this port (default 0: any free one). */
        public Builder port(int value) {
            port = value;
            return this;
        }

        /** Changes the server before the connector and the context are added (e.g. a session id manager). */
        public Builder server(Consumer<Server> setUp) {
            serverSetUp.add(setUp);
            return this;
        }

        /** Changes the context's session handler (a session store, a cache, the timeout). */
        public Builder sessions(Consumer<SessionHandler> setUp) {
            sessionSetUp.add(setUp);
            return this;
        }

        /** {@code stop()} waits up to {@code timeout} for requests still running before it stops the sessions. */
        public Builder gracefulStop(Duration timeout) {
            gracefulStop = timeout;
            return this;
        }

        /** The application, not started. */
        public EmbeddedApp build() {
            return new EmbeddedApp(this);
        }

        /** The application, started; when it fails to start, it is stopped and the failure thrown. */
        public EmbeddedApp start() throws Exception {
            EmbeddedApp app = build();
            try {
                return app.start();
            } catch (Exception e) {
                app.close();
                throw e;
            }
        }
    }
}
