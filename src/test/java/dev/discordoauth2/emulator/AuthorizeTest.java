package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The authorization page: request checks, consent form, approve/deny, prompt=none, PKCE, implicit, bot, webhook. */
class AuthorizeTest {
    private DiscordEmulator discord;

    @BeforeEach
    void start() {
        discord = demo().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse(null);
    }

    @Test
    void authorizeWhenUnknownClientIdThenHtmlErrorPageAndNoRedirect() {
        HttpResponse<String> response = get(withQuery(discord.authorizeUri(), params("response_type", "code",
                "client_id", "999999999999999999", "scope", "identify", "redirect_uri", REDIRECT)));
        assertEquals(400, response.statusCode());
        assertNull(location(response));
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(response.body().contains("client_id"), response.body());
    }

    @Test
    void authorizeWhenRedirectUriNotRegisteredThenHtmlErrorPageAndNoRedirect() {
        HttpResponse<String> response = get(withQuery(discord.authorizeUri(), params("response_type", "code",
                "client_id", CLIENT_ID, "scope", "identify", "redirect_uri", "https://evil.example/callback")));
        assertEquals(400, response.statusCode());
        assertNull(location(response));
        assertTrue(response.body().contains("redirect_uri"));
    }

    @Test
    void authorizeWhenRedirectUriDiffersOnlyByTrailingSlashThenRefused() {
        HttpResponse<String> response = get(withQuery(discord.authorizeUri(), params("response_type", "code",
                "client_id", CLIENT_ID, "scope", "identify", "redirect_uri", REDIRECT + "/")));
        assertEquals(400, response.statusCode());
        assertNull(location(response));
    }

