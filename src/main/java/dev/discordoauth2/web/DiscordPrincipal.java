package dev.discordoauth2.web;

import dev.discordoauth2.DiscordCdn;
import dev.discordoauth2.model.User;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The logged-in Discord user, kept in the HTTP session and returned by {@code request.getUserPrincipal()}. It is small
 * and {@link Serializable} with a fixed {@code serialVersionUID}, so sessions survive persistent and replicated session
 * stores. {@link #getName()} is the user's id: the only value that is unique and never changes (usernames change).
 * {@code email} and {@code verified} are present only with the {@code email} scope. Immutable and thread-safe.
 *
 * @param id         the user's snowflake
 * @param username   the unique username
 * @param globalName the display name, or null
 * @param avatar     the avatar hash, or null
 * @param email      the e-mail address (with the {@code email} scope), or null
 * @param verified   whether the e-mail address is verified (with the {@code email} scope), or null
 * @param guildRoles the application roles the user's Discord server roles give ({@code discord.guild-roles}), as of
 *                   the last check; empty without that key
 */
public record DiscordPrincipal(String id, String username, String globalName, String avatar, String email,
        Boolean verified, Set<String> guildRoles) implements Principal, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public DiscordPrincipal {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(username, "username must not be null");
        guildRoles = guildRoles == null ? Set.of() : Set.copyOf(guildRoles);
    }

    /** A principal without server roles. */
    public DiscordPrincipal(String id, String username, String globalName, String avatar, String email,
            Boolean verified) {
        this(id, username, globalName, avatar, email, verified, Set.of());
    }

    /** The principal for a user fetched from {@code GET /users/@me}. */
    public static DiscordPrincipal of(User user) {
        return new DiscordPrincipal(user.id(), user.username(), user.globalName().orElse(null),
                user.avatar().orElse(null), user.email().orElse(null), user.verified().orElse(null));
    }

    /** This user with the application roles their server roles give now. */
    public DiscordPrincipal withGuildRoles(Set<String> roles) {
        return new DiscordPrincipal(id, username, globalName, avatar, email, verified, roles);
    }

    /** The user's id (a snowflake): unique and stable. */
    @Override
    public String getName() {
        return id;
    }

    /** What Discord shows: the global name when set, else the username. */
    public String displayName() {
        return globalName != null ? globalName : username;
    }

    public Optional<String> emailAddress() {
        return Optional.ofNullable(email);
    }

    /**
     * The user's avatar on {@code cdn}: animated WebP for an animated hash, else PNG; the default avatar when the user
     * has none. The principal keeps no discriminator, so that is the default avatar of the new username system, as
     * for every user who has migrated ({@link DiscordCdn#avatar(String, String, int, DiscordCdn.Format)});
     * {@link DiscordCdn#avatar(User, int)} tells the rare legacy user apart.
     *
     * @param cdn  Discord's CDN ({@link DiscordCdn#discord()}) or the configured one
     *             ({@code DiscordOAuth2Client.cdn()})
     * @param size a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code size} is not a power of two from 16 to 4096
     */
    public URI avatarUrl(DiscordCdn cdn, int size) {
        Objects.requireNonNull(cdn, "cdn must not be null");
        return cdn.avatar(id, avatar, size, null);
    }
}
