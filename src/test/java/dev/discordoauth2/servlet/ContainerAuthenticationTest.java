package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.web.DiscordConfig;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code discord.container-authentication=true} where the container has no Jakarta Authentication: the deployment
 * stops with a line that says what to enable, rather than running with constraints nobody authenticates for (here the
 * API jar alone, whose {@link AuthConfigFactory#getFactory()} finds no factory, as on a Jetty without its jaspi
 * module). Off, the initializer registers nothing.
 */
class ContainerAuthenticationTest {
    /** A context with {@code params}, that lists no filters or servlets and records the listeners added to it. */
    private static ServletContext context(Map<String, String> params, List<Object> listeners) {
        return (ServletContext) Proxy.newProxyInstance(ServletContext.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getFilterRegistrations", "getServletRegistrations", "getAttribute" -> null;
                    case "addListener" -> listeners.add(args[0]) ? null : null;
                    case "setAttribute" -> null;
                    case "getVirtualServerName" -> "test";
                    case "getContextPath" -> "/app";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "ServletContext(test)";
                    default -> throw new UnsupportedOperationException("ServletContext." + method.getName());
                });
    }

    @Test
    void onStartupWhenTheContainerHasNoJakartaAuthenticationThenTheDeploymentStopsSayingWhatToEnable() {
        assertNull(AuthConfigFactory.getFactory(), "this test's class path has the API jar without a factory");
        List<Object> listeners = new ArrayList<>();
        ServletContext context = context(Map.of(DiscordConfig.CONTAINER_AUTHENTICATION, "true",
                DiscordConfig.SESSION_COOKIE_DEFAULTS, "false"), listeners);
        IllegalStateException stopped = assertThrows(IllegalStateException.class,
                () -> new DiscordInitializer().onStartup(Set.of(), context));
        assertTrue(stopped.getMessage().startsWith("discord.container-authentication=true needs the container's "
                + "Jakarta Authentication"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("ee11-jaspi-default-auth-config-factory"), stopped.getMessage());
    }

    @Test
    void appContextWhenTheContainerNamesNoVirtualServerThenJettysServerNameAndSlashForTheRoot() {
        assertEquals("test /app", ContainerAuthentication.appContext(named("test", "/app")));
        assertEquals("Catalina/localhost ", ContainerAuthentication.appContext(named("Catalina/localhost", "")));
        assertEquals("server /app", ContainerAuthentication.appContext(named(null, "/app")));
        assertEquals("server /", ContainerAuthentication.appContext(named(null, "")));
    }

    private static ServletContext named(String virtualServer, String contextPath) {
        return (ServletContext) Proxy.newProxyInstance(ServletContext.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getVirtualServerName" -> virtualServer;
                    case "getContextPath" -> contextPath;
                    default -> throw new UnsupportedOperationException("ServletContext." + method.getName());
                });
    }

    @Test
    void onStartupWhenContainerAuthenticationIsOffAndNothingElseIsUsedThenNothingIsRegistered() {
        List<Object> listeners = new ArrayList<>();
        new DiscordInitializer().onStartup(Set.of(), context(Map.of(DiscordConfig.CONTAINER_AUTHENTICATION, "false"),
                listeners));
        assertEquals(List.of(), listeners);
    }
}
