package dev.discordoauth2.emulator;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Discord's token side of OAuth2: {@code POST /oauth2/token} (authorization code with PKCE, refresh with rotation,
 * client credentials, and the device code grant, which {@link DeviceRoutes} answers), {@code POST
 * /oauth2/token/revoke} and {@code GET /oauth2/@me}. Not thread-safe: runs under the store's monitor.
 */
final class TokenRoutes {
    private static final Pattern VERIFIER = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");

    private final Store store;
    private final DeviceRoutes devices;

    TokenRoutes(Store store, DeviceRoutes devices) {
        this.store = store;
        this.devices = devices;
    }

    Reply token(Call call) {
        if (!call.isForm()) {
            return Reply.oauthError(400, "unsupported_grant_type", null);
        }
        String grantType = call.formParam("grant_type");
        ClientAuth auth = authenticate(store, call);
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
            case DeviceRoutes.GRANT_TYPE -> devices.token(call, auth);
            default -> Reply.oauthError(400, "unsupported_grant_type", null);
        };
    }

    /** The authenticated client; {@code withSecret} is false for a public client that sent no secret. */
    record ClientAuth(Store.App app, boolean withSecret) {
    }

    /** HTTP Basic, else {@code client_id}/{@code client_secret} in the body; {@code null} when it fails. */
    static ClientAuth authenticate(Store store, Call call) {
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
            code.issued.forEach(g -> g.end(now, Store.ENDED_BY_CODE_REUSE));
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
        Store.Grant grant = store.issue(code.clientId, code.userId, code.scopes, true, "authorization_code");
        code.issued.add(grant);
        Map<String, Object> body = tokenResponse(store, grant);
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
            if (old != null && old.revoked && old.clientId.equals(auth.app.id())) {
                old.refused("refresh_token", call, store.clock.now());
            }
            return Reply.oauthError(400, "invalid_grant", "Invalid \"refresh_token\" in request");
        }
        // refresh tokens rotate: the used refresh token and its access token stop working
        Instant now = store.clock.now();
        old.used(now);
        old.end(now, Store.ENDED_BY_REFRESH);
        Store.Grant grant = store.issue(old.clientId, old.userId, old.scopes, true, "refresh_token");
        old.replacedBy = grant;
        return Reply.json(200, tokenResponse(store, grant));
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
            boolean allowed = Scopes.KNOWN.contains(scope) && !Scopes.PASSTHROUGH.contains(scope)
                    && (!auth.app.config.teamOwned()
                            || scope.equals("identify") || scope.equals("applications.commands.update"));
            if (!allowed) {
                return Reply.oauthError(400, "invalid_scope", "Invalid scope: " + scope);
            }
        }
        Store.Grant grant = store.issue(auth.app.id(), store.ownerOf(auth.app), scopes, false, "client_credentials");
        return Reply.json(200, tokenResponse(store, grant));
    }

    static Map<String, Object> tokenResponse(Store store, Store.Grant grant) {
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
        ClientAuth auth = authenticate(store, call);
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
            store.revokeAuthorization(grant.clientId, grant.userId, Store.ENDED_BY_REVOCATION);
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
            return signingInput + "."
                    + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
