package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The groups every front door hands on: the filter's {@code isUserInRole} and the mechanism's caller groups. */
class GroupsTest {
    static final String NELLY = "80351110224678912";
    static final Map<String, Set<String>> ROLES = Map.of("admin", Set.of(NELLY, "268473310986240001"),
            "moderator", Set.of("268473310986240001"));

    private static DiscordPrincipal user(Boolean verified) {
        return new DiscordPrincipal(NELLY, "nelly", null, null, verified == null ? null : "n@example.com", verified);
    }

    private static DiscordTokens granted(String... scopes) {
        return new DiscordTokens("a", Instant.EPOCH, null, List.of(scopes));
    }

    @Test
    void groupsWhenVerifiedAndEmailGrantedThenUserVerifiedAndConfiguredRoles() {
        assertEquals(Set.of("discord-user", "discord-verified", "admin"),
                new Roles(ROLES, null).of(user(true), granted("identify", "email")));
    }

    @Test
    void groupsWhenVerifiedButEmailNotGrantedThenNotVerified() {
        assertEquals(Set.of("discord-user", "admin"), new Roles(ROLES, null).of(user(true), granted("identify")));
    }

    @Test
    void groupsWhenNotVerifiedThenOnlyUserAndRoles() {
        assertEquals(Set.of("discord-user", "admin"), new Roles(ROLES, null).of(user(false),
                granted("identify", "email")));
        assertEquals(Set.of("discord-user"), new Roles(Map.of(), null).of(user(null), granted("identify")));
    }
}
