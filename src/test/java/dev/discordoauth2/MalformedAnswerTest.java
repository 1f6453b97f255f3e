package dev.discordoauth2;

import dev.discordoauth2.PartialAccessToken.JoinGuildResult;
import dev.discordoauth2.Wire.TokenResponse;
import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.model.AuthorizationInfo;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.User;
import java.time.OffsetDateTime;
import java.util.List;
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
 * body or a token. An optional nested object that does not fit (Discord's documented member with {@code "user": {}})
 * is left out instead, and the call succeeds.
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
    void fetchGuildMemberWhenDocumentedExampleWithEmptyUserThenMemberWithUserAbsent() {
        AccessToken token = login(discord, client, "guilds.members.read");
        discord.injectFault("GET /users/@me/guilds/{guild.id}/member",
                Fault.status(200, Fixtures.read("guild-member-example.json")));
        Guild.Member member = token.fetchGuildMember(TESTERS);
        assertEquals(Optional.empty(), member.user());
        assertEquals(Optional.of("NOT API SUPPORT"), member.nick());
        assertEquals(List.of(), member.roles());
        assertEquals(OffsetDateTime.parse("2015-04-26T06:26:56.936Z"), member.joinedAt().orElseThrow());
        assertFalse(member.deaf());
        assertFalse(member.mute());
    }

    @Test
    void joinGuildWhenCreatedWithDocumentedExampleWithEmptyUserThenAddedWithUserAbsent() {
        try (DiscordEmulator wumpus = emulator().autoApprove(WUMPUS).start();
             DiscordOAuth2Client c = client(wumpus).build()) {
            AccessToken token = login(wumpus, c, "identify", "guilds.join");
            String member = Fixtures.read("guild-member-example.json").replace("\"roles\": []",
                    "\"roles\": [\"197038439483310087\"]");
            wumpus.injectFault("PUT /guilds/{guild.id}/members/{user.id}", Fault.status(201, member));
            JoinGuildResult.Added added = assertInstanceOf(JoinGuildResult.Added.class,
                    token.joinGuild(TESTERS, WUMPUS));
            assertTrue(added.added());
            assertEquals(Optional.empty(), added.member().user());
            assertEquals(Optional.of("NOT API SUPPORT"), added.member().nick());
            assertEquals(List.of("197038439483310087"), added.member().roles());
            assertEquals(OffsetDateTime.parse("2015-04-26T06:26:56.936Z"), added.member().joinedAt().orElseThrow());
            assertEquals(1, wumpus.journal("PUT /guilds/{guild.id}/members/{user.id}").size(), "sent once");
        }
    }

    @Test
    void fetchAuthorizationInfoWhenUserLacksIdThenInfoWithUserAbsent() {
        AccessToken token = login(discord, client, "identify");
        discord.injectFault("GET /oauth2/@me", Fault.status(200,
                Fixtures.read("oauth2-me.json").replace("\"id\": \"268473310986240001\",", "")));
        AuthorizationInfo info = token.fetchAuthorizationInfo();
        assertEquals(Optional.empty(), info.user());
        assertEquals("159799960412356608", info.application().id());
    }

    @Test
    void userConstructorWhenIdMissingThenInvalidWireObjectExceptionNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new User(null, "nelly",
                "0", Optional.empty(), Optional.empty(), false, false, false, Optional.empty(), OptionalInt.empty(),
                Optional.empty(), 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals("not a valid user: id is missing", e.getMessage());
        assertEquals("InvalidWireObjectException", e.getClass().getSimpleName());
    }

    @Test
    void tokenResponseConstructorWhenExpiresInNegativeThenRefusedWithoutTheToken() {
        TokenResponse.Invalid e = assertThrows(TokenResponse.Invalid.class, () -> new TokenResponse(
                SECRET_TOKEN, "Bearer", -5L, null, "identify", null, null, null));
        assertFalse(e.getMessage().contains(SECRET_TOKEN));
        assertFalse(e.getMessage().contains("-5"), "no value in the message");
    }
}
