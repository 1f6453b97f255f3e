package dev.discordoauth2.emulator;

import java.util.List;
import java.util.Objects;

/**
 * A guild (server) known to the {@link DiscordEmulator}. Who belongs to it, and with which permissions, is given
 * separately with {@link EmulatedMember}; whether the application's bot is in it with
 * {@link DiscordEmulator.Builder#botInGuild(String, String, long)}. Immutable and thread-safe.
 *
 * @param id                       snowflake
 * @param name                     2–100 characters
 * @param icon                     icon hash or {@code null}
 * @param banner                   banner hash or {@code null}
 * @param ownerId                  the owning user's id ({@code owner: true} in that user's guild list)
 * @param features                 guild feature strings, e.g. {@code COMMUNITY}
 * @param approximateMemberCount   returned with {@code with_counts=true}
 * @param approximatePresenceCount returned with {@code with_counts=true}
 */
public record EmulatedGuild(String id, String name, String icon, String banner, String ownerId, List<String> features,
        int approximateMemberCount, int approximatePresenceCount) {

    public EmulatedGuild {
        Snowflakes.require(id, "id");
        Objects.requireNonNull(name, "name must not be null");
        if (name.length() < 2 || name.length() > 100) {
            throw new IllegalArgumentException("name must be 2-100 characters: " + name);
        }
        features = List.copyOf(features);
    }

    /** Starts a guild with the given id and name, no icon, banner, owner or features. */
    public static Builder builder(String id, String name) {
        return new Builder(id, name);
    }

    /** Builds an {@link EmulatedGuild}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final String name;
        private String icon;
        private String banner;
        private String ownerId;
        private List<String> features = List.of();
        private int approximateMemberCount = 1;
        private int approximatePresenceCount = 1;

        private Builder(String id, String name) {
            this.id = id;
            this.name = name;
        }

        public Builder icon(String icon) {
            this.icon = icon;
            return this;
        }

        public Builder banner(String banner) {
            this.banner = banner;
            return this;
        }

        public Builder ownerId(String ownerId) {
            this.ownerId = ownerId;
            return this;
        }

        public Builder features(String... features) {
            this.features = List.of(features);
            return this;
        }

        public Builder approximateCounts(int members, int presences) {
            this.approximateMemberCount = members;
            this.approximatePresenceCount = presences;
            return this;
        }

        public EmulatedGuild build() {
            return new EmulatedGuild(id, name, icon, banner, ownerId, features, approximateMemberCount,
                    approximatePresenceCount);
        }
    }
}
