package dev.discordoauth2.emulator;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The controls of {@link DiscordEmulator} that read or change its data while it runs: authorizations, redirect URIs,
 * role connection metadata, memberships, and restoring the start data set. Thread-safe: each holds the store's
 * monitor, as the routes do.
 */
final class EmulatorData {
    private final Store store;
    private final EmulatorClock clock;
    private final SeedData seed;

    EmulatorData(Store store, EmulatorClock clock, SeedData seed) {
        this.store = store;
        this.clock = clock;
        this.seed = seed;
    }

    int revokeAuthorization(String clientId, String userId) {
        synchronized (store) {
            if (!store.apps.containsKey(clientId)) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            SeedData.requireUser(store, userId);
            Instant now = clock.now();
            int live = (int) store.byAccessToken.values().stream().filter(g -> g.clientId.equals(clientId)
                    && g.userId.equals(userId) && g.usable(now)).count();
            store.revokeAuthorization(clientId, userId);
            return live;
        }
    }

    void restore() {
        synchronized (store) {
            store.clear();
            seed.loadInto(store);
        }
    }

    boolean isAuthorized(String clientId, String userId) {
        synchronized (store) {
            Instant now = clock.now();
            return store.byAccessToken.values().stream().anyMatch(g -> g.clientId.equals(clientId)
                    && g.userId.equals(userId) && g.usable(now));
        }
    }

    List<EmulatedMetadataField> roleConnectionMetadata(String clientId) {
        synchronized (store) {
            Store.App app = store.apps.get(clientId);
            if (app == null) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            return List.copyOf(app.metadata);
        }
    }

    void addRedirectUri(String clientId, String redirectUri) {
        URI.create(Objects.requireNonNull(redirectUri, "redirectUri must not be null"));
        synchronized (store) {
            Store.App app = store.apps.get(clientId);
            if (app == null) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            if (!app.redirectUris.contains(redirectUri)) {
                app.redirectUris.add(redirectUri);
            }
        }
    }

    List<String> redirectUris(String clientId) {
        synchronized (store) {
            Store.App app = store.apps.get(clientId);
            if (app == null) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            return List.copyOf(app.redirectUris);
        }
    }

    Optional<EmulatedMember> member(String guildId, String userId) {
        synchronized (store) {
            return Optional.ofNullable(store.member(guildId, userId));
        }
    }

    void putMember(EmulatedMember member) {
        Objects.requireNonNull(member, "member must not be null");
        synchronized (store) {
            if (!store.guilds.containsKey(member.guildId())) {
                throw new IllegalArgumentException("unknown guild " + member.guildId());
            }
            if (!store.users.containsKey(member.userId())) {
                throw new IllegalArgumentException("unknown user " + member.userId());
            }
            store.addMember(member);
        }
    }

    void setMemberRoles(String guildId, String userId, List<String> roleIds) {
        for (String role : roleIds) {
            Snowflakes.require(role, "role id");
        }
        synchronized (store) {
            EmulatedMember m = store.member(guildId, userId);
            if (m == null) {
                throw new IllegalArgumentException("user " + userId + " is not a member of guild " + guildId);
            }
            store.addMember(new EmulatedMember(m.guildId(), m.userId(), m.nick(), roleIds, m.joinedAt(),
                    m.permissions(), m.deaf(), m.mute()));
        }
    }

    boolean removeMember(String guildId, String userId) {
        synchronized (store) {
            Map<String, EmulatedMember> byUser = store.members.get(guildId);
            return byUser != null && byUser.remove(userId) != null;
        }
    }
}
