package dev.discordoauth2;

/** The authorize URL's {@code response_type}: the authorization code grant or the implicit grant. */
public enum ResponseType {
    /** {@code code}: the authorization code grant (the only one a server should use). */
    CODE("code"),
    /** {@code token}: the implicit grant; the token arrives in the URI fragment, without a refresh token. */
    TOKEN("token");

    private final String value;

    ResponseType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
