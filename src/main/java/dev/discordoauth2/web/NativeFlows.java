package dev.discordoauth2.web;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.AuthorizeRequest;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.RateLimitedException;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.web.Outcome.Cookie;
import dev.discordoauth2.web.Outcome.Failure;
import dev.discordoauth2.web.Outcome.Page;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The Discord-native flows on the login's steps: the Linked Roles Verification URL ({@code discord.linked-roles-path}:
 * a login with {@code role_connections.write}, without PKCE as Discord requires, that pushes the application's
 * connection for the user and tells them to return to Discord) and "Add to server" ({@code discord.add-to-server-path}:
 * Discord's bot authorization with {@code discord.bot-scopes} and {@code discord.bot-permissions}, an optional
 * {@code guild_id} and {@code disable_guild_select}, whose callback names the server by the token answer and fires
 * {@link DiscordBotAddedEvent}). Both share the callback, its single-use {@code state} and its failure pages.
 * Thread-safe.
 */
final class NativeFlows {
    private static final System.Logger LOG = System.getLogger(NativeFlows.class.getName());
    private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{15,20}");
    private static final Set<String> BOT_ONLY = Set.of("bot", "applications.commands");

    private final DiscordConfig config;
    private final DiscordOAuth2Client client;
    private final Steps steps;
    private final LoginEvents events;
    private final AtomicReference<LinkedRoles> linkedRoles;
    /** The two paths, read once: {@link LoginCore#route} compares every request's path with them. */
    private final String linkedRolesPath;
    private final String addToServerPath;

    NativeFlows(DiscordConfig config, DiscordOAuth2Client client, Steps steps, LoginEvents events,
            AtomicReference<LinkedRoles> linkedRoles) {
        this.config = config;
        this.client = client;
        this.steps = steps;
        this.events = events;
        this.linkedRoles = linkedRoles;
        this.linkedRolesPath = config.linkedRolesPath();
        this.addToServerPath = config.addToServerPath();
    }

    String linkedRolesPath() {
        return linkedRolesPath;
    }

    String addToServerPath() {
        return addToServerPath;
    }

    /** Whether "Add to server" asks for bot scopes only (no user is logged in by it). */
    boolean botOnly() {
        return BOT_ONLY.containsAll(config.parsed().get(Keys.BOT_SCOPES));
    }

    // ------------------------------------------------------------------------------------------ linked roles

    /**
     * The verification URL: {@code ?cancelled} shows the "cancelled" page; a logged-in user whose grant holds
     * {@code role_connections.write} is pushed at once; anyone else goes to Discord for it.
     */
    Outcome startLinkedRoles(LoginCore.Exchange request) {
        Steps.OwnGet get = steps.ownGet(request);
        if (get.refusal() != null) {
            return get.refusal();
        }
        LinkedRoles roles = linkedRoles.get();
        if (roles == null) {
            return Page.of(Failure.LINKED_ROLES_NOT_OFFERED);
        }
        String again = Origins.app(request, linkedRolesPath());
        if (get.query().has("cancelled")) {
            return Page.of(Failure.LINKED_ROLES_CANCELLED).link(again, "Connect again");
        }
        RequestLogin current = steps.current(request);
        if (current.outcome() instanceof TokenOutcome.Valid valid && valid.tokens().scopes().contains(LinkedRoles.SCOPE)) {
            return push(request, roles, client.fromAccessToken(valid.tokens().accessToken()), current.principal(),
                    List.of());
        }
        Set<String> scopes = new LinkedHashSet<>(config.scopes());
        scopes.add(LinkedRoles.SCOPE);
        return steps.toDiscord(request, linkedRolesPath(), PendingLogin.Purpose.LINKED_ROLES, List.copyOf(scopes),
                null);
    }

    /** After the verification URL's login: the connection pushed with the new token, and the page to go back. */
    Outcome connected(LoginCore.Exchange request, AccessToken token, DiscordPrincipal user, List<Cookie> cookies) {
        LinkedRoles roles = linkedRoles.get();
        if (roles == null) {
            return Page.of(Failure.LINKED_ROLES_NOT_OFFERED).cookies(cookies);
        }
        return push(request, roles, client.withCallTimeout(config.callbackTimeout()).fromAccessToken(token.token()),
                user, cookies);
    }

