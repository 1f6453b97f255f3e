package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoBootstrapTest {
    private static final String REDIRECT = "http://localhost:8080/oauth2/callback";

    @Test
    void configurationProblemWhenClientIdTooShortThenMessageNamesKeyAndRule() {
        Map<String, String> params = Map.of("discord.client-id", "123", "discord.client-secret", "s3cret",
                "discord.redirect-uri", REDIRECT);
        assertEquals("discord.client-id is invalid: expected the application id from Discord's developer portal "
                + "(a snowflake: 17 to 20 digits)", DemoBootstrap.configurationProblem(params::get));
    }

    @Test
    void configurationProblemWhenScopesLackIdentifyThenMessageNamesKey() {
        Map<String, String> params = Map.of("discord.client-id", "123456789012345678", "discord.client-secret",
                "s3cret", "discord.redirect-uri", REDIRECT, "discord.scopes", "email");
        assertEquals("discord.scopes is invalid: expected scopes including 'identify' (the login needs to know the "
                + "user)", DemoBootstrap.configurationProblem(params::get));
    }

    @Test
    void configurationProblemWhenCompleteThenNull() {
        Map<String, String> params = Map.of("discord.client-id", "123456789012345678", "discord.client-secret",
                "s3cret", "discord.redirect-uri", REDIRECT);
        assertNull(DemoBootstrap.configurationProblem(params::get));
    }
}
