package dev.discordoauth2.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the emulator knows: the configured applications, users, guilds, memberships, connections and bans, and
 * what the OAuth2 flows created (codes, tokens, approvals, role connections). Not thread-safe: the dispatcher holds
 * the store's monitor while a route runs.
 */
final class Store {

    /** An application and what changes at run time: its metadata records and the guilds its bot is in. */
    static final class App {
        final EmulatedApplication config;
        final String botUserId;
        List<EmulatedMetadataField> metadata;
        /** How many {@code PUT}s replaced {@link #metadata} since this App was made (at start or a data restore). */
        int metadataUpdates;
        final List<String> redirectUris;
        final Map<String, Long> botGuilds = new LinkedHashMap<>();

        App(EmulatedApplication config, String botUserId) {
            this.config = config;
            this.botUserId = botUserId;
            this.metadata = new ArrayList<>(config.roleConnectionMetadata());
            this.redirectUris = new ArrayList<>(config.redirectUris());
        }

        String id() {
            return config.clientId();
        }
    }

    /** An authorization code waiting to be exchanged. */
    static final class Code {
        final String value;
        final String clientId;
        final String userId;
        final Set<String> scopes;
        final String redirectUri;
        final boolean redirectUriGiven;
        final String codeChallenge;
        final Instant expiresAt;
        final String guildId;
        final Long permissions;
        final Map<String, Object> webhook;
        boolean used;
        final List<Grant> issued = new ArrayList<>();

        Code(String value, String clientId, String userId, Set<String> scopes, String redirectUri,
                boolean redirectUriGiven, String codeChallenge, Instant expiresAt, String guildId, Long permissions,
                Map<String, Object> webhook) {
            this.value = value;
            this.clientId = clientId;
            this.userId = userId;
            this.scopes = scopes;
            this.redirectUri = redirectUri;
            this.redirectUriGiven = redirectUriGiven;
            this.codeChallenge = codeChallenge;
            this.expiresAt = expiresAt;
            this.guildId = guildId;
            this.permissions = permissions;
            this.webhook = webhook;
        }
    }

    /**
     * A device authorization (RFC 8628) waiting for its user: the device code the device polls with, the user code
     * the user enters on the activation page, and what the user decided.
     */
    static final class DeviceCode {
        final String value;
        final String userCode;
        final String clientId;
        final Set<String> scopes;
        final Instant expiresAt;
        /** The least time between two polls: the announced interval plus 5 s for every {@code slow_down} answered. */
        Duration interval;
        /** When the device last polled; {@code null} before its first poll. */
        Instant lastPoll;
        /** The approving user, once approved. */
        String approvedBy;
        boolean denied;
        /** Whether the tokens were issued (the device code is then spent). */
        boolean used;

        DeviceCode(String value, String userCode, String clientId, Set<String> scopes, Instant expiresAt,
                Duration interval) {
            this.value = value;
            this.userCode = userCode;
            this.clientId = clientId;
            this.scopes = scopes;
            this.expiresAt = expiresAt;
            this.interval = interval;
        }

        boolean decided() {
            return approvedBy != null || denied;
        }

        /** {@code pending}, {@code approved}, {@code denied} or {@code used}, as the admin API shows it. */
        String state() {
            return used ? "used" : denied ? "denied" : approvedBy != null ? "approved" : "pending";
        }
    }

    /**
     * One access token (and its refresh token, if any) of a user's authorization of an application, with its history
     * for {@code GET /__admin/applications/{client_id}/tokens}: how and when it was issued, its first use, how and
     * when it ended, what replaced it, and the uses refused after it ended or expired.
     */
    static final class Grant {
        final long id;
        final String grantType;
        final Instant issuedAt;
        final String clientId;
        final String userId;
        final Set<String> scopes;
        final String accessToken;
        final String refreshToken;
        final Instant expiresAt;
        boolean revoked;
        /** When and how it stopped working first: {@link #ENDED_BY_REFRESH} and the others; null while it works. */
        Instant endedAt;
        String endedBy;
        /** The grant the refresh that rotated it issued. */
        Grant replacedBy;
        Instant firstUsedAt;
        final List<Refusal> refusals = new ArrayList<>();

        Grant(long id, String grantType, Instant issuedAt, String clientId, String userId, Set<String> scopes,
                String accessToken, String refreshToken, Instant expiresAt) {
            this.id = id;
            this.grantType = grantType;
            this.issuedAt = issuedAt;
            this.clientId = clientId;
            this.userId = userId;
            this.scopes = scopes;
            this.accessToken = accessToken;
            this.refreshToken = refreshToken;
            this.expiresAt = expiresAt;
        }

        boolean usable(Instant now) {
            return !revoked && now.isBefore(expiresAt);
        }

        /** Stops it working; the first reason given is the one kept. */
        void end(Instant at, String by) {
            revoked = true;
            if (endedBy == null) {
                endedAt = at;
                endedBy = by;
            }
        }

        void used(Instant at) {
            if (firstUsedAt == null) {
                firstUsedAt = at;
            }
        }

        /** A request with one of its tokens ({@code "access_token"} or {@code "refresh_token"}) was refused. */
        void refused(String token, Call call, Instant at) {
            refusals.add(new Refusal(token, call.route, call.receivedAt == null ? at : call.receivedAt, at));
        }
    }

