package dev.discordoauth2;

/** The authorize URL's {@code prompt}: ask the user again ({@link #CONSENT}) or skip the page when allowed ({@link #NONE}). */
public enum Prompt {
    /** {@code prompt=consent}: the user re-approves even if they approved before. */
    CONSENT("consent"),
    /** {@code prompt=none}: no page when the user approved these scopes before (not for {@code bot} or {@code webhook.incoming}). */
    NONE("none");

    private final String value;

    Prompt(String value) {
        this.value = value;
    }

    /** The query value Discord expects. */
    public String value() {
        return value;
    }
}
