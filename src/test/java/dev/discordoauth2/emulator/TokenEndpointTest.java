package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /oauth2/token} (all three grants, client auth, PKCE, rotation) and {@code /oauth2/token/revoke}. */
class TokenEndpointTest {
    private DiscordEmulator discord;

    @BeforeEach
    void start() {
        discord = demo().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private HttpResponse<String> token(Map<String, String> form) {
        return postForm(discord.tokenUri(), form, "Authorization", basic(CLIENT_ID, SECRET));
    }

    private URI revokeUri() {
        return URI.create(discord.apiBaseUri() + "/oauth2/token/revoke");
    }

    private int meStatus(String accessToken) {
        return get(api(discord, "/users/@me"), "Authorization", bearer(accessToken)).statusCode();
    }

    private static void assertOAuthError(HttpResponse<String> response, int status, String error, String description) {
        assertEquals(status, response.statusCode(), response.body());
        JsonObject body = object(response);
        assertEquals(error, body.getString("error"));
        if (description == null) {
            assertFalse(body.containsKey("error_description"), response.body());
        } else {
            assertEquals(description, body.getString("error_description"));
        }
    }

    // ------------------------------------------------------------------------------ authorization_code

    @Test
    void tokenWhenCodeExchangedWithBasicAuthThenDocumentedTokenResponse() {
        JsonObject tokens = exchange(discord, code(discord, NELLY, "identify email"));
        assertEquals(Set.of("token_type", "access_token", "expires_in", "refresh_token", "scope"), tokens.keySet());
        assertEquals("Bearer", tokens.getString("token_type"));
        assertEquals(604800, tokens.getInt("expires_in"));
        assertEquals(Set.of("identify", "email"), Set.of(tokens.getString("scope").split(" ")));
        assertNotEquals(tokens.getString("access_token"), tokens.getString("refresh_token"));
        assertEquals(200, meStatus(tokens.getString("access_token")));
    }

    @Test
    void tokenWhenClientCredentialsInBodyThenAccepted() {
        String code = code(discord, NELLY, "identify");
        HttpResponse<String> response = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT, "client_id", CLIENT_ID, "client_secret", SECRET));
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void tokenWhenJsonBodyThenUnsupportedGrantType() {
        HttpResponse<String> response = sendJson("POST", discord.tokenUri(),
                "{\"grant_type\":\"authorization_code\",\"code\":\"x\"}", "Authorization", basic(CLIENT_ID, SECRET));
        assertOAuthError(response, 400, "unsupported_grant_type", null);
    }

    @Test
    void tokenWhenParametersInQueryInsteadOfBodyThenUnsupportedGrantType() {
        URI withQuery = withQuery(discord.tokenUri(), params("grant_type", "client_credentials", "scope", "identify"));
        HttpResponse<String> response = postForm(withQuery, Map.of(), "Authorization", basic(CLIENT_ID, SECRET));
        assertOAuthError(response, 400, "unsupported_grant_type", null);
    }

    @Test
    void tokenWhenGrantTypeMissingOrUnknownThenUnsupportedGrantType() {
        assertOAuthError(token(params("code", "x")), 400, "unsupported_grant_type", null);
        assertOAuthError(token(params("grant_type", "password")), 400, "unsupported_grant_type", null);
    }

