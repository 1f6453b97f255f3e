package dev.discordoauth2;

import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.model.InvalidWireObjectException;
import dev.discordoauth2.model.TokenResponse;
import dev.discordoauth2.model.User;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Answers from Discord that are valid JSON but not valid objects: each is a {@link DiscordException} naming the route,
 * the field and the rule, never a {@code DateTimeException} or a {@code NullPointerException} later, and never the
 * body or a token.
 */
class MalformedAnswerTest {
    private static final String TOKEN = "POST /oauth2/token";
    private static final String ME = "GET /users/@me";
    private static final String SECRET_TOKEN = "answer-access-token-secret";
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

    private static String tokenBody(String tokenType, String expiresIn) {
        return "{\"access_token\": \"" + SECRET_TOKEN + "\", " + (tokenType == null ? "" : "\"token_type\": "
                + tokenType + ", ") + (expiresIn == null ? "" : "\"expires_in\": " + expiresIn + ", ")
                + "\"refresh_token\": \"answer-refresh-token-secret\", \"scope\": \"identify\"}";
    }

    private DiscordException exchangeWithAnswer(String body) {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").build());
        discord.injectFault(TOKEN, Fault.status(200, body));
        DiscordException e = assertThrows(DiscordException.class, () -> client.exchangeCode(code));
        assertEquals(DiscordException.class, e.getClass());
        assertFalse(e.getMessage().contains(SECRET_TOKEN), e.getMessage());
        assertFalse(e.getMessage().contains("answer-refresh-token-secret"), e.getMessage());
        return e;
    }

    @ParameterizedTest
    @CsvSource({"99999999999999999", "-1", "315360001"})
    void exchangeCodeWhenExpiresInOutOfRangeThenDiscordExceptionNamingExpiresIn(String expiresIn) {
        assertEquals("POST /oauth2/token: Discord's answer is not a valid token response: expires_in must be between "
                + "0 and 315360000 seconds (10 years)", exchangeWithAnswer(tokenBody("\"Bearer\"", expiresIn))
                .getMessage());
    }

    @Test
    void exchangeCodeWhenExpiresInMissingThenDiscordExceptionNamingExpiresIn() {
        assertEquals("POST /oauth2/token: Discord's answer is not a valid token response: expires_in is missing",
                exchangeWithAnswer(tokenBody("\"Bearer\"", null)).getMessage());
    }

    @Test
    void exchangeCodeWhenExpiresInNotANumberThenDiscordExceptionWithoutBody() {
        assertEquals("POST /oauth2/token: Discord's answer is not the expected JSON",
                exchangeWithAnswer(tokenBody("\"Bearer\"", "\"a week\"")).getMessage());
    }

    @Test
    void exchangeCodeWhenTokenTypeNotBearerThenDiscordExceptionNamingTokenType() {
        assertEquals("POST /oauth2/token: Discord's answer is not a valid token response: token_type must be Bearer",
                exchangeWithAnswer(tokenBody("\"mac\"", "604800")).getMessage());
    }

    @Test
    void exchangeCodeWhenTokenTypeLowerCaseBearerThenAccepted() {
        String code = code(discord, client, AuthorizeRequest.builder().scopes("identify").build());
        discord.injectFault(TOKEN, Fault.status(200, tokenBody("\"bearer\"", "604800")));
        assertEquals(SECRET_TOKEN, client.exchangeCode(code).token());
    }

    @Test
    void exchangeCodeWhenAccessTokenMissingThenDiscordExceptionNamingAccessToken() {
        assertEquals("POST /oauth2/token: Discord's answer is not a valid token response: access_token is missing",
                exchangeWithAnswer("{\"token_type\": \"Bearer\", \"expires_in\": 604800}").getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|id is missing",
            "{\"id\": null, \"username\": \"nelly\"}|id is missing",
            "{\"id\": \"80351110224678912\", \"username\": null}|username is missing",
            "{\"id\": \"80351110224678912\"}|username is missing",
            "{\"id\": \"not-a-snowflake\", \"username\": \"nelly\"}|id must be a snowflake (an unsigned 64-bit integer)",
            "{\"id\": \"99999999999999999999\", \"username\": \"nelly\"}|id must be a snowflake (an unsigned 64-bit integer)",
            "{\"id\": \"80351110224678912\", \"username\": \"nelly\", \"discriminator\": \"x\"}|discriminator must be 1-4 digits"})
    void fetchIdentifyWhenUserInvalidThenDiscordExceptionNamingTheField(String body, String reason) {
        AccessToken token = login(discord, client, "identify");
        discord.injectFault(ME, Fault.status(200, body));
        DiscordException e = assertThrows(DiscordException.class, token::fetchIdentify);
        assertEquals(DiscordException.class, e.getClass());
        assertEquals("GET /users/@me: Discord's answer is not a valid user: " + reason, e.getMessage());
        assertFalse(e.getMessage().contains("not-a-snowflake"), "no value of the body");
    }

    @Test
    void fetchIdentifyWhenAnswerIsJsonNullThenDiscordException() {
        AccessToken token = login(discord, client, "identify");
        discord.injectFault(ME, Fault.status(200, "null"));
        assertEquals("GET /users/@me: Discord's answer is null, not the expected JSON",
                assertThrows(DiscordException.class, token::fetchIdentify).getMessage());
    }

    @Test
    void fetchGuildsWhenGuildWithoutIdThenDiscordExceptionNamingTheField() {
        AccessToken token = login(discord, client, "identify", "guilds");
        discord.injectFault("GET /users/@me/guilds", Fault.status(200, "[{\"name\": \"A guild\", \"permissions\": \"8\"}]"));
        assertEquals("GET /users/@me/guilds: Discord's answer is not a valid guild: id is missing",
                assertThrows(DiscordException.class, token::fetchGuilds).getMessage());
    }

    @Test
    void fetchGuildsWhenNullElementThenDiscordException() {
        AccessToken token = login(discord, client, "identify", "guilds");
        discord.injectFault("GET /users/@me/guilds", Fault.status(200, "[null]"));
        assertEquals("GET /users/@me/guilds: Discord's answer has a null element in a list",
                assertThrows(DiscordException.class, token::fetchGuilds).getMessage());
    }

    @Test
    void userConstructorWhenIdMissingThenInvalidWireObjectExceptionNamingTheField() {
        InvalidWireObjectException e = assertThrows(InvalidWireObjectException.class, () -> new User(null, "nelly",
                "0", Optional.empty(), Optional.empty(), false, false, false, Optional.empty(), OptionalInt.empty(),
                Optional.empty(), 0, 0, 0, Optional.empty(), Optional.empty()));
        assertEquals("not a valid user: id is missing", e.getMessage());
    }

    @Test
    void tokenResponseConstructorWhenExpiresInNegativeThenRefusedWithoutTheToken() {
        InvalidWireObjectException e = assertThrows(InvalidWireObjectException.class, () -> new TokenResponse(
                SECRET_TOKEN, "Bearer", -5L, null, "identify", null, null, null));
        assertFalse(e.getMessage().contains(SECRET_TOKEN));
        assertFalse(e.getMessage().contains("-5"), "no value in the message");
    }
}
