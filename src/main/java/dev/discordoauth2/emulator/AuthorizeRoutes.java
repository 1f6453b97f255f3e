package dev.discordoauth2.emulator;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Discord's authorization page, {@code /oauth2/authorize} (GET shows the consent form, POST takes the decision):
 * checks the request, approves it as the chosen, remembered or auto-approving user, and redirects with a code, a
 * token (implicit grant), the bot's guild or an error. Not thread-safe: runs under the store's monitor.
 */
final class AuthorizeRoutes {
    static final String USER_COOKIE = "discord_emulator_user";
    static final String DENIED_DESCRIPTION = "The resource owner or authorization server denied the request";
    private static final Pattern CHALLENGE = Pattern.compile("^[A-Za-z0-9_-]{43}$");
    private static final long MANAGE_GUILD = 1L << 5;
    private static final long ADMINISTRATOR = 1L << 3;

    private final Store store;
    private final AutoApproval autoApproval;
    private final WebhookEvents webhooks;

    AuthorizeRoutes(Store store, AutoApproval autoApproval, WebhookEvents webhooks) {
        this.store = store;
        this.autoApproval = autoApproval;
        this.webhooks = webhooks;
    }

    /** The authorize request's parameters, checked. */
    private record AuthorizeRequest(Store.App app, String redirectUri, boolean redirectUriGiven,
            Set<String> scopes, String responseType, String state, String codeChallenge, String prompt,
            String guildId, boolean disableGuildSelect, Long permissions, Map<String, List<String>> original) {

        boolean needsGuild() {
            return scopes.contains("bot") || scopes.contains("webhook.incoming");
        }
    }

    Reply authorize(Call call) {
        boolean post = call.method.equals("POST");
        Map<String, List<String>> params = post ? call.formParams() : call.queryParams();
        AuthorizeRequest request = check(params, post);
        if (!post) {
            if (autoApproval.isOn()) {
                String approver = autoApproval.nextUser();
                if (store.users.containsKey(approver)) {
                    return approve(request, approver, null, true);
                }
            }
            String cookieUser = call.cookie(USER_COOKIE);
            if ("none".equals(request.prompt) && cookieUser != null && store.users.containsKey(cookieUser)
                    && !request.needsGuild()) {
                Set<String> approved = store.approvals.get(Store.pair(request.app.id(), cookieUser));
                if (approved != null && approved.containsAll(request.scopes)) {
                    return approve(request, cookieUser, null, false);
                }
            }
            return Reply.html(200, Pages.consent(request.app.config, request.scopes, params, store.users.values(),
                    request.needsGuild() && !(request.disableGuildSelect && request.guildId != null)
                            ? new ArrayList<>(store.guilds.values()) : null,
                    cookieUser));
        }
        String decision = call.formParam("decision");
        if ("deny".equals(decision)) {
            if (request.responseType == null && !request.redirectUriGiven) {
                return Reply.html(200, Pages.message("Authorization cancelled",
                        "You cancelled adding " + request.app.config.name() + "."));
            }
            return redirectError(request, "access_denied", DENIED_DESCRIPTION);
        }
        if (!"approve".equals(decision)) {
            return Reply.html(400, Pages.error("Invalid form", "The form must say decision=approve or deny."));
        }
        String userId = call.formParam("user_id");
        if (userId == null || !store.users.containsKey(userId)) {
            return Reply.html(400, Pages.error("Unknown user", "Choose one of the emulator's users."));
        }
        return approve(request, userId, call.formParam("selected_guild_id"), true)
                .header("Set-Cookie", USER_COOKIE + "=" + userId + "; Path=/; HttpOnly; SameSite=Lax");
    }

