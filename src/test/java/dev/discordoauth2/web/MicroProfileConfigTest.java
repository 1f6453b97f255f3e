package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MicroProfile Config step of the lookup, with SmallRye Config on the test class path. */
class MicroProfileConfigTest {
    @Test
    void lookupWhenMicroProfileConfigHasKeyThenUsedAfterParams() {
        ConfigLookup lookup = new ConfigLookup(null,
                Map.of("discord.mp-test-shadowed", "from-context")::get, Map.of());
        assertEquals("from-microprofile", lookup.apply("discord.mp-test-key"), "served by microprofile-config.properties");
        assertEquals("from-context", lookup.apply("discord.mp-test-shadowed"), "context-params come first");
    }

    @Test
    void lookupWhenSystemPropertySetThenMicroProfileOrdinalsDecide() {
        ConfigLookup lookup = new ConfigLookup(null, null, Map.of());
        System.setProperty("discord.mp-test-key", "from-system");
        try {
            // MicroProfile Config reads system properties itself (ordinal 400) above the properties file (100)
            assertEquals("from-system", lookup.apply("discord.mp-test-key"));
        } finally {
            System.clearProperty("discord.mp-test-key");
        }
    }
}
