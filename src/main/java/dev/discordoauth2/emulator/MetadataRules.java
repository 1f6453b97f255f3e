package dev.discordoauth2.emulator;

import java.util.regex.Pattern;

/** Discord's limits for application role connection metadata records. Stateless. */
final class MetadataRules {
    static final Pattern KEY = Pattern.compile("^[a-z0-9_]{1,50}$");
    static final int MAX_RECORDS = 5;

    private MetadataRules() {
    }

    /** The first broken rule as a sentence, or {@code null} when the record is valid. */
    static String fieldProblem(int type, String key, String name, String description) {
        if (type < 1 || type > 8) {
            return "type must be 1-8: " + type;
        }
        if (key == null || !KEY.matcher(key).matches()) {
            return "key must match ^[a-z0-9_]{1,50}$: " + key;
        }
        if (name == null || name.isEmpty() || name.length() > 100) {
            return "name must be 1-100 characters";
        }
        if (description == null || description.isEmpty() || description.length() > 200) {
            return "description must be 1-200 characters";
        }
        return null;
    }
}
