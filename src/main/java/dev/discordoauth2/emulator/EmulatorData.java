package dev.discordoauth2.emulator;

import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The controls of {@link DiscordEmulator} that read or change its data while it runs: authorizations, redirect URIs,
 * role connection metadata, memberships, and restoring the start data set; and the admin API's views of what the
 * emulator holds on Discord's side (issued tokens, role connections, metadata records, bot guilds). Thread-safe: each
 * holds the store's monitor, as the routes do.
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
            store.revokeAuthorization(clientId, userId, Store.ENDED_BY_USER);
            return live;
        }
    }

    /**
     * Every token issued to the application (to {@code userId} only, when given), in issue order, with its values and
     * history, as {@code GET /__admin/applications/{client_id}/tokens} lists them.
     *
     * @throws IllegalArgumentException when the application is unknown
     */
    List<Map<String, Object>> issuedTokens(String clientId, String userId) {
        synchronized (store) {
            if (!store.apps.containsKey(clientId)) {
                throw new IllegalArgumentException("unknown application " + clientId);
            }
            List<Store.Grant> grants = new ArrayList<>();
            for (Store.Grant g : store.byAccessToken.values()) {
                if (g.clientId.equals(clientId) && (userId == null || g.userId.equals(userId))) {
                    grants.add(g);
                }
            }
            grants.sort(Comparator.comparingLong(g -> g.id));
            List<Map<String, Object>> out = new ArrayList<>(grants.size());
            for (Store.Grant g : grants) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("id", g.id);
                t.put("user_id", g.userId);
                t.put("grant_type", g.grantType);
                t.put("scopes", List.copyOf(g.scopes));
                t.put("access_token", g.accessToken);
                t.put("refresh_token", g.refreshToken == null ? Json.NULL : g.refreshToken);
                t.put("issued_at", g.issuedAt.toString());
                t.put("expires_at", g.expiresAt.toString());
                t.put("revoked", g.revoked);
                t.put("ended_at", g.endedAt == null ? Json.NULL : g.endedAt.toString());
                t.put("ended_by", g.endedBy == null ? Json.NULL : g.endedBy);
                t.put("replaced_by", g.replacedBy == null ? Json.NULL : g.replacedBy.id);
                t.put("first_used_at", g.firstUsedAt == null ? Json.NULL : g.firstUsedAt.toString());
                List<Object> refused = new ArrayList<>();
                for (Store.Refusal r : g.refusals) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("token", r.token());
                    e.put("route", r.route() == null ? Json.NULL : r.route());
                    e.put("received_at", r.receivedAt().toString());
                    e.put("at", r.at().toString());
                    refused.add(e);
                }
                t.put("refused", refused);
                out.add(t);
            }
            return out;
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

    /** The application's metadata records, as Discord's {@code GET} answers them, and the PUTs that replaced them. */
    record MetadataRecords(List<Map<String, Object>> records, int updates) {
    }

    /**
     * The application's current role connection metadata records and how many {@code PUT}s replaced them since
     * start or the last restore of the data, read together, for
     * {@code GET /__admin/applications/{client_id}/role-connection-metadata}.
     *
     * @throws IllegalArgumentException when the application is unknown
     */
    MetadataRecords metadataRecords(String clientId) {
        synchronized (store) {
            Store.App app = app(clientId);
            return new MetadataRecords(app.metadata.stream().map(DiscordObjects::metadataField).toList(),
                    app.metadataUpdates);
        }
    }

    /**
     * Every role connection stored for the application (of {@code userId} only, when given), ordered by user id, as
     * {@code GET /__admin/applications/{client_id}/role-connections} lists them: {@code user_id} and the connection
     * as Discord's role connection routes answer it.
     *
     * @throws IllegalArgumentException when the application is unknown
     */
    List<Map<String, Object>> roleConnections(String clientId, String userId) {
        synchronized (store) {
            app(clientId);
            String prefix = Store.pair(clientId, "");
            Map<BigInteger, Map<String, Object>> byUser = new TreeMap<>();
            store.roleConnections.forEach((key, connection) -> {
                String user = key.startsWith(prefix) ? key.substring(prefix.length()) : null;
                if (user != null && (userId == null || user.equals(userId))) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("user_id", user);
                    c.putAll(DiscordObjects.roleConnection(connection));
                    byUser.put(new BigInteger(user), c);
                }
            });
            return new ArrayList<>(byUser.values());
        }
    }

    /**
     * The guilds the application's bot is in, in the order it joined them, with the permissions it was given
     * (a decimal string), as {@code GET /__admin/applications/{client_id}/bot-guilds} lists them.
     *
     * @throws IllegalArgumentException when the application is unknown
     */
    List<Map<String, Object>> botGuilds(String clientId) {
        synchronized (store) {
            List<Map<String, Object>> out = new ArrayList<>();
            app(clientId).botGuilds.forEach((guildId, permissions) -> {
                EmulatedGuild guild = store.guilds.get(guildId);
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("guild_id", guildId);
                g.put("name", guild == null ? Json.NULL : guild.name());
                g.put("permissions", Long.toUnsignedString(permissions));
                out.add(g);
            });
            return out;
        }
    }

    /** The application; the caller holds the store's monitor. */
    private Store.App app(String clientId) {
        Store.App app = store.apps.get(clientId);
        if (app == null) {
            throw new IllegalArgumentException("unknown application " + clientId);
        }
        return app;
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
