package dev.discordoauth2;

import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import dev.discordoauth2.model.RoleConnectionMetadata;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/**
 * The application's own calls behind {@link DiscordOAuth2Client}'s public methods, as {@link Operation}s for the
 * blocking and the async client alike: the authorize URL, the token grants, revocation (authenticated with the
 * client's credentials) and the linked-roles metadata (with the bot token). Each runs through the client or view
 * given. Stateless.
 */
final class ApplicationCalls {
    private ApplicationCalls() {
    }

    static URI authorizeUri(ClientCore core, AuthorizeRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        QueryString q = new QueryString();
        q.add("response_type", request.responseType().value());
        q.add("client_id", core.clientId);
        q.add("scope", String.join(" ", request.scopes()));
        request.state().ifPresent(s -> q.add("state", s));
        URI redirect = request.redirectUri().orElse(core.redirectUri);
        if (redirect != null) {
            q.add("redirect_uri", redirect.toString());
        }
        request.prompt().ifPresent(p -> q.add("prompt", p.value()));
        request.guildId().ifPresent(g -> q.add("guild_id", g));
        request.disableGuildSelect().ifPresent(d -> q.add("disable_guild_select", d.toString()));
        request.permissions().ifPresent(p -> q.add("permissions", Long.toString(p)));
        if (request.scopes().contains("applications.commands")) {
            request.integrationType().ifPresent(t -> q.add("integration_type", Integer.toString(t.value())));
        }
        request.codeChallenge().ifPresent(pkce -> {
            q.add("code_challenge", pkce.challenge());
            q.add("code_challenge_method", pkce.method());
        });
        String base = core.authorizeUri.toString();
        return URI.create(base + (core.authorizeUri.getRawQuery() == null ? "?" : "&") + q);
    }

    static Operation<AccessToken> exchangeCode(DiscordOAuth2Client client, String code, String codeVerifier,
            URI redirectUri) {
        requireText(code, "code");
        URI redirect = redirectUri != null ? redirectUri : client.core().redirectUri;
        if (redirect == null) {
            throw new IllegalStateException("exchangeCode needs the redirect URI of the authorize URL: configure "
                    + "DiscordOAuth2Client.Builder.redirectUri or pass one");
        }
        Form form = new Form().param("grant_type", "authorization_code").param("code", code)
                .param("redirect_uri", redirect.toString());
        if (codeVerifier != null) {
            form.param("code_verifier", codeVerifier);
        }
        return tokenGrant(client, form);
    }

    static Operation<AccessToken> refreshToken(DiscordOAuth2Client client, String refreshToken) {
        requireText(refreshToken, "refreshToken");
        return tokenGrant(client, new Form().param("grant_type", "refresh_token").param("refresh_token",
                refreshToken));
    }

    static Operation<AccessToken> clientCredentials(DiscordOAuth2Client client, Collection<String> scopes) {
        Objects.requireNonNull(scopes, "scopes must not be null");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("clientCredentialsGrant needs at least one scope");
        }
        if (client.core().clientSecret == null) {
            throw new IllegalStateException("clientCredentialsGrant needs the client secret: configure "
                    + "DiscordOAuth2Client.Builder.clientSecret(...)");
        }
        return tokenGrant(client, new Form().param("grant_type", "client_credentials").param("scope",
                String.join(" ", scopes)));
    }

    static Operation<Void> revokeToken(DiscordOAuth2Client client, String token, TokenTypeHint hint) {
        requireText(token, "token");
        Form form = new Form().param("token", token);
        if (hint != null) {
            form.param("token_type_hint", hint.value());
        }
        return new Operation<>(client, clientAuthenticated(client.core(), ApiCall.of("POST", "/oauth2/token/revoke"),
                form).retryable(true), answer -> null);
    }

    private static Operation<AccessToken> tokenGrant(DiscordOAuth2Client client, Form form) {
        ApiCall call = clientAuthenticated(client.core(), ApiCall.of("POST", "/oauth2/token"), form);
        return new Operation<>(client, call, answer -> accessToken(client, call, answer));
    }

    /** The token endpoint's success answer as an {@link AccessToken} of the client, dated by its clock. */
    static AccessToken accessToken(DiscordOAuth2Client client, ApiCall call, Transport.Answer answer) {
        ClientCore core = client.core();
        Wire.TokenResponse response = core.wire.read(call, answer.body(), Wire.TokenResponse.class, false);
        return new AccessToken(client, response.accessToken(), response.tokenType(), response.expiresIn(),
                response.scope(), response.refreshToken(), response.webhook(), response.guild(),
                response.idToken(), core.clock.instant());
    }

    /** The call with the client's credentials: HTTP Basic with the secret, else {@code client_id} in the form. */
    static ApiCall clientAuthenticated(ClientCore core, ApiCall call, Form form) {
        if (core.clientSecret != null) {
            call.auth("Basic " + Base64.getEncoder().encodeToString(
                    (core.clientId + ":" + core.clientSecret).getBytes(StandardCharsets.UTF_8)));
        } else {
            form.param("client_id", core.clientId);
        }
        return call.body(Entity.form(form));
    }

    static Operation<List<RoleConnectionMetadata>> updateLinkedRolesMetadata(DiscordOAuth2Client client,
            List<RoleConnectionMetadata> records) {
        Objects.requireNonNull(records, "records must not be null");
        if (records.size() > 5) {
            throw new IllegalArgumentException("Discord allows at most 5 role connection metadata records, got "
                    + records.size());
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (RoleConnectionMetadata r : records) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("type", r.type().value()).add("key", r.key())
                    .add("name", r.name()).add("description", r.description());
            if (!r.nameLocalizations().isEmpty()) {
                o.add("name_localizations", Json.createObjectBuilder(new HashMap<>(r.nameLocalizations())));
            }
            if (!r.descriptionLocalizations().isEmpty()) {
                o.add("description_localizations",
                        Json.createObjectBuilder(new HashMap<>(r.descriptionLocalizations())));
            }
            array.add(o);
        }
        return metadata(client, metadataCall(client.core(), "PUT").body(Entity.entity(array.build().toString(),
                MediaType.APPLICATION_JSON_TYPE)));
    }

    static Operation<List<RoleConnectionMetadata>> fetchLinkedRolesMetadata(DiscordOAuth2Client client) {
        return metadata(client, metadataCall(client.core(), "GET"));
    }

    private static Operation<List<RoleConnectionMetadata>> metadata(DiscordOAuth2Client client, ApiCall call) {
        return new Operation<>(client, call, answer -> client.core().wire.read(call, answer.body(),
                Wire.listOf(RoleConnectionMetadata.class), true));
    }

    private static ApiCall metadataCall(ClientCore core, String method) {
        String template = "/applications/{application.id}/role-connections/metadata";
        return ApiCall.of(method, template, "/applications/" + core.clientId + "/role-connections/metadata", null)
                .auth(core.botAuthorization("the linked roles metadata")).retryable(true);
    }

    static String requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be null or empty");
        }
        return value;
    }
}
