package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * What Discord says about an access token ({@code GET /oauth2/@me}): the application, the granted scopes, the expiry,
 * and the user when the token has {@code identify}. Immutable and thread-safe.
 *
 * @param application the application the token belongs to
 * @param scopes      the granted scopes
 * @param expires     when the token expires
 * @param user        the user (with {@code identify}); a user that does not fit is left out, see
 *                    {@link LenientOptional}
 */
public record AuthorizationInfo(Application application, List<String> scopes, OffsetDateTime expires,
        @JsonbTypeDeserializer(LenientOptional.Deserializer.class) Optional<User> user) {

    /**
     * Checks that the application is there and normalises the rest: absent scopes become an empty list, an absent user
     * empty.
     *
     * @param application the application the token belongs to
     * @param scopes      the granted scopes
     * @param expires     when the token expires
     * @param user        the user (with {@code identify})
     * @throws InvalidWireObjectException when {@code application} is missing
     */
    public AuthorizationInfo {
        if (application == null) {
            throw new InvalidWireObjectException("authorization information", "application is missing");
        }
        scopes = Models.list(scopes);
        user = Models.orEmpty(user);
    }

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
}