    @Test
    void authorizeWhenValidThenConsentPageWithFormCarryingEveryParameter() {
        URI uri = authorizeUri(discord, "identify guilds", "prompt", "consent");
        HttpResponse<String> page = get(uri);
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("Test App"), "names the application");
        assertTrue(html.contains("data-scope=\"identify\"") && html.contains("data-scope=\"guilds\""));
        assertTrue(html.contains("<form method=\"post\""), "a plain POST form to the same path");
        Map<String, String> hidden = hiddenInputs(html).stream()
                .collect(Collectors.toMap(i -> i[0], i -> i[1]));
        assertEquals(Map.of("response_type", "code", "client_id", CLIENT_ID, "scope", "identify guilds",
                "state", "st4te", "redirect_uri", REDIRECT, "prompt", "consent"), hidden);
        assertTrue(html.contains("<select name=\"user_id\""));
        for (String user : List.of(NELLY, WUMPUS, CLYDE)) {
            assertTrue(html.contains("<option value=\"" + user + "\""), "offers user " + user);
        }
        assertTrue(html.contains("name=\"decision\" value=\"approve\""));
        assertTrue(html.contains("name=\"decision\" value=\"deny\""));
    }

    @Test
    void authorizeWhenParameterHasMarkupThenEscapedInConsentPage() {
        HttpResponse<String> page = get(authorizeUri(discord, "identify", "state", "\"><script>alert(1)</script>"));
        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains("<script>alert(1)</script>"));
        assertTrue(hiddenInputs(page.body()).stream()
                .anyMatch(i -> i[0].equals("state") && i[1].equals("\"><script>alert(1)</script>")));
    }

    @Test
    void authorizeWhenApprovedThenRedirectWithCodeAndStateAndUserCookie() {
        HttpResponse<String> approved = submitConsent(authorizeUri(discord, "identify"), NELLY, "approve");
        assertEquals(302, approved.statusCode());
        assertTrue(location(approved).startsWith(REDIRECT + "?code="), location(approved));
        Map<String, String> query = locationParams(approved, false);
        assertEquals("st4te", query.get("state"));
        assertEquals(30, query.get("code").length());
        String cookie = approved.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith(AuthorizeRoutes.USER_COOKIE + "=" + NELLY), cookie);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    }

    @Test
    void authorizeWhenApprovedAsUserThenTokenBelongsToThatUser() {
        String token = accessToken(discord, WUMPUS, "identify");
        HttpResponse<String> me = get(api(discord, "/users/@me"), "Authorization", bearer(token));
        assertEquals(WUMPUS, object(me).getString("id"));
    }

    @Test
    void authorizeWhenDeniedThenRedirectWithAccessDeniedAndState() {
        HttpResponse<String> denied = submitConsent(authorizeUri(discord, "identify"), NELLY, "deny");
        assertEquals(302, denied.statusCode());
        assertEquals(Map.of("error", "access_denied", "error_description", AuthorizeRoutes.DENIED_DESCRIPTION,
                "state", "st4te"), locationParams(denied, false));
        assertTrue(location(denied).startsWith(REDIRECT + "?"));
    }

    @Test
    void authorizeWhenUnknownScopeThenInvalidScopeRedirectOnTheGet() {
        HttpResponse<String> response = get(authorizeUri(discord, "identify bogus.scope"));
        assertEquals(302, response.statusCode());
        Map<String, String> query = locationParams(response, false);
        assertEquals("invalid_scope", query.get("error"));
        assertEquals("st4te", query.get("state"));
        assertNull(query.get("code"));
    }

    @Test
    void authorizeWhenNoScopeThenInvalidScope() {
        HttpResponse<String> response = get(withQuery(discord.authorizeUri(), params("response_type", "code",
                "client_id", CLIENT_ID, "redirect_uri", REDIRECT)));
        assertEquals("invalid_scope", locationParams(response, false).get("error"));
    }

    @Test
    void authorizeWhenUnsupportedResponseTypeThenErrorRedirect() {
        HttpResponse<String> response = get(authorizeUri(discord, "identify", "response_type", "id_token"));
        assertEquals(302, response.statusCode());
        assertEquals("unsupported_response_type", locationParams(response, false).get("error"));
    }

    @Test
    void authorizeWhenCodeChallengeMethodIsNotS256ThenInvalidRequest() {
        for (String method : List.of("plain", "S512")) {
            HttpResponse<String> response = get(authorizeUri(discord, "identify",
                    "code_challenge", PkceValues.CHALLENGE, "code_challenge_method", method));
            assertEquals(302, response.statusCode(), method);
            Map<String, String> query = locationParams(response, false);
            assertEquals("invalid_request", query.get("error"));
            assertEquals("Unsupported \"code_challenge_method\"", query.get("error_description"));
        }
    }

    @Test
    void authorizeWhenCodeChallengeWithoutMethodThenInvalidRequest() {
        HttpResponse<String> response = get(authorizeUri(discord, "identify",
                "code_challenge", PkceValues.CHALLENGE));
        assertEquals("invalid_request", locationParams(response, false).get("error"));
    }

    @Test
    void authorizeWhenPkceWithRoleConnectionsWriteThenInvalidScope() {
        HttpResponse<String> response = get(authorizeUri(discord, "identify role_connections.write",
                "code_challenge", PkceValues.CHALLENGE, "code_challenge_method", "S256"));
        assertEquals("invalid_scope", locationParams(response, false).get("error"));
    }

    @Test
    void authorizeWhenImplicitGrantThenTokenInFragmentWithoutRefreshToken() {
        HttpResponse<String> approved = submitConsent(authorizeUri(discord, "identify", "response_type", "token"),
                NELLY, "approve");
        assertEquals(302, approved.statusCode());
        assertNull(URI.create(location(approved)).getRawQuery(), "nothing in the query");
        Map<String, String> fragment = locationParams(approved, true);
        assertEquals("Bearer", fragment.get("token_type"));
        assertEquals("604800", fragment.get("expires_in"));
        assertEquals("identify", fragment.get("scope"));
        assertEquals("st4te", fragment.get("state"));
        assertFalse(fragment.containsKey("refresh_token"));
        HttpResponse<String> me = get(api(discord, "/users/@me"), "Authorization", bearer(fragment.get("access_token")));
        assertEquals(200, me.statusCode());
    }

    @Test
    void authorizeWhenImplicitWithRoleConnectionsWriteThenInvalidScopeInFragment() {
        HttpResponse<String> response = get(authorizeUri(discord, "identify role_connections.write",
                "response_type", "token"));
        assertEquals(302, response.statusCode());
        assertEquals("invalid_scope", locationParams(response, true).get("error"));
    }

    @Test
    void authorizeWhenPromptNoneFromBrowserWithEarlierApprovalThenCodeAtOnce() {
        HttpResponse<String> first = submitConsent(authorizeUri(discord, "identify guilds"), NELLY, "approve");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> again = get(authorizeUri(discord, "identify", "prompt", "none"), "Cookie", cookie);
        assertEquals(302, again.statusCode(), again.body());
        assertNotNull(locationParams(again, false).get("code"));
        String token = exchange(discord, locationParams(again, false).get("code")).getString("access_token");
        assertEquals(NELLY, object(get(api(discord, "/users/@me"), "Authorization", bearer(token))).getString("id"));
    }

    @Test
    void authorizeWhenPromptNoneWithoutBrowserCookieThenConsentPage() {
        submitConsent(authorizeUri(discord, "identify"), NELLY, "approve");
        HttpResponse<String> again = get(authorizeUri(discord, "identify", "prompt", "none"));
        assertEquals(200, again.statusCode());
        assertTrue(again.body().contains("name=\"decision\""));
    }

    @Test
    void authorizeWhenPromptNoneAndScopesNotCoveredThenConsentPage() {
        HttpResponse<String> first = submitConsent(authorizeUri(discord, "identify"), NELLY, "approve");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> wider = get(authorizeUri(discord, "identify email", "prompt", "none"), "Cookie", cookie);
        assertEquals(200, wider.statusCode());
    }

    @Test
    void authorizeWhenPromptConsentThenConsentPageEvenAfterApproval() {
        HttpResponse<String> first = submitConsent(authorizeUri(discord, "identify"), NELLY, "approve");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> again = get(authorizeUri(discord, "identify", "prompt", "consent"), "Cookie", cookie);
        assertEquals(200, again.statusCode());
    }

    @Test
    void authorizeWhenAuthorizationRevokedThenPromptNoneNeedsConsentAgain() {
        HttpResponse<String> first = submitConsent(authorizeUri(discord, "identify"), NELLY, "approve");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String token = exchange(discord, locationParams(first, false).get("code")).getString("access_token");
        postForm(URI.create(discord.apiBaseUri() + "/oauth2/token/revoke"), params("token", token),
                "Authorization", basic(CLIENT_ID, SECRET));
        HttpResponse<String> again = get(authorizeUri(discord, "identify", "prompt", "none"), "Cookie", cookie);
        assertEquals(200, again.statusCode(), "the approval went with the revoked authorization");
    }

    @Test
    void authorizeWhenAutoApproveConfiguredThenRedirectWithoutConsentPage() {
        try (DiscordEmulator auto = demo().autoApprove(WUMPUS).start()) {
            HttpResponse<String> response = get(authorizeUri(auto, "identify"));
            assertEquals(302, response.statusCode());
            String token = exchange(auto, locationParams(response, false).get("code")).getString("access_token");
            assertEquals(WUMPUS, object(get(api(auto, "/users/@me"), "Authorization", bearer(token))).getString("id"));
        }
    }

    @Test
    void authorizeWhenRedirectUriOmittedThenFirstRegisteredUsed() {
        HttpResponse<String> approved = submitConsent(withQuery(discord.authorizeUri(), params("response_type", "code",
                "client_id", CLIENT_ID, "scope", "identify")), NELLY, "approve");
        assertTrue(location(approved).startsWith(REDIRECT + "?code="));
    }

    @Test
    void authorizeWhenSecondRegisteredRedirectUriThenUsed() {
        HttpResponse<String> approved = submitConsent(authorizeUri(discord, "identify", "redirect_uri", OTHER_REDIRECT),
                NELLY, "approve");
        assertTrue(location(approved).startsWith(OTHER_REDIRECT + "?code="));
    }

    @Test
    void authorizeWhenNoStateThenNoStateInRedirect() {
        HttpResponse<String> approved = submitConsent(withQuery(discord.authorizeUri(), params("response_type", "code",
                "client_id", CLIENT_ID, "scope", "identify", "redirect_uri", REDIRECT)), NELLY, "approve");
        assertFalse(locationParams(approved, false).containsKey("state"));
    }

    @Test
    void authorizeWhenApprovedForUnknownUserThenHtmlError() {
        HttpResponse<String> response = submitConsent(authorizeUri(discord, "identify"), "123", "approve");
        assertEquals(400, response.statusCode());
        assertNull(location(response));
    }

    @Test
    void authorizeWhenFormTamperedWithUnregisteredRedirectThenRefusedOnPost() {
        String body = form(params("response_type", "code", "client_id", CLIENT_ID, "scope", "identify",
                "redirect_uri", "https://evil.example/cb", "user_id", NELLY, "decision", "approve"));
        HttpResponse<String> response = request("POST", discord.authorizeUri(), "application/x-www-form-urlencoded",
                body);
        assertEquals(400, response.statusCode());
        assertNull(location(response));
    }

    @Test
    void authorizeWhenApiPrefixedPathThenSameFlow() {
        URI apiAuthorize = URI.create(discord.baseUri() + "/api/oauth2/authorize");
        HttpResponse<String> approved = submitConsent(withQuery(apiAuthorize, params("response_type", "code",
                "client_id", CLIENT_ID, "scope", "identify", "redirect_uri", REDIRECT)), NELLY, "approve");
        assertEquals(302, approved.statusCode());
        assertNotNull(locationParams(approved, false).get("code"));
    }

    @Test
    void tokenWhenBotAuthorizationThenGuildIsCurrentV10GuildObject() {
        URI uri = authorizeUri(discord, "bot identify", "permissions", "1", "guild_id", API_GUILD,
                "disable_guild_select", "true");
        HttpResponse<String> approved = submitConsent(uri, CLYDE, "approve");
        JsonObject guild = exchange(discord, locationParams(approved, false).get("code")).getJsonObject("guild");

        assertEquals(Set.of("id", "name", "icon", "description", "splash", "discovery_splash", "features", "emojis",
                "stickers", "banner", "owner_id", "application_id", "afk_channel_id", "afk_timeout",
                "system_channel_id", "widget_enabled", "widget_channel_id", "verification_level", "roles",
                "default_message_notifications", "mfa_level", "explicit_content_filter", "max_presences",
                "max_members", "max_video_channel_users", "vanity_url_code", "premium_tier",
                "premium_subscription_count", "system_channel_flags", "preferred_locale", "rules_channel_id",
                "public_updates_channel_id", "safety_alerts_channel_id", "nsfw_level", "premium_progress_bar_enabled",
                "hub_type", "incidents_data"), guild.keySet(), guild.toString());
        assertFalse(guild.containsKey("region"), "region is deprecated and no longer sent");
        assertEquals(0, guild.getInt("nsfw_level"));
        assertFalse(guild.getBoolean("premium_progress_bar_enabled"));
        assertTrue(guild.isNull("hub_type"));

        JsonObject everyone = guild.getJsonArray("roles").getJsonObject(0);
        assertEquals(Set.of("id", "name", "permissions", "position", "color", "colors", "hoist", "icon",
                "unicode_emoji", "managed", "mentionable", "flags"), everyone.keySet(), everyone.toString());
        assertEquals(API_GUILD, everyone.getString("id"), "@everyone has the guild's id");
        assertEquals(JsonValue.ValueType.STRING, everyone.get("permissions").getValueType(),
                "permissions is a string bit set");
        assertFalse(everyone.containsKey("permissions_new"));
        JsonObject colors = everyone.getJsonObject("colors");
        assertEquals(0, colors.getInt("primary_color"));
        assertTrue(colors.isNull("secondary_color"));
        assertTrue(colors.isNull("tertiary_color"));
        assertEquals(0, everyone.getInt("flags"));
    }

    @Test
    void authorizeWhenBotScopeWithCodeThenGuildInTokenResponseAndBotJoinsGuild() {
        assertEquals(403, addMember(API_GUILD, WUMPUS).statusCode(), "bot not in API_GUILD yet");
        URI uri = authorizeUri(discord, "bot identify", "permissions", "1", "guild_id", API_GUILD,
                "disable_guild_select", "true");
        HttpResponse<String> page = get(uri);
        assertFalse(page.body().contains("selected_guild_id"), "the guild cannot be changed");
        HttpResponse<String> approved = submitConsent(uri, CLYDE, "approve");
        assertEquals(302, approved.statusCode(), approved.body());
        Map<String, String> query = locationParams(approved, false);
        assertEquals(API_GUILD, query.get("guild_id"));
        assertEquals("1", query.get("permissions"));
        JsonObject tokens = exchange(discord, query.get("code"));
        assertEquals(API_GUILD, tokens.getJsonObject("guild").getString("id"));
        assertEquals("Discord API", tokens.getJsonObject("guild").getString("name"));
        assertTrue(tokens.getJsonObject("guild").containsKey("roles"));
        assertFalse(tokens.containsKey("webhook"));
        assertEquals(204, addMember(API_GUILD, WUMPUS).statusCode(), "the bot is now in API_GUILD with CREATE_INSTANT_INVITE");
    }

    private HttpResponse<String> addMember(String guildId, String userId) {
        String token = accessToken(discord, userId, "guilds.join");
        return sendJson("PUT", api(discord, "/guilds/" + guildId + "/members/" + userId),
                "{\"access_token\":\"" + token + "\"}", "Authorization", "Bot " + BOT_TOKEN);
    }

    @Test
    void authorizeWhenBotScopeAndUserCannotManageGuildThenRefused() {
        URI uri = authorizeUri(discord, "bot", "permissions", "1", "guild_id", FAN_CLUB,
                "disable_guild_select", "true");
        HttpResponse<String> response = submitConsent(uri, NELLY, "approve");
        assertEquals(400, response.statusCode());
        assertNull(location(response));
    }

    @Test
    void authorizeWhenBotOnlyWithoutResponseTypeAndRedirectThenGuildAndPermissionsInRedirect() {
        URI uri = withQuery(discord.authorizeUri(), params("client_id", CLIENT_ID, "scope", "bot applications.commands",
                "permissions", "8", "redirect_uri", REDIRECT));
        HttpResponse<String> page = get(uri);
        assertTrue(page.body().contains("selected_guild_id"), "the user picks the guild");
        HttpResponse<String> approved = submitConsent(uri, NELLY, "approve", "selected_guild_id", LOUNGE);
        assertEquals(302, approved.statusCode(), approved.body());
        Map<String, String> query = locationParams(approved, false);
        assertEquals(LOUNGE, query.get("guild_id"));
        assertEquals("8", query.get("permissions"));
        assertFalse(query.containsKey("code"));
    }

    @Test
    void authorizeWhenScopesBeyondBotWithoutResponseTypeThenInvalidRequest() {
        HttpResponse<String> response = get(withQuery(discord.authorizeUri(), params("client_id", CLIENT_ID,
                "scope", "bot identify", "redirect_uri", REDIRECT)));
        assertEquals("invalid_request", locationParams(response, false).get("error"));
    }

    @Test
    void authorizeWhenBotScopeForApplicationWithoutBotThenErrorPage() {
        try (DiscordEmulator noBot = DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID)
                .clientSecret(SECRET).redirectUri(REDIRECT).build()).start()) {
            HttpResponse<String> response = get(authorizeUri(noBot, "bot"));
            assertEquals(400, response.statusCode());
            assertTrue(response.body().contains("does not have a bot"));
        }
    }

    @Test
    void authorizeWhenWebhookIncomingThenWebhookObjectInTokenResponse() {
        URI uri = authorizeUri(discord, "webhook.incoming");
        HttpResponse<String> approved = submitConsent(uri, NELLY, "approve", "selected_guild_id", TESTERS);
        assertEquals(302, approved.statusCode(), approved.body());
        JsonObject tokens = exchange(discord, locationParams(approved, false).get("code"));
        JsonObject webhook = tokens.getJsonObject("webhook");
        assertEquals(1, webhook.getInt("type"));
        assertEquals(TESTERS, webhook.getString("guild_id"));
        assertEquals(CLIENT_ID, webhook.getString("application_id"));
        assertTrue(webhook.getString("url").endsWith("/" + webhook.getString("id") + "/" + webhook.getString("token")));
        assertTrue(webhook.isNull("avatar"));
        assertEquals(Long.toUnsignedString(Long.parseUnsignedLong(webhook.getString("channel_id"))),
                webhook.getString("channel_id"), "a snowflake string");
        assertFalse(tokens.containsKey("guild"));
    }
}
