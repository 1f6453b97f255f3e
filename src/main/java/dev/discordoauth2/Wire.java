package dev.discordoauth2;

import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.User;
import dev.discordoauth2.model.Webhook;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.annotation.JsonbProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Discord's answers as Java values: one JSON-B instance per client, and the rules of what is refused and how it is
 * reported without leaking a body's content. Thread-safe.
 */
final class Wire implements AutoCloseable {
    private final Jsonb jsonb = JsonbBuilder.create();

    /**
     * Maps a body to a type. Malformed JSON is a {@link DiscordException} without the body's content; JSON that a
     * record refuses (the model's {@code InvalidWireObjectException}, e.g. a user without an id) is a {@link DiscordException}
     * whose message is the route plus the record's reason, which names the field and the rule but no value. A
     * {@code null} answer, or a {@code null} element of a list, is refused too. An optional nested object that does
     * not fit (a member's {@code "user": {}}) is left out by its record instead, see
     * {@link dev.discordoauth2.model.LenientOptional}.
     */
    <T> T read(ApiCall call, String body, Type type, boolean keepCause) {
        T value;
        try {
            value = jsonb.fromJson(body, type);
        } catch (JsonbException | IllegalArgumentException | NullPointerException | ArithmeticException
                | java.time.DateTimeException e) {
            IllegalArgumentException invalid = invalidWireObject(e);
            if (invalid != null) {
                throw new DiscordException(call.route() + ": Discord's answer is " + invalid.getMessage(), invalid);
            }
            String message = call.route() + ": Discord's answer is not the expected JSON";
            throw keepCause ? new DiscordException(message, e) : new DiscordException(message);
        }
        if (value == null) {
            throw new DiscordException(call.route() + ": Discord's answer is null, not the expected JSON");
        }
        if (value instanceof Collection<?> list && list.stream().anyMatch(Objects::isNull)) {
            throw new DiscordException(call.route() + ": Discord's answer has a null element in a list");
        }
        return value;
    }

    /**
     * The model's refusal type, package-private there, so known here by name: its messages never carry a value, so
     * they may go into an exception's message.
     */
    private static final String MODEL_REFUSAL = User.class.getPackageName() + ".InvalidWireObjectException";

