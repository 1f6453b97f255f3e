package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The start-up check of the jars the library needs. */
class DependenciesTest {
    @Test
    void missingWhenEverythingOnTheClassPathThenEmpty() {
        assertEquals(Optional.empty(), Dependencies.missing());
    }

    @Test
    void missingWhenHttpCoreHiddenThenBothJarsNamedWithTheirClass() {
        ClassLoader withoutHttpCore = new ClassLoader(DependenciesTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("org.apache.hc.core5.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        String message = Dependencies.missing(withoutHttpCore).orElseThrow();
        assertTrue(message.contains("org.apache.httpcomponents.core5:httpcore5 (class org.apache.hc.core5.util.Timeout)"),
                message);
        assertTrue(message.contains("org.apache.httpcomponents.core5:httpcore5-h2 (class "
                + "org.apache.hc.core5.http2.HttpVersionPolicy)"), message);
        assertTrue(message.contains("WEB-INF/lib"), message);
        assertTrue(!message.contains("jersey-client"), "only the missing ones: " + message);
    }
}
