package dev.discordoauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Configuration;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client is Jersey's whatever JAX-RS implementation the application's class loader finds first: on a server with
 * another one (WildFly's RESTEasy), {@code ClientBuilder}'s look-up would pick that one, which cannot run Jersey's
 * configuration (the connector, its pool, the abort hook).
 */
class JerseyClientFactoryTest {
    /** Another JAX-RS implementation's builder, found first by {@code ClientBuilder}'s look-up: it builds nothing. */
    public static final class OtherClientBuilder extends ClientBuilder {
        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("another JAX-RS implementation was asked");
        }

        @Override
        public ClientBuilder withConfig(Configuration config) {
            throw refused();
        }

        @Override
        public ClientBuilder sslContext(SSLContext sslContext) {
            throw refused();
        }

        @Override
        public ClientBuilder keyStore(KeyStore keyStore, char[] password) {
            throw refused();
        }

        @Override
        public ClientBuilder trustStore(KeyStore trustStore) {
            throw refused();
        }

        @Override
        public ClientBuilder hostnameVerifier(HostnameVerifier verifier) {
            throw refused();
        }

        @Override
        public ClientBuilder executorService(ExecutorService executorService) {
            throw refused();
        }

        @Override
        public ClientBuilder scheduledExecutorService(ScheduledExecutorService scheduledExecutorService) {
            throw refused();
        }

        @Override
        public ClientBuilder connectTimeout(long timeout, TimeUnit unit) {
            throw refused();
        }

        @Override
        public ClientBuilder readTimeout(long timeout, TimeUnit unit) {
            throw refused();
        }

        @Override
        public Client build() {
            throw refused();
        }

        @Override
        public Configuration getConfiguration() {
            throw refused();
        }

        @Override
        public ClientBuilder property(String name, Object value) {
            throw refused();
        }

        @Override
        public ClientBuilder register(Class<?> componentClass) {
            throw refused();
        }

        @Override
        public ClientBuilder register(Class<?> componentClass, int priority) {
            throw refused();
        }

        @Override
        public ClientBuilder register(Class<?> componentClass, Class<?>... contracts) {
            throw refused();
        }

        @Override
        public ClientBuilder register(Class<?> componentClass, Map<Class<?>, Integer> contracts) {
            throw refused();
        }

        @Override
        public ClientBuilder register(Object component) {
            throw refused();
        }

        @Override
        public ClientBuilder register(Object component, int priority) {
            throw refused();
        }

        @Override
        public ClientBuilder register(Object component, Class<?>... contracts) {
            throw refused();
        }

        @Override
        public ClientBuilder register(Object component, Map<Class<?>, Integer> contracts) {
            throw refused();
        }
    }

    @Test
    void createWhenAnotherJaxRsImplementationIsFirstOnTheContextClassLoaderThenTheClientIsStillJersey(
            @TempDir Path services) throws Exception {
        Path file = Files.createDirectories(services.resolve("META-INF/services"))
                .resolve(ClientBuilder.class.getName());
        Files.writeString(file, OtherClientBuilder.class.getName() + "\n", StandardCharsets.UTF_8);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        // a server's class loader whose own JAX-RS implementation comes before the application's jars
        try (URLClassLoader server = new URLClassLoader(new URL[] {services.toUri().toURL()}, before) {
            @Override
            public java.util.Enumeration<URL> getResources(String name) throws java.io.IOException {
                java.util.List<URL> urls = new java.util.ArrayList<>(java.util.Collections.list(findResources(name)));
                urls.addAll(java.util.Collections.list(getParent().getResources(name)));
                return java.util.Collections.enumeration(urls);
            }
        }) {
            thread.setContextClassLoader(server);
            // the look-up does find the other implementation first here
            assertThrows(UnsupportedOperationException.class, ClientBuilder::newClient);
            Client client = JerseyClientFactory.create(Duration.ofSeconds(1), Duration.ofSeconds(1), 2);
            try {
                assertTrue(client.getClass().getName().startsWith("org.glassfish.jersey."), client.getClass().getName());
                assertEquals("BUFFERED", String.valueOf(client.getConfiguration().getProperty(
                        "jersey.config.client.request.entity.processing")));
            } finally {
                client.close();
            }
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
