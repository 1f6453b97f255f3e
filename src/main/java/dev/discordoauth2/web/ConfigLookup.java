package dev.discordoauth2.web;

import java.util.Map;
import java.util.function.Function;

/**
 * The ordered lookup of a configuration key described on {@link DiscordConfig}: init-params, context-params,
 * MicroProfile Config, system properties, environment. Immutable and thread-safe.
 */
final class ConfigLookup implements Function<String, String> {
    private final Function<String, String> initParams;
    private final Function<String, String> contextParams;
    private final Map<String, String> environment;

    ConfigLookup(Function<String, String> initParams, Function<String, String> contextParams,
            Map<String, String> environment) {
        this.initParams = initParams;
        this.contextParams = contextParams;
        this.environment = environment;
    }

    @Override
    public String apply(String key) {
        String value = initParams == null ? null : initParams.apply(key);
        if (blank(value) && contextParams != null) {
            value = contextParams.apply(key);
        }
        if (blank(value)) {
            value = MicroProfileConfig.get(key);
        }
        if (blank(value)) {
            value = System.getProperty(key);
        }
        if (blank(value)) {
            value = environment.get(DiscordConfig.environmentName(key));
        }
        return blank(value) ? null : value.trim();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
