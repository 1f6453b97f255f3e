package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.AuthorizeRequest.Prompt;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscordConfigTest {
    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(DiscordConfig.CLIENT_ID, "123456789012345678");
        m.put(DiscordConfig.CLIENT_SECRET, "top-secret");
        m.put(DiscordConfig.REDIRECT_URI, "/oauth2/callback");
        return m;
    }

    private static String failure(Map<String, String> values) {
        return assertThrows(IllegalStateException.class, () -> DiscordConfig.of(values)).getMessage();
    }

    @Test
    void ofWhenMinimalThenDocumentedDefaults() {
        DiscordConfig c = DiscordConfig.of(minimal());
        assertEquals(List.of("identify"), c.scopes());
        assertEquals("/", c.afterLoginUri());
        assertEquals("/", c.afterLogoutUri());
        assertEquals("/oauth2/login", c.loginPath());
        assertEquals("https://discord.com/api/v10", c.apiBaseUri().toString());
        assertEquals("https://discord.com/oauth2/authorize", c.authorizeUri().toString());
        assertEquals("https://cdn.discordapp.com", c.cdnBaseUri().toString());
        assertEquals(Duration.ofMinutes(1), c.refreshSkew());
        assertEquals(Duration.ofMinutes(10), c.stateTtl());
        assertEquals(10, c.maxPendingLogins());
        assertTrue(c.revokeOnLogout());
        assertEquals(Optional.empty(), c.prompt());
        assertEquals("/oauth2/callback", c.callbackPath("/app"));
    }

    @Test
    void ofWhenRequiredKeyMissingThenMessageNamesKeyAndEnvironmentVariable() {
        for (String key : List.of(DiscordConfig.CLIENT_ID, DiscordConfig.CLIENT_SECRET, DiscordConfig.REDIRECT_URI)) {
            Map<String, String> values = minimal();
            values.remove(key);
            String message = failure(values);
            assertTrue(message.startsWith(key + " is missing"), message);
            assertTrue(message.contains(DiscordConfig.environmentName(key)), message);
        }
    }

    @Test
    void ofWhenValueInvalidThenMessageNamesKey() {
        Map<String, Map.Entry<String, String>> cases = Map.of(
                "client id", Map.entry(DiscordConfig.CLIENT_ID, "my-app"),
                "redirect", Map.entry(DiscordConfig.REDIRECT_URI, "//evil.example/cb"),
                "scopes", Map.entry(DiscordConfig.SCOPES, "email guilds"),
                "prompt", Map.entry(DiscordConfig.PROMPT, "always"),
                "api", Map.entry(DiscordConfig.API_BASE_URI, "ftp://discord.com"),
                "after login", Map.entry(DiscordConfig.AFTER_LOGIN_URI, "https://evil.example/"),
                "skew", Map.entry(DiscordConfig.REFRESH_SKEW, "soon"),
                "pending", Map.entry(DiscordConfig.MAX_PENDING_LOGINS, "0"),
                "revoke", Map.entry(DiscordConfig.REVOKE_ON_LOGOUT, "maybe"),
                "roles", Map.entry(DiscordConfig.ROLES, "admin=nelly"));
        cases.forEach((name, entry) -> {
            Map<String, String> values = minimal();
            values.put(entry.getKey(), entry.getValue());
            assertTrue(failure(values).startsWith(entry.getKey() + " is invalid"), name);
        });
    }

    @Test
    void newClientWhenCdnBaseUriSetThenClientsCdnThereAndOwnClientKey() {
        Map<String, String> values = minimal();
        values.put(DiscordConfig.REDIRECT_URI, "https://app.example/oauth2/callback");
        DiscordConfig discord = DiscordConfig.of(values);
        values.put(DiscordConfig.CDN_BASE_URI, "http://127.0.0.1:8090/");
        DiscordConfig emulated = DiscordConfig.of(values);
        try (dev.discordoauth2.DiscordOAuth2Client client = emulated.newClient();
                dev.discordoauth2.DiscordOAuth2Client plain = discord.newClient()) {
            assertEquals(java.net.URI.create("http://127.0.0.1:8090"), client.cdn().baseUri());
            assertEquals(dev.discordoauth2.DiscordCdn.discord(), plain.cdn());
        }
        assertNotEquals(discord.clientKey(), emulated.clientKey(), "a client serves one CDN");
        values.put(DiscordConfig.CDN_BASE_URI, "http://127.0.0.1:8090/#x");
        assertEquals("discord.cdn-base-uri is invalid: expected an absolute http(s) URI without query or fragment",
                failure(values));
    }

    @Test
    void ofWhenClientIdNotSnowflakeThenMessageSaysSnowflakeDigits() {
        for (String id : List.of("123", "1234567890123456", "123456789012345678901", "12345678901234567x")) {
            Map<String, String> values = minimal();
            values.put(DiscordConfig.CLIENT_ID, id);
            assertEquals("discord.client-id is invalid: expected the application id from Discord's developer portal "
                    + "(a snowflake: 17 to 20 digits)", failure(values), id);
        }
    }

    @Test
    void ofWhenPublicKeyNot64HexDigitsThenMessageSaysSoAndOtherwiseLowercase() {
        assertTrue(DiscordConfig.of(minimal()).publicKey().isEmpty(), "optional");
        for (String key : List.of("abc", "g".repeat(64), "a".repeat(63), "a".repeat(65))) {
            Map<String, String> values = minimal();
            values.put(DiscordConfig.PUBLIC_KEY, key);
            assertEquals("discord.public-key is invalid: expected the application's public key from Discord's "
                    + "developer portal (64 hex digits)", failure(values), key);
        }
        Map<String, String> values = minimal();
        values.put(DiscordConfig.PUBLIC_KEY, " " + "AB".repeat(32) + " ");
        assertEquals("ab".repeat(32), DiscordConfig.of(values).publicKey().orElseThrow());
    }

    @Test
    void ofWhenClientIdHas17To20DigitsThenAccepted() {
        for (String id : List.of("12345678901234567", "12345678901234567890")) {
            Map<String, String> values = minimal();
            values.put(DiscordConfig.CLIENT_ID, id);
            assertEquals(id, DiscordConfig.of(values).clientId());
        }
    }

    @Test
    void ofWhenEverythingSetThenParsed() {
        Map<String, String> values = minimal();
        values.put(DiscordConfig.REDIRECT_URI, "https://app.example/ctx/oauth2/callback");
        values.put(DiscordConfig.SCOPES, "identify email, guilds");
        values.put(DiscordConfig.PROMPT, "none");
        values.put(DiscordConfig.REFRESH_SKEW, "PT5M");
        values.put(DiscordConfig.STATE_TTL, "300");
        values.put(DiscordConfig.REQUIRE_VERIFIED_EMAIL, "true");
        values.put(DiscordConfig.ROLES, "admin=1,2; moderator=3");
        DiscordConfig c = DiscordConfig.of(values);
        assertEquals(List.of("identify", "email", "guilds"), c.scopes());
        assertEquals(Optional.of(Prompt.NONE), c.prompt());
        assertEquals(Duration.ofMinutes(5), c.refreshSkew());
        assertEquals(Duration.ofMinutes(5), c.stateTtl());
        assertEquals(Map.of("admin", Set.of("1", "2"), "moderator", Set.of("3")), c.roles());
        assertEquals("/oauth2/callback", c.callbackPath("/ctx"));
    }

    @Test
    void requireVerifiedEmailWhenNoEmailScopeThenRefused() {
        Map<String, String> values = minimal();
        values.put(DiscordConfig.REQUIRE_VERIFIED_EMAIL, "true");
        assertTrue(failure(values).startsWith(DiscordConfig.REQUIRE_VERIFIED_EMAIL));
    }

    @Test
    void lookupWhenSeveralSourcesThenInitParamWinsThenContextThenSystemThenEnvironment() {
        Map<String, String> init = Map.of("discord.scopes", "identify guilds");
        Map<String, String> context = Map.of("discord.scopes", "identify email", "discord.client-id",
                "100000000000000011");
        Map<String, String> env = Map.of("DISCORD_CLIENT_ID", "100000000000000022", "DISCORD_CLIENT_SECRET", "from-env");
        ConfigLookup lookup = new ConfigLookup(init::get, context::get, env);
        assertEquals("identify guilds", lookup.apply("discord.scopes"));
        assertEquals("100000000000000011", lookup.apply("discord.client-id"));
        assertEquals("from-env", lookup.apply("discord.client-secret"));
        System.setProperty("discord.client-secret", "from-system");
        try {
            assertEquals("from-system", lookup.apply("discord.client-secret"));
        } finally {
            System.clearProperty("discord.client-secret");
        }
        assertEquals(null, lookup.apply("discord.bot-token"));
    }

    @Test
    void toStringWhenSecretsSetThenRedacted() {
        Map<String, String> values = minimal();
        values.put(DiscordConfig.BOT_TOKEN, "bot-secret-token");
        String text = DiscordConfig.of(values).toString();
        assertFalse(text.contains("top-secret"));
        assertFalse(text.contains("bot-secret-token"));
    }
}
