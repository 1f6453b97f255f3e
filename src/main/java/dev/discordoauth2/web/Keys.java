package dev.discordoauth2.web;

import static dev.discordoauth2.web.Key.invalid;

import dev.discordoauth2.AuthorizeRequest.Prompt;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every configuration key of {@link DiscordConfig}, declared once: name, default, parser and documentation, in the
 * order the loader reads them (which is the order of the README's configuration table, and the order in which
 * problems are reported: the first missing or invalid key fails the deployment). {@link #read} is the loader.
 * Stateless; the declarations are immutable.
 */
final class Keys {
    static final Key<String> CLIENT_ID = Key.required(DiscordConfig.CLIENT_ID,
            "The application id from Discord's developer portal.", Parsers::clientId);
    static final Key<String> CLIENT_SECRET = Key.required(DiscordConfig.CLIENT_SECRET,
            "The application's client secret.", Parsers::text);
    static final Key<String> REDIRECT_URI = Key.required(DiscordConfig.REDIRECT_URI,
            "Where Discord sends the user back: an absolute URI, or a context-relative path resolved against the "
                    + "request.", Parsers::redirectUri);
    static final Key<List<String>> SCOPES = Key.withDefault(DiscordConfig.SCOPES, "identify",
            "The OAuth2 scopes asked for, space-separated, identify among them.", Parsers::scopes);
    static final Key<Prompt> PROMPT = Key.optional(DiscordConfig.PROMPT, null,
            "Whether Discord asks the user again (consent) or never (none).", Parsers::prompt);
    static final Key<String> BOT_TOKEN = Key.optional(DiscordConfig.BOT_TOKEN, null,
            "The bot's token, for joinGuild and linked-roles metadata.", Parsers::text);
    static final Key<URI> API_BASE_URI = Key.withDefault(DiscordConfig.API_BASE_URI, "https://discord.com/api/v10",
            "Discord's API, or a DiscordEmulator in tests.", Parsers::httpUri);
    static final Key<URI> AUTHORIZE_URI = Key.withDefault(DiscordConfig.AUTHORIZE_URI,
            "https://discord.com/oauth2/authorize", "Discord's authorize page.", Parsers::httpUri);
    static final Key<URI> CDN_BASE_URI = Key.withDefault(DiscordConfig.CDN_BASE_URI, "https://cdn.discordapp.com",
            "Discord's image CDN (avatars, icons), or a DiscordEmulator's; the base of DiscordOAuth2Client.cdn().",
            Parsers::baseUri);
    static final Key<String> AFTER_LOGIN_URI = Key.withDefault(DiscordConfig.AFTER_LOGIN_URI, "/",
            "Where a login without a saved page lands.", Parsers::localPath);
    static final Key<String> AFTER_LOGOUT_URI = Key.withDefault(DiscordConfig.AFTER_LOGOUT_URI, "/",
            "Where logout redirects.", Parsers::localPath);
    static final Key<String> LOGIN_PATH = Key.withDefault(DiscordConfig.LOGIN_PATH, "/oauth2/login",
            "The login entry point (?return=/path).", Parsers::localPath);
    static final Key<String> LOGOUT_PATH = Key.withDefault(DiscordConfig.LOGOUT_PATH, "/oauth2/logout",
            "Where the Jakarta Security mechanism logs out (a POST).", Parsers::localPath);
    static final Key<String> LOGIN_CANCELLED_URI = Key.optional(DiscordConfig.LOGIN_CANCELLED_URI, null,
            "Where a cancelled login goes instead of the built-in page.", Parsers::localPath);
    static final Key<Duration> REFRESH_SKEW = Key.withDefault(DiscordConfig.REFRESH_SKEW, "60",
            "How long before it expires the access token is refreshed.", Parsers::duration);
    static final Key<Duration> STATE_TTL = Key.withDefault(DiscordConfig.STATE_TTL, "600",
            "How long a started login may take.", Parsers.positive("a positive duration"));
    static final Key<Integer> MAX_PENDING_LOGINS = Key.withDefault(DiscordConfig.MAX_PENDING_LOGINS, "10",
            "How many logins may be pending at once in one session.", Parsers.number(1, 100));
    static final Key<Integer> MAX_CONCURRENT_LOGINS = Key.withDefault(DiscordConfig.MAX_CONCURRENT_LOGINS, "32",
            "How many callbacks may exchange their code with Discord at once.", Parsers.number(1, 10_000));
    static final Key<Boolean> REVOKE_ON_LOGOUT = Key.withDefault(DiscordConfig.REVOKE_ON_LOGOUT, "true",
            "Whether logout revokes the authorization at Discord.", Parsers::bool);
    static final Key<Boolean> REQUIRE_VERIFIED_EMAIL = Key.withDefault(DiscordConfig.REQUIRE_VERIFIED_EMAIL, "false",
            "Whether accounts whose e-mail address Discord has not verified are refused.", Parsers::bool)
            .checkedWith((required, earlier) -> {
                if (required && !earlier.get(SCOPES).contains("email")) {
                    throw invalid(DiscordConfig.REQUIRE_VERIFIED_EMAIL, "used with the 'email' scope (add it to "
                            + DiscordConfig.SCOPES + ")");
                }
            });
    static final Key<Map<String, Set<String>>> ROLES = Key.optional(DiscordConfig.ROLES, Map.of(),
            "Application roles by user id: role=userId,userId; role2=userId.", Parsers::roles);
    static final Key<Duration> REFRESH_TIMEOUT = Key.withDefault(DiscordConfig.REFRESH_TIMEOUT, "PT5S",
            "The longest a request waits for a token refresh.", Parsers.positive("a positive duration such as PT5S"));
    static final Key<Duration> CALLBACK_TIMEOUT = Key.withDefault(DiscordConfig.CALLBACK_TIMEOUT, "PT10S",
            "The longest the callback takes in all, code exchange and user lookup.",
            Parsers.positive("a positive duration such as PT5S"));
    static final Key<Duration> REVALIDATE_INTERVAL = Key.withDefault(DiscordConfig.REVALIDATE_INTERVAL, "PT15M",
            "How often a session's token is checked with GET /oauth2/@me (0: never).", Parsers::duration);
    static final Key<Boolean> SESSION_COOKIE_DEFAULTS = Key.withDefault(DiscordConfig.SESSION_COOKIE_DEFAULTS, "true",
            "Whether an unconfigured session cookie is made HttpOnly, SameSite=Lax and, with https, Secure.",
            Parsers::bool);
    static final Key<Boolean> ERROR_PAGES = Key.withDefault(DiscordConfig.ERROR_PAGES, "builtin",
            "Whether failures show the library's pages (builtin) or the application's error pages (container).",
            Parsers::errorPages);
    static final Key<Boolean> WARM_UP = Key.withDefault(DiscordConfig.WARM_UP, "true",
            "Whether the HTTP client is warmed up in the background at start-up, sending nothing.", Parsers::bool);
    static final Key<List<String>> REQUIRED_GUILDS = Key.optional(DiscordConfig.REQUIRED_GUILDS, List.of(),
            "The servers whose members may log in.", GuildRules::parseGuilds);
    static final Key<Boolean> REQUIRED_GUILDS_MATCH = Key.withDefault(DiscordConfig.REQUIRED_GUILDS_MATCH, "any",
            "Whether a member of one required server is enough (any) or of every one (all).", Parsers::guildsMatch);
    static final Key<Map<String, Map<String, Set<String>>>> GUILD_ROLES = Key.optional(DiscordConfig.GUILD_ROLES,
            Map.of(), "Server roles as application roles: role=SERVER_ID:ROLE_ID,ROLE_ID.", GuildRules::parseRoles);
    static final Key<Duration> GUILD_RECHECK_INTERVAL = Key.withDefault(DiscordConfig.GUILD_RECHECK_INTERVAL,
            "PT10M", "How old the answer about server membership and roles may be.", Parsers::duration);
    static final Key<String> GUILD_INVITE_URL = Key.optional(DiscordConfig.GUILD_INVITE_URL, null,
            "The join-the-server link on the page that refuses a non-member.", Parsers::httpUriText);
    static final Key<String> PUBLIC_KEY = Key.optional(DiscordConfig.PUBLIC_KEY, null,
            "The application's public key, which signs the webhook events DiscordWebhookServlet receives.",
            Parsers::publicKey);

    static final Key<Boolean> TOKEN_STORE = Key.withDefault(DiscordConfig.TOKEN_STORE, "session",
            "Where the users' tokens are kept: the HTTP session (session) or a shared database (jdbc).",
            Parsers::tokenStore);
    static final Key<String> TOKEN_STORE_DATASOURCE = Key.optional(DiscordConfig.TOKEN_STORE_DATASOURCE, null,
            "The JNDI name of the container's DataSource for the JDBC token store.", Parsers::text);
    static final Key<String> TOKEN_STORE_JDBC_URL = Key.optional(DiscordConfig.TOKEN_STORE_JDBC_URL, null,
            "The JDBC URL the token store connects to through a small pool of its own, without a DataSource.",
            Parsers::jdbcUrl).checkedWith((url, earlier) -> {
                String dataSource = earlier.get(TOKEN_STORE_DATASOURCE);
                if (earlier.get(TOKEN_STORE) && url == null && dataSource == null) {
                    throw new IllegalStateException(DiscordConfig.TOKEN_STORE + "=jdbc needs a database: set "
                            + DiscordConfig.TOKEN_STORE_DATASOURCE + " (a JNDI name) or "
                            + DiscordConfig.TOKEN_STORE_JDBC_URL);
                }
                if (url != null && dataSource != null) {
                    throw invalid(DiscordConfig.TOKEN_STORE_JDBC_URL, "either it or "
                            + DiscordConfig.TOKEN_STORE_DATASOURCE + ", not both");
                }
            });
    static final Key<String> TOKEN_STORE_JDBC_USER = Key.optional(DiscordConfig.TOKEN_STORE_JDBC_USER, null,
            "The database user for the JDBC URL.", Parsers::text);
    static final Key<String> TOKEN_STORE_JDBC_PASSWORD = Key.optional(DiscordConfig.TOKEN_STORE_JDBC_PASSWORD, null,
            "The database password for the JDBC URL.", Parsers::text);
    static final Key<String> TOKEN_STORE_TABLE = Key.withDefault(DiscordConfig.TOKEN_STORE_TABLE,
            JdbcTokenStore.SCHEMA_TABLE, "The JDBC token store's table.", Parsers::tableName);
    static final Key<Boolean> TOKEN_STORE_CREATE_TABLE = Key.withDefault(DiscordConfig.TOKEN_STORE_CREATE_TABLE,
            "false", "Whether the JDBC token store creates its table at start-up when it is missing.", Parsers::bool);
    static final Key<KeyRing> TOKEN_STORE_KEYS = Key.optional(DiscordConfig.TOKEN_STORE_KEYS, null,
            "The keys tokens are sealed under at rest, kid:base64key, the first sealing and all opening.",
            KeyRing::parse).checkedWith((ring, earlier) -> {
                if (ring == null && earlier.get(TOKEN_STORE)) {
                    throw new IllegalStateException(DiscordConfig.TOKEN_STORE_KEYS + " is missing: the JDBC token "
                            + "store keeps tokens sealed and will not start without a key (kid:base64key, e.g. "
                            + "k1:$(openssl rand -base64 32))");
                }
            });

    static final Key<String> LINKED_ROLES_PATH = Key.withDefault(DiscordConfig.LINKED_ROLES_PATH,
            "/discord/linked-roles", "The Linked Roles Verification URL's path (a RoleConnectionSource pushes).",
            Parsers::localPath);
    static final Key<String> ADD_TO_SERVER_PATH = Key.withDefault(DiscordConfig.ADD_TO_SERVER_PATH,
            "/discord/add-to-server", "The \"Add to server\" path (?guild_id=, ?disable_guild_select=true).",
            Parsers::localPath);
    static final Key<List<String>> BOT_SCOPES = Key.withDefault(DiscordConfig.BOT_SCOPES, "bot",
            "The scopes of \"Add to server\": bot, and applications.commands or user scopes.", Parsers::botScopes);
    static final Key<Long> BOT_PERMISSIONS = Key.withDefault(DiscordConfig.BOT_PERMISSIONS, "0",
            "The permissions \"Add to server\" asks for, a decimal bit set (bits up to 1 << 62).",
            Parsers::permissions);
    static final Key<String> AFTER_ADD_TO_SERVER_URI = Key.optional(DiscordConfig.AFTER_ADD_TO_SERVER_URI, null,
            "Where \"Add to server\" goes when done instead of the built-in page.", Parsers::localPath);

    static final Key<Boolean> SESSION = Key.withDefault(DiscordConfig.SESSION, "container",
            "Where the login lives: the container's session (container) or a sealed cookie, no session (cookie).",
            Parsers::sessionMode);
    static final Key<KeyRing> COOKIE_KEYS = Key.optional(DiscordConfig.COOKIE_KEYS, null,
            "The keys the login cookie is sealed under, kid:base64key, the first sealing and all opening.",
            KeyRing::parse).checkedWith((ring, earlier) -> {
                if (ring == null && earlier.get(SESSION)) {
                    throw new IllegalStateException(DiscordConfig.COOKIE_KEYS + " is missing: "
                            + DiscordConfig.SESSION + "=cookie seals the login under it and will not start without "
                            + "a key (kid:base64key, e.g. k1:$(openssl rand -base64 32))");
                }
            });
    static final Key<Duration> COOKIE_MAX_AGE = Key.withDefault(DiscordConfig.COOKIE_MAX_AGE, "P1D",
            "How long a login cookie lives after it was last sealed.", Parsers.positive("a positive duration"));
    static final Key<Boolean> CONTAINER_AUTHENTICATION = Key.withDefault(DiscordConfig.CONTAINER_AUTHENTICATION,
            "false", "Whether the container authenticates with the library's Jakarta Authentication module.",
            Parsers::bool);

    /** Every key, in the order they are read. */
    static final List<Key<?>> ALL = List.of(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, PROMPT, BOT_TOKEN,
            API_BASE_URI, AUTHORIZE_URI, CDN_BASE_URI, AFTER_LOGIN_URI, AFTER_LOGOUT_URI, LOGIN_PATH, LOGOUT_PATH,
            LOGIN_CANCELLED_URI, REFRESH_SKEW, STATE_TTL, MAX_PENDING_LOGINS, MAX_CONCURRENT_LOGINS, REVOKE_ON_LOGOUT,
            REQUIRE_VERIFIED_EMAIL, ROLES, REFRESH_TIMEOUT, CALLBACK_TIMEOUT, REVALIDATE_INTERVAL, SESSION_COOKIE_DEFAULTS, ERROR_PAGES, WARM_UP,
            REQUIRED_GUILDS, REQUIRED_GUILDS_MATCH, GUILD_ROLES, GUILD_RECHECK_INTERVAL, GUILD_INVITE_URL, PUBLIC_KEY,
            TOKEN_STORE, TOKEN_STORE_DATASOURCE, TOKEN_STORE_JDBC_URL, TOKEN_STORE_JDBC_USER,
            TOKEN_STORE_JDBC_PASSWORD, TOKEN_STORE_TABLE, TOKEN_STORE_CREATE_TABLE, TOKEN_STORE_KEYS,
            LINKED_ROLES_PATH, ADD_TO_SERVER_PATH, BOT_SCOPES, BOT_PERMISSIONS, AFTER_ADD_TO_SERVER_URI, SESSION,
            COOKIE_KEYS, COOKIE_MAX_AGE, CONTAINER_AUTHENTICATION);

    private Keys() {
    }

    /** The names of {@link #ALL}, in order. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Key<?> key : ALL) {
            names.add(key.name());
        }
        return List.copyOf(names);
    }

    /** The parsed values of a configuration, by key, and the texts they were parsed from. */
    static final class Values {
        private final Map<Key<?>, Object> parsed = new HashMap<>();
        private final Map<String, String> texts = new TreeMap<>();

        /** The value of a key read before. */
        @SuppressWarnings("unchecked")
        <T> T get(Key<T> key) {
            if (!parsed.containsKey(key)) {
                throw new IllegalArgumentException(key + " is not read yet");
            }
            return (T) parsed.get(key);
        }

        /** The configured (trimmed, non-blank) texts by key name: what identifies the configuration. */
        Map<String, String> texts() {
            return Collections.unmodifiableMap(texts);
        }
    }

    /**
     * Reads every key from {@code source} in the order of {@link #ALL}, then checks the keys that depend on each
     * other.
     *
     * @throws IllegalStateException naming the first key that is missing or invalid
     */
    static Values read(Function<String, String> source) {
        Values values = new Values();
        for (Key<?> key : ALL) {
            String text = source.apply(key.name());
            if (text != null && !text.isBlank()) {
                values.texts.put(key.name(), text.trim());
            }
        }
        for (Key<?> key : ALL) {
            values.parsed.put(key, key.read(values.texts.get(key.name()), values));
        }
        checkGuilds(values);
        return values;
    }

    /** Server roles need {@code guilds.members.read}; required servers need it or {@code guilds}. */
    private static void checkGuilds(Values values) {
        List<String> scopes = values.get(SCOPES);
        if (!values.get(GUILD_ROLES).isEmpty() && !scopes.contains("guilds.members.read")) {
            throw invalid(DiscordConfig.GUILD_ROLES, "the 'guilds.members.read' scope in " + DiscordConfig.SCOPES
                    + " (server roles are read with GET /users/@me/guilds/{guild.id}/member)");
        }
        if (!values.get(REQUIRED_GUILDS).isEmpty() && !scopes.contains("guilds.members.read")
                && !scopes.contains("guilds")) {
            throw invalid(DiscordConfig.REQUIRED_GUILDS, "the 'guilds.members.read' or 'guilds' scope in "
                    + DiscordConfig.SCOPES + " (membership is read from the user's servers)");
        }
    }

    /** The server rules of a configuration read by {@link #read}. */
    static GuildRules guildRules(Values values) {
        List<String> required = values.get(REQUIRED_GUILDS);
        Map<String, Map<String, Set<String>>> roles = values.get(GUILD_ROLES);
        if (required.isEmpty() && roles.isEmpty()) {
            return GuildRules.NONE;
        }
        return new GuildRules(required, values.get(REQUIRED_GUILDS_MATCH), roles, values.get(GUILD_RECHECK_INTERVAL),
                values.get(GUILD_INVITE_URL));
    }
}
