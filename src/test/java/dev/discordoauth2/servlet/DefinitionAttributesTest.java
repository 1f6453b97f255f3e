package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import dev.discordoauth2.web.DiscordConfig;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every configuration key is an attribute of {@link DiscordAuthenticationMechanismDefinition}, or is listed here as
 * deliberately not one, with the reason; and every attribute is a key. A key without an attribute is still read by the
 * mechanism, from the context-params, MicroProfile Config, system properties and the environment.
 */
class DefinitionAttributesTest {
    private static final String TUNING = "deployment tuning of timing and limits, set where the deployment is "
            + "configured (context-param, MicroProfile Config, environment) rather than in the application's code";
    private static final String BEHAVIOUR = "a switch of the library's behaviour, the same for the filter and the "
            + "mechanism; set with the other keys outside the code";

    private static final String STORE = "the token store's database and keys belong to the deployment (and it is not "
            + "wired into the login yet)";

    private static final String NATIVE = "the Discord-native flows (the Linked Roles Verification URL, \"Add to "
            + "server\") are read as keys, as the server rules are; the annotation offers the login's settings";

    /** Keys deliberately without an attribute, and why. */
    static final Map<String, String> NOT_ATTRIBUTES = Map.ofEntries(
            Map.entry(DiscordConfig.SESSION, "the sealed-cookie mode is for the web.xml components for now: the "
                    + "mechanism refuses it at start (Settings)"),
            Map.entry(DiscordConfig.COOKIE_KEYS, "see " + DiscordConfig.SESSION + "; keys stay out of the code"),
            Map.entry(DiscordConfig.COOKIE_MAX_AGE, "see " + DiscordConfig.SESSION),
            Map.entry(DiscordConfig.CONTAINER_AUTHENTICATION, "another front door: the container's own "
                    + "authentication, chosen instead of the mechanism, read by the initializer before CDI starts"),
            Map.entry(DiscordConfig.LINKED_ROLES_PATH, NATIVE),
            Map.entry(DiscordConfig.ADD_TO_SERVER_PATH, NATIVE),
            Map.entry(DiscordConfig.BOT_SCOPES, NATIVE),
            Map.entry(DiscordConfig.BOT_PERMISSIONS, NATIVE),
            Map.entry(DiscordConfig.AFTER_ADD_TO_SERVER_URI, NATIVE),
            Map.entry(DiscordConfig.BOT_TOKEN, "the bot's credential is wider than the application's and is used for "
                    + "bot calls, not for the login: it stays out of the annotation"),
            Map.entry(DiscordConfig.REFRESH_SKEW, TUNING),
            Map.entry(DiscordConfig.STATE_TTL, TUNING),
            Map.entry(DiscordConfig.MAX_PENDING_LOGINS, TUNING),
            Map.entry(DiscordConfig.MAX_CONCURRENT_LOGINS, TUNING),
            Map.entry(DiscordConfig.REFRESH_TIMEOUT, TUNING),
            Map.entry(DiscordConfig.CALLBACK_TIMEOUT, TUNING),
            Map.entry(DiscordConfig.REVALIDATE_INTERVAL, TUNING),
            Map.entry(DiscordConfig.GUILD_RECHECK_INTERVAL, TUNING),
            Map.entry(DiscordConfig.REVOKE_ON_LOGOUT, BEHAVIOUR),
            Map.entry(DiscordConfig.SESSION_COOKIE_DEFAULTS, BEHAVIOUR + "; the initializer reads it before CDI "
                    + "starts, when the session cookie can still be configured"),
            Map.entry(DiscordConfig.ERROR_PAGES, BEHAVIOUR),
            Map.entry(DiscordConfig.WARM_UP, BEHAVIOUR),
            Map.entry(DiscordConfig.REQUIRED_GUILDS, "server rules (with required-guilds-match, guild-roles and "
                    + "guild-invite-url) are not offered by the annotation yet; they are read as keys"),
            Map.entry(DiscordConfig.REQUIRED_GUILDS_MATCH, "see " + DiscordConfig.REQUIRED_GUILDS),
            Map.entry(DiscordConfig.GUILD_ROLES, "see " + DiscordConfig.REQUIRED_GUILDS),
            Map.entry(DiscordConfig.GUILD_INVITE_URL, "see " + DiscordConfig.REQUIRED_GUILDS),
            Map.entry(DiscordConfig.PUBLIC_KEY, "the key of DiscordWebhookServlet, a web.xml component: the mechanism "
                    + "receives no webhook events"),
            Map.entry(DiscordConfig.TOKEN_STORE, STORE),
            Map.entry(DiscordConfig.TOKEN_STORE_DATASOURCE, STORE),
            Map.entry(DiscordConfig.TOKEN_STORE_JDBC_URL, STORE),
            Map.entry(DiscordConfig.TOKEN_STORE_JDBC_USER, STORE),
            Map.entry(DiscordConfig.TOKEN_STORE_JDBC_PASSWORD, STORE + "; a credential stays out of the code"),
            Map.entry(DiscordConfig.TOKEN_STORE_TABLE, STORE),
            Map.entry(DiscordConfig.TOKEN_STORE_CREATE_TABLE, STORE),
            Map.entry(DiscordConfig.TOKEN_STORE_KEYS, STORE + "; encryption keys stay out of the code"));

    @Test
    void everyKeyWhenDeclaredThenAnAttributeOrListedAsNotOne() {
        List<String> problems = new ArrayList<>();
        for (String key : DiscordConfig.KEYS) {
            boolean attribute = Settings.attributes().containsKey(key);
            if (attribute == NOT_ATTRIBUTES.containsKey(key)) {
                problems.add(key + (attribute ? " has an attribute but is listed as not having one"
                        : " has no attribute " + Settings.attributeName(key) + " and is not listed as deliberate"));
            }
        }
        for (String key : NOT_ATTRIBUTES.keySet()) {
            if (!DiscordConfig.KEYS.contains(key)) {
                problems.add(key + " is listed but is no key");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAttributeWhenDeclaredThenTheKeyItsNameSpells() {
        TreeSet<String> attributes = new TreeSet<>();
        for (Method method : DiscordAuthenticationMechanismDefinition.class.getDeclaredMethods()) {
            if (method.getName().equals("qualifiers")) {
                continue; // the bean's CDI qualifiers (MechanismBeansTest), no configuration key
            }
            assertEquals(String.class, method.getReturnType(), method.getName());
            assertEquals("", method.getDefaultValue(), method.getName() + ": empty means the key's lookup");
            attributes.add(method.getName());
            // the spelling DiscordInitializer used before the attributes were derived from the keys
            String key = "discord." + method.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            assertTrue(DiscordConfig.KEYS.contains(key), method.getName() + " mirrors no key (" + key + ")");
            assertEquals(method.getName(), Settings.attributeName(key));
        }
        TreeSet<String> derived = new TreeSet<>();
        Settings.attributes().values().forEach(a -> derived.add(a.name()));
        assertEquals(attributes, derived);
    }
}