    @Test
    void tokenWhenSecretWrongThenInvalidClient401() {
        String code = code(discord, NELLY, "identify");
        HttpResponse<String> basic = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT), "Authorization", basic(CLIENT_ID, "wrong"));
        assertOAuthError(basic, 401, "invalid_client", null);
        HttpResponse<String> body = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT, "client_id", CLIENT_ID, "client_secret", "wrong"));
        assertOAuthError(body, 401, "invalid_client", null);
        HttpResponse<String> unknown = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT), "Authorization", basic("42", SECRET));
        assertOAuthError(unknown, 401, "invalid_client", null);
        HttpResponse<String> none = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", code, "redirect_uri", REDIRECT));
        assertOAuthError(none, 401, "invalid_client", null);
        assertEquals(200, token(params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT))
                .statusCode(), "failed client auth does not use the code up");
    }

    @Test
    void tokenWhenSecretContainsColonThenBasicAuthStillWorks() {
        String secret = "se:cr:et";
        try (DiscordEmulator colon = DiscordEmulator.builder()
                .demoData(appBuilder().clientSecret(secret).build()).start()) {
            String code = code(colon, NELLY, "identify");
            HttpResponse<String> response = postForm(colon.tokenUri(), params("grant_type", "authorization_code",
                    "code", code, "redirect_uri", REDIRECT), "Authorization", basic(CLIENT_ID, secret));
            assertEquals(200, response.statusCode(), response.body());
        }
    }

    @Test
    void tokenWhenCodeUsedTwiceThenInvalidGrantAndFirstTokenRevoked() {
        String code = code(discord, NELLY, "identify");
        JsonObject first = exchange(discord, code);
        HttpResponse<String> again = token(params("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT));
        assertOAuthError(again, 400, "invalid_grant", "Invalid \"code\" in request.");
        assertEquals(401, meStatus(first.getString("access_token")));
    }

    @Test
    void tokenWhenCodeUnknownThenInvalidGrant() {
        assertOAuthError(token(params("grant_type", "authorization_code", "code", "NhhvTDYsFcdgNLnnLijcl7Ku7bEEeee",
                "redirect_uri", REDIRECT)), 400, "invalid_grant", "Invalid \"code\" in request.");
    }

    @Test
    void tokenWhenCodeMissingThenInvalidRequest() {
        assertOAuthError(token(params("grant_type", "authorization_code", "redirect_uri", REDIRECT)), 400,
                "invalid_request", "Missing \"code\" in request.");
    }

    @Test
    void tokenWhenCodeOlderThan100SecondsThenInvalidGrant() {
        String code = code(discord, NELLY, "identify");
        discord.advanceClock(Duration.ofSeconds(101));
        assertOAuthError(token(params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT)),
                400, "invalid_grant", "Invalid \"code\" in request.");
    }

    @Test
    void tokenWhenCodeYoungerThan100SecondsThenExchanged() {
        String code = code(discord, NELLY, "identify");
        discord.advanceClock(Duration.ofSeconds(95));
        assertEquals(200, token(params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT))
                .statusCode());
    }

    @Test
    void tokenWhenRedirectUriDiffersFromAuthorizeThenInvalidRequest() {
        String code = code(discord, NELLY, "identify");
        assertOAuthError(token(params("grant_type", "authorization_code", "code", code,
                "redirect_uri", OTHER_REDIRECT)), 400, "invalid_request", "Invalid \"redirect_uri\" in request.");
        assertOAuthError(token(params("grant_type", "authorization_code", "code", code)), 400, "invalid_request",
                "Invalid \"redirect_uri\" in request.");
    }

    @Test
    void tokenWhenCodeOfAnotherApplicationThenInvalidGrant() {
        EmulatedApplication other = EmulatedApplication.builder("200000000000000002").clientSecret("other")
                .redirectUri(REDIRECT).build();
        try (DiscordEmulator two = demo().application(other).start()) {
            String code = code(two, NELLY, "identify");
            HttpResponse<String> response = postForm(two.tokenUri(), params("grant_type", "authorization_code",
                    "code", code, "redirect_uri", REDIRECT), "Authorization", basic("200000000000000002", "other"));
            assertOAuthError(response, 400, "invalid_grant", "Invalid \"code\" in request.");
        }
    }

    @Test
    void tokenWhenOpenIdScopeThenIdTokenIsAJwtForTheUser() {
        JsonObject tokens = exchange(discord, code(discord, NELLY, "openid identify"));
        String[] parts = tokens.getString("id_token").split("\\.");
        assertEquals(3, parts.length);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"sub\":\"" + NELLY + "\""), claims);
        assertTrue(claims.contains("\"aud\":\"" + CLIENT_ID + "\""), claims);
    }

    // ------------------------------------------------------------------------------ PKCE

    private String pkceCode(DiscordEmulator emulator) {
        return code(emulator, NELLY, "identify", "code_challenge", PkceValues.CHALLENGE,
                "code_challenge_method", "S256");
    }

    @Test
    void tokenWhenPkceVerifierMatchesChallengeThenExchanged() {
        JsonObject tokens = exchange(discord, pkceCode(discord), "code_verifier", PkceValues.VERIFIER);
        assertEquals(200, meStatus(tokens.getString("access_token")));
    }

    @Test
    void tokenWhenPkceVerifierMissingThenInvalidRequest() {
        assertOAuthError(token(params("grant_type", "authorization_code", "code", pkceCode(discord),
                "redirect_uri", REDIRECT)), 400, "invalid_request", "Missing \"code_verifier\"");
    }

    @Test
    void tokenWhenPkceVerifierWrongOrTooShortThenInvalidRequest() {
        String code = pkceCode(discord);
        String wrong = PkceValues.VERIFIER.substring(0, 42) + "A";
        assertOAuthError(token(params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "code_verifier", wrong)), 400, "invalid_request", "Invalid \"code_verifier\"");
        assertOAuthError(token(params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "code_verifier", PkceValues.VERIFIER.substring(0, 42))), 400, "invalid_request",
                "Invalid \"code_verifier\"");
        assertOAuthError(token(params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "code_verifier", "a".repeat(129))), 400, "invalid_request", "Invalid \"code_verifier\"");
    }

    @Test
    void tokenWhenPublicClientWithoutSecretUsesPkceThenExchanged() {
        try (DiscordEmulator pub = DiscordEmulator.builder().demoData(appBuilder().publicClient(true).build()).start()) {
            HttpResponse<String> response = postForm(pub.tokenUri(), params("grant_type", "authorization_code",
                    "code", pkceCode(pub), "redirect_uri", REDIRECT, "client_id", CLIENT_ID,
                    "code_verifier", PkceValues.VERIFIER));
            assertEquals(200, response.statusCode(), response.body());
            HttpResponse<String> refreshed = postForm(pub.tokenUri(), params("grant_type", "refresh_token",
                    "refresh_token", object(response).getString("refresh_token"), "client_id", CLIENT_ID));
            assertEquals(200, refreshed.statusCode(), "a public client refreshes without its secret");
        }
    }

    @Test
    void tokenWhenPublicClientWithoutSecretAndWithoutPkceThenInvalidClient() {
        try (DiscordEmulator pub = DiscordEmulator.builder().demoData(appBuilder().publicClient(true).build()).start()) {
            HttpResponse<String> response = postForm(pub.tokenUri(), params("grant_type", "authorization_code",
                    "code", code(pub, NELLY, "identify"), "redirect_uri", REDIRECT, "client_id", CLIENT_ID));
            assertOAuthError(response, 401, "invalid_client", null);
        }
    }

    @Test
    void tokenWhenConfidentialClientOmitsSecretEvenWithPkceThenInvalidClient() {
        HttpResponse<String> response = postForm(discord.tokenUri(), params("grant_type", "authorization_code",
                "code", pkceCode(discord), "redirect_uri", REDIRECT, "client_id", CLIENT_ID,
                "code_verifier", PkceValues.VERIFIER));
        assertOAuthError(response, 401, "invalid_client", null);
    }

    // ------------------------------------------------------------------------------ refresh_token

    @Test
    void refreshWhenValidThenNewPairAndOldRefreshAndAccessTokensStopWorking() {
        JsonObject first = tokens(discord, NELLY, "identify guilds");
        HttpResponse<String> response = token(params("grant_type", "refresh_token",
                "refresh_token", first.getString("refresh_token")));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject second = object(response);
        assertNotEquals(first.getString("access_token"), second.getString("access_token"));
        assertNotEquals(first.getString("refresh_token"), second.getString("refresh_token"));
        assertEquals(Set.of("identify", "guilds"), Set.of(second.getString("scope").split(" ")));
        assertEquals(200, meStatus(second.getString("access_token")));
        assertEquals(401, meStatus(first.getString("access_token")), "the old access token died");
        assertOAuthError(token(params("grant_type", "refresh_token", "refresh_token", first.getString("refresh_token"))),
                400, "invalid_grant", "Invalid \"refresh_token\" in request");
    }

    @Test
    void refreshWhenUnknownOrOtherApplicationsTokenThenInvalidGrant() {
        assertOAuthError(token(params("grant_type", "refresh_token", "refresh_token", "D43f5y0ahjqew82jZ4NViEr2YafMKhue")),
                400, "invalid_grant", "Invalid \"refresh_token\" in request");
        EmulatedApplication other = EmulatedApplication.builder("200000000000000002").clientSecret("other")
                .redirectUri(REDIRECT).build();
        try (DiscordEmulator two = demo().application(other).start()) {
            String refresh = tokens(two, NELLY, "identify").getString("refresh_token");
            HttpResponse<String> response = postForm(two.tokenUri(), params("grant_type", "refresh_token",
                    "refresh_token", refresh), "Authorization", basic("200000000000000002", "other"));
            assertOAuthError(response, 400, "invalid_grant", "Invalid \"refresh_token\" in request");
        }
    }

    @Test
    void refreshWhenAccessTokenExpiredThenStillRefreshes() {
        JsonObject first = tokens(discord, NELLY, "identify");
        discord.advanceClock(Duration.ofDays(8));
        assertEquals(401, meStatus(first.getString("access_token")));
        HttpResponse<String> response = token(params("grant_type", "refresh_token",
                "refresh_token", first.getString("refresh_token")));
        assertEquals(200, response.statusCode());
        assertEquals(200, meStatus(object(response).getString("access_token")));
    }

    @Test
    void tokenWhenLifetimeConfiguredThenExpiresInAndExpiryFollowIt() {
        try (DiscordEmulator shortLived = demo().accessTokenLifetime(Duration.ofHours(1)).start()) {
            JsonObject tokens = tokens(shortLived, NELLY, "identify");
            assertEquals(3600, tokens.getInt("expires_in"));
            shortLived.advanceClock(Duration.ofMinutes(59));
            assertEquals(200, get(api(shortLived, "/users/@me"), "Authorization",
                    bearer(tokens.getString("access_token"))).statusCode());
            shortLived.advanceClock(Duration.ofMinutes(2));
            assertEquals(401, get(api(shortLived, "/users/@me"), "Authorization",
                    bearer(tokens.getString("access_token"))).statusCode());
        }
    }

    // ------------------------------------------------------------------------------ client_credentials

    @Test
    void clientCredentialsWhenValidThenOwnersTokenWithoutRefreshToken() {
        HttpResponse<String> response = token(params("grant_type", "client_credentials", "scope", "identify connections"));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject tokens = object(response);
        assertFalse(tokens.containsKey("refresh_token"));
        assertEquals(Set.of("identify", "connections"), Set.of(tokens.getString("scope").split(" ")));
        HttpResponse<String> me = get(api(discord, "/users/@me"), "Authorization",
                bearer(tokens.getString("access_token")));
        assertEquals(NELLY, object(me).getString("id"), "the first demo user owns the application by default");
    }

    @Test
    void clientCredentialsWhenOwnerConfiguredThenOwnersToken() {
        try (DiscordEmulator owned = DiscordEmulator.builder().demoData(appBuilder().ownerId(WUMPUS).build()).start()) {
            HttpResponse<String> response = postForm(owned.tokenUri(), params("grant_type", "client_credentials",
                    "scope", "identify"), "Authorization", basic(CLIENT_ID, SECRET));
            String token = object(response).getString("access_token");
            assertEquals(WUMPUS, object(get(api(owned, "/users/@me"), "Authorization", bearer(token))).getString("id"));
        }
    }

    @Test
    void clientCredentialsWhenTeamApplicationAsksBeyondIdentifyThenInvalidScope() {
        try (DiscordEmulator team = DiscordEmulator.builder().demoData(appBuilder().teamOwned(true).build()).start()) {
            HttpResponse<String> refused = postForm(team.tokenUri(), params("grant_type", "client_credentials",
                    "scope", "identify guilds"), "Authorization", basic(CLIENT_ID, SECRET));
            assertEquals(400, refused.statusCode());
            assertEquals("invalid_scope", object(refused).getString("error"));
            HttpResponse<String> allowed = postForm(team.tokenUri(), params("grant_type", "client_credentials",
                    "scope", "identify applications.commands.update"), "Authorization", basic(CLIENT_ID, SECRET));
            assertEquals(200, allowed.statusCode(), allowed.body());
        }
    }

    @Test
    void clientCredentialsWhenScopeMissingOrUnknownThenError() {
        assertEquals("invalid_request", object(token(params("grant_type", "client_credentials"))).getString("error"));
        assertEquals("invalid_scope", object(token(params("grant_type", "client_credentials", "scope", "nope")))
                .getString("error"));
    }

    // ------------------------------------------------------------------------------ revoke

    @Test
    void revokeWhenAccessTokenRevokedThenEveryTokenOfTheAuthorizationDies() {
        JsonObject first = tokens(discord, NELLY, "identify");
        JsonObject second = tokens(discord, NELLY, "identify guilds");
        JsonObject otherUser = tokens(discord, WUMPUS, "identify");
        HttpResponse<String> response = postForm(revokeUri(), params("token", first.getString("access_token"),
                "token_type_hint", "access_token"), "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, response.statusCode());
        assertEquals("{}", response.body());
        assertEquals(401, meStatus(first.getString("access_token")));
        assertEquals(401, meStatus(second.getString("access_token")), "the same user's other token too");
        assertOAuthError(token(params("grant_type", "refresh_token", "refresh_token", second.getString("refresh_token"))),
                400, "invalid_grant", "Invalid \"refresh_token\" in request");
        assertEquals(200, meStatus(otherUser.getString("access_token")), "another user's authorization stays");
        assertFalse(discord.isAuthorized(CLIENT_ID, NELLY));
        assertTrue(discord.isAuthorized(CLIENT_ID, WUMPUS));
    }

    @Test
    void revokeWhenRefreshTokenWithWrongHintThenAuthorizationStillRevoked() {
        JsonObject tokens = tokens(discord, NELLY, "identify");
        HttpResponse<String> response = postForm(revokeUri(), params("token", tokens.getString("refresh_token"),
                "token_type_hint", "access_token"), "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, response.statusCode());
        assertEquals(401, meStatus(tokens.getString("access_token")));
    }

    @Test
    void revokeWhenClientSecretInBodyThenAccepted() {
        JsonObject tokens = tokens(discord, NELLY, "identify");
        HttpResponse<String> response = postForm(revokeUri(), params("token", tokens.getString("access_token"),
                "client_id", CLIENT_ID, "client_secret", SECRET));
        assertEquals(200, response.statusCode());
        assertEquals(401, meStatus(tokens.getString("access_token")));
    }

    @Test
    void revokeWhenNoClientAuthenticationThenInvalidClientAndTokenStays() {
        JsonObject tokens = tokens(discord, NELLY, "identify");
        HttpResponse<String> response = postForm(revokeUri(), params("token", tokens.getString("access_token")));
        assertOAuthError(response, 401, "invalid_client", null);
        assertEquals(200, meStatus(tokens.getString("access_token")));
    }

    @Test
    void revokeWhenUnknownTokenThen200() {
        HttpResponse<String> response = postForm(revokeUri(), params("token", "not-a-token"),
                "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, response.statusCode());
        assertEquals("{}", response.body());
    }

    @Test
    void revokeWhenTokenFieldMissingThenInvalidRequest() {
        HttpResponse<String> response = postForm(revokeUri(), params("access_token", "x"),
                "Authorization", basic(CLIENT_ID, SECRET));
        assertOAuthError(response, 400, "invalid_request", null);
    }

    @Test
    void revokeWhenTokenOfAnotherApplicationThenNotRevoked() {
        EmulatedApplication other = EmulatedApplication.builder("200000000000000002").clientSecret("other")
                .redirectUri(REDIRECT).build();
        try (DiscordEmulator two = demo().application(other).start()) {
            String token = accessToken(two, NELLY, "identify");
            postForm(URI.create(two.apiBaseUri() + "/oauth2/token/revoke"), params("token", token),
                    "Authorization", basic("200000000000000002", "other"));
            assertEquals(200, get(api(two, "/users/@me"), "Authorization", bearer(token)).statusCode());
        }
    }
}
