package dev.discordoauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.EmulatedMetadataField;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A {@link DiscordEmulator} with the demo data set and a {@link DiscordOAuth2Client} pointed at it; codes come from the
 * emulator's real authorize endpoint (auto-approved as a chosen user).
 */
final class ClientFixture {
    static final String CLIENT_ID = "100000000000000001";
    static final String SECRET = "fixture-client-secret";
    static final String BOT_TOKEN = "fixture-bot-token";
    static final String REDIRECT = "https://app.example/oauth2/callback";
    static final String NELLY = "80351110224678912";
    static final String WUMPUS = "268473310986240001";
    static final String CLYDE = "613425648685547541";
    static final String TESTERS = "197038439483310086";
    static final String FAN_CLUB = "290926792226357250";
    static final String API_GUILD = "81384788765712384";

    /** The user's browser at the authorize URL (the test kit's; the emulator's auto-approve sets no cookie). */
    private static final TestBrowser BROWSER = new TestBrowser();

    private ClientFixture() {
    }

    static EmulatedApplication.Builder app() {
        return EmulatedApplication.builder(CLIENT_ID).name("Fixture App").clientSecret(SECRET).redirectUri(REDIRECT)
                .botToken(BOT_TOKEN)
                .roleConnectionMetadata(new EmulatedMetadataField(2, "level", "Level", "Level on the platform"))
                .roleConnectionMetadata(new EmulatedMetadataField(7, "supporter", "Supporter", "Supports us"))
                .roleConnectionMetadata(new EmulatedMetadataField(6, "since", "Member since", "Days since joining"));
    }

    static DiscordEmulator.Builder emulator() {
        return DiscordEmulator.builder().demoData(app().build());
    }

    static DiscordOAuth2Client.Builder client(DiscordEmulator discord) {
        return DiscordOAuth2Client.builder().clientId(CLIENT_ID).clientSecret(SECRET).redirectUri(REDIRECT)
                .botToken(BOT_TOKEN).apiBaseUri(discord.apiBaseUri()).authorizeUri(discord.authorizeUri())
                .retryBackoff(Duration.ofMillis(20));
    }

    /** Follows the client's authorize URL on the emulator (started with autoApprove) and returns the code. */
    static String code(DiscordEmulator discord, DiscordOAuth2Client client, AuthorizeRequest request) {
        HttpResponse<String> response = BROWSER.get(client.generateUri(request).toString());
        assertEquals(302, response.statusCode());
        String code = TestBrowser.query(TestBrowser.location(response)).get("code");
        if (code == null) {
            throw new AssertionError("no code in " + TestBrowser.location(response));
        }
        return code;
    }

    static AccessToken login(DiscordEmulator discord, DiscordOAuth2Client client, String... scopes) {
        return client.exchangeCode(code(discord, client, AuthorizeRequest.builder().scopes(scopes).build()));
    }
}
