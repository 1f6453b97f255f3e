package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.DiscordCdn;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.web.DiscordPrincipal;
import dev.discordoauth2.testkit.DiscordTestLogin;
import dev.discordoauth2.testkit.TestRequest;
import dev.discordoauth2.testkit.TestResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The profile page when the login ended between the filter and the page (a logout in another tab, a revocation
 * decided by another request): it starts the login again instead of answering 500. The request (a user as the filter
 * hands it on, in an application with no login runtime, so no token) and the response come from the library's test
 * kit; the rest of the flow is covered by BrowserLoginIT and ClusterIT. And the page's pictures: the user's avatar
 * and the guild icons are {@code <img>}s of the login client's CDN, the emulator's in the offline demo; a guild the
 * user owns or manages has a link adding the bot to it.
 */
class ProfileServletTest {
    private static final String CLIENT_ID = "1100000000000000001";
    private static final String SECRET = "profile-test-secret";
    private static final String REDIRECT = "http://localhost:8080/oauth2/callback";

    @Test
    void doGetWhenTokenGoneAfterTheFilterThenLoginAgainNot500() throws Exception {
        DiscordPrincipal nelly = new DiscordPrincipal("80351110224678912", "nelly", "Nelly", null, null, null);
        HttpServletRequest request = DiscordTestLogin.as(nelly)
                .onto(TestRequest.get("/profile").contextPath("/app").build());
        TestResponse response = new TestResponse();
        new ProfileServlet().doGet(request, response);
        assertEquals("/app/oauth2/login?return=%2Fprofile", response.redirectedTo());
    }

    @Test
    void avatarWhenUserHasAnAnimatedAvatarOrNoneThenImgOfTheCdn() {
        HttpServletRequest request = TestRequest.get("/profile").contextPath("/app").build();
        DiscordPrincipal wumpus = new DiscordPrincipal("268473310986240001", "wumpus", "Wumpus",
                "a_1269e74af4df7417b13759eae50c83dc", null, null);
        assertEquals("<img class=\"avatar large\" id=\"avatar\" alt=\"\" src=\"https://cdn.discordapp.com/avatars/"
                + "268473310986240001/a_1269e74af4df7417b13759eae50c83dc.webp?size=256&amp;animated=true\">",
                Page.avatar(request, wumpus, "large"), "no login runs here: Discord's CDN");
        DiscordPrincipal clyde = new DiscordPrincipal("613425648685547541", "clyde", null, null, null, null);
        assertEquals("<img class=\"avatar small\" alt=\"\" src=\"https://cdn.discordapp.com/embed/avatars/2.png\">",
                Page.avatar(request, clyde, "small"), "the default avatar: (613425648685547541 >> 22) % 6 = 2");
    }

    @Test
    void guildItemsWhenDemoGuildsThenIconsFromTheEmulatorsCdnAndInitialsWithout() throws Exception {
        try (DiscordEmulator discord = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID)
                .clientSecret(SECRET).redirectUri(REDIRECT).build()).start();
                DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId(CLIENT_ID).clientSecret(SECRET)
                        .apiBaseUri(discord.apiBaseUri()).cdnBaseUri(discord.cdnBaseUri()).build()) {
            DiscordTestLogin nelly = DiscordTestLogin.fromEmulator(discord, CLIENT_ID, SECRET, REDIRECT,
                    "80351110224678912", "identify", "guilds");
            List<PartialGuild> guilds = client.fromAccessToken(nelly.tokens().accessToken()).fetchGuilds();
            String html = ProfileServlet.guildItems(guilds, client.cdn(), "/app");
            String testers = discord.cdnBaseUri() + "/icons/197038439483310086/f64c482b807da4f539cff778d174971c.png"
                    + "?size=64";
            assertTrue(html.contains("<li class=\"guild\"><img class=\"avatar small\" alt=\"\" src=\"" + testers
                    + "\">Discord Testers <span class=\"tag\">owner</span> <a class=\"tag\" "
                    + "id=\"add-bot-197038439483310086\" href=\"/app/discord/add-to-server?guild_id=197038439483310086"
                    + "&amp;disable_guild_select=true\">add the bot</a></li>"), "the owner may add the bot: " + html);
            assertTrue(html.contains("/icons/81384788765712384/a_bb42bdc37653b7cf58c4c8cc622e76cb.webp?size=64"
                    + "&amp;animated=true\">Discord API</li>"), "the animated icon, no link (nelly does not manage it): "
                    + html);
            assertTrue(html.contains("<span class=\"avatar small\">E</span>Emulator Lounge"), "no icon: " + html);
            HttpResponse<byte[]> icon = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(testers))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, icon.statusCode());
            assertEquals("image/png", icon.headers().firstValue("Content-Type").orElse(null));
        }
    }

    @Test
    void guildItemsWhenOwnedOrManagedThenAddTheBotLinkFixedToThatGuildOnly() {
        PartialGuild managed = new PartialGuild("300000000000000001", "Managed", null, null, false,
                String.valueOf(ProfileServlet.MANAGE_GUILD), null, null, null);
        PartialGuild admin = new PartialGuild("300000000000000002", "Admin", null, null, false, String.valueOf(1L << 3),
                null, null, null);
        PartialGuild member = new PartialGuild("300000000000000003", "Member", null, null, false, "1024", null, null,
                null);
        String html = ProfileServlet.guildItems(List.of(managed, admin, member), DiscordCdn.discord(), "");
        assertTrue(html.contains("Managed <a class=\"tag\" id=\"add-bot-300000000000000001\" href=\"/discord/"
                + "add-to-server?guild_id=300000000000000001&amp;disable_guild_select=true\">add the bot</a></li>"), html);
        assertTrue(html.contains("id=\"add-bot-300000000000000002\""), "ADMINISTRATOR implies MANAGE_GUILD: " + html);
        assertTrue(html.contains("</span>Member</li>"), "a plain member may not add a bot: " + html);
    }
}
