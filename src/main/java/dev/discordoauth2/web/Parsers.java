package dev.discordoauth2.web;

import static dev.discordoauth2.web.Key.invalid;

import dev.discordoauth2.AuthorizeRequest.Prompt;
import dev.discordoauth2.model.Snowflake;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parsers of the configuration keys declared in {@link Keys}: each takes the key (for its message) and the
 * configured text, trimmed and not blank, and returns the value or throws {@link Key#invalid} with the message the
 * deployment shows ("{@code discord.x is invalid: expected ...}"). Stateless.
 */
final class Parsers {
    private Parsers() {
    }

    static String text(String key, String text) {
        return text;
    }

    static String clientId(String key, String text) {
        if (!Snowflake.isIssued(text)) {
            throw invalid(key, "the application id from Discord's developer portal (a snowflake: 17 to 20 digits)");
        }
        return text;
    }

    /** The application's public key as the developer portal shows it: 64 hex digits (32 bytes), kept lowercase. */
    static String publicKey(String key, String text) {
        if (!text.matches("[0-9a-fA-F]{64}")) {
            throw invalid(key, "the application's public key from Discord's developer portal (64 hex digits)");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** An absolute URI or a context-relative path (not {@code //host}). */
    static String redirectUri(String key, String text) {
        if (text.startsWith("/")) {
            if (text.startsWith("//")) {
                throw invalid(key, "an absolute URI or a context-relative path such as /oauth2/callback");
            }
        } else if (!uri(key, text).isAbsolute()) {
            throw invalid(key, "an absolute URI or a context-relative path such as /oauth2/callback");
        }
        return text;
    }

    /** Space- or comma-separated scopes, {@code identify} among them. */
    static List<String> scopes(String key, String text) {
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(text.trim().split("[\\s,]+")));
        scopes.remove("");
        if (scopes.isEmpty()) {
            throw invalid(key, "space-separated Discord scopes such as 'identify email'");
        }
        if (!scopes.contains("identify")) {
            throw invalid(key, "scopes including 'identify' (the login needs to know the user)");
        }
        return List.copyOf(scopes);
    }

    /** {@code container} (false) or {@code cookie} (true). */
    static Boolean sessionMode(String key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "container" -> false;
            case "cookie" -> true;
            default -> throw invalid(key, "'container' (the container's session) or 'cookie' (a sealed cookie)");
        };
    }

    /** The scopes of "Add to server": {@code bot} among them. */
    static List<String> botScopes(String key, String text) {
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(text.trim().split("[\\s,]+")));
        scopes.remove("");
        if (!scopes.contains("bot")) {
            throw invalid(key, "scopes including 'bot', e.g. 'bot applications.commands'");
        }
        return List.copyOf(scopes);
    }

    /** A permission bit set as Discord writes it: a decimal number, 0 to 2^63 - 1. */
    static Long permissions(String key, String text) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid(key, "a permission bit set as a decimal number, e.g. 2048 (Send Messages)");
    }

    static Prompt prompt(String key, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "consent" -> Prompt.CONSENT;
            case "none" -> Prompt.NONE;
            default -> throw invalid(key, "'consent' or 'none'");
        };
    }

    /** {@code builtin} → false, {@code container} → true (failures go to the application's error pages). */
    static Boolean errorPages(String key, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "builtin" -> false;
            case "container" -> true;
            default -> throw invalid(key, "'builtin' or 'container'");
        };
    }

    /** {@code any} → false, {@code all} → true (a member of every required server). */
    static Boolean guildsMatch(String key, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "any" -> false;
            case "all" -> true;
            default -> throw invalid(key, "'any' (a member of at least one of " + DiscordConfig.REQUIRED_GUILDS
                    + ") or 'all'");
        };
    }

    static URI uri(String key, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(key, "a URI");
        }
    }

    static URI httpUri(String key, String text) {
        URI uri = uri(key, text);
        if (!uri.isAbsolute() || !("http".equalsIgnoreCase(uri.getScheme())
                || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw invalid(key, "an absolute http(s) URI");
        }
        return uri;
    }

    /** An absolute http(s) URI without query or fragment, below which paths are resolved. */
    static URI baseUri(String key, String text) {
        URI uri = httpUri(key, text);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(key, "an absolute http(s) URI without query or fragment");
        }
        return uri;
    }

    static String httpUriText(String key, String text) {
        return httpUri(key, text).toString();
    }

    /** A path inside the application (see {@link ReturnPaths#isLocal}). */
    static String localPath(String key, String text) {
        if (!ReturnPaths.isLocal(text)) {
            throw invalid(key, "a path inside the application starting with / (not //, not a full URL)");
        }
        return text;
    }

    /** Seconds or an ISO-8601 duration, zero or more. */
    static Duration duration(String key, String text) {
        try {
            Duration d = text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "seconds or an ISO-8601 duration such as PT5M");
    }

    /** A duration more than zero; zero fails with {@code zeroMessage}. */
    static Key.Parser<Duration> positive(String zeroMessage) {
        return (key, text) -> {
            Duration d = duration(key, text);
            if (d.isZero()) {
                throw invalid(key, zeroMessage);
            }
            return d;
        };
    }

    /** A whole number from {@code min} to {@code max}. */
    static Key.Parser<Integer> number(int min, int max) {
        return (key, text) -> {
            try {
                int n = Integer.parseInt(text);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(key, "a number from " + min + " to " + max);
        };
    }

    static Boolean bool(String key, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw invalid(key, "true or false");
        };
    }

    /** {@code session} → false, {@code jdbc} → true (the tokens in a shared database). */
    static Boolean tokenStore(String key, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "session" -> false;
            case "jdbc" -> true;
            default -> throw invalid(key, "'session' or 'jdbc'");
        };
    }

    /** A JDBC URL ({@code jdbc:...}); not echoed, as its parameters may hold a password. */
    static String jdbcUrl(String key, String text) {
        if (!text.startsWith("jdbc:")) {
            throw invalid(key, "a JDBC URL such as jdbc:postgresql://db.example:5432/app");
        }
        return text;
    }

    /** A table name: an SQL identifier, optionally schema-qualified (it is written into the SQL). */
    static String tableName(String key, String text) {
        if (!JdbcTokenStore.isIdentifier(text)) {
            throw invalid(key, "a table name of letters, digits and _ (not starting with a digit, at most 63), "
                    + "optionally schema.table");
        }
        return text;
    }

    /** {@code "admin=1,2; moderator=3"} → role → user ids. */
    static Map<String, Set<String>> roles(String key, String text) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String role = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (role.isEmpty()) {
                throw invalid(key, "'role=userId,userId; role2=userId'");
            }
            Set<String> ids = new LinkedHashSet<>();
            for (String id : entry.substring(eq + 1).split(",")) {
                String trimmed = id.trim();
                if (!Snowflake.isValid(trimmed)) {
                    throw invalid(key, "user ids (snowflakes) after '" + role + "='");
                }
                ids.add(trimmed);
            }
            out.put(role, Collections.unmodifiableSet(ids));
        }
        return Collections.unmodifiableMap(out);
    }
}
