package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.AuthorizeRequest.Pkce;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.emulator.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token grants and revocation against the emulator, with what went on the wire checked in its journal. */
class TokenGrantsTest {
    private DiscordEmulator discord;
    private DiscordOAuth2Client client;

    @BeforeEach
    void start() {
        discord = emulator().autoApprove(NELLY).start();
        client = client(discord).build();
    }

    @AfterEach
    void stop() {
        client.close();
        discord.close();
    }

    private RecordedRequest lastTokenRequest() {
        List<RecordedRequest> requests = discord.journal("POST /oauth2/token");
        return requests.get(requests.size() - 1);
    }

    @Test
    void exchangeCodeWhenBotAuthorizationThenEmulatorsV10GuildMapped() {
        AuthorizeRequest request = AuthorizeRequest.builder().scopes("bot", "identify").guildId(TESTERS)
                .permissions(1).disableGuildSelect(true).build();
        AccessToken token = client.exchangeCode(code(discord, client, request));

        var guild = token.guild().orElseThrow();
        assertEquals(TESTERS, guild.id());
        assertEquals(NELLY, guild.ownerId());
        assertEquals("@everyone", guild.roles().get(0).name());
        assertEquals(TESTERS, guild.roles().get(0).id());
        assertEquals(Optional.of("en-US"), guild.preferredLocale());
    }

