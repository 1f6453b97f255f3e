package dev.discordoauth2;

import dev.discordoauth2.model.AuthorizationInfo;
import dev.discordoauth2.model.User.Connection;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.Snowflake;
import dev.discordoauth2.model.User;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An access token and the user API it opens (Python's {@code PartialAccessToken}): the current user, guilds, guild
 * member, connections, the role connection ("linked roles") for this application, Add Guild Member (with the bot
 * token) and {@code GET /oauth2/@me}. It knows only the token string; {@link AccessToken} adds what the token
 * endpoint said. {@link #toString()} does not show the token. Made with
 * {@link DiscordOAuth2Client#fromAccessToken(String, Runnable)}, it also tells its owner when Discord answers one of
 * its Bearer calls with 401 (the token was revoked or expired). Immutable and thread-safe.
 */
public class PartialAccessToken {
    private final String token;
    private final DiscordOAuth2Client client;
    /** Run when a Bearer call of this token is answered 401; {@code null} for none. */
    private final Runnable onUnauthorized;

    PartialAccessToken(String token, DiscordOAuth2Client client) {
        this(token, client, null);
    }

    PartialAccessToken(String token, DiscordOAuth2Client client, Runnable onUnauthorized) {
        this.token = Objects.requireNonNull(token);
        this.client = Objects.requireNonNull(client);
        this.onUnauthorized = onUnauthorized;
    }

    /** The access token itself (a credential: do not log it). */
    public String token() {
        return token;
    }

    DiscordOAuth2Client client() {
        return client;
    }

    Runnable onUnauthorized() {
        return onUnauthorized;
    }

    /** {@code GET /users/@me} (scope {@code identify}; {@code email} adds the e-mail address). */
    public User fetchIdentify() {
        return UserCalls.identify(this).run();
    }

    /** {@code GET /users/@me/connections} (scope {@code connections}). */
    public List<Connection> fetchConnections() {
        return UserCalls.connections(this).run();
    }

    /** {@code GET /users/@me/guilds} (scope {@code guilds}): up to 200 guilds, which is all a user can join. */
    public List<PartialGuild> fetchGuilds() {
        return fetchGuilds(GuildQuery.DEFAULT);
    }

    /** {@code GET /users/@me/guilds} with {@code before}, {@code after}, {@code limit} and {@code with_counts}. */
    public List<PartialGuild> fetchGuilds(GuildQuery query) {
        return UserCalls.guilds(this, query).run();
    }

    /**
     * {@code GET /users/@me/guilds/{guild.id}/member} (scope {@code guilds.members.read}).
     *
     * @throws NotFoundException when the user is not a member of the guild ({@code 10004})
     */
    public Guild.Member fetchGuildMember(String guildId) {
        return UserCalls.guildMember(this, guildId).run();
    }

    /**
     * Adds the user to a guild ({@code PUT /guilds/{guild.id}/members/{user.id}}) with the client's bot token; this
     * token needs {@code guilds.join}. Already being a member is not an error.
     *
     * @param userId the id of this token's user ({@link User#id()})
     * @throws IllegalStateException when no bot token is configured
     * @throws ForbiddenException    for {@code 50025} (token of another user or app, or without {@code guilds.join}),
     *                               {@code 40007} (banned) or {@code 50013} (the bot is not in the guild or lacks a
     *                               permission)
     */
    public JoinGuildResult joinGuild(String guildId, String userId, JoinGuildOptions options) {
        return UserCalls.joinGuild(this, guildId, userId, options).run();
    }

    /** Add Guild Member without options. */
    public JoinGuildResult joinGuild(String guildId, String userId) {
        return joinGuild(guildId, userId, JoinGuildOptions.NONE);
    }

    /** The user's role connection for this application (scope {@code role_connections.write}). */
    public User.ApplicationRoleConnection fetchMetadata() {
        return UserCalls.fetchMetadata(this).run();
    }

    /**
     * Sets the user's role connection for this application (scope {@code role_connections.write}). Values are
     * stringified as Discord expects: booleans {@code "1"}/{@code "0"}, {@link Instant}, {@link OffsetDateTime},
     * {@link ZonedDateTime} and {@link LocalDate} as ISO 8601, integral numbers in decimal, strings as they are.
     * Discord's limits are checked before sending.
     *
     * @param platformName     shown on the profile (≤ 50 characters), or null
     * @param platformUsername the user's name on the platform (≤ 100 characters), or null
     * @param metadata         key → value, keys registered with {@link DiscordOAuth2Client#updateLinkedRolesMetadata}
     * @throws IllegalArgumentException for a value Discord would refuse (too long, wrong type, bad key)
     */
    public User.ApplicationRoleConnection updateMetadata(String platformName, String platformUsername,
            Map<String, ?> metadata) {
        return UserCalls.updateMetadata(this, platformName, platformUsername, metadata).run();
    }

    /** Clears the user's role connection (a PUT of {@code {}}, as Python's {@code clear_metadata}). */
    public User.ApplicationRoleConnection clearMetadata() {
        return UserCalls.clearMetadata(this).run();
    }

    /** Revokes this token, and with it every token of the authorization. */
    public void revoke() {
        UserCalls.revoke(this).run();
    }

    /** {@code GET /oauth2/@me}: the application, the granted scopes, the expiry, and the user with {@code identify}. */
    public AuthorizationInfo fetchAuthorizationInfo() {
        return UserCalls.authorizationInfo(this).run();
    }

    @Override
    public String toString() {
        return "PartialAccessToken[token=(redacted)]";
    }

    /**
     * Paging for {@code GET /users/@me/guilds}: {@code before}/{@code after} a guild id, {@code limit} 1–200 (Discord's
     * default 200), and {@code with_counts} for approximate member and presence counts. Immutable and thread-safe.
     *
     * @param before     guilds before this id
     * @param after      guilds after this id
     * @param limit      1–200
     * @param withCounts include approximate counts
     */
    public record GuildQuery(Optional<String> before, Optional<String> after, OptionalInt limit, boolean withCounts) {

        /** Discord's defaults: up to 200 guilds, no counts. */
        public static final GuildQuery DEFAULT = new GuildQuery(Optional.empty(), Optional.empty(), OptionalInt.empty(),
                false);

        /**
         * Checks the values and normalises absent ones to empty.
         *
         * @param before     guilds before this id
         * @param after      guilds after this id
         * @param limit      1–200
         * @param withCounts include approximate counts
         * @throws IllegalArgumentException when {@code before} or {@code after} is not 1–20 digits, or {@code limit} is
         *                                  outside 1–200
         */
        public GuildQuery {
            before = orEmpty(before);
            after = orEmpty(after);
            limit = limit == null ? OptionalInt.empty() : limit;
            before.ifPresent(GuildQuery::requireSnowflake);
            after.ifPresent(GuildQuery::requireSnowflake);
            limit.ifPresent(l -> {
                if (l < 1 || l > 200) {
                    throw new IllegalArgumentException("limit must be 1-200: " + l);
                }
            });
        }

        private static void requireSnowflake(String id) {
            if (!Snowflake.isValid(id)) {
                throw new IllegalArgumentException("not a snowflake: " + id);
            }
        }

        /**
         * This query for the guilds before a guild id.
         *
         * @param guildId a guild snowflake
         * @return a new query; this one is unchanged
         * @throws IllegalArgumentException when {@code guildId} is not 1–20 digits
         */
        public GuildQuery withBefore(String guildId) {
            return new GuildQuery(Optional.of(guildId), after, limit, withCounts);
        }

        /**
         * This query for the guilds after a guild id.
         *
         * @param guildId a guild snowflake
         * @return a new query; this one is unchanged
         * @throws IllegalArgumentException when {@code guildId} is not 1–20 digits
         */
        public GuildQuery withAfter(String guildId) {
            return new GuildQuery(before, Optional.of(guildId), limit, withCounts);
        }

        /**
         * This query with at most {@code limit} guilds in the answer.
         *
         * @param limit 1–200
         * @return a new query; this one is unchanged
         * @throws IllegalArgumentException when {@code limit} is outside 1–200
         */
        public GuildQuery withLimit(int limit) {
            return new GuildQuery(before, after, OptionalInt.of(limit), withCounts);
        }

        /**
         * This query with or without the approximate member and presence counts.
         *
         * @param withCounts whether Discord should add the counts
         * @return a new query; this one is unchanged
         */
        public GuildQuery withCounts(boolean withCounts) {
            return new GuildQuery(before, after, limit, withCounts);
        }
    }

    /**
     * The optional fields of Add Guild Member: nickname, roles, mute, deaf. Each needs a permission of the bot
     * (MANAGE_NICKNAMES, MANAGE_ROLES, MUTE_MEMBERS, DEAFEN_MEMBERS). Fields left empty are not sent. Immutable and
     * thread-safe.
     *
     * @param nick  nickname (1–32 characters)
     * @param roles role snowflakes
     * @param mute  mute in voice
     * @param deaf  deafen in voice
     */
    public record JoinGuildOptions(Optional<String> nick, List<String> roles, Optional<Boolean> mute,
            Optional<Boolean> deaf) {

        /** Nothing but the access token. */
        public static final JoinGuildOptions NONE = new JoinGuildOptions(Optional.empty(), List.of(), Optional.empty(),
                Optional.empty());

        /**
         * Checks the nickname's length and normalises absent values to empty; the role list is copied and immutable.
         *
         * @param nick  nickname (1–32 characters)
         * @param roles role snowflakes
         * @param mute  mute in voice
         * @param deaf  deafen in voice
         * @throws IllegalArgumentException when {@code nick} is empty or longer than 32 characters
         */
        public JoinGuildOptions {
            nick = orEmpty(nick);
            nick.ifPresent(n -> {
                if (n.isEmpty() || n.length() > 32) {
                    throw new IllegalArgumentException("nick must be 1-32 characters");
                }
            });
            roles = copy(roles);
            mute = orEmpty(mute);
            deaf = orEmpty(deaf);
        }

        /**
         * These options with a nickname (needs MANAGE_NICKNAMES).
         *
         * @param nick 1–32 characters
         * @return new options; these are unchanged
         * @throws IllegalArgumentException when {@code nick} is empty or longer than 32 characters
         */
        public JoinGuildOptions withNick(String nick) {
            return new JoinGuildOptions(Optional.of(nick), roles, mute, deaf);
        }

        /**
         * These options with the roles the member gets (needs MANAGE_ROLES), replacing any set before.
         *
         * @param roles role snowflakes
         * @return new options; these are unchanged
         */
        public JoinGuildOptions withRoles(String... roles) {
            return new JoinGuildOptions(nick, List.of(roles), mute, deaf);
        }

        /**
         * These options with the member muted or not in voice (needs MUTE_MEMBERS).
         *
         * @param mute whether the member is muted
         * @return new options; these are unchanged
         */
        public JoinGuildOptions withMute(boolean mute) {
            return new JoinGuildOptions(nick, roles, Optional.of(mute), deaf);
        }

        /**
         * These options with the member deafened or not in voice (needs DEAFEN_MEMBERS).
         *
         * @param deaf whether the member is deafened
         * @return new options; these are unchanged
         */
        public JoinGuildOptions withDeaf(boolean deaf) {
            return new JoinGuildOptions(nick, roles, mute, Optional.of(deaf));
        }
    }

    /**
     * What Add Guild Member did: {@link Added} (201, with the new member) or {@link AlreadyMember} (204). Neither is an
     * error. Immutable and thread-safe.
     */
    public sealed interface JoinGuildResult permits JoinGuildResult.Added, JoinGuildResult.AlreadyMember {

        /**
         * Whether the user was added by this call.
         *
         * @return {@code true} for {@link Added}, {@code false} for {@link AlreadyMember}
         */
        boolean added();

        /**
         * The user was added; Discord answered 201 with the member. Immutable and thread-safe.
         *
         * @param member the new member, as Discord sent it
         */
        record Added(Guild.Member member) implements JoinGuildResult {
            /**
             * Checks that the member is there.
             *
             * @param member the new member, as Discord sent it
             * @throws NullPointerException when {@code member} is {@code null}
             */
            public Added {
                Objects.requireNonNull(member, "member must not be null");
            }

            @Override
            public boolean added() {
                return true;
            }
        }

        /** The user was a member already; Discord answered 204 with no body. Immutable and thread-safe. */
        record AlreadyMember() implements JoinGuildResult {
            @Override
            public boolean added() {
                return false;
            }
        }
    }

    private static <T> Optional<T> orEmpty(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }

    private static <T> List<T> copy(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }
}
