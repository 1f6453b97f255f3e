package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Optional;

/**
 * The partial application in {@code GET /oauth2/@me}. Immutable and thread-safe.
 *
 * @param id                  the application's snowflake (its client id)
 * @param name                its name
 * @param icon                icon hash, if set
 * @param description         its description
 * @param botPublic           anyone can add its bot
 * @param botRequireCodeGrant adding its bot needs the full code grant
 * @param verifyKey           hex key for interaction signatures
 */
public record Application(String id, String name, Optional<String> icon, String description,
        @JsonbProperty("bot_public") boolean botPublic,
        @JsonbProperty("bot_require_code_grant") boolean botRequireCodeGrant,
        @JsonbProperty("verify_key") String verifyKey) {

    /**
     * Checks the id and normalises the rest: an absent icon becomes empty, an absent description {@code ""}.
     *
     * @param id                  the application's snowflake (its client id)
     * @param name                its name
     * @param icon                icon hash, if set
     * @param description         its description
     * @param botPublic           anyone can add its bot
     * @param botRequireCodeGrant adding its bot needs the full code grant
     * @param verifyKey           hex key for interaction signatures
     * @throws InvalidWireObjectException when {@code id} is not a snowflake
     */
    public Application {
        Models.snowflake(id, "application", "id");
        icon = Models.orEmpty(icon);
        description = description == null ? "" : description;
    }
}
