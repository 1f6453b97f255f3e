package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.RoleConnection;
import dev.discordoauth2.web.RoleConnectionSource;
import jakarta.servlet.ServletContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a web application's linked-roles source reaches its login without CDI: the {@code ServletContext} attribute,
 * or a {@code ServiceLoader} service of the application's class loader; and a schema that breaks Discord's rules
 * stops the start with a message naming the record (the initializer's check turns that into a failed deployment).
 */
class RoleConnectionSourcesTest {
    private DiscordEmulator discord;
    private Map<String, String> own;

    /** A source for the ServiceLoader (public, with a public no-argument constructor). */
    public static final class ServiceSource implements RoleConnectionSource {
        @Override
        public List<RoleConnectionMetadata> schema() {
            return List.of(RoleConnectionMetadata.of(RoleConnectionMetadata.Type.BOOLEAN_EQUAL, "vip", "VIP", "A VIP"));
        }

        @Override
        public Optional<RoleConnection> connectionOf(String userId) {
            return Optional.empty();
        }
    }

    @BeforeEach
    void start() {
        discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder("100000000000000042")
                .clientSecret("s").botToken("bot").redirectUri("http://127.0.0.1/app/oauth2/callback").build()).start();
        own = Map.of(DiscordConfig.CLIENT_ID, "100000000000000042", DiscordConfig.CLIENT_SECRET, "s",
                DiscordConfig.REDIRECT_URI, "/oauth2/callback", DiscordConfig.WARM_UP, "false",
                DiscordConfig.API_BASE_URI, discord.apiBaseUri().toString(), DiscordConfig.BOT_TOKEN, "bot");
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private static ServletContext withClassLoader(ServletContext context, ClassLoader loader) {
        return (ServletContext) Proxy.newProxyInstance(RoleConnectionSourcesTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getClassLoader")) {
                        return loader;
                    }
                    try {
                        return method.invoke(context, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void startWhenSourceUnderTheContextAttributeThenTheLoginHasLinkedRoles() {
        ServletContext context = TestRequest.servletContext("/app", Map.of());
        ServiceSource source = new ServiceSource();
        context.setAttribute(RoleConnectionSource.ATTRIBUTE, source);
        Cores.Started started = FrontDoors.start("DiscordCallbackServlet", context, own::get);
        assertNotNull(started);
        try {
            assertEquals("vip", started.core().linkedRoles().orElseThrow().schema().get(0).key());
        } finally {
            Cores.release(context, started);
        }
    }

    @Test
    void startWhenSourceIsAServiceOfTheApplicationThenTheLoginHasLinkedRoles(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(RoleConnectionSource.class.getName()), ServiceSource.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                RoleConnectionSourcesTest.class.getClassLoader())) {
            ServletContext context = withClassLoader(TestRequest.servletContext("/app", Map.of()), loader);
            Cores.Started started = FrontDoors.start("DiscordCallbackServlet", context, own::get);
            assertNotNull(started);
            try {
                assertTrue(started.core().linkedRoles().isPresent(), "found through ServiceLoader");
            } finally {
                Cores.release(context, started);
            }
        }
    }

    @Test
    void startWhenNoSourceThenNoLinkedRoles() {
        ServletContext context = TestRequest.servletContext("/app", Map.of());
        Cores.Started started = FrontDoors.start("DiscordCallbackServlet", context, own::get);
        try {
            assertTrue(started.core().linkedRoles().isEmpty());
        } finally {
            Cores.release(context, started);
        }
    }

    @Test
    void acquireWhenTheSchemaBreaksDiscordsRulesThenTheStartStopsNamingTheRecordAndNoCoreIsLeft() {
        ServletContext context = TestRequest.servletContext("/app", Map.of());
        context.setAttribute(RoleConnectionSource.ATTRIBUTE, new RoleConnectionSource() {
            @Override
            public List<RoleConnectionMetadata> schema() {
                RoleConnectionMetadata level = RoleConnectionMetadata.of(
                        RoleConnectionMetadata.Type.INTEGER_EQUAL, "level", "Level", "Level");
                return List.of(level, level);
            }

            @Override
            public Optional<RoleConnection> connectionOf(String userId) {
                return Optional.empty();
            }
        });
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Cores.acquire(context,
                () -> DiscordConfig.of(own), "DiscordCallbackServlet"));
        assertTrue(refused.getMessage().contains("record 2 (key \"level\") repeats a key"), refused.getMessage());
        assertNull(Cores.of(context), "no half-started login");
        assertNull(FrontDoors.start("DiscordCallbackServlet", context, own::get), "the component fails closed");
    }
}
