package dev.discordoauth2.web;

import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.model.RoleConnectionMetadata.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An application's linked-roles schema, checked against Discord's rules (at most 5 records, distinct keys, the
 * record's own limits, localizations in Discord's locales with the name's and description's lengths), and the
 * encoding of a {@link RoleConnection}'s values as Discord's strings for each key's type (integers as decimal,
 * booleans as {@code 1}/{@code 0}, date-times as ISO 8601 with an offset), refusing what the schema does not allow.
 * Every refusal names the record or the key. Immutable and thread-safe.
 */
final class RoleConnectionSchema {
    /** Discord's locales (developers/reference.mdx, "Locales"). */
    static final Set<String> LOCALES = Set.of("id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr",
            "it", "lt", "hu", "nl", "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk",
            "hi", "th", "zh-CN", "ja", "zh-TW", "ko");
    static final int MAX_RECORDS = 5;
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");

    private final List<RoleConnectionMetadata> records;
    private final Map<String, Type> types = new LinkedHashMap<>();

    private RoleConnectionSchema(List<RoleConnectionMetadata> records) {
        this.records = List.copyOf(records);
        records.forEach(r -> types.put(r.key(), r.type()));
    }

    /**
     * The schema, checked.
     *
     * @throws IllegalArgumentException naming the record that breaks a rule
     */
    static RoleConnectionSchema of(List<RoleConnectionMetadata> records) {
        if (records == null) {
            throw new IllegalArgumentException("the linked-roles schema is null: return a list of at most "
                    + MAX_RECORDS + " records");
        }
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("the linked-roles schema has " + records.size() + " records; Discord "
                    + "allows at most " + MAX_RECORDS);
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            RoleConnectionMetadata r = records.get(i);
            String which = "record " + (i + 1);
            if (r == null) {
                throw new IllegalArgumentException("the linked-roles schema's " + which + " is null");
            }
            which += " (key \"" + r.key() + "\")";
            if (!keys.add(r.key())) {
                throw new IllegalArgumentException("the linked-roles schema's " + which + " repeats a key");
            }
            localizations(which, "name", r.nameLocalizations(), 100);
            localizations(which, "description", r.descriptionLocalizations(), 200);
        }
        return new RoleConnectionSchema(records);
    }

    private static void localizations(String which, String field, Map<String, String> texts, int max) {
        texts.forEach((locale, text) -> {
            if (!LOCALES.contains(locale)) {
                throw new IllegalArgumentException("the linked-roles schema's " + which + " has a " + field
                        + " localization for \"" + locale + "\", not one of Discord's locales (e.g. de, en-GB, pt-BR)");
            }
            if (text == null || text.isEmpty() || text.length() > max) {
                throw new IllegalArgumentException("the linked-roles schema's " + which + " has a " + field
                        + " localization for " + locale + " that is not 1-" + max + " characters");
            }
        });
    }

    List<RoleConnectionMetadata> records() {
        return records;
    }

    /** Whether Discord's records are this schema (the order matters: Discord shows them in it). */
    boolean sameAs(List<RoleConnectionMetadata> registered) {
        return records.equals(registered);
    }

    /**
     * The connection's metadata as Discord's strings.
     *
     * @throws IllegalArgumentException naming the key that is not in the schema or whose value does not fit its type
     */
    Map<String, String> encode(RoleConnection connection) {
        Map<String, String> out = new LinkedHashMap<>();
        connection.metadata().forEach((key, value) -> {
            Type type = types.get(key);
            if (type == null) {
                throw new IllegalArgumentException("linked roles: \"" + key + "\" is not a key of the schema "
                        + types.keySet());
            }
            String text = encode(type, value);
            if (text == null) {
                throw new IllegalArgumentException("linked roles: the value of \"" + key + "\" does not fit its type "
                        + type + " (" + expected(type) + "): " + describe(value));
            }
            out.put(key, text);
        });
        return out;
    }

    private static String encode(Type type, Object value) {
        switch (type) {
            case INTEGER_LESS_THAN_OR_EQUAL, INTEGER_GREATER_THAN_OR_EQUAL, INTEGER_EQUAL, INTEGER_NOT_EQUAL -> {
                if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return value.toString();
                }
                if (value instanceof BigInteger big && big.bitLength() < 64) {
                    return big.toString();
                }
                return value instanceof String s && INTEGER.matcher(s).matches() ? s : null;
            }
            case BOOLEAN_EQUAL, BOOLEAN_NOT_EQUAL -> {
                if (value instanceof Boolean b) {
                    return b ? "1" : "0";
                }
                String s = value.toString();
                if ((value instanceof Number || value instanceof String) && (s.equals("0") || s.equals("1"))) {
                    return s;
                }
                return value instanceof String t && (t.equals("true") || t.equals("false"))
                        ? (t.equals("true") ? "1" : "0") : null;
            }
            default -> {
                if (value instanceof Instant instant) {
                    return instant.atOffset(ZoneOffset.UTC).toString();
                }
                if (value instanceof OffsetDateTime time) {
                    return time.toString();
                }
                if (value instanceof ZonedDateTime time) {
                    return time.toOffsetDateTime().toString();
                }
                if (value instanceof LocalDate date) {
                    return date.atStartOfDay().atOffset(ZoneOffset.UTC).toString();
                }
                if (value instanceof String s) {
                    try {
                        OffsetDateTime.parse(s);
                        return s;
                    } catch (DateTimeParseException e) {
                        return null;
                    }
                }
                return null;
            }
        }
    }

    private static String expected(Type type) {
        return switch (type) {
            case BOOLEAN_EQUAL, BOOLEAN_NOT_EQUAL -> "a Boolean, or 0 or 1";
            case DATETIME_LESS_THAN_OR_EQUAL, DATETIME_GREATER_THAN_OR_EQUAL ->
                    "an Instant, OffsetDateTime, ZonedDateTime, LocalDate or ISO 8601 text with an offset";
            default -> "a whole number that fits in 64 bits";
        };
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        return value.getClass().getSimpleName() + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
