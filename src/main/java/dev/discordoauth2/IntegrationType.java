package dev.discordoauth2;

/** Where an app with {@code applications.commands} is installed: a guild ({@code 0}) or a user ({@code 1}). */
public enum IntegrationType {
    /** {@code integration_type=0}. */
    GUILD_INSTALL(0),
    /** {@code integration_type=1}. */
    USER_INSTALL(1);

    private final int value;

    IntegrationType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
