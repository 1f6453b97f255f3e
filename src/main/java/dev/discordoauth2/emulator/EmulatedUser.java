package dev.discordoauth2.emulator;

import java.util.Objects;

/**
 * A Discord user known to the {@link DiscordEmulator}: the fields of Discord's user object that
 * {@code GET /users/@me} returns, with the scope rules applied by the emulator ({@code email} and {@code verified}
 * only with the {@code email} scope, {@code premium_type} only with {@code identify.premium}).
 *
 * <p>{@code globalName}, {@code avatar}, {@code email} and {@code locale} may be {@code null} (sent as JSON null,
 * except {@code locale}, which is then left out). Immutable and thread-safe.
 *
 * @param id          snowflake, as a decimal string
 * @param username    the unique username (2–32 characters)
 * @param globalName  the display name, or {@code null}
 * @param avatar      the avatar hash, or {@code null}
 * @param email       the e-mail address, or {@code null} when the user has none
 * @param verified    whether the e-mail address is verified
 * @param locale      the chosen language, e.g. {@code en-US}, or {@code null}
 * @param mfaEnabled  whether two-factor authentication is on
 * @param flags       the user flags bit field
 * @param premiumType 0 none, 1 Nitro Classic, 2 Nitro, 3 Nitro Basic
 */
public record EmulatedUser(String id, String username, String globalName, String avatar, String email,
        boolean verified, String locale, boolean mfaEnabled, int flags, int premiumType) {

    public EmulatedUser {
        Snowflakes.require(id, "id");
        Objects.requireNonNull(username, "username must not be null");
        if (username.length() < 2 || username.length() > 32) {
            throw new IllegalArgumentException("username must be 2-32 characters: " + username);
        }
        if (premiumType < 0 || premiumType > 3) {
            throw new IllegalArgumentException("premiumType must be 0-3: " + premiumType);
        }
    }

    /** Starts a user with the given id and username; every other field empty, {@code verified} true. */
    public static Builder builder(String id, String username) {
        return new Builder(id, username);
    }

    /** Builds an {@link EmulatedUser}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final String username;
        private String globalName;
        private String avatar;
        private String email;
        private boolean verified = true;
        private String locale = "en-US";
        private boolean mfaEnabled;
        private int flags;
        private int premiumType;

        private Builder(String id, String username) {
            this.id = id;
            this.username = username;
        }

        public Builder globalName(String globalName) {
            this.globalName = globalName;
            return this;
        }

        public Builder avatar(String avatar) {
            this.avatar = avatar;
            return this;
        }

        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder verified(boolean verified) {
            this.verified = verified;
            return this;
        }

        public Builder locale(String locale) {
            this.locale = locale;
            return this;
        }

        public Builder mfaEnabled(boolean mfaEnabled) {
            this.mfaEnabled = mfaEnabled;
            return this;
        }

        public Builder flags(int flags) {
            this.flags = flags;
            return this;
        }

        public Builder premiumType(int premiumType) {
            this.premiumType = premiumType;
            return this;
        }

        public EmulatedUser build() {
            return new EmulatedUser(id, username, globalName, avatar, email, verified, locale, mfaEnabled, flags,
                    premiumType);
        }
    }
}
