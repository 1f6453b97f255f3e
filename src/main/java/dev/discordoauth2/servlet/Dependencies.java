package dev.discordoauth2.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the jars the library needs at run time can be loaded, checked when an application that uses it starts: one
 * class of each jar is loaded (not initialised) through the library's own class loader. A full Jakarta EE server
 * brings Jersey, Yasson and Parsson but not the Apache 5 connector, HttpClient 5, HttpCore 5 (with its HTTP/2 part)
 * or the SLF4J API, which the application must put in {@code WEB-INF/lib}; without this check a missing one shows up
 * as a {@code NoClassDefFoundError} at the first login. Stateless and thread-safe.
 */
final class Dependencies {
    /** A jar (Maven coordinates without version) and one class only it provides. */
    private record Jar(String coordinates, String marker) {
    }

    private static final List<Jar> JARS = List.of(
            new Jar("jakarta.ws.rs:jakarta.ws.rs-api", "jakarta.ws.rs.client.ClientBuilder"),
            new Jar("org.glassfish.jersey.core:jersey-client", "org.glassfish.jersey.client.ClientConfig"),
            new Jar("org.glassfish.jersey.core:jersey-common", "org.glassfish.jersey.CommonProperties"),
            new Jar("org.glassfish.jersey.inject:jersey-hk2",
                    "org.glassfish.jersey.inject.hk2.Hk2InjectionManagerFactory"),
            new Jar("org.glassfish.jersey.connectors:jersey-apache5-connector",
                    "org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider"),
            new Jar("org.apache.httpcomponents.client5:httpclient5",
                    "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder"),
            new Jar("org.apache.httpcomponents.core5:httpcore5", "org.apache.hc.core5.util.Timeout"),
            new Jar("org.apache.httpcomponents.core5:httpcore5-h2", "org.apache.hc.core5.http2.HttpVersionPolicy"),
            new Jar("org.slf4j:slf4j-api", "org.slf4j.LoggerFactory"),
            new Jar("jakarta.json.bind:jakarta.json.bind-api", "jakarta.json.bind.JsonbBuilder"),
            new Jar("jakarta.json:jakarta.json-api", "jakarta.json.spi.JsonProvider"));

    private Dependencies() {
    }

    /**
     * A message naming every jar whose class cannot be loaded, e.g. {@code "Log in with Discord cannot run: missing
     * from the application's class path: org.apache.httpcomponents.core5:httpcore5 (class
     * org.apache.hc.core5.util.Timeout) ..."}; empty when all load.
     */
    static Optional<String> missing() {
        return missing(Dependencies.class.getClassLoader());
    }

    static Optional<String> missing(ClassLoader loader) {
        List<String> absent = new ArrayList<>();
        for (Jar jar : JARS) {
            try {
                Class.forName(jar.marker(), false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                absent.add(jar.coordinates() + " (class " + jar.marker() + ")");
            }
        }
        if (absent.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Log in with Discord cannot run: missing from the application's class path: "
                + String.join(", ", absent) + ". Put the jar" + (absent.size() == 1 ? "" : "s")
                + " in WEB-INF/lib (a full Jakarta EE server brings Jersey, Yasson and Parsson, but not the Apache 5 "
                + "connector, HttpClient 5, HttpCore 5 and its HTTP/2 part, or the SLF4J API)");
    }
}
