package dev.discordoauth2.model;

/**
 * A wire record's compact constructor refused its values: a field Discord documents as required is missing, or a
 * value breaks Discord's documented form (an id that is not a snowflake, a lifetime out of range). The message names
 * the object, the field and the rule, e.g. {@code "not a valid user: id is missing"}, and never contains a value, so
 * it is safe to log and to carry into a {@code DiscordException}. Package-private: callers see an
 * {@link IllegalArgumentException} from a record's constructor, or the client's {@code DiscordException}; the client
 * recognises this class by its name. Immutable and thread-safe.
 */
final class InvalidWireObjectException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception with the message {@code "not a valid " + object + ": " + reason}.
     *
     * @param object what was being built, e.g. {@code "user"}
     * @param reason the field and the rule, e.g. {@code "id is missing"}; must not contain the value
     */
    InvalidWireObjectException(String object, String reason) {
        super("not a valid " + object + ": " + reason);
    }
}
