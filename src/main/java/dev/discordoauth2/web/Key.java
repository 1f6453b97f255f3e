package dev.discordoauth2.web;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One configuration key, declared once in {@link Keys}: its name (one of the constants of {@link DiscordConfig}), the
 * default as it is written in a configuration (null when there is none), whether it is required, a one-sentence
 * documentation, and the parser that turns a configured text into the value {@link DiscordConfig} keeps. The loader
 * reads every key in the order of {@link Keys#ALL}; the README's configuration table is checked against these
 * declarations by a test. An optional check runs right after the key is parsed and may look at the keys read before
 * it (for a key that only makes sense with another's value). Immutable and thread-safe.
 *
 * @param <T> the parsed value
 */
final class Key<T> {
    /** Turns a configured, trimmed, non-blank text into a value, or throws {@link Key#invalid}. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String key, String text);
    }

    private final String name;
    private final String defaultText;
    private final boolean required;
    private final String documentation;
    private final Parser<T> parser;
    /** The value without configuration: the parsed default, or the parser's "nothing" for a key without one. */
    private final T absent;
    private final BiConsumer<T, Keys.Values> check;

    private Key(String name, String defaultText, boolean required, String documentation, Parser<T> parser, T absent,
            BiConsumer<T, Keys.Values> check) {
        this.name = Objects.requireNonNull(name);
        this.defaultText = defaultText;
        this.required = required;
        this.documentation = Objects.requireNonNull(documentation);
        this.parser = Objects.requireNonNull(parser);
        this.absent = defaultText == null ? absent : parser.parse(name, defaultText);
        this.check = check;
    }

    /** A key that must be configured: a missing one fails with {@link #missing}. */
    static <T> Key<T> required(String name, String documentation, Parser<T> parser) {
        return new Key<>(name, null, true, documentation, parser, null, null);
    }

    /** A key whose value without configuration is {@code defaultText}, parsed like a configured one. */
    static <T> Key<T> withDefault(String name, String defaultText, String documentation, Parser<T> parser) {
        return new Key<>(name, Objects.requireNonNull(defaultText), false, documentation, parser, null, null);
    }

    /** A key without a default: unconfigured, its value is {@code absent} (null, or an empty collection). */
    static <T> Key<T> optional(String name, T absent, String documentation, Parser<T> parser) {
        return new Key<>(name, null, false, documentation, parser, absent, null);
    }

    /** This key with a check of its parsed value against the keys read before it (it throws {@link #invalid}). */
    Key<T> checkedWith(BiConsumer<T, Keys.Values> check) {
        return new Key<>(name, defaultText, required, documentation, parser, absent, check);
    }

    /** The key, e.g. {@code discord.client-id}. */
    String name() {
        return name;
    }

    /** The default as configured text (e.g. {@code PT5S}), or null: none, or required. */
    String defaultText() {
        return defaultText;
    }

    boolean isRequired() {
        return required;
    }

    /** One sentence: what the key does. */
    String documentation() {
        return documentation;
    }

    /**
     * The key's value from {@code text}, the configured value (trimmed; null or blank when not configured), checked
     * against the keys in {@code earlier}.
     *
     * @throws IllegalStateException "is missing" or "is invalid", naming the key
     */
    T read(String text, Keys.Values earlier) {
        T value;
        if (text == null || text.isBlank()) {
            if (required) {
                throw missing(name);
            }
            value = absent;
        } else {
            value = parser.parse(name, text.trim());
        }
        if (check != null) {
            check.accept(value, earlier);
        }
        return value;
    }

    static IllegalStateException invalid(String key, String expected) {
        return new IllegalStateException(key + " is invalid: expected " + expected);
    }

    static IllegalStateException missing(String key) {
        return new IllegalStateException(key + " is missing: set it as an init-param or context-param in web.xml, a "
                + "MicroProfile Config property, the system property " + key + " or the environment variable "
                + DiscordConfig.environmentName(key));
    }

    @Override
    public String toString() {
        return name;
    }
}
