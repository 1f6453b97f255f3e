package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.web.DiscordConfig;
import jakarta.servlet.ServletContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A component starts on a context that does not list its registrations (a stand-in, or a container that refuses
 * the call): its own init-params feed the configuration, as they do where the registrations are listed.
 */
class FrontDoorsTest {
    private static final Map<String, String> OWN = Map.of(DiscordConfig.CLIENT_ID, "100000000000000042",
            DiscordConfig.CLIENT_SECRET, "s", DiscordConfig.REDIRECT_URI, "/oauth2/callback",
            DiscordConfig.AFTER_LOGIN_URI, "/home", DiscordConfig.WARM_UP, "false");

    @Test
    void startWhenRegistrationsNotListedThenOwnInitParamsUsed() {
        ServletContext context = TestRequest.servletContext("/app", Map.of());
        Cores.Started started = FrontDoors.start("DiscordLoginFilter", context, OWN::get);
        assertNotNull(started, "started, not failed closed");
        try {
            assertEquals("/home", started.core().config().afterLoginUri());
            assertEquals(started.core(), Cores.of(context), "the application's one core");
        } finally {
            Cores.release(context, started);
        }
        assertNull(Cores.of(context), "closed by its creator where no listener closes it");
    }

    @Test
    void startWhenOwnInitParamsIncompleteThenNullAndFailsClosed() {
        ServletContext context = TestRequest.servletContext("/app", Map.of());
        assertNull(FrontDoors.start("DiscordLoginFilter", context, key -> null));
    }
}