    static final String ENDED_BY_REFRESH = "refresh";
    static final String ENDED_BY_REVOCATION = "revocation";
    static final String ENDED_BY_USER = "removed_by_user";
    static final String ENDED_BY_CODE_REUSE = "code_reuse";

    /** A request refused because the token it carried had ended or expired: when it arrived and when it was answered. */
    record Refusal(String token, String route, Instant receivedAt, Instant at) {
    }

    /** A user's role connection for one application. */
    record RoleConnection(String platformName, String platformUsername, Map<String, String> metadata) {
        static final RoleConnection EMPTY = new RoleConnection(null, null, Map.of());
    }

    final Map<String, App> apps = new LinkedHashMap<>();
    final Map<String, EmulatedUser> users = new LinkedHashMap<>();
    final Map<String, EmulatedGuild> guilds = new LinkedHashMap<>();
    /** guild id → user id → member. */
    final Map<String, Map<String, EmulatedMember>> members = new HashMap<>();
    final Map<String, List<EmulatedConnection>> connections = new HashMap<>();
    final Set<String> bans = new LinkedHashSet<>();
    final Map<String, Code> codes = new HashMap<>();
    final Map<String, Grant> byAccessToken = new HashMap<>();
    final Map<String, Grant> byRefreshToken = new HashMap<>();
    /** The id of the next grant issued (issue order). */
    long nextGrantId = 1;
    /** client id / user id → the scopes the user has approved (for {@code prompt=none}). */
    final Map<String, Set<String>> approvals = new HashMap<>();
    /** client id / user id → role connection. */
    final Map<String, RoleConnection> roleConnections = new HashMap<>();
    /** Device authorizations by device code, and the same by user code (normalised: upper case, no dash). */
    final Map<String, DeviceCode> deviceCodes = new HashMap<>();
    final Map<String, DeviceCode> deviceCodesByUserCode = new LinkedHashMap<>();

    final EmulatorClock clock;
    final Duration codeLifetime;
    final Duration accessTokenLifetime;
    final Duration deviceCodeLifetime;
    final Duration deviceInterval;

    Store(EmulatorClock clock, Duration codeLifetime, Duration accessTokenLifetime, Duration deviceCodeLifetime,
            Duration deviceInterval) {
        this.clock = clock;
        this.codeLifetime = codeLifetime;
        this.accessTokenLifetime = accessTokenLifetime;
        this.deviceCodeLifetime = deviceCodeLifetime;
        this.deviceInterval = deviceInterval;
    }

    /** Forgets everything: configured data and what the flows created. */
    void clear() {
        apps.clear();
        users.clear();
        guilds.clear();
        members.clear();
        connections.clear();
        bans.clear();
        codes.clear();
        byAccessToken.clear();
        byRefreshToken.clear();
        approvals.clear();
        roleConnections.clear();
        deviceCodes.clear();
        deviceCodesByUserCode.clear();
    }

    static String pair(String a, String b) {
        return a + "/" + b;
    }

    App appByBotToken(String botToken) {
        for (App app : apps.values()) {
            if (botToken != null && botToken.equals(app.config.botToken())) {
                return app;
            }
        }
        return null;
    }

    /** The guilds a user is a member of, ordered by id as Discord orders them. */
    List<EmulatedGuild> guildsOf(String userId) {
        TreeMap<Long, EmulatedGuild> sorted = new TreeMap<>(Long::compareUnsigned);
        members.forEach((guildId, byUser) -> {
            if (byUser.containsKey(userId) && guilds.containsKey(guildId)) {
                sorted.put(Long.parseUnsignedLong(guildId), guilds.get(guildId));
            }
        });
        return new ArrayList<>(sorted.values());
    }

    EmulatedMember member(String guildId, String userId) {
        Map<String, EmulatedMember> byUser = members.get(guildId);
        return byUser == null ? null : byUser.get(userId);
    }

    void addMember(EmulatedMember member) {
        members.computeIfAbsent(member.guildId(), k -> new LinkedHashMap<>()).put(member.userId(), member);
    }

    /** Creates a token (with a refresh token when {@code refreshable}) by {@code grantType} and indexes it. */
    Grant issue(String clientId, String userId, Set<String> scopes, boolean refreshable, String grantType) {
        Instant now = clock.now();
        Grant grant = new Grant(nextGrantId++, grantType, now, clientId, userId,
                Collections.unmodifiableSet(new LinkedHashSet<>(scopes)), Snowflakes.opaque(30),
                refreshable ? Snowflakes.opaque(30) : null, now.plus(accessTokenLifetime));
        byAccessToken.put(grant.accessToken, grant);
        if (grant.refreshToken != null) {
            byRefreshToken.put(grant.refreshToken, grant);
        }
        return grant;
    }

    /**
     * Revokes every token of the user's authorization of the application and forgets the approval, as Discord does
     * when any one token of it is revoked.
     */
    void revokeAuthorization(String clientId, String userId, String by) {
        Instant now = clock.now();
        for (Grant grant : byAccessToken.values()) {
            if (grant.clientId.equals(clientId) && grant.userId.equals(userId)) {
                grant.end(now, by);
            }
        }
        approvals.remove(pair(clientId, userId));
    }

    /** The application's owner for the client credentials grant: its configured owner, else the first user. */
    String ownerOf(App app) {
        if (app.config.ownerId() != null) {
            return app.config.ownerId();
        }
        if (users.isEmpty()) {
            throw new IllegalStateException("the emulator has no users to own application " + app.id());
        }
        return users.keySet().iterator().next();
    }
}