    @Test
    void exchangeCodeWhenValidThenTokenAndBasicAuthFormAndDiscordBotUserAgentOnTheWire() {
        AccessToken token = login(discord, client, "identify", "email");
        assertEquals("Bearer", token.tokenType());
        assertEquals(Duration.ofDays(7), token.expiresIn());
        assertEquals(Set.of("identify", "email"), token.scopes());
        assertTrue(token.refreshToken().isPresent());
        assertEquals(NELLY, token.fetchIdentify().id());

        RecordedRequest sent = lastTokenRequest();
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + SECRET)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of(basic), sent.header("Authorization"));
        assertTrue(sent.header("Content-Type").orElseThrow().startsWith("application/x-www-form-urlencoded"));
        assertEquals(Optional.of("authorization_code"), sent.formParam("grant_type"));
        assertEquals(Optional.of(REDIRECT), sent.formParam("redirect_uri"));
        assertFalse(sent.formParams().containsKey("client_secret"), "the secret travels only in the Basic header");
        assertEquals(Optional.of("DiscordBot (" + DiscordOAuth2Client.PROJECT_URL + ", " + DiscordOAuth2Client.VERSION
                + ")"), sent.header("User-Agent"));
    }

    @Test
    void exchangeCodeWhenPkceThenVerifierSentAndAccepted() {
        Pkce pkce = Pkce.generate();
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").codeChallenge(pkce).build());
        AccessToken token = client.exchangeCode(code, pkce.verifier());
        assertEquals(NELLY, token.fetchIdentify().id());
        assertEquals(Optional.of(pkce.verifier()), lastTokenRequest().formParam("code_verifier"));
    }

    @Test
    void exchangeCodeWhenPkceVerifierWrongThenHttpExceptionInvalidRequest() {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify")
                .codeChallenge(Pkce.generate()).build());
        HttpException e = assertThrows(HttpException.class, () -> client.exchangeCode(code, Pkce.generate().verifier()));
        assertEquals(400, e.status());
        assertEquals(Optional.of("invalid_request"), e.error());
        assertEquals(Optional.of("Invalid \"code_verifier\""), e.errorDescription());
    }

    @Test
    void exchangeCodeWhenPublicClientWithoutSecretThenClientIdInBodyAndNoBasicAuth() {
        try (DiscordEmulator pub = DiscordEmulator.builder().demoData(app().publicClient(true).build())
                .autoApprove(NELLY).start();
             DiscordOAuth2Client publicClient = DiscordOAuth2Client.builder().clientId(CLIENT_ID).redirectUri(REDIRECT)
                     .apiBaseUri(pub.apiBaseUri()).authorizeUri(pub.authorizeUri()).build()) {
            Pkce pkce = Pkce.generate();
            String code = code(pub, publicClient, AuthorizeRequest.builder().scopes("identify").codeChallenge(pkce)
                    .build());
            AccessToken token = publicClient.exchangeCode(code, pkce.verifier());
            assertEquals(NELLY, token.fetchIdentify().id());
            RecordedRequest sent = pub.journal("POST /oauth2/token").get(0);
            assertEquals(Optional.empty(), sent.header("Authorization"));
            assertEquals(Optional.of(CLIENT_ID), sent.formParam("client_id"));
            assertThrows(IllegalStateException.class, () -> publicClient.clientCredentialsGrant(List.of("identify")));
        }
    }

    @Test
    void exchangeCodeWhenCodeUsedTwiceThenInvalidGrantException() {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").build());
        client.exchangeCode(code);
        InvalidGrantException e = assertThrows(InvalidGrantException.class, () -> client.exchangeCode(code));
        assertEquals(Optional.of("Invalid \"code\" in request."), e.errorDescription());
        assertFalse(e.getMessage().contains(code), "no code in messages");
    }

    @Test
    void exchangeCodeWhenCodeExpiredThenInvalidGrantException() {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").build());
        discord.advanceClock(Duration.ofSeconds(101));
        assertThrows(InvalidGrantException.class, () -> client.exchangeCode(code));
    }

    @Test
    void exchangeCodeWhenSecretWrongThenForbidden401InvalidClient() {
        try (DiscordOAuth2Client wrong = client(discord).clientSecret("not-the-secret").build()) {
            String code = code(discord, wrong, AuthorizeRequest.builder().scopes("identify").build());
            ForbiddenException e = assertThrows(ForbiddenException.class, () -> wrong.exchangeCode(code));
            assertEquals(401, e.status());
            assertEquals(Optional.of("invalid_client"), e.error());
            assertFalse(e.getMessage().contains("not-the-secret"));
        }
    }

    @Test
    void exchangeCodeWhenTokenEndpointAnswers503ThenNotRetried() {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").build());
        discord.injectFault("POST /oauth2/token", Fault.status(503, "{\"message\": \"503: Service Unavailable\", "
                + "\"code\": 0}"));
        HttpException e = assertThrows(HttpException.class, () -> client.exchangeCode(code));
        assertEquals(503, e.status());
        assertEquals(1, discord.journal("POST /oauth2/token").size(), "token grants are never retried");
    }

    @Test
    void exchangeCodeWhenAnswerIsMalformedJsonThenDiscordExceptionWithoutBody() {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").build());
        discord.injectFault("POST /oauth2/token", Fault.malformedJson());
        DiscordException e = assertThrows(DiscordException.class, () -> client.exchangeCode(code));
        assertEquals(DiscordException.class, e.getClass());
        assertEquals("POST /oauth2/token: Discord's answer is not the expected JSON", e.getMessage());
    }

    @Test
    void exchangeCodeWhenNoRedirectUriConfiguredThenClearError() {
        try (DiscordOAuth2Client noRedirect = DiscordOAuth2Client.builder().clientId(CLIENT_ID).clientSecret(SECRET)
                .apiBaseUri(discord.apiBaseUri()).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> noRedirect.exchangeCode("abc"));
            assertTrue(e.getMessage().contains("redirect URI"));
        }
    }

    @Test
    void refreshTokenWhenValidThenRotatedAndOldPairDead() {
        AccessToken first = login(discord, client, "identify");
        AccessToken second = client.refreshToken(first.refreshToken().orElseThrow());
        assertNotEquals(first.token(), second.token());
        assertNotEquals(first.refreshToken(), second.refreshToken());
        assertEquals(NELLY, second.fetchIdentify().id());
        assertInstanceOf(ForbiddenException.class, assertThrows(HttpException.class, first::fetchIdentify));
        assertThrows(InvalidGrantException.class, () -> client.refreshToken(first.refreshToken().orElseThrow()));
        assertEquals(Optional.of("refresh_token"), lastTokenRequest().formParam("grant_type"));
    }

    @Test
    void refreshWhenAccessTokenHasNoRefreshTokenThenIllegalState() {
        AccessToken owner = client.clientCredentialsGrant(List.of("identify"));
        assertThrows(IllegalStateException.class, owner::refresh);
        assertThrows(IllegalStateException.class, owner::revokeRefreshToken);
    }

    @Test
    void clientCredentialsGrantWhenValidThenOwnersTokenWithoutRefreshToken() {
        AccessToken token = client.clientCredentialsGrant(List.of("identify", "connections"));
        assertEquals(Optional.empty(), token.refreshToken());
        assertEquals(Set.of("identify", "connections"), token.scopes());
        assertEquals(NELLY, token.fetchIdentify().id());
        RecordedRequest sent = lastTokenRequest();
        assertEquals(Optional.of("client_credentials"), sent.formParam("grant_type"));
        assertEquals(Optional.of("identify connections"), sent.formParam("scope"));
        assertTrue(sent.header("Authorization").orElseThrow().startsWith("Basic "));
    }

    @Test
    void clientCredentialsGrantWhenTeamAppAsksForGuildsThenHttpExceptionInvalidScope() {
        try (DiscordEmulator team = DiscordEmulator.builder().demoData(app().teamOwned(true).build()).start();
             DiscordOAuth2Client teamClient = client(team).build()) {
            HttpException e = assertThrows(HttpException.class,
                    () -> teamClient.clientCredentialsGrant(List.of("identify", "guilds")));
            assertEquals(Optional.of("invalid_scope"), e.error());
        }
    }

    @Test
    void revokeTokenWhenAccessTokenThenWholeAuthorizationRevoked() {
        AccessToken first = login(discord, client, "identify");
        AccessToken second = login(discord, client, "identify", "guilds");
        first.revoke();
        assertThrows(ForbiddenException.class, second::fetchIdentify);
        assertThrows(InvalidGrantException.class, () -> client.refreshToken(second.refreshToken().orElseThrow()));
        RecordedRequest sent = discord.journal("POST /oauth2/token/revoke").get(0);
        assertEquals(Optional.of("access_token"), sent.formParam("token_type_hint"));
        assertTrue(sent.header("Authorization").orElseThrow().startsWith("Basic "));
        assertFalse(discord.isAuthorized(CLIENT_ID, NELLY));
    }

    @Test
    void revokeRefreshTokenWhenCalledThenAccessTokenDiesToo() {
        AccessToken token = login(discord, client, "identify");
        token.revokeRefreshToken();
        assertThrows(ForbiddenException.class, token::fetchIdentify);
        assertEquals(Optional.of("refresh_token"),
                discord.journal("POST /oauth2/token/revoke").get(0).formParam("token_type_hint"));
    }

    @Test
    void revokeTokenWhenNoHintThenNoHintSent() {
        AccessToken token = login(discord, client, "identify");
        client.revokeToken(token.token());
        assertFalse(discord.journal("POST /oauth2/token/revoke").get(0).formParams().containsKey("token_type_hint"));
        assertThrows(ForbiddenException.class, token::fetchIdentify);
    }

    @Test
    void revokeTokenWhenServerFailsOnceThenRetried() {
        AccessToken token = login(discord, client, "identify");
        discord.injectFault("POST /oauth2/token/revoke", Fault.status(502, "{\"message\": \"502\", \"code\": 0}"));
        client.revokeToken(token.token());
        assertEquals(2, discord.journal("POST /oauth2/token/revoke").size());
        assertThrows(ForbiddenException.class, token::fetchIdentify);
    }

    @Test
    void asyncWhenExchangeAndFetchThenStagesComplete() throws Exception {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").build());
        AccessToken token = client.async().exchangeCode(code).toCompletableFuture().get();
        assertEquals(NELLY, client.async().fetchIdentify(token).toCompletableFuture().get().id());
        client.async().revoke(token).toCompletableFuture().get();
        var failed = client.async().fetchIdentify(token).toCompletableFuture();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, failed::get);
        assertInstanceOf(ForbiddenException.class, e.getCause());
    }
}
