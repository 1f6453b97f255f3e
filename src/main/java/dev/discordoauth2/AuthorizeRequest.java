package dev.discordoauth2;

import dev.discordoauth2.model.Snowflake;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to ask Discord for in an authorize URL: every parameter of Python's {@code generate_uri} and PKCE. Build one
 * with {@link #builder()} and turn it into a URL with {@link DiscordOAuth2Client#generateUri(AuthorizeRequest)}.
 * {@code build()} refuses what Discord would refuse: no scope, {@code role_connections.write} with the implicit grant
 * or with PKCE, PKCE with the implicit grant, an {@code integration_type} without {@code applications.commands}.
 * Immutable and thread-safe.
 */
public final class AuthorizeRequest {
    private final List<String> scopes;
    private final String state;
    private final Prompt prompt;
    private final IntegrationType integrationType;
    private final ResponseType responseType;
    private final String guildId;
    private final Boolean disableGuildSelect;
    private final Long permissions;
    private final Pkce pkce;
    private final URI redirectUri;

    private AuthorizeRequest(Builder b) {
        this.scopes = List.copyOf(b.scopes);
        this.state = b.state;
        this.prompt = b.prompt;
        this.integrationType = b.integrationType;
        this.responseType = b.responseType;
        this.guildId = b.guildId;
        this.disableGuildSelect = b.disableGuildSelect;
        this.permissions = b.permissions;
        this.pkce = b.pkce;
        this.redirectUri = b.redirectUri;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The scopes in the order given. */
    public List<String> scopes() {
        return scopes;
    }

    public Optional<String> state() {
        return Optional.ofNullable(state);
    }

    public Optional<Prompt> prompt() {
        return Optional.ofNullable(prompt);
    }

    public Optional<IntegrationType> integrationType() {
        return Optional.ofNullable(integrationType);
    }

    public ResponseType responseType() {
        return responseType;
    }

    public Optional<String> guildId() {
        return Optional.ofNullable(guildId);
    }

    public Optional<Boolean> disableGuildSelect() {
        return Optional.ofNullable(disableGuildSelect);
    }

    public OptionalLong permissions() {
        return permissions == null ? OptionalLong.empty() : OptionalLong.of(permissions);
    }

    /** The PKCE pair whose challenge goes in the URL. */
    public Optional<Pkce> codeChallenge() {
        return Optional.ofNullable(pkce);
    }

    /** A redirect URI for this request instead of the client's; it must be registered with Discord too. */
    public Optional<URI> redirectUri() {
        return Optional.ofNullable(redirectUri);
    }

    @Override
    public String toString() {
        return "AuthorizeRequest[scopes=" + scopes + ", responseType=" + responseType + ", prompt=" + prompt
                + ", state=" + (state == null ? "none" : "(set)") + ", pkce=" + (pkce != null) + "]";
    }

    /** Builds an {@link AuthorizeRequest}. Not thread-safe. */
    public static final class Builder {
        private final Set<String> scopes = new LinkedHashSet<>();
        private String state;
        private Prompt prompt;
        private IntegrationType integrationType;
        private ResponseType responseType = ResponseType.CODE;
        private String guildId;
        private Boolean disableGuildSelect;
        private Long permissions;
        private Pkce pkce;
        private URI redirectUri;

        private Builder() {
        }

        /** Adds scopes, e.g. {@code scopes("identify", "guilds")}. */
        public Builder scopes(String... scopes) {
            return scopes(List.of(scopes));
        }

        public Builder scopes(Collection<String> scopes) {
            for (String scope : scopes) {
                Objects.requireNonNull(scope, "scope must not be null");
                if (scope.isBlank() || scope.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("a scope must be one word without spaces: '" + scope + "'");
                }
                this.scopes.add(scope);
            }
            return this;
        }

        /** The {@code state} Discord echoes back; use a fresh random value per login. */
        public Builder state(String state) {
            this.state = state;
            return this;
        }

        /** {@code true}: {@code prompt=none} (Python's {@code skip_prompt}); {@code false}: no prompt parameter. */
        public Builder skipPrompt(boolean skipPrompt) {
            this.prompt = skipPrompt ? Prompt.NONE : null;
            return this;
        }

        public Builder prompt(Prompt prompt) {
            this.prompt = prompt;
            return this;
        }

        /** Sent only with the {@code applications.commands} scope. */
        public Builder integrationType(IntegrationType integrationType) {
            this.integrationType = integrationType;
            return this;
        }

        public Builder responseType(ResponseType responseType) {
            this.responseType = Objects.requireNonNull(responseType, "responseType must not be null");
            return this;
        }

        /** Pre-selects the guild of the bot or webhook flow. */
        public Builder guildId(String guildId) {
            this.guildId = guildId == null ? null : Snowflake.require(guildId, "guildId");
            return this;
        }

        public Builder disableGuildSelect(boolean disableGuildSelect) {
            this.disableGuildSelect = disableGuildSelect;
            return this;
        }

        /** The bot's permission bit field. */
        public Builder permissions(long permissions) {
            if (permissions < 0) {
                throw new IllegalArgumentException("permissions must not be negative: " + permissions);
            }
            this.permissions = permissions;
            return this;
        }

        /** Sends {@code code_challenge} and {@code code_challenge_method=S256}; keep the pair for the exchange. */
        public Builder codeChallenge(Pkce pkce) {
            this.pkce = pkce;
            return this;
        }

        public Builder redirectUri(URI redirectUri) {
            if (redirectUri != null && !redirectUri.isAbsolute()) {
                throw new IllegalArgumentException("redirectUri must be absolute: " + redirectUri);
            }
            this.redirectUri = redirectUri;
            return this;
        }

        public AuthorizeRequest build() {
            if (scopes.isEmpty()) {
                throw new IllegalStateException("an authorize request needs at least one scope");
            }
            if (scopes.contains("role_connections.write") && responseType == ResponseType.TOKEN) {
                throw new IllegalStateException("Discord refuses role_connections.write with the implicit grant");
            }
            if (scopes.contains("role_connections.write") && pkce != null) {
                throw new IllegalStateException("Discord refuses role_connections.write with PKCE");
            }
            if (pkce != null && responseType == ResponseType.TOKEN) {
                throw new IllegalStateException("PKCE needs the authorization code grant, not the implicit grant");
            }
            if (integrationType != null && !scopes.contains("applications.commands")) {
                throw new IllegalStateException("integrationType is only sent with the applications.commands scope");
            }
            return new AuthorizeRequest(this);
        }
    }

    /** The authorize URL's {@code prompt}: ask the user again ({@link #CONSENT}) or skip the page when allowed ({@link #NONE}). */
    public enum Prompt {
        /** {@code prompt=consent}: the user re-approves even if they approved before. */
        CONSENT("consent"),
        /** {@code prompt=none}: no page when the user approved these scopes before (not for {@code bot} or {@code webhook.incoming}). */
        NONE("none");

        private final String value;

        Prompt(String value) {
            this.value = value;
        }

        /** The query value Discord expects. */
        public String value() {
            return value;
        }
    }

    /** The authorize URL's {@code response_type}: the authorization code grant or the implicit grant. */
    public enum ResponseType {
        /** {@code code}: the authorization code grant (the only one a server should use). */
        CODE("code"),
        /** {@code token}: the implicit grant; the token arrives in the URI fragment, without a refresh token. */
        TOKEN("token");

        private final String value;

        ResponseType(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    /** Where an app with {@code applications.commands} is installed: a guild ({@code 0}) or a user ({@code 1}). */
    public enum IntegrationType {
        /** {@code integration_type=0}. */
        GUILD_INSTALL(0),
        /** {@code integration_type=1}. */
        USER_INSTALL(1);

        private final int value;

        IntegrationType(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }
    }

    /**
     * A PKCE (RFC 7636) pair for {@link Builder#codeChallenge}: a random {@code code_verifier} the application keeps
     * for {@link DiscordOAuth2Client#exchangeCode(String, String)} and its S256 {@code code_challenge} sent in the
     * authorize URL. Discord accepts only {@code S256}. {@link #toString()} leaves the verifier out. Immutable and
     * thread-safe.
     *
     * @param verifier  43–128 characters of {@code [A-Za-z0-9-._~]}
     * @param challenge {@code BASE64URL(SHA-256(verifier))} without padding
     */
    public record Pkce(String verifier, String challenge) {
        private static final Pattern VERIFIER = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");
        private static final SecureRandom RANDOM = new SecureRandom();

        public Pkce {
            Objects.requireNonNull(verifier, "verifier must not be null");
            if (!VERIFIER.matcher(verifier).matches()) {
                throw new IllegalArgumentException("verifier must be 43-128 characters of [A-Za-z0-9-._~]");
            }
            if (!challenge(verifier).equals(challenge)) {
                throw new IllegalArgumentException("challenge must be the S256 challenge of the verifier");
            }
        }

        /** A fresh pair from 32 random bytes (a 43-character verifier, 256 bits). */
        public static Pkce generate() {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            return of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }

        /** The pair for a verifier kept from an earlier {@link #generate()}. */
        public static Pkce of(String verifier) {
            return new Pkce(verifier, challenge(verifier));
        }

        /** {@code S256}, the only method Discord supports. */
        public String method() {
            return "S256";
        }

        static String challenge(String verifier) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JDK", e);
            }
        }

        @Override
        public String toString() {
            return "Pkce[challenge=" + challenge + ", verifier=(redacted)]";
        }
    }
}
