package dev.discordoauth2.web;

/**
 * Reads a property from MicroProfile Config when it is on the classpath and has an implementation; otherwise answers
 * {@code null}. The API is an optional dependency: it is touched only after a class check. Thread-safe.
 */
final class MicroProfileConfig {
    private static final boolean PRESENT = present();

    private MicroProfileConfig() {
    }

    private static boolean present() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    MicroProfileConfig.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static String get(String key) {
        if (!PRESENT) {
            return null;
        }
        try {
            return Reader.get(key);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Loaded only when the API is present. */
    private static final class Reader {
        static String get(String key) {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue(key, String.class)
                    .orElse(null);
        }
    }
}
