package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Map;
import java.util.Optional;

/**
 * The user's role connection for this application ("linked roles"): the platform name and user name shown on the
 * profile, and the metadata values Discord compares with each guild's role requirements. Immutable and thread-safe.
 *
 * @param platformName     the platform's name (≤ 50 characters), if set
 * @param platformUsername the user's name there (≤ 100 characters), if set
 * @param metadata         metadata key → stringified value (≤ 100 characters)
 */
public record ApplicationRoleConnection(@JsonbProperty("platform_name") Optional<String> platformName,
        @JsonbProperty("platform_username") Optional<String> platformUsername, Map<String, String> metadata) {

    /**
     * Normalises the values: an absent name becomes empty, an absent map empty; the map is copied and immutable.
     *
     * @param platformName     the platform's name (≤ 50 characters), if set
     * @param platformUsername the user's name there (≤ 100 characters), if set
     * @param metadata         metadata key → stringified value (≤ 100 characters)
     */
    public ApplicationRoleConnection {
        platformName = Models.orEmpty(platformName);
        platformUsername = Models.orEmpty(platformUsername);
        metadata = Models.map(metadata);
    }
}
