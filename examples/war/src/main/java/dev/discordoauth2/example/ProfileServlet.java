package dev.discordoauth2.example;

import dev.discordoauth2.DiscordCdn;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.ForbiddenException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The protected profile: avatar, display name, id, application roles and guilds of the logged-in user, with a link
 * adding the bot to each guild they own or manage.
 */
@WebServlet("/profile")
public class ProfileServlet extends HttpServlet {
    /** Discord's MANAGE_GUILD permission: with it (or as the owner) a user may add a bot to the guild. */
    static final long MANAGE_GUILD = 1L << 5;
    /** The library's two built-in roles, then those of {@code discord.roles} and {@code discord.guild-roles}. */
    private List<String> knownRoles = List.of();

    @Override
    public void init() {
        List<String> roles = new ArrayList<>(List.of("discord-user", "discord-verified"));
        DiscordConfig config = DiscordConfig.load(null, getServletContext()::getInitParameter);
        roles.addAll(config.roles().keySet());
        roles.addAll(config.guildRoleNames());
        knownRoles = List.copyOf(roles);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DiscordPrincipal user = (DiscordPrincipal) request.getUserPrincipal();
        Optional<PartialAccessToken> token = DiscordAuth.accessToken(request);
        if (token.isEmpty()) {
            // the login ended between the filter and this page (a logout in another tab): start it again
            response.sendRedirect(request.getContextPath() + "/oauth2/login?return=%2Fprofile");
            return;
        }
        StringBuilder guilds = new StringBuilder();
        try {
            guilds.append(guildItems(token.get().fetchGuilds(), Page.cdn(request), request.getContextPath()));
        } catch (ForbiddenException e) {
            // Discord refused the token: revoked elsewhere (the library ends the login once it has checked the
            // session again), or just rotated by another node's refresh. Never a redirect loop: say so and go on.
            guilds.append("<li id=\"guilds-refused\">Discord did not accept the token just now. Reload the page.</li>");
        } catch (DiscordException e) {
            guilds.append("<li>Discord did not answer: ").append(Page.escape(e.getMessage())).append("</li>");
        }
        Page.render(request, response, user.displayName(), """
                <section class="card profile">%s
                <div><h1 id="display-name">%s</h1><p class="muted">@%s · id <code id="user-id">%s</code></p>
                <p>%s</p><ul class="roles" id="roles">%s</ul></div></section>
                <section class="card"><h2>Your guilds</h2><ul class="guilds" id="guilds">%s</ul></section>
                """.formatted(Page.avatar(request, user, "large"), Page.escape(user.displayName()),
                Page.escape(user.username()), user.id(),
                user.emailAddress().map(e -> Page.escape(e) + (Boolean.TRUE.equals(user.verified()) ? " (verified)"
                        : " (not verified)")).orElse(""), roles(request), guilds));
    }

    /**
     * The guild list: each guild's icon from the CDN (its initial when it has none, as Discord shows it), its name,
     * and for the guilds the user owns or manages (where Discord lets them add a bot) a link adding the bot to that
     * guild: "Add to server" with {@code guild_id} and {@code disable_guild_select=true}.
     */
    static String guildItems(List<PartialGuild> list, DiscordCdn cdn, String ctx) {
        StringBuilder guilds = new StringBuilder();
        for (PartialGuild g : list) {
            String icon = cdn.guildIcon(g, 64)
                    .map(src -> "<img class=\"avatar small\" alt=\"\" src=\"" + Page.escape(src.toString()) + "\">")
                    .orElse("<span class=\"avatar small\">" + Page.escape(g.name().substring(0, 1)) + "</span>");
            guilds.append("<li class=\"guild\">").append(icon).append(Page.escape(g.name()))
                    .append(g.owner() ? " <span class=\"tag\">owner</span>" : "");
            if (g.owner() || g.hasPermission(MANAGE_GUILD)) {
                guilds.append(" <a class=\"tag\" id=\"add-bot-").append(Page.escape(g.id())).append("\" href=\"")
                        .append(Page.escape(ctx)).append("/discord/add-to-server?guild_id=").append(Page.escape(g.id()))
                        .append("&amp;disable_guild_select=true\">add the bot</a>");
            }
            guilds.append("</li>");
        }
        return list.isEmpty() ? "<li>No guilds.</li>" : guilds.toString();
    }

    /** The user's application roles, as {@code request.isUserInRole} answers for each known role. */
    private String roles(HttpServletRequest request) {
        StringBuilder html = new StringBuilder();
        for (String role : knownRoles) {
            if (request.isUserInRole(role)) {
                html.append("<li class=\"tag\">").append(Page.escape(role)).append("</li>");
            }
        }
        return html.isEmpty() ? "<li class=\"muted\">no application roles</li>" : html.toString();
    }
}