    /** The record's refusal somewhere in the mapper's cause chain, if that is why mapping failed. */
    private static IllegalArgumentException invalidWireObject(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException invalid && (t instanceof TokenResponse.Invalid
                    || t.getClass().getName().equals(MODEL_REFUSAL))) {
                return invalid;
            }
        }
        return null;
    }

    static Type listOf(Class<?> element) {
        return new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {element};
            }

            @Override
            public Type getRawType() {
                return List.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }
        };
    }

    @Override
    public void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            System.getLogger(DiscordOAuth2Client.class.getName()).log(System.Logger.Level.DEBUG,
                    "closing JSON-B failed", e);
        }
    }

    /**
     * The token endpoint's success body, as Discord sends it; only the client reads it, {@link AccessToken} is what callers
     * use. Public only so that JSON-B may read it: {@link Wire} is not public, so neither is this.
     * {@link #toString()} shows no credential. Immutable and thread-safe.
     *
     * <p>Checked on construction: {@code access_token} present, {@code token_type} (if sent) {@code Bearer} in any case,
     * and {@code expires_in} present and between 0 and {@link #MAX_EXPIRES_IN} seconds. Discord's tokens live seven days;
     * ten years is far beyond any real lifetime yet far below what would overflow an {@link java.time.Instant}.
     *
     * @param accessToken  the access token
     * @param tokenType    {@code Bearer}
     * @param expiresIn    lifetime in seconds
     * @param refreshToken the refresh token (absent for client credentials)
     * @param scope        granted scopes, space-separated
     * @param webhook      the {@code webhook.incoming} flow's webhook
     * @param guild        the bot flow's guild
     * @param idToken      the {@code openid} scope's id token
     */
    public record TokenResponse(@JsonbProperty("access_token") String accessToken,
            @JsonbProperty("token_type") String tokenType, @JsonbProperty("expires_in") Long expiresIn,
            @JsonbProperty("refresh_token") String refreshToken, String scope, Webhook webhook, Guild guild,
            @JsonbProperty("id_token") String idToken) {

        /** The longest {@code expires_in} accepted: ten years (3650 days) in seconds. */
        static final long MAX_EXPIRES_IN = 3650L * 24 * 60 * 60;

        /** @throws Invalid when a field breaks the rules above; the message names the field only */
        public TokenResponse {
            if (accessToken == null) {
                throw new Invalid("access_token is missing");
            }
            if (accessToken.isEmpty()) {
                throw new Invalid("access_token must not be empty");
            }
            if (tokenType != null && !tokenType.equalsIgnoreCase("Bearer")) {
                throw new Invalid("token_type must be Bearer");
            }
            if (expiresIn == null) {
                throw new Invalid("expires_in is missing");
            }
            if (expiresIn < 0 || expiresIn > MAX_EXPIRES_IN) {
                throw new Invalid("expires_in must be between 0 and " + MAX_EXPIRES_IN + " seconds (10 years)");
            }
        }

        /** The record refused its values, as the model records' refusal does: the message never carries a value. */
        static final class Invalid extends IllegalArgumentException {
            private static final long serialVersionUID = 1L;

            Invalid(String reason) {
                this("token response", reason);
            }

            Invalid(String what, String reason) {
                super("not a valid " + what + ": " + reason);
            }
        }

        @Override
        public String toString() {
            return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", scope=" + scope
                    + ", accessToken=(redacted), refreshToken=" + (refreshToken == null ? "none" : "(redacted)")
                    + ", idToken=" + (idToken == null ? "none" : "(redacted)") + "]";
        }
    }

    /**
     * The device authorization endpoint's success body ({@code POST /oauth2/device/authorize}, RFC 8628 §3.2), as
     * Discord sends it; only the client reads it, {@link DeviceAuthorization} is what callers use. Public only so that
     * JSON-B may read it. {@link #toString()} shows no device code. Immutable and thread-safe.
     *
     * <p>Checked on construction: {@code device_code}, {@code user_code}, {@code verification_uri} and
     * {@code expires_in} present, {@code expires_in} between 0 and a day, {@code interval} (if sent) between 0 and an
     * hour; a missing {@code interval} is RFC 8628's default of 5 seconds.
     *
     * @param deviceCode              the device code
     * @param userCode                the user code
     * @param verificationUri         the verification page
     * @param verificationUriComplete the verification page with the user code, if sent
     * @param expiresIn               lifetime of the codes in seconds
     * @param interval                the least seconds between polls, if sent
     */
    public record DeviceAuthorizationResponse(@JsonbProperty("device_code") String deviceCode,
            @JsonbProperty("user_code") String userCode, @JsonbProperty("verification_uri") String verificationUri,
            @JsonbProperty("verification_uri_complete") String verificationUriComplete,
            @JsonbProperty("expires_in") Long expiresIn, Long interval) {

        /** @throws TokenResponse.Invalid when a field breaks the rules above; the message names the field only */
        public DeviceAuthorizationResponse {
            required(deviceCode, "device_code");
            required(userCode, "user_code");
            required(verificationUri, "verification_uri");
            if (expiresIn == null) {
                throw invalid("expires_in is missing");
            }
            if (expiresIn < 0 || expiresIn > 86_400) {
                throw invalid("expires_in must be between 0 and 86400 seconds");
            }
            if (interval != null && (interval < 0 || interval > 3600)) {
                throw invalid("interval must be between 0 and 3600 seconds");
            }
            interval = interval == null ? 5L : interval;
        }

        private static void required(String value, String name) {
            if (value == null || value.isEmpty()) {
                throw invalid(name + " is missing or empty");
            }
        }

        private static TokenResponse.Invalid invalid(String reason) {
            return new TokenResponse.Invalid("device authorization", reason);
        }

        @Override
        public String toString() {
            return "DeviceAuthorizationResponse[userCode=" + userCode + ", verificationUri=" + verificationUri
                    + ", expiresIn=" + expiresIn + ", interval=" + interval + ", deviceCode=(redacted)]";
        }
    }
}
