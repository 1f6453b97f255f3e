package dev.discordoauth2;

/**
 * The {@code token_type_hint} of a revocation. Discord revokes the whole authorization whatever the hint says; it
 * only saves Discord a lookup.
 */
public enum TokenTypeHint {
    ACCESS_TOKEN("access_token"),
    REFRESH_TOKEN("refresh_token");

    private final String value;

    TokenTypeHint(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
