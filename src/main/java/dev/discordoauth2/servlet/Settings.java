package dev.discordoauth2.servlet;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import dev.discordoauth2.web.DiscordConfig;
import jakarta.el.ELProcessor;
import jakarta.el.ELResolver;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The configuration a {@link DiscordAuthenticationMechanismDefinition} gives: each attribute under the
 * {@link DiscordConfig} key it mirrors, an EL expression ({@code ${...}} or {@code #{...}}, the whole value) evaluated
 * once with the given resolver (the CDI beans, on a server), and the keys left empty to the lookup the filter uses.
 * Stateless.
 */
final class Settings {
    /**
     * Key → attribute, in the order of {@link DiscordConfig#KEYS}: each key {@code discord.foo-bar} whose attribute
     * {@code fooBar} the annotation declares. The keys without one are listed, with their reason, in the test of the
     * annotation's attributes.
     */
    private static final Map<String, Attribute> ATTRIBUTES;

    static {
        Map<String, Attribute> a = new LinkedHashMap<>();
        for (String key : DiscordConfig.KEYS) {
            String name = attributeName(key);
            try {
                Method method = DiscordAuthenticationMechanismDefinition.class.getDeclaredMethod(name);
                if (method.getReturnType() == String.class) {
                    a.put(key, new Attribute(name, method));
                }
            } catch (NoSuchMethodException e) {
                // a key the annotation does not offer
            }
        }
        ATTRIBUTES = Collections.unmodifiableMap(a);
    }

    /** One attribute of the annotation and the key it mirrors. */
    record Attribute(String name, Method method) {
        /** The attribute's value in {@code definition}, as written (not trimmed, not evaluated). */
        String value(DiscordAuthenticationMechanismDefinition definition) {
            try {
                return (String) method.invoke(definition);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("@DiscordAuthenticationMechanismDefinition(" + name + ") could not "
                        + "be read: " + e.getClass().getName(), e);
            }
        }
    }

    /** {@code discord.foo-bar} → {@code fooBar}. */
    static String attributeName(String key) {
        String[] words = key.substring(key.indexOf('.') + 1).split("-");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.toString();
    }

    /** Key → the annotation's attribute for it, for every key the annotation offers, in the order of the keys. */
    static Map<String, Attribute> attributes() {
        return ATTRIBUTES;
    }

    private Settings() {
    }

    /**
     * An EL expression of the definition could not be evaluated: its beans may not be ready yet when the application
     * starts, so the mechanism tries again at the first request. The message names the attribute, never a value.
     */
    static final class ExpressionFailed extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ExpressionFailed(String message) {
            super(message);
        }
    }

    /**
     * The definition's values by configuration key, expressions evaluated with {@code resolver} (null: EL's own
     * resolvers only); keys whose attribute is empty, or evaluates to null or blank, are absent.
     *
     * @throws IllegalStateException naming the attribute and its expression when an expression fails (never a value)
     */
    static Map<String, String> values(DiscordAuthenticationMechanismDefinition definition, ELResolver resolver) {
        Map<String, String> values = new LinkedHashMap<>();
        ELProcessor processor = null;
        for (Map.Entry<String, Attribute> entry : ATTRIBUTES.entrySet()) {
            String raw = entry.getValue().value(definition).trim();
            if (raw.isEmpty()) {
                continue;
            }
            String value = raw;
            if (isExpression(raw)) {
                if (processor == null) {
                    processor = new ELProcessor();
                    if (resolver != null) {
                        processor.getELManager().addELResolver(resolver);
                    }
                }
                value = evaluate(processor, entry.getValue().name(), raw);
            }
            if (value != null && !value.isBlank()) {
                values.put(entry.getKey(), value.trim());
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * The configuration: the definition's values first, then {@code contextParams} (may be null), MicroProfile
     * Config, system properties and the environment, as for the filter.
     *
     * @throws IllegalStateException naming the attribute or key that is missing or invalid
     */
    static DiscordConfig config(DiscordAuthenticationMechanismDefinition definition, ELResolver resolver,
            Function<String, String> contextParams) {
        Map<String, String> values = values(definition, resolver);
        return DiscordConfig.load(values::get, contextParams);
    }

    /**
     * The library's own paths (callback, login, logout) as far as the definition's literal values and the defaults
     * tell, for a mechanism whose configuration cannot be built: they answer 503, not the application's 404. The
     * callback path of an absolute redirect URI is its whole path (the context path included).
     */
    static java.util.Set<String> ownPaths(DiscordAuthenticationMechanismDefinition definition) {
        java.util.Set<String> paths = new java.util.LinkedHashSet<>(java.util.List.of("/oauth2/callback",
                "/oauth2/login", "/oauth2/logout", "/discord/linked-roles", "/discord/add-to-server"));
        for (String value : java.util.List.of(definition.redirectUri(), definition.loginPath(),
                definition.logoutPath())) {
            String literal = value.trim();
            if (literal.isEmpty() || isExpression(literal)) {
                continue;
            }
            if (literal.startsWith("/")) {
                paths.add(literal);
            } else {
                try {
                    String path = java.net.URI.create(literal).getPath();
                    if (path != null && path.startsWith("/")) {
                        paths.add(path);
                    }
                } catch (IllegalArgumentException e) {
                    // not a URI: the configuration's own error says so
                }
            }
        }
        return java.util.Collections.unmodifiableSet(paths);
    }

    static boolean isExpression(String value) {
        return value.length() > 3 && (value.startsWith("${") || value.startsWith("#{")) && value.endsWith("}");
    }

    private static String evaluate(ELProcessor processor, String attribute, String expression) {
        Object result;
        try {
            result = processor.eval(expression.substring(2, expression.length() - 1));
        } catch (RuntimeException e) {
            // the exception's message can quote a value (a failed coercion does): only its type is named
            throw new ExpressionFailed("@DiscordAuthenticationMechanismDefinition(" + attribute + " = \""
                    + expression + "\") could not be evaluated: " + e.getClass().getName());
        }
        return result == null ? null : result.toString();
    }
}
