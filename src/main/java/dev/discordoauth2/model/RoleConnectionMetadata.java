package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeAdapter;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One application role connection metadata record: a key users get a value for, and how guilds compare it. Checked
 * against Discord's limits on construction. Immutable and thread-safe.
 *
 * @param type                     the comparison
 * @param key                      {@code ^[a-z0-9_]{1,50}$}
 * @param name                     1–100 characters
 * @param nameLocalizations        locale → name
 * @param description              1–200 characters
 * @param descriptionLocalizations locale → description
 */
public record RoleConnectionMetadata(@JsonbTypeAdapter(RoleConnectionMetadataType.Adapter.class)
        RoleConnectionMetadataType type, String key, String name,
        @JsonbProperty("name_localizations") Map<String, String> nameLocalizations, String description,
        @JsonbProperty("description_localizations") Map<String, String> descriptionLocalizations) {
    private static final Pattern KEY = Pattern.compile("^[a-z0-9_]{1,50}$");

    /**
     * Checks the values against Discord's limits; absent localizations become empty maps, and the maps are copied and
     * immutable.
     *
     * @param type                     the comparison
     * @param key                      {@code ^[a-z0-9_]{1,50}$}
     * @param name                     1–100 characters
     * @param nameLocalizations        locale → name
     * @param description              1–200 characters
     * @param descriptionLocalizations locale → description
     * @throws NullPointerException     when {@code type} is {@code null}
     * @throws IllegalArgumentException when {@code key}, {@code name} or {@code description} breaks its limit
     */
    public RoleConnectionMetadata {
        Objects.requireNonNull(type, "type must not be null");
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must match ^[a-z0-9_]{1,50}$: " + key);
        }
        if (name == null || name.isEmpty() || name.length() > 100) {
            throw new IllegalArgumentException("name must be 1-100 characters");
        }
        if (description == null || description.isEmpty() || description.length() > 200) {
            throw new IllegalArgumentException("description must be 1-200 characters");
        }
        nameLocalizations = Models.map(nameLocalizations);
        descriptionLocalizations = Models.map(descriptionLocalizations);
    }

    /**
     * A record without localizations.
     *
     * @param type        the comparison
     * @param key         {@code ^[a-z0-9_]{1,50}$}
     * @param name        1–100 characters
     * @param description 1–200 characters
     * @return the record
     * @throws NullPointerException     when {@code type} is {@code null}
     * @throws IllegalArgumentException when {@code key}, {@code name} or {@code description} breaks its limit
     */
    public static RoleConnectionMetadata of(RoleConnectionMetadataType type, String key, String name,
            String description) {
        return new RoleConnectionMetadata(type, key, name, Map.of(), description, Map.of());
    }
}
