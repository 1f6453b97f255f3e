package dev.discordoauth2;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Set;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.glassfish.jersey.apache5.connector.Apache5ClientProperties;
import org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider;
import org.glassfish.jersey.apache5.connector.Apache5HttpClientBuilderConfigurator;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.ClientRequest;
import org.glassfish.jersey.client.JerseyClientBuilder;
import org.glassfish.jersey.client.RequestEntityProcessing;
import org.glassfish.jersey.CommonProperties;

/**
 * The one place that knows the JAX-RS implementation: a Jersey client on the Apache HttpClient 5 connector with a
 * connection pool, connect and read timeouts, no automatic retries (the transport decides), no cookies, no
 * redirects, and request bodies buffered so that each carries {@code Content-Length} (0 on a POST, PUT or PATCH
 * without one) and none is sent chunked. A request carrying the {@link #ANSWER_LOCALLY} property is answered inside
 * the JVM and never reaches the connector (the warm-up). A request carrying an {@link Abort} in the {@link #ABORT}
 * property can be aborted from another thread while it waits for a connection or an answer. Everything else uses only
 * {@code jakarta.ws.rs.client}. Stateless.
 */
final class JerseyClientFactory {
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    /**
     * A request property whose value (a JSON string) becomes the answer to that request, made by a request filter
     * before the connector: nothing is sent, no connection is opened. Only {@link Transport#warmUp} sets it.
     */
    static final String ANSWER_LOCALLY = JerseyClientFactory.class.getName() + ".answerLocally";

    /** A request property holding the {@link Abort} of that request; only {@link Transport} sets it. */
    static final String ABORT = JerseyClientFactory.class.getName() + ".abort";
    /** The attribute under which Jersey's Apache 5 connector puts the {@link ClientRequest} in HttpClient's context. */
    private static final String JERSEY_REQUEST = "JerseyRequestAttribute";

    /**
     * Aborts one request from any thread: HttpClient's own cancel of the request, which closes its connection (a
     * blocked read then fails at once) or fails the wait for one. An abort before the request reached HttpClient
     * takes effect when it does. Thread-safe.
     */
    static final class Abort {
        private Cancellable request;
        private boolean aborted;

        synchronized boolean bind(Cancellable request) {
            this.request = request;
            return aborted;
        }

        void abort() {
            Cancellable bound;
            synchronized (this) {
                aborted = true;
                bound = request;
            }
            if (bound != null) {
                bound.cancel();
            }
        }
    }

    /**
     * The outermost step of HttpClient's execution chain: hands the request HttpClient runs (which is cancellable) to
     * the request's {@link Abort}, before a connection is leased.
     */
    private static final ExecChainHandler ABORTABLE = (request, scope, chain) -> {
        if (scope.clientContext.getAttribute(JERSEY_REQUEST) instanceof ClientRequest jersey
                && jersey.getProperty(ABORT) instanceof Abort abort
                && scope.originalRequest instanceof Cancellable cancellable && abort.bind(cancellable)) {
            cancellable.cancel();
        }
        return chain.proceed(request, scope);
    };

    /** Answers the requests that carry {@link #ANSWER_LOCALLY}; lets every other request through untouched. */
    private static final class LocalAnswer implements ClientRequestFilter {
        @Override
        public void filter(ClientRequestContext request) {
            if (request.getProperty(ANSWER_LOCALLY) instanceof String body) {
                request.abortWith(Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build());
            }
        }
    }

    /**
     * Apache HttpClient sends a POST or PUT without an entity with neither {@code Content-Length} nor a body, which
     * Discord's front end refuses with 411; runs after HttpClient's own {@code RequestContent}, which leaves such a
     * request alone.
     */
    private static final HttpRequestInterceptor EMPTY_BODY_LENGTH = (request, entity, context) -> {
        if (entity == null && BODY_METHODS.contains(request.getMethod())
                && !request.containsHeader(HttpHeaders.CONTENT_LENGTH)
                && !request.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            request.setHeader(HttpHeaders.CONTENT_LENGTH, "0");
        }
    };

    private JerseyClientFactory() {
    }

    static Client create(Duration connectTimeout, Duration readTimeout, int maxConnections) {
        ConnectionConfig connections = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(readTimeout))
                .setTimeToLive(TimeValue.ofMinutes(5))
                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                .build();
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(connections)
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .build();
        ClientConfig config = new ClientConfig()
                .connectorProvider(new Apache5ConnectorProvider())
                .property(Apache5ClientProperties.CONNECTION_MANAGER, pool)
                .property(Apache5ClientProperties.RETRY_STRATEGY,
                        new DefaultHttpRequestRetryStrategy(0, TimeValue.ZERO_MILLISECONDS))
                .property(Apache5ClientProperties.DISABLE_COOKIES, true)
                .property(ClientProperties.CONNECT_TIMEOUT, (int) connectTimeout.toMillis())
                .property(ClientProperties.READ_TIMEOUT, (int) readTimeout.toMillis())
                .property(ClientProperties.FOLLOW_REDIRECTS, false)
                // Jersey's DataSource body provider needs jakarta.activation, which we neither use nor bring: without
                // this it warns "jakarta.activation.DataSource ... not found" when the client starts
                .property(CommonProperties.PROVIDER_DEFAULT_DISABLE, "DATASOURCE")
                // Discord's front end answers 411 to a chunked body: buffer every body so it goes with Content-Length
                .property(ClientProperties.REQUEST_ENTITY_PROCESSING, RequestEntityProcessing.BUFFERED)
                .register((Apache5HttpClientBuilderConfigurator) builder ->
                        builder.addRequestInterceptorLast(EMPTY_BODY_LENGTH)
                                .addExecInterceptorFirst("discord-oauth2-abort", ABORTABLE))
                .register(new LocalAnswer());
        // Jersey's builder itself, not ClientBuilder's look-up: on a server with another JAX-RS implementation (WildFly's
        // RESTEasy) the look-up may find that one first, which cannot use Jersey's configuration
        return JerseyClientBuilder.createClient(config);
    }

    /**
     * Sets one request's connect and read timeouts (rounded up to a whole millisecond) as request properties, which
     * the Apache 5 connector applies to that request only; other requests keep the client's.
     */
    static Invocation.Builder timeouts(Invocation.Builder request, Duration connectTimeout, Duration readTimeout) {
        return request.property(ClientProperties.CONNECT_TIMEOUT, millis(connectTimeout))
                .property(ClientProperties.READ_TIMEOUT, millis(readTimeout));
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (d.toNanos() + 999_999) / 1_000_000));
    }
}