    private Outcome push(LoginCore.Exchange request, LinkedRoles roles, PartialAccessToken token, DiscordPrincipal user,
            List<Cookie> cookies) {
        String again = Origins.app(request, linkedRolesPath());
        try {
            Optional<RoleConnection> pushed = roles.push(token, user.id());
            if (pushed.isEmpty()) {
                return Page.of(Failure.LINKED_ROLES_NO_ACCOUNT).link(Origins.app(request, config.afterLoginUri()),
                        "Open the application").cookies(cookies);
            }
            return Page.of(Failure.LINKED_ROLES_CONNECTED).link(Origins.app(request, config.afterLoginUri()),
                    "Open the application").cookies(cookies);
        } catch (RateLimitedException e) {
            LOG.log(System.Logger.Level.WARNING, "linked roles: Discord rate limited the connection's push: "
                    + e.getMessage());
            return Page.of(Failure.LINKED_ROLES_FAILED).retryAfter(e.retryAfter().toSeconds()).link(again, "Try again")
                    .cookies(cookies);
        } catch (DiscordException e) {
            LOG.log(System.Logger.Level.WARNING, "linked roles: pushing the connection failed: " + e.getMessage());
            return Page.of(Failure.LINKED_ROLES_FAILED).retryAfter(5).link(again, "Try again").cookies(cookies);
        } catch (RuntimeException e) {
            // the application's source failed, or gave a value its schema refuses: its bug, logged for it
            LOG.log(System.Logger.Level.ERROR, "linked roles: the application's connection for a user could not be "
                    + "pushed: " + e);
            return Page.of(Failure.INTERNAL_ERROR).cookies(cookies);
        }
    }

    // ------------------------------------------------------------------------------------------ add to server

    /** "Add to server": {@code ?guild_id=} (a snowflake) pre-selects a server, {@code ?disable_guild_select=true} fixes it. */
    Outcome startAddToServer(LoginCore.Exchange request) {
        Steps.OwnGet get = steps.ownGet(request);
        if (get.refusal() != null) {
            return get.refusal();
        }
        Query query = get.query();
        String guildId = query.get("guild_id");
        if (guildId != null && !SNOWFLAKE.matcher(guildId).matches()) {
            return Page.of(Failure.BAD_REQUEST).message("The server id in this address is not a Discord id.");
        }
        String fixed = query.get("disable_guild_select");
        if (fixed != null && !fixed.equals("true") && !fixed.equals("false")) {
            return Page.of(Failure.BAD_REQUEST).message("disable_guild_select is true or false.");
        }
        boolean disable = "true".equals(fixed);
        String returnTo = addToServerPath() + (guildId == null ? "" : "?guild_id=" + guildId
                + (disable ? "&disable_guild_select=true" : ""));
        long permissions = config.parsed().get(Keys.BOT_PERMISSIONS);
        return steps.toDiscord(request, returnTo, PendingLogin.Purpose.ADD_TO_SERVER,
                config.parsed().get(Keys.BOT_SCOPES), authorize -> {
                    authorize.permissions(permissions);
                    if (guildId != null) {
                        authorize.guildId(guildId).disableGuildSelect(disable);
                    }
                });
    }

    /** The server the token answer names, or null (logged) when it names none. */
    Guild guildOf(AccessToken token, Query query) {
        Guild guild = token.guild().orElse(null);
        if (guild == null) {
            LOG.log(System.Logger.Level.WARNING, "add to server: Discord's token answer names no server; nothing "
                    + "was reported as added");
            return null;
        }
        String hint = query.get("guild_id");
        if (hint != null && !hint.equals(guild.id())) {
            LOG.log(System.Logger.Level.WARNING, "add to server: the redirect named server " + Steps.printable(hint)
                    + " but the token answer names " + guild.id() + "; the token answer is taken");
        }
        return guild;
    }

    /** The granted permissions as Discord's redirect reports them, else those asked for. */
    long permissionsOf(Query query) {
        String text = query.get("permissions");
        if (text != null && text.matches("[0-9]{1,19}")) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                // past 2^63 - 1: not Discord's
            }
        }
        return config.parsed().get(Keys.BOT_PERMISSIONS);
    }

    /** The bot is in {@code guild}: the event, then the page (or {@code discord.after-add-to-server-uri}). */
    Outcome botAdded(LoginCore.Exchange request, Guild guild, long permissions, Set<String> scopes,
            DiscordPrincipal user, List<Cookie> cookies) {
        events.botAdded(new DiscordBotAddedEvent(guild, permissions, scopes, user));
        LOG.log(System.Logger.Level.INFO, "add to server: the bot was added to server " + guild.id());
        String after = config.parsed().get(Keys.AFTER_ADD_TO_SERVER_URI);
        if (after != null) {
            String location = Origins.app(request, after) + (after.contains("?") ? "&" : "?") + "guild_id="
                    + URLEncoder.encode(guild.id(), StandardCharsets.UTF_8);
            return new Outcome.Redirect(location, 303, cookies, user != null);
        }
        String name = guild.name().isBlank() ? "the server" : guild.name();
        return Page.of(Failure.BOT_ADDED).message("The bot was added to " + name + ".")
                .link(Origins.app(request, config.afterLoginUri()), "Continue").cookies(cookies);
    }

    /** The user cancelled at Discord. */
    Outcome cancelled(LoginCore.Exchange request, PendingLogin login, List<Cookie> cookies) {
        if (login.flow() == PendingLogin.Purpose.LINKED_ROLES) {
            return new Outcome.Redirect(Origins.app(request, linkedRolesPath()) + "?cancelled", 303, cookies, false);
        }
        return Page.of(Failure.BOT_CANCELLED).link(Origins.app(request, login.returnTo()), "Try again")
                .cookies(cookies);
    }
}
