package dev.discordoauth2.web;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The groups (roles) of a logged-in user: {@value RoleMapper#DISCORD_USER} always, {@value RoleMapper#DISCORD_VERIFIED}
 * when Discord says the e-mail address is verified and the {@code email} scope was granted, each role of
 * {@code discord.roles} that lists the user's id, the roles their Discord server roles give (kept in the principal),
 * and the application's own {@link RoleMapper}'s. One per application; {@link LoginState#groups} keeps the answer per
 * state. Immutable and thread-safe (given a thread-safe mapper).
 */
final class Roles {
    private final Map<String, Set<String>> byUserId;
    private final RoleMapper mapper;

    Roles(Map<String, Set<String>> byUserId, RoleMapper mapper) {
        this.byUserId = byUserId;
        this.mapper = mapper;
    }

    Set<String> of(DiscordPrincipal principal, DiscordTokens tokens) {
        Set<String> groups = new LinkedHashSet<>();
        groups.add(RoleMapper.DISCORD_USER);
        if (Boolean.TRUE.equals(principal.verified()) && tokens.scopes().contains("email")) {
            groups.add(RoleMapper.DISCORD_VERIFIED);
        }
        byUserId.forEach((role, ids) -> {
            if (ids.contains(principal.id())) {
                groups.add(role);
            }
        });
        groups.addAll(principal.guildRoles());
        if (mapper != null) {
            Set<String> more = mapper.rolesOf(principal);
            if (more != null) {
                groups.addAll(more);
            }
        }
        return Set.copyOf(groups);
    }
}
