package dev.discordoauth2.emulator;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The OAuth2 side of Discord: the authorization page ({@code /oauth2/authorize}), the token endpoint, token
 * revocation and {@code GET /oauth2/@me}. Not thread-safe: runs under the store's monitor.
 */
final class OAuth2Routes {

    /** Every scope Discord documents (oauth2.mdx), plus the Social SDK's {@code openid} scopes. */
    static final Set<String> KNOWN_SCOPES = Set.of("activities.read", "activities.write", "applications.builds.read",
            "applications.builds.upload", "applications.commands", "applications.commands.update",
            "applications.commands.permissions.update", "applications.entitlements", "applications.store.update",
            "bot", "connections", "dm_channels.read", "email", "gdm.join", "guilds", "guilds.join",
            "guilds.members.read", "identify", "identify.premium", "messages.read", "relationships.read",
            "role_connections.write", "rpc", "rpc.activities.write", "rpc.notifications.read", "rpc.voice.read",
            "rpc.voice.write", "voice", "webhook.incoming", "openid", "sdk.social_layer_presence",
            "sdk.social_layer");
    /** Scopes that always need the user's consent ("passthrough" scopes). */
    static final Set<String> PASSTHROUGH = Set.of("bot", "webhook.incoming");
    static final String USER_COOKIE = "discord_emulator_user";
    static final String DENIED_DESCRIPTION = "The resource owner or authorization server denied the request";
    private static final Pattern VERIFIER = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");
    private static final Pattern CHALLENGE = Pattern.compile("^[A-Za-z0-9_-]{43}$");
    private static final long MANAGE_GUILD = 1L << 5;
    private static final long ADMINISTRATOR = 1L << 3;

    private final Store store;
    private final AutoApproval autoApproval;

    OAuth2Routes(Store store, AutoApproval autoApproval) {
        this.store = store;
        this.autoApproval = autoApproval;
    }

    /** The authorize request's parameters, checked. */
    private record AuthorizeRequest(Store.App app, String redirectUri, boolean redirectUriGiven,
            Set<String> scopes, String responseType, String state, String codeChallenge, String prompt,
            String guildId, boolean disableGuildSelect, Long permissions, Map<String, List<String>> original) {

        boolean needsGuild() {
            return scopes.contains("bot") || scopes.contains("webhook.incoming");
        }
    }

    // ---------------------------------------------------------------------------------------------- authorize

    Reply authorize(Call call) {
        boolean post = call.method.equals("POST");
        Map<String, List<String>> params = post ? call.formParams() : call.queryParams();
        AuthorizeRequest request = check(params, post);
        if (!post) {
            if (autoApproval.isOn()) {
                String approver = autoApproval.nextUser();
                if (store.users.containsKey(approver)) {
                    return approve(request, approver, null);
                }
            }
            String cookieUser = call.cookie(USER_COOKIE);
            if ("none".equals(request.prompt) && cookieUser != null && store.users.containsKey(cookieUser)
                    && !request.needsGuild()) {
                Set<String> approved = store.approvals.get(Store.pair(request.app.id(), cookieUser));
                if (approved != null && approved.containsAll(request.scopes)) {
                    return approve(request, cookieUser, null);
                }
            }
            return Reply.html(200, Pages.consent(request.app.config, request.scopes, params, store.users.values(),
                    request.needsGuild() && !(request.disableGuildSelect && request.guildId != null)
                            ? new ArrayList<>(store.guilds.values()) : null,
                    cookieUser));
        }
        String decision = call.formParam("decision");
        if ("deny".equals(decision)) {
            if (request.responseType == null && !request.redirectUriGiven) {
                return Reply.html(200, Pages.message("Authorization cancelled",
                        "You cancelled adding " + request.app.config.name() + "."));
            }
            return redirectError(request, "access_denied", DENIED_DESCRIPTION);
        }
        if (!"approve".equals(decision)) {
            return Reply.html(400, Pages.error("Invalid form", "The form must say decision=approve or deny."));
        }
        String userId = call.formParam("user_id");
        if (userId == null || !store.users.containsKey(userId)) {
            return Reply.html(400, Pages.error("Unknown user", "Choose one of the emulator's users."));
        }
        return approve(request, userId, call.formParam("selected_guild_id"))
                .header("Set-Cookie", USER_COOKIE + "=" + userId + "; Path=/; HttpOnly; SameSite=Lax");
    }

