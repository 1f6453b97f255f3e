package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code discord.token-store.*} keys, without a database. */
class TokenStoreConfigTest {
    private static Map<String, String> base() {
        return new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, "123456789012345678", DiscordConfig.CLIENT_SECRET, "s",
                DiscordConfig.REDIRECT_URI, "/cb"));
    }

    private static String failure(Map<String, String> config) {
        return assertThrows(IllegalStateException.class, () -> Keys.read(config::get)).getMessage();
    }

    @Test
    void tokenStoreWhenUnconfiguredThenSessionAndNoStoreIsOpened() {
        Keys.Values values = Keys.read(base()::get);
        assertFalse(values.get(Keys.TOKEN_STORE));
        assertEquals("discord_tokens", values.get(Keys.TOKEN_STORE_TABLE));
        assertFalse(values.get(Keys.TOKEN_STORE_CREATE_TABLE));
        assertEquals(Optional.empty(), TokenStores.open(values));
    }

    @Test
    void jdbcWhenNoKeysThenOneLineSayingSo() {
        Map<String, String> config = base();
        config.put(DiscordConfig.TOKEN_STORE, "jdbc");
        config.put(DiscordConfig.TOKEN_STORE_JDBC_URL, "jdbc:postgresql://db/app");
        String message = failure(config);
        assertTrue(message.startsWith(DiscordConfig.TOKEN_STORE_KEYS + " is missing: the JDBC token store"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void jdbcWhenNoDatabaseOrTwoThenOneLine() {
        Map<String, String> config = base();
        config.put(DiscordConfig.TOKEN_STORE, "JDBC");
        config.put(DiscordConfig.TOKEN_STORE_KEYS, "k:" + KeyRingTest.newKey(32));
        assertTrue(failure(config).contains(DiscordConfig.TOKEN_STORE_DATASOURCE), failure(config));
        config.put(DiscordConfig.TOKEN_STORE_JDBC_URL, "jdbc:postgresql://db/app");
        config.put(DiscordConfig.TOKEN_STORE_DATASOURCE, "jdbc/tokens");
        assertTrue(failure(config).contains("not both"), failure(config));
    }

    @Test
    void keysWhenInvalidThenNamedWithoutValue() {
        Map<String, String> config = base();
        config.put(DiscordConfig.TOKEN_STORE, "redis");
        assertEquals(DiscordConfig.TOKEN_STORE + " is invalid: expected 'session' or 'jdbc'", failure(config));
        config.put(DiscordConfig.TOKEN_STORE, "session");
        config.put(DiscordConfig.TOKEN_STORE_TABLE, "tokens; DROP TABLE users");
        assertTrue(failure(config).startsWith(DiscordConfig.TOKEN_STORE_TABLE + " is invalid"), failure(config));
        config.put(DiscordConfig.TOKEN_STORE_TABLE, "app.discord_tokens");
        config.put(DiscordConfig.TOKEN_STORE_JDBC_URL, "postgresql://db/app?password=hunter2");
        String message = failure(config);
        assertTrue(message.startsWith(DiscordConfig.TOKEN_STORE_JDBC_URL + " is invalid"), message);
        assertFalse(message.contains("hunter2"), message);
        assertThrows(IllegalArgumentException.class, () -> new JdbcTokenStore(new DriverPool("jdbc:x:", null, null,
                1, 1), KeyRing.parse("k", "k:" + KeyRingTest.newKey(16)), "a b"));
    }

    @Test
    void schemaWhenReadForATableThenOneStatementWithThatName() {
        String ddl = JdbcTokenStore.schema("app.tokens");
        assertTrue(ddl.startsWith("CREATE TABLE IF NOT EXISTS app.tokens ("), ddl);
        assertFalse(ddl.contains("--") || ddl.contains("discord_tokens") || ddl.contains(";"), ddl);
    }
}
