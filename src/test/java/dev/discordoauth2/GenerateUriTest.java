package dev.discordoauth2;

import dev.discordoauth2.AuthorizeRequest.IntegrationType;
import dev.discordoauth2.AuthorizeRequest.Pkce;
import dev.discordoauth2.AuthorizeRequest.Prompt;
import dev.discordoauth2.AuthorizeRequest.ResponseType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code generate_uri} with Discord's spelling, pinned exactly. No network. */
class GenerateUriTest {
    private static final DiscordOAuth2Client CLIENT = DiscordOAuth2Client.builder().clientId("157730590492196864")
            .clientSecret("secret").redirectUri("https://nicememe.website").build();

    @AfterAll
    static void close() {
        CLIENT.close();
    }

    @Test
    void generateUriWhenDocumentedExampleThenSameUrl() {
        URI uri = CLIENT.generateUri(AuthorizeRequest.builder().scopes("identify", "guilds.join")
                .state("15773059ghq9183habn").prompt(Prompt.CONSENT).build());
        assertEquals("https://discord.com/oauth2/authorize?response_type=code&client_id=157730590492196864"
                + "&scope=identify%20guilds.join&state=15773059ghq9183habn&redirect_uri=https%3A%2F%2Fnicememe.website"
                + "&prompt=consent", uri.toString());
    }

    @Test
    void generateUriWhenEveryParameterThenDiscordSpelling() {
        Pkce pkce = Pkce.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        URI uri = CLIENT.generateUri(AuthorizeRequest.builder().scopes("bot", "applications.commands")
                .state("a b/c").skipPrompt(true).integrationType(IntegrationType.GUILD_INSTALL)
                .guildId("290926792226357250").disableGuildSelect(true).permissions(8).codeChallenge(pkce).build());
        assertEquals("https://discord.com/oauth2/authorize?response_type=code&client_id=157730590492196864"
                + "&scope=bot%20applications.commands&state=a%20b%2Fc&redirect_uri=https%3A%2F%2Fnicememe.website"
                + "&prompt=none&guild_id=290926792226357250&disable_guild_select=true&permissions=8&integration_type=0"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
                uri.toString());
    }

    @Test
    void generateUriWhenScopeMerelyStartsWithApplicationsCommandsThenNoIntegrationType() {
        assertThrows(IllegalStateException.class, () -> AuthorizeRequest.builder()
                .scopes("applications.commands.update").integrationType(IntegrationType.USER_INSTALL).build());
        URI uri = CLIENT.generateUri(AuthorizeRequest.builder().scopes("applications.commands.permissions.update")
                .build());
        assertFalse(uri.toString().contains("integration_type"));
    }

    @Test
    void generateUriWhenDisableGuildSelectFalseThenLowercaseFalse() {
        URI uri = CLIENT.generateUri(AuthorizeRequest.builder().scopes("bot").disableGuildSelect(false).build());
        assertTrue(uri.toString().contains("&disable_guild_select=false"));
    }

    @Test
    void generateUriWhenImplicitAndRedirectOverrideThenTokenAndOverride() {
        URI uri = CLIENT.generateUri(AuthorizeRequest.builder().scopes("identify").responseType(ResponseType.TOKEN)
                .redirectUri(URI.create("http://localhost:8080/cb")).build());
        assertEquals("https://discord.com/oauth2/authorize?response_type=token&client_id=157730590492196864"
                + "&scope=identify&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcb", uri.toString());
    }

    @Test
    void generateUriWhenStateHasReservedCharactersThenPercentEncoded() {
        URI uri = CLIENT.generateUri(AuthorizeRequest.builder().scopes("identify").state("{x}&y=z+é").build());
        assertTrue(uri.toString().contains("&state=%7Bx%7D%26y%3Dz%2B%C3%A9&"), uri.toString());
    }

    @Test
    void buildWhenDiscordWouldRefuseThenIllegalState() {
        assertThrows(IllegalStateException.class, () -> AuthorizeRequest.builder().build());
        assertThrows(IllegalStateException.class, () -> AuthorizeRequest.builder().scopes("role_connections.write")
                .responseType(ResponseType.TOKEN).build());
        assertThrows(IllegalStateException.class, () -> AuthorizeRequest.builder().scopes("role_connections.write")
                .codeChallenge(Pkce.generate()).build());
        assertThrows(IllegalStateException.class, () -> AuthorizeRequest.builder().scopes("identify")
                .responseType(ResponseType.TOKEN).codeChallenge(Pkce.generate()).build());
        assertThrows(IllegalArgumentException.class, () -> AuthorizeRequest.builder().scopes("identify email"));
        assertThrows(IllegalArgumentException.class, () -> AuthorizeRequest.builder().guildId("abc"));
    }
}
