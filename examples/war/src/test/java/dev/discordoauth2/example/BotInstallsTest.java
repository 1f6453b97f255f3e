package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.model.Guild;
import dev.discordoauth2.web.DiscordBotAddedEvent;
import dev.discordoauth2.web.DiscordPrincipal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the home page lists under "Bot added to": the library's {@link DiscordBotAddedEvent}s as {@link BotInstalls}
 * keeps them (the last few, newest first), and the list's HTML with every name escaped.
 */
class BotInstallsTest {
    private static Guild guild(String id, String name) {
        return new Guild(id, name, null, null, null, "80351110224678912", null, null, null, 0, 0, 0);
    }

    @Test
    void addedWhenEventsThenNewestFirstAndOnlyTheLastFew() {
        BotInstalls installs = new BotInstalls();
        DiscordPrincipal nelly = new DiscordPrincipal("80351110224678912", "nelly", "Nelly", null, null, null);
        installs.added(new DiscordBotAddedEvent(guild("197038439483310086", "Discord Testers"), 2048, Set.of("bot"),
                null));
        installs.added(new DiscordBotAddedEvent(guild("300000000000000001", "Second"), 0, Set.of("bot", "identify"),
                nelly));
        assertEquals(List.of(new BotInstalls.Install("Second", "300000000000000001", 0, "Nelly"),
                new BotInstalls.Install("Discord Testers", "197038439483310086", 2048, null)), installs.recent());
        for (int i = 0; i < BotInstalls.KEPT; i++) {
            installs.added(new DiscordBotAddedEvent(guild("30000000000000001" + i, "Guild " + i), 0, Set.of("bot"),
                    null));
        }
        assertEquals(BotInstalls.KEPT, installs.recent().size());
        assertEquals("Guild " + (BotInstalls.KEPT - 1), installs.recent().get(0).guildName());
    }

    @Test
    void botWhenInstallsThenLinkAndListEscaped() {
        String html = HomeServlet.bot("/app", List.of(
                new BotInstalls.Install("<b>Evil</b> & co", "300000000000000001", 2048, "Nelly \"N\"")));
        assertTrue(html.contains("id=\"add-to-server\"\nhref=\"/app/discord/add-to-server\""), html);
        assertTrue(html.contains("<li>&lt;b&gt;Evil&lt;/b&gt; &amp; co <span class=\"muted\">id 300000000000000001 · "
                + "permissions 2048 · by Nelly &quot;N&quot;</span></li>"), html);
        assertTrue(HomeServlet.bot("", List.of()).contains("<ul class=\"stored\" id=\"bot-installs\"><li "
                + "class=\"muted\">no server yet</li></ul>"), "none yet");
    }
}
