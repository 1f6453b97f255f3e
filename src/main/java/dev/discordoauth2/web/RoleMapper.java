package dev.discordoauth2.web;

import java.util.Set;

/**
 * How a logged-in Discord user becomes application roles beyond the library's own: every user has
 * {@value #DISCORD_USER}, a user whose e-mail address Discord verified (with the {@code email} scope granted)
 * {@value #DISCORD_VERIFIED}, the roles of {@code discord.roles} that list the user, and those their Discord server roles
 * give ({@code discord.guild-roles}). An application adds its own mapping (roles from its database, from the user's
 * id) by putting an instance under the {@code ServletContext} attribute {@link #ATTRIBUTE} before the library starts
 * (in a {@code ServletContextListener}).
 * The roles are computed once per change of the session's login (its login, each refresh, each recheck of the
 * user's servers), not per request, so an implementation may be slow but must be thread-safe.
 */
@FunctionalInterface
public interface RoleMapper {
    /** The role of every logged-in user. */
    String DISCORD_USER = "discord-user";
    /** The role of users whose e-mail address Discord has verified (with the {@code email} scope granted). */
    String DISCORD_VERIFIED = "discord-verified";
    /** The {@code ServletContext} attribute an application's mapping is found under. */
    String ATTRIBUTE = RoleMapper.class.getName();

    /**
     * The application roles of {@code user} besides the library's own (see the type); an empty set for none. Never
     * null. Called with the user as Discord last described them (their server roles current).
     */
    Set<String> rolesOf(DiscordPrincipal user);
}
