package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.web.DiscordConfig;
import jakarta.servlet.Registration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One configuration per application: every web.xml component's init-params feed it, and two components giving one
 * key different values are refused (before, the first component to start won and the other's were ignored).
 */
class ComponentsConfigTest {
    private static final Map<String, String> BASE = Map.of(DiscordConfig.CLIENT_ID, "100000000000000042",
            DiscordConfig.CLIENT_SECRET, "s", DiscordConfig.REDIRECT_URI, "/oauth2/callback");

    /** A registration of the library's component {@code className} named {@code name}: a fake at the API edge. */
    private record Component(String name, String className, Map<String, String> params) implements Registration {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getClassName() {
            return className;
        }

        @Override
        public boolean setInitParameter(String key, String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getInitParameter(String key) {
            return params.get(key);
        }

        @Override
        public Set<String> setInitParameters(Map<String, String> initParameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> getInitParameters() {
            return params;
        }
    }

    @Test
    void componentsConfigWhenKeysSpreadOverComponentsThenOneConfigurationWithAll() {
        DiscordConfig config = Cores.componentsConfig(key -> null, List.of(
                new Component("login", DiscordLoginFilter.class.getName(), BASE),
                new Component("callback", DiscordCallbackServlet.class.getName(),
                        Map.of(DiscordConfig.AFTER_LOGIN_URI, "/home"))));
        assertEquals("/home", config.afterLoginUri(), "the callback servlet's own init-param is used");
    }

    @Test
    void componentsConfigWhenTwoComponentsDisagreeThenRefusedNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Cores.componentsConfig(
                key -> null, List.of(
                        new Component("login", DiscordLoginFilter.class.getName(), withAfterLogin("/a")),
                        new Component("callback", DiscordCallbackServlet.class.getName(), withAfterLogin("/b")))));
        assertTrue(e.getMessage().contains(DiscordConfig.AFTER_LOGIN_URI), e.getMessage());
        assertTrue(e.getMessage().contains("DiscordLoginFilter (login)") && e.getMessage()
                .contains("DiscordCallbackServlet (callback)"), e.getMessage());
    }

    private static Map<String, String> withAfterLogin(String path) {
        Map<String, String> m = new java.util.HashMap<>(BASE);
        m.put(DiscordConfig.AFTER_LOGIN_URI, path);
        return m;
    }
}
