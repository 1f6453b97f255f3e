package dev.discordoauth2.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Discord application (OAuth2 client) registered with the {@link DiscordEmulator}.
 *
 * <p>A <em>public client</em> ("Public Client" in Discord's developer portal) may exchange codes without its secret,
 * but only with PKCE. A <em>team-owned</em> application may ask the client credentials grant only for
 * {@code identify} and {@code applications.commands.update}. The client credentials grant returns a token of
 * {@code ownerId}; when that is {@code null} the emulator uses its first user. {@link #toString()} leaves the secret
 * and the bot token out. Immutable and thread-safe.
 *
 * @param clientId               the application id (a snowflake)
 * @param name                   shown on the consent page and in {@code GET /oauth2/@me}
 * @param clientSecret           the client secret
 * @param redirectUris           the registered redirect URIs, compared exactly; the first is the default
 * @param botToken               the bot's token, or {@code null} when the application has no bot
 * @param teamOwned              owned by a team
 * @param publicClient           may use PKCE without a secret
 * @param ownerId                user id whose token the client credentials grant returns, or {@code null}
 * @param roleConnectionMetadata the linked-roles metadata registered at start (at most 5)
 */
public record EmulatedApplication(String clientId, String name, String clientSecret, List<String> redirectUris,
        String botToken, boolean teamOwned, boolean publicClient, String ownerId,
        List<EmulatedMetadataField> roleConnectionMetadata) {

    public EmulatedApplication {
        Snowflakes.require(clientId, "clientId");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(clientSecret, "clientSecret must not be null");
        redirectUris = List.copyOf(redirectUris);
        if (redirectUris.isEmpty()) {
            throw new IllegalArgumentException("an application needs at least one redirect URI");
        }
        roleConnectionMetadata = List.copyOf(roleConnectionMetadata);
        if (roleConnectionMetadata.size() > 5) {
            throw new IllegalArgumentException("at most 5 role connection metadata records");
        }
    }

    /** Starts an application with the given client id; name "Emulated App", no bot. */
    public static Builder builder(String clientId) {
        return new Builder(clientId);
    }

    @Override
    public String toString() {
        return "EmulatedApplication[clientId=" + clientId + ", name=" + name + ", redirectUris=" + redirectUris
                + ", bot=" + (botToken != null) + ", teamOwned=" + teamOwned + ", publicClient=" + publicClient
                + ", ownerId=" + ownerId + ", roleConnectionMetadata=" + roleConnectionMetadata.size() + "]";
    }

    /** Builds an {@link EmulatedApplication}. Not thread-safe. */
    public static final class Builder {
        private final String clientId;
        private String name = "Emulated App";
        private String clientSecret;
        private final List<String> redirectUris = new ArrayList<>();
        private String botToken;
        private boolean teamOwned;
        private boolean publicClient;
        private String ownerId;
        private final List<EmulatedMetadataField> metadata = new ArrayList<>();

        private Builder(String clientId) {
            this.clientId = clientId;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        /** Adds a registered redirect URI; call once per URI. */
        public Builder redirectUri(String redirectUri) {
            this.redirectUris.add(Objects.requireNonNull(redirectUri, "redirectUri must not be null"));
            return this;
        }

        public Builder botToken(String botToken) {
            this.botToken = botToken;
            return this;
        }

        public Builder teamOwned(boolean teamOwned) {
            this.teamOwned = teamOwned;
            return this;
        }

        public Builder publicClient(boolean publicClient) {
            this.publicClient = publicClient;
            return this;
        }

        public Builder ownerId(String ownerId) {
            this.ownerId = ownerId;
            return this;
        }

        public Builder roleConnectionMetadata(EmulatedMetadataField field) {
            this.metadata.add(field);
            return this;
        }

        public EmulatedApplication build() {
            return new EmulatedApplication(clientId, name, clientSecret, redirectUris, botToken, teamOwned,
                    publicClient, ownerId, metadata);
        }
    }
}