    private AuthorizeRequest check(Map<String, List<String>> params, boolean post) {
        String clientId = first(params, "client_id");
        Store.App app = clientId == null ? null : store.apps.get(clientId);
        if (app == null) {
            throw Reply.html(400, Pages.error("Unknown Application", "Invalid OAuth2 client_id: " + clientId))
                    .stop();
        }
        String givenRedirect = first(params, "redirect_uri");
        if (givenRedirect != null && !app.redirectUris.contains(givenRedirect)) {
            throw Reply.html(400, Pages.error("Invalid OAuth2 redirect_uri",
                    "The redirect_uri is not registered for " + app.config.name() + ".")).stop();
        }
        String redirectUri = givenRedirect != null ? givenRedirect : app.redirectUris.get(0);
        String state = first(params, "state");
        String responseType = first(params, "response_type");
        Set<String> scopes = new LinkedHashSet<>();
        String scopeParam = first(params, "scope");
        if (scopeParam != null) {
            for (String s : scopeParam.trim().split("[ +]+")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        String guildId = first(params, "guild_id");
        boolean disableGuildSelect = "true".equalsIgnoreCase(first(params, "disable_guild_select"))
                || "1".equals(first(params, "disable_guild_select"));
        String permissionsParam = first(params, "permissions");
        String challenge = first(params, "code_challenge");
        String method = first(params, "code_challenge_method");
        AuthorizeRequest partial = new AuthorizeRequest(app, redirectUri, givenRedirect != null, scopes,
                responseType, state, challenge, first(params, "prompt"), guildId, disableGuildSelect, null, params);

        if (scopes.isEmpty()) {
            throw redirectError(partial, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
                    .stop();
        }
        for (String scope : scopes) {
            if (!Scopes.KNOWN.contains(scope) || scope.equals("applications.commands.update")) {
                throw redirectError(partial, "invalid_scope", "Invalid scope: " + scope).stop();
            }
        }
        boolean botOnly = Set.of("bot", "applications.commands").containsAll(scopes);
        if (responseType == null && !botOnly) {
            throw redirectError(partial, "invalid_request", "Missing \"response_type\"").stop();
        }
        if (responseType != null && !responseType.equals("code") && !responseType.equals("token")) {
            throw redirectError(partial, "unsupported_response_type", "Unsupported \"response_type\"").stop();
        }
        if (challenge != null || method != null) {
            if (!"S256".equals(method)) {
                throw redirectError(partial, "invalid_request", "Unsupported \"code_challenge_method\"").stop();
            }
            if (challenge == null) {
                throw redirectError(partial, "invalid_request", "Missing \"code_challenge\"").stop();
            }
            if (!CHALLENGE.matcher(challenge).matches()) {
                throw redirectError(partial, "invalid_request", "Invalid \"code_challenge\"").stop();
            }
            if (scopes.contains("role_connections.write")) {
                throw redirectError(partial, "invalid_scope",
                        "role_connections.write cannot be used with PKCE").stop();
            }
        }
        if ("token".equals(responseType) && scopes.contains("role_connections.write")) {
            throw redirectError(partial, "invalid_scope",
                    "role_connections.write cannot be used with the implicit grant").stop();
        }
        if (scopes.contains("bot") && app.config.botToken() == null) {
            throw Reply.html(400, Pages.error("OAuth2 application does not have a bot",
                    "Error 50010: " + app.config.name() + " has no bot user.")).stop();
        }
        Long permissions = null;
        if (permissionsParam != null) {
            try {
                permissions = Long.parseLong(permissionsParam);
            } catch (NumberFormatException e) {
                throw redirectError(partial, "invalid_request", "Invalid \"permissions\"").stop();
            }
        }
        return new AuthorizeRequest(app, redirectUri, givenRedirect != null, scopes, responseType, state, challenge,
                partial.prompt, guildId, disableGuildSelect, permissions, params);
    }

    /** Approves as the user; {@code consented}: on the consent page or auto-approved, not by {@code prompt=none}. */
    private Reply approve(AuthorizeRequest request, String userId, String selectedGuildId, boolean consented) {
        String guildId = null;
        Map<String, Object> webhook = null;
        if (request.needsGuild()) {
            guildId = request.disableGuildSelect && request.guildId != null ? request.guildId
                    : selectedGuildId != null && !selectedGuildId.isEmpty() ? selectedGuildId : request.guildId;
            EmulatedGuild guild = guildId == null ? null : store.guilds.get(guildId);
            EmulatedMember member = guild == null ? null : store.member(guildId, userId);
            if (member == null || !(userId.equals(guild.ownerId())
                    || (member.permissions() & (MANAGE_GUILD | ADMINISTRATOR)) != 0)) {
                return Reply.html(400, Pages.error("Choose a server",
                        "The user must own the server or have Manage Server permission in it."));
            }
            if (request.scopes.contains("bot")) {
                store.apps.get(request.app.id()).botGuilds.put(guildId,
                        request.permissions == null ? 0L : request.permissions);
            }
            if (request.scopes.contains("webhook.incoming")) {
                webhook = webhook(request.app, guild);
            }
        }
        Set<String> remembered = new LinkedHashSet<>(request.scopes);
        remembered.removeAll(Scopes.PASSTHROUGH);
        store.approvals.computeIfAbsent(Store.pair(request.app.id(), userId), k -> new LinkedHashSet<>())
                .addAll(remembered);
        if (consented) {
            webhooks.authorized(request.app.id(), userId, request.scopes, guildId, integrationType(request));
        }

        if (request.responseType == null) {
            if (!request.redirectUriGiven) {
                return Reply.html(200, Pages.message("Authorized",
                        request.app.config.name() + " has been added to " + store.guilds.get(guildId).name() + "."));
            }
            Map<String, String> out = new LinkedHashMap<>();
            out.put("guild_id", guildId);
            out.put("permissions", String.valueOf(request.permissions == null ? 0 : request.permissions));
            putIfNotNull(out, "state", request.state);
            return Reply.redirect(withQuery(request.redirectUri, out));
        }
        if (request.responseType.equals("token")) {
            Store.Grant grant = store.issue(request.app.id(), userId, request.scopes, false, "implicit");
            Map<String, String> fragment = new LinkedHashMap<>();
            fragment.put("access_token", grant.accessToken);
            fragment.put("token_type", "Bearer");
            fragment.put("expires_in", Long.toString(store.accessTokenLifetime.toSeconds()));
            fragment.put("scope", String.join(" ", request.scopes));
            putIfNotNull(fragment, "state", request.state);
            return Reply.redirect(request.redirectUri + "#" + encode(fragment));
        }
        Store.Code code = new Store.Code(Snowflakes.opaque(30), request.app.id(), userId,
                Collections.unmodifiableSet(new LinkedHashSet<>(request.scopes)), request.redirectUri,
                request.redirectUriGiven, request.codeChallenge,
                store.clock.now().plus(store.codeLifetime), guildId, request.permissions, webhook);
        store.codes.put(code.value, code);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("code", code.value);
        putIfNotNull(out, "state", request.state);
        if (request.scopes.contains("bot")) {
            out.put("guild_id", guildId);
            out.put("permissions", String.valueOf(request.permissions == null ? 0 : request.permissions));
        }
        return Reply.redirect(withQuery(request.redirectUri, out));
    }

    private Map<String, Object> webhook(Store.App app, EmulatedGuild guild) {
        Instant now = store.clock.now();
        String id = Snowflakes.next(now.toEpochMilli());
        String token = Snowflakes.opaque(68);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("application_id", app.id());
        w.put("name", app.config.name());
        w.put("url", "https://discord.com/api/webhooks/" + id + "/" + token);
        w.put("channel_id", Snowflakes.next(now.toEpochMilli()));
        w.put("token", token);
        w.put("type", 1);
        w.put("avatar", Json.NULL);
        w.put("guild_id", guild.id());
        w.put("id", id);
        return w;
    }

    private static Reply redirectError(AuthorizeRequest request, String error, String description) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("error", error);
        out.put("error_description", description);
        putIfNotNull(out, "state", request.state);
        if ("token".equals(request.responseType)) {
            return Reply.redirect(request.redirectUri + "#" + encode(out));
        }
        return Reply.redirect(withQuery(request.redirectUri, out));
    }

    /** The request's {@code integration_type}, when it is 0 (guild) or 1 (user). */
    private static Integer integrationType(AuthorizeRequest request) {
        String given = first(request.original, "integration_type");
        return "0".equals(given) ? Integer.valueOf(0) : "1".equals(given) ? Integer.valueOf(1) : null;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void putIfNotNull(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    static String encode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
        });
        return sb.toString();
    }

    /** Appends parameters to a registered redirect URI, keeping any query it already has. */
    static String withQuery(String uri, Map<String, String> params) {
        String query = encode(params);
        String fragmentless = uri;
        String fragment = "";
        int hash = uri.indexOf('#');
        if (hash >= 0) {
            fragmentless = uri.substring(0, hash);
            fragment = uri.substring(hash);
        }
        String separator = URI.create(fragmentless).getRawQuery() == null ? "?" : "&";
        return fragmentless + separator + query + fragment;
    }
}
