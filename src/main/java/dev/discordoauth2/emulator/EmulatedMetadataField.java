package dev.discordoauth2.emulator;

/**
 * One application role connection metadata record ("linked roles"), registered for an {@link EmulatedApplication}
 * at start or through {@code PUT /applications/{application.id}/role-connections/metadata}.
 * Immutable and thread-safe.
 *
 * @param type        1–8: integer ≤, integer ≥, integer =, integer ≠, datetime ≤, datetime ≥, boolean =, boolean ≠
 * @param key         {@code ^[a-z0-9_]{1,50}$}
 * @param name        1–100 characters
 * @param description 1–200 characters
 */
public record EmulatedMetadataField(int type, String key, String name, String description) {

    public EmulatedMetadataField {
        String problem = MetadataRules.fieldProblem(type, key, name, description);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
