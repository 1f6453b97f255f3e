package dev.discordoauth2;

import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.Snowflake;
import dev.discordoauth2.model.User;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The URLs of Discord's images: user avatars (the default avatar for users without one), avatar decorations, user
 * and guild banners, guild icons and guild member avatars, as Discord's CDN serves them (reference.mdx "Image
 * Formatting": the CDN endpoints, the image formats, {@code ?size=} a power of two from 16 to 4096). Nothing is
 * fetched: each method only builds a {@link URI} for an {@code <img src>}.
 *
 * <p>A hash that starts with {@code a_} is animated. By default it is asked for as animated WebP
 * ({@code .webp?animated=true}, which Discord recommends because animated WebP and AVIF uploads do not convert
 * cleanly to GIF), and a static hash as PNG. A {@link Format} chooses otherwise: {@link Format#GIF} for an animated
 * hash, or a static format, which gives an animated hash's still image. Default avatars and avatar decorations exist
 * as PNG only, so their methods take no format; a default avatar's URL has no size either, since Discord ignores it.
 *
 * <p>{@link #discord()} is Discord's CDN, {@code https://cdn.discordapp.com}; {@link #at(URI)} another base with the
 * same paths, such as a {@code DiscordEmulator}'s ({@code cdnBaseUri()}) or a caching proxy.
 * {@link DiscordOAuth2Client#cdn()} is the one configured for a client ({@code Builder.cdnBaseUri}). Instances are
 * immutable and thread-safe.
 */
public final class DiscordCdn {
    /** Discord's CDN, the base of {@link #discord()}. */
    public static final URI DISCORD_BASE_URI = URI.create("https://cdn.discordapp.com");

    private static final DiscordCdn DISCORD = new DiscordCdn(DISCORD_BASE_URI);
    /** What a hash or an asset may hold: Discord's are hex digits with an optional {@code a_}; nothing of a URL. */
    private static final Pattern HASH = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern DISCRIMINATOR = Pattern.compile("[0-9]{1,4}");

    private final URI baseUri;
    /** {@link #baseUri} with a trailing slash, so that paths resolve below it. */
    private final URI root;

    private DiscordCdn(URI baseUri) {
        String text = baseUri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        this.baseUri = URI.create(text);
        this.root = URI.create(text + "/");
    }

    /** Discord's CDN, {@code https://cdn.discordapp.com}. */
    public static DiscordCdn discord() {
        return DISCORD;
    }

    /**
     * A CDN at another base with Discord's paths, e.g. {@code DiscordEmulator.cdnBaseUri()} or a proxy's
     * {@code https://images.example/discord}.
     *
     * @param baseUri an absolute http(s) URI without query or fragment; a trailing slash is dropped
     * @throws IllegalArgumentException when {@code baseUri} is null, not absolute http(s), or has a query or fragment
     */
    public static DiscordCdn at(URI baseUri) {
        if (baseUri == null || !baseUri.isAbsolute() || baseUri.getRawAuthority() == null
                || !("http".equalsIgnoreCase(baseUri.getScheme()) || "https".equalsIgnoreCase(baseUri.getScheme()))
                || baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUri must be an absolute http(s) URI without query or fragment: "
                    + baseUri);
        }
        return new DiscordCdn(baseUri);
    }

    /** The base the paths are resolved against, without a trailing slash, e.g. {@code https://cdn.discordapp.com}. */
    public URI baseUri() {
        return baseUri;
    }

    // ------------------------------------------------------------------------------------------------ user avatar

    /**
     * The user's avatar, or their default avatar ({@link #defaultAvatar(User)}) when they have none.
     *
     * @param user the user
     * @param size the width and height asked for: a power of two from 16 to 4096 (not sent for a default avatar,
     *             whose size Discord ignores)
     * @throws IllegalArgumentException when {@code size} is not a power of two from 16 to 4096
     */
    public URI avatar(User user, int size) {
        Objects.requireNonNull(user, "user must not be null");
        checkSize(size);
        return user.avatar().map(hash -> avatar(user.id(), hash, size, null)).orElseGet(() -> defaultAvatar(user));
    }

    /**
     * A user avatar, {@code avatars/{user_id}/{user_avatar}}, in the given format; for a user without an avatar the
     * default avatar of the new username system ({@link #defaultAvatar(String, String)} without a discriminator),
     * which is every user's who has migrated. This form suits stored values such as a session's principal.
     *
     * @param userId     the user's snowflake
     * @param avatarHash the user's avatar hash ({@link User#avatar()}), or null when the user has none
     * @param size       a power of two from 16 to 4096
     * @param format     the format; null for the default (animated WebP for an animated hash, else PNG)
     * @throws IllegalArgumentException when an argument is malformed, {@code size} is out of range, or
     *                                  {@code format} is GIF for a static hash
     */
    public URI avatar(String userId, String avatarHash, int size, Format format) {
        if (avatarHash == null) {
            checkSize(size);
            return defaultAvatar(userId, null);
        }
        return image("avatars/" + id(userId, "userId") + "/", avatarHash, "avatarHash", size, format);
    }

    /**
     * The user's default avatar, {@code embed/avatars/{index}.png}: the index is {@code (user_id >> 22) % 6} for a
     * user on the new username system (discriminator {@code "0"} or absent), {@code discriminator % 5} for a user who
     * still has a discriminator. Used by {@link #avatar(User, int)} for users without an avatar.
     *
     * @param user the user
     */
    public URI defaultAvatar(User user) {
        Objects.requireNonNull(user, "user must not be null");
        return defaultAvatar(user.id(), user.discriminator());
    }

    /**
     * A default avatar, {@code embed/avatars/{index}.png} (see {@link #defaultAvatar(User)}).
     *
     * @param userId        the user's snowflake
     * @param discriminator the user's discriminator; {@code "0"} or null for a user on the new username system
     * @throws IllegalArgumentException when {@code userId} is not a snowflake or {@code discriminator} not 1-4 digits
     */
    public URI defaultAvatar(String userId, String discriminator) {
        long id = Long.parseUnsignedLong(id(userId, "userId"));
        if (discriminator != null && !DISCRIMINATOR.matcher(discriminator).matches()) {
            throw new IllegalArgumentException("discriminator must be 1-4 digits: " + discriminator);
        }
        long index = discriminator == null || Integer.parseInt(discriminator) == 0
                ? (id >>> 22) % 6 : Integer.parseInt(discriminator) % 5;
        return root.resolve("embed/avatars/" + index + ".png");
    }

    /**
     * The user's avatar decoration, if they have one ({@link User#avatarDecorationData()}).
     *
     * @param user the user
     * @param size a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code size} is out of range
     */
    public Optional<URI> avatarDecoration(User user, int size) {
        Objects.requireNonNull(user, "user must not be null");
        checkSize(size);
        return user.avatarDecorationData().map(d -> avatarDecoration(d.asset(), size));
    }

    /**
     * An avatar decoration, {@code avatar-decoration-presets/{asset}.png}: Discord serves them as PNG only.
     *
     * @param asset the decoration's asset hash ({@link User.AvatarDecorationData#asset()})
     * @param size  a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code asset} is malformed or {@code size} is out of range
     */
    public URI avatarDecoration(String asset, int size) {
        return root.resolve("avatar-decoration-presets/" + hash(asset, "asset") + ".png" + query(size, false));
    }

    // ------------------------------------------------------------------------------------------------ banners

    /**
     * The user's banner, if they have one ({@link User#banner()}): animated WebP for an animated hash, else PNG.
     *
     * @param user the user
     * @param size a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code size} is out of range
     */
    public Optional<URI> banner(User user, int size) {
        Objects.requireNonNull(user, "user must not be null");
        checkSize(size);
        return user.banner().map(hash -> banner(user.id(), hash, size, null));
    }

    /**
     * The guild's banner, if it has one ({@link PartialGuild#banner()}).
     *
     * @param guild the guild
     * @param size  a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code size} is out of range
     */
    public Optional<URI> banner(PartialGuild guild, int size) {
        Objects.requireNonNull(guild, "guild must not be null");
        checkSize(size);
        return guild.banner().map(hash -> banner(guild.id(), hash, size, null));
    }

    /**
     * The guild's banner, if it has one ({@link Guild#banner()}).
     *
     * @param guild the guild
     * @param size  a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code size} is out of range
     */
    public Optional<URI> banner(Guild guild, int size) {
        Objects.requireNonNull(guild, "guild must not be null");
        checkSize(size);
        return guild.banner().map(hash -> banner(guild.id(), hash, size, null));
    }

    /**
     * A user or guild banner, {@code banners/{id}/{banner}}, in the given format.
     *
     * @param userOrGuildId the user's or the guild's snowflake
     * @param bannerHash    the banner hash
     * @param size          a power of two from 16 to 4096
     * @param format        the format; null for the default (animated WebP for an animated hash, else PNG)
     * @throws IllegalArgumentException when an argument is malformed, {@code size} is out of range, or
     *                                  {@code format} is GIF for a static hash
     */
    public URI banner(String userOrGuildId, String bannerHash, int size, Format format) {
        return image("banners/" + id(userOrGuildId, "userOrGuildId") + "/", bannerHash, "bannerHash", size, format);
    }

    // ------------------------------------------------------------------------------------------------ guilds

    /**
     * The guild's icon, if it has one ({@link PartialGuild#icon()}): animated WebP for an animated hash, else PNG.
     * Discord shows the guild's initials instead when it has none.
     *
     * @param guild the guild
     * @param size  a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code size} is out of range
     */
    public Optional<URI> guildIcon(PartialGuild guild, int size) {
        Objects.requireNonNull(guild, "guild must not be null");
        checkSize(size);
        return guild.icon().map(hash -> guildIcon(guild.id(), hash, size, null));
    }

    /**
     * The guild's icon, if it has one ({@link Guild#icon()}).
     *
     * @param guild the guild
     * @param size  a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code size} is out of range
     */
    public Optional<URI> guildIcon(Guild guild, int size) {
        Objects.requireNonNull(guild, "guild must not be null");
        checkSize(size);
        return guild.icon().map(hash -> guildIcon(guild.id(), hash, size, null));
    }

    /**
     * A guild icon, {@code icons/{guild_id}/{guild_icon}}, in the given format.
     *
     * @param guildId  the guild's snowflake
     * @param iconHash the icon hash
     * @param size     a power of two from 16 to 4096
     * @param format   the format; null for the default (animated WebP for an animated hash, else PNG)
     * @throws IllegalArgumentException when an argument is malformed, {@code size} is out of range, or
     *                                  {@code format} is GIF for a static hash
     */
    public URI guildIcon(String guildId, String iconHash, int size, Format format) {
        return image("icons/" + id(guildId, "guildId") + "/", iconHash, "iconHash", size, format);
    }

    /**
     * The member's guild avatar, if they set one for this guild ({@link Guild.Member#avatar()}); Discord shows their
     * user avatar otherwise. Empty too when the member object came without its user, whose id the URL needs.
     *
     * @param guildId the guild's snowflake
     * @param member  the member, e.g. from {@code fetchGuildMember(guildId)}
     * @param size    a power of two from 16 to 4096
     * @throws IllegalArgumentException when {@code guildId} is not a snowflake or {@code size} is out of range
     */
    public Optional<URI> memberAvatar(String guildId, Guild.Member member, int size) {
        Objects.requireNonNull(member, "member must not be null");
        id(guildId, "guildId");
        checkSize(size);
        if (member.avatar().isEmpty() || member.user().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(memberAvatar(guildId, member.user().get().id(), member.avatar().get(), size, null));
    }

    /**
     * A guild member avatar, {@code guilds/{guild_id}/users/{user_id}/avatars/{member_avatar}}, in the given format.
     *
     * @param guildId    the guild's snowflake
     * @param userId     the member's user snowflake
     * @param avatarHash the member's guild avatar hash
     * @param size       a power of two from 16 to 4096
     * @param format     the format; null for the default (animated WebP for an animated hash, else PNG)
     * @throws IllegalArgumentException when an argument is malformed, {@code size} is out of range, or
     *                                  {@code format} is GIF for a static hash
     */
    public URI memberAvatar(String guildId, String userId, String avatarHash, int size, Format format) {
        return image("guilds/" + id(guildId, "guildId") + "/users/" + id(userId, "userId") + "/avatars/",
                avatarHash, "avatarHash", size, format);
    }

    // ------------------------------------------------------------------------------------------------ the rules

    /** {@code prefix + hash + extension + query}, the format chosen as the class describes. */
    private URI image(String prefix, String hash, String name, int size, Format format) {
        hash(hash, name);
        checkSize(size);
        boolean animated = hash.startsWith("a_");
        Format chosen = format != null ? format : animated ? Format.WEBP : Format.PNG;
        if (chosen == Format.GIF && !animated) {
            throw new IllegalArgumentException("GIF needs an animated hash (a_...); Discord serves " + name + " "
                    + hash + " as PNG, JPEG or WEBP");
        }
        return root.resolve(prefix + hash + "." + chosen.extension
                + query(size, animated && chosen == Format.WEBP));
    }

    /** {@code ?size=N}, with {@code &animated=true} for animated WebP. */
    private static String query(int size, boolean animatedWebp) {
        checkSize(size);
        return "?size=" + size + (animatedWebp ? "&animated=true" : "");
    }

    /** Whether {@code size} is one Discord serves: a power of two from 16 to 4096. */
    private static void checkSize(int size) {
        if (size < 16 || size > 4096 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two from 16 to 4096: " + size);
        }
    }

    private static String id(String id, String name) {
        Objects.requireNonNull(id, name + " must not be null");
        if (!Snowflake.isValid(id)) {
            throw new IllegalArgumentException(name + " must be a snowflake: " + id);
        }
        return id;
    }

    private static String hash(String hash, String name) {
        Objects.requireNonNull(hash, name + " must not be null");
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException(name + " must be an image hash (letters, digits, _ and -): " + hash);
        }
        return hash;
    }

    /** Two CDNs are equal when they have the same base. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DiscordCdn c && baseUri.equals(c.baseUri);
    }

    @Override
    public int hashCode() {
        return baseUri.hashCode();
    }

    @Override
    public String toString() {
        return "DiscordCdn[" + baseUri + "]";
    }

    /**
     * The image formats of Discord's CDN (reference.mdx "Image Formats") that its user, guild and member images come
     * in. AVIF is not among them: Discord accepts AVIF uploads but does not serve AVIF. Immutable and thread-safe.
     */
    public enum Format {
        /** {@code .png}, the default for a static hash. */
        PNG("png"),
        /** {@code .jpg}. */
        JPEG("jpg"),
        /** {@code .webp}; animated ({@code ?animated=true}) for an animated hash, the default there. */
        WEBP("webp"),
        /** {@code .gif}, for an animated hash only. */
        GIF("gif");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        /** The file extension without the dot, e.g. {@code jpg}. */
        public String extension() {
            return extension;
        }
    }
}