    private AuthorizeRequest check(Map<String, List<String>> params, boolean post) {
        String clientId = first(params, "client_id");
        Store.App app = clientId == null ? null : store.apps.get(clientId);
        if (app == null) {
            throw Reply.html(400, Pages.error("Unknown Application", "Invalid OAuth2 client_id: " + clientId))
                    .stop();
        }
        String givenRedirect = first(params, "redirect_uri");
        if (givenRedirect != null && !app.redirectUris.contains(givenRedirect)) {
            throw Reply.html(400, Pages.error("Invalid OAuth2 redirect_uri",
                    "The redirect_uri is not registered for " + app.config.name() + ".")).stop();
        }
        String redirectUri = givenRedirect != null ? givenRedirect : app.redirectUris.get(0);
        String state = first(params, "state");
        String responseType = first(params, "response_type");
        Set<String> scopes = new LinkedHashSet<>();
        String scopeParam = first(params, "scope");
        if (scopeParam != null) {
            for (String s : scopeParam.trim().split("[ +]+")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        String guildId = first(params, "guild_id");
        boolean disableGuildSelect = "true".equalsIgnoreCase(first(params, "disable_guild_select"))
                || "1".equals(first(params, "disable_guild_select"));
        String permissionsParam = first(params, "permissions");
        String challenge = first(params, "code_challenge");
        String method = first(params, "code_challenge_method");
        AuthorizeRequest partial = new AuthorizeRequest(app, redirectUri, givenRedirect != null, scopes,
                responseType, state, challenge, first(params, "prompt"), guildId, disableGuildSelect, null, params);

        if (scopes.isEmpty()) {
            throw redirectError(partial, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
                    .stop();
        }
        for (String scope : scopes) {
            if (!KNOWN_SCOPES.contains(scope) || scope.equals("applications.commands.update")) {
                throw redirectError(partial, "invalid_scope", "Invalid scope: " + scope).stop();
            }
        }
        boolean botOnly = Set.of("bot", "applications.commands").containsAll(scopes);
        if (responseType == null && !botOnly) {
            throw redirectError(partial, "invalid_request", "Missing \"response_type\"").stop();
        }
        if (responseType != null && !responseType.equals("code") && !responseType.equals("token")) {
            throw redirectError(partial, "unsupported_response_type", "Unsupported \"response_type\"").stop();
        }
        if (challenge != null || method != null) {
            if (!"S256".equals(method)) {
                throw redirectError(partial, "invalid_request", "Unsupported \"code_challenge_method\"").stop();
            }
            if (challenge == null) {
                throw redirectError(partial, "invalid_request", "Missing \"code_challenge\"").stop();
            }
            if (!CHALLENGE.matcher(challenge).matches()) {
                throw redirectError(partial, "invalid_request", "Invalid \"code_challenge\"").stop();
            }
            if (scopes.contains("role_connections.write")) {
                throw redirectError(partial, "invalid_scope",
                        "role_connections.write cannot be used with PKCE").stop();
            }
        }
        if ("token".equals(responseType) && scopes.contains("role_connections.write")) {
            throw redirectError(partial, "invalid_scope",
                    "role_connections.write cannot be used with the implicit grant").stop();
        }
        if (scopes.contains("bot") && app.config.botToken() == null) {
            throw Reply.html(400, Pages.error("OAuth2 application does not have a bot",
                    "Error 50010: " + app.config.name() + " has no bot user.")).stop();
        }
        Long permissions = null;
        if (permissionsParam != null) {
            try {
                permissions = Long.parseLong(permissionsParam);
            } catch (NumberFormatException e) {
                throw redirectError(partial, "invalid_request", "Invalid \"permissions\"").stop();
            }
        }
        return new AuthorizeRequest(app, redirectUri, givenRedirect != null, scopes, responseType, state, challenge,
                partial.prompt, guildId, disableGuildSelect, permissions, params);
    }

    private Reply approve(AuthorizeRequest request, String userId, String selectedGuildId) {
        String guildId = null;
        Map<String, Object> webhook = null;
        if (request.needsGuild()) {
            guildId = request.disableGuildSelect && request.guildId != null ? request.guildId
                    : selectedGuildId != null && !selectedGuildId.isEmpty() ? selectedGuildId : request.guildId;
            EmulatedGuild guild = guildId == null ? null : store.guilds.get(guildId);
            EmulatedMember member = guild == null ? null : store.member(guildId, userId);
            if (member == null || !(userId.equals(guild.ownerId())
                    || (member.permissions() & (MANAGE_GUILD | ADMINISTRATOR)) != 0)) {
                return Reply.html(400, Pages.error("Choose a server",
                        "The user must own the server or have Manage Server permission in it."));
            }
            if (request.scopes.contains("bot")) {
                store.apps.get(request.app.id()).botGuilds.put(guildId,
                        request.permissions == null ? 0L : request.permissions);
            }
            if (request.scopes.contains("webhook.incoming")) {
                webhook = webhook(request.app, guild);
            }
        }
        Set<String> remembered = new LinkedHashSet<>(request.scopes);
        remembered.removeAll(PASSTHROUGH);
        store.approvals.computeIfAbsent(Store.pair(request.app.id(), userId), k -> new LinkedHashSet<>())
                .addAll(remembered);

        if (request.responseType == null) {
            if (!request.redirectUriGiven) {
                return Reply.html(200, Pages.message("Authorized",
                        request.app.config.name() + " has been added to " + store.guilds.get(guildId).name() + "."));
            }
            Map<String, String> out = new LinkedHashMap<>();
            out.put("guild_id", guildId);
            out.put("permissions", String.valueOf(request.permissions == null ? 0 : request.permissions));
            putIfNotNull(out, "state", request.state);
            return Reply.redirect(withQuery(request.redirectUri, out));
        }
        if (request.responseType.equals("token")) {
            Store.Grant grant = store.issue(request.app.id(), userId, request.scopes, false);
            Map<String, String> fragment = new LinkedHashMap<>();
            fragment.put("access_token", grant.accessToken);
            fragment.put("token_type", "Bearer");
            fragment.put("expires_in", Long.toString(store.accessTokenLifetime.toSeconds()));
            fragment.put("scope", String.join(" ", request.scopes));
            putIfNotNull(fragment, "state", request.state);
            return Reply.redirect(request.redirectUri + "#" + encode(fragment));
        }
        Store.Code code = new Store.Code(Snowflakes.opaque(30), request.app.id(), userId,
                Collections.unmodifiableSet(new LinkedHashSet<>(request.scopes)), request.redirectUri, request.redirectUriGiven, request.codeChallenge,
                store.clock.now().plus(store.codeLifetime), guildId, request.permissions, webhook);
        store.codes.put(code.value, code);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("code", code.value);
        putIfNotNull(out, "state", request.state);
        if (request.scopes.contains("bot")) {
            out.put("guild_id", guildId);
            out.put("permissions", String.valueOf(request.permissions == null ? 0 : request.permissions));
        }
        return Reply.redirect(withQuery(request.redirectUri, out));
    }

    private Map<String, Object> webhook(Store.App app, EmulatedGuild guild) {
        Instant now = store.clock.now();
        String id = Snowflakes.next(now.toEpochMilli());
        String token = Snowflakes.opaque(68);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("application_id", app.id());
        w.put("name", app.config.name());
        w.put("url", "https://discord.com/api/webhooks/" + id + "/" + token);
        w.put("channel_id", Snowflakes.next(now.toEpochMilli()));
        w.put("token", token);
        w.put("type", 1);
        w.put("avatar", Json.NULL);
        w.put("guild_id", guild.id());
        w.put("id", id);
        return w;
    }

    private static Reply redirectError(AuthorizeRequest request, String error, String description) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("error", error);
        out.put("error_description", description);
        putIfNotNull(out, "state", request.state);
        if ("token".equals(request.responseType)) {
            return Reply.redirect(request.redirectUri + "#" + encode(out));
        }
        return Reply.redirect(withQuery(request.redirectUri, out));
    }

    // ---------------------------------------------------------------------------------------------- token

    Reply token(Call call) {
        if (!call.isForm()) {
            return Reply.oauthError(400, "unsupported_grant_type", null);
        }
        String grantType = call.formParam("grant_type");
        ClientAuth auth = authenticate(call);
        if (auth == null) {
            return Reply.oauthError(401, "invalid_client", null);
        }
        if (grantType == null) {
            return Reply.oauthError(400, "unsupported_grant_type", null);
        }
        return switch (grantType) {
            case "authorization_code" -> authorizationCode(call, auth);
            case "refresh_token" -> refresh(call, auth);
            case "client_credentials" -> clientCredentials(call, auth);
            default -> Reply.oauthError(400, "unsupported_grant_type", null);
        };
    }

    /** The authenticated client; {@code withSecret} is false for a public client that sent no secret. */
    private record ClientAuth(Store.App app, boolean withSecret) {
    }

    /** HTTP Basic, else {@code client_id}/{@code client_secret} in the body; {@code null} when it fails. */
    private ClientAuth authenticate(Call call) {
        String id;
        String secret;
        String[] basic = call.basicCredentials();
        if (basic != null) {
            id = basic[0];
            secret = basic[1];
        } else if (call.authorization("Basic") != null) {
            return null;
        } else {
            id = call.formParam("client_id");
            secret = call.formParam("client_secret");
        }
        Store.App app = id == null ? null : store.apps.get(id);
        if (app == null) {
            return null;
        }
        if (secret == null || secret.isEmpty()) {
            return app.config.publicClient() ? new ClientAuth(app, false) : null;
        }
        return MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                app.config.clientSecret().getBytes(StandardCharsets.UTF_8)) ? new ClientAuth(app, true) : null;
    }

    private Reply authorizationCode(Call call, ClientAuth auth) {
        String value = call.formParam("code");
        if (value == null) {
            return Reply.oauthError(400, "invalid_request", "Missing \"code\" in request.");
        }
        Store.Code code = store.codes.get(value);
        Instant now = store.clock.now();
        if (code == null || !code.clientId.equals(auth.app.id())) {
            return Reply.oauthError(400, "invalid_grant", "Invalid \"code\" in request.");
        }
        if (code.used) {
            // RFC 6749 §4.1.2: a code used twice revokes what it gave
            code.issued.forEach(g -> g.revoked = true);
            return Reply.oauthError(400, "invalid_grant", "Invalid \"code\" in request.");
        }
        if (!now.isBefore(code.expiresAt)) {
            store.codes.remove(value);
            return Reply.oauthError(400, "invalid_grant", "Invalid \"code\" in request.");
        }
        String redirectUri = call.formParam("redirect_uri");
        if (redirectUri == null ? code.redirectUriGiven : !redirectUri.equals(code.redirectUri)) {
            return Reply.oauthError(400, "invalid_request", "Invalid \"redirect_uri\" in request.");
        }
        String verifier = call.formParam("code_verifier");
        if (code.codeChallenge != null) {
            if (verifier == null) {
                return Reply.oauthError(400, "invalid_request", "Missing \"code_verifier\"");
            }
            if (!VERIFIER.matcher(verifier).matches() || !s256(verifier).equals(code.codeChallenge)) {
                return Reply.oauthError(400, "invalid_request", "Invalid \"code_verifier\"");
            }
        } else if (!auth.withSecret) {
            return Reply.oauthError(401, "invalid_client", null);
        }
        code.used = true;
        Store.Grant grant = store.issue(code.clientId, code.userId, code.scopes, true);
        code.issued.add(grant);
        Map<String, Object> body = tokenResponse(grant);
        if (code.webhook != null) {
            body.put("webhook", code.webhook);
        }
        if (code.scopes.contains("bot") && code.guildId != null) {
            body.put("guild", DiscordObjects.fullGuild(store.guilds.get(code.guildId), code.clientId));
        }
        if (code.scopes.contains("openid")) {
            body.put("id_token", idToken(auth.app, code.userId, now));
        }
        return Reply.json(200, body);
    }

    private Reply refresh(Call call, ClientAuth auth) {
        String value = call.formParam("refresh_token");
        if (value == null) {
            return Reply.oauthError(400, "invalid_request", "Missing \"refresh_token\" in request.");
        }
        Store.Grant old = store.byRefreshToken.get(value);
        if (old == null || old.revoked || !old.clientId.equals(auth.app.id())) {
            return Reply.oauthError(400, "invalid_grant", "Invalid \"refresh_token\" in request");
        }
        // refresh tokens rotate: the used refresh token and its access token stop working
        old.revoked = true;
        Store.Grant grant = store.issue(old.clientId, old.userId, old.scopes, true);
        return Reply.json(200, tokenResponse(grant));
    }

    private Reply clientCredentials(Call call, ClientAuth auth) {
        if (!auth.withSecret) {
            return Reply.oauthError(401, "invalid_client", null);
        }
        String scopeParam = call.formParam("scope");
        if (scopeParam == null || scopeParam.isBlank()) {
            return Reply.oauthError(400, "invalid_request", "Missing \"scope\" in request.");
        }
        Set<String> scopes = new LinkedHashSet<>(List.of(scopeParam.trim().split(" +")));
        for (String scope : scopes) {
            boolean allowed = KNOWN_SCOPES.contains(scope) && !PASSTHROUGH.contains(scope)
                    && (!auth.app.config.teamOwned()
                            || scope.equals("identify") || scope.equals("applications.commands.update"));
            if (!allowed) {
                return Reply.oauthError(400, "invalid_scope", "Invalid scope: " + scope);
            }
        }
        Store.Grant grant = store.issue(auth.app.id(), store.ownerOf(auth.app), scopes, false);
        return Reply.json(200, tokenResponse(grant));
    }

    private Map<String, Object> tokenResponse(Store.Grant grant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("access_token", grant.accessToken);
        body.put("expires_in", store.accessTokenLifetime.toSeconds());
        if (grant.refreshToken != null) {
            body.put("refresh_token", grant.refreshToken);
        }
        body.put("scope", String.join(" ", grant.scopes));
        return body;
    }

    // ---------------------------------------------------------------------------------------------- revoke

    Reply revoke(Call call) {
        if (!call.isForm()) {
            return Reply.oauthError(400, "invalid_request", null);
        }
        ClientAuth auth = authenticate(call);
        if (auth == null) {
            return Reply.oauthError(401, "invalid_client", null);
        }
        String token = call.formParam("token");
        if (token == null || token.isEmpty()) {
            return Reply.oauthError(400, "invalid_request", null);
        }
        String hint = call.formParam("token_type_hint");
        if (hint != null && !hint.equals("access_token") && !hint.equals("refresh_token")) {
            return Reply.oauthError(400, "unsupported_token_type", null);
        }
        // whatever the hint says, any token of the authorization revokes all of it
        Store.Grant grant = store.byAccessToken.get(token);
        if (grant == null) {
            grant = store.byRefreshToken.get(token);
        }
        if (grant != null && grant.clientId.equals(auth.app.id())) {
            store.revokeAuthorization(grant.clientId, grant.userId);
        }
        return Reply.json(200, Map.of());
    }

    // ---------------------------------------------------------------------------------------------- @me

    Reply currentAuthorization(Call call) {
        Store.Grant grant = UserRoutes.bearer(store, call, null);
        Store.App app = store.apps.get(grant.clientId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("application", DiscordObjects.application(app));
        body.put("scopes", new ArrayList<>(grant.scopes));
        body.put("expires", DiscordObjects.timestamp(grant.expiresAt));
        if (grant.scopes.contains("identify")) {
            body.put("user", DiscordObjects.publicUser(store.users.get(grant.userId)));
        }
        return Reply.json(200, body);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OpenID id_token for the {@code openid} scope, signed HS256 with the client secret. */
    private static String idToken(Store.App app, String userId, Instant now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "https://discord.com");
        claims.put("sub", userId);
        claims.put("aud", app.id());
        claims.put("exp", now.getEpochSecond() + 604800);
        claims.put("iat", now.getEpochSecond());
        String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(app.config.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void putIfNotNull(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    static String encode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
        });
        return sb.toString();
    }

    /** Appends parameters to a registered redirect URI, keeping any query it already has. */
    static String withQuery(String uri, Map<String, String> params) {
        String query = encode(params);
        String fragmentless = uri;
        String fragment = "";
        int hash = uri.indexOf('#');
        if (hash >= 0) {
            fragmentless = uri.substring(0, hash);
            fragment = uri.substring(hash);
        }
        String separator = URI.create(fragmentless).getRawQuery() == null ? "?" : "&";
        return fragmentless + separator + query + fragment;
    }
}
