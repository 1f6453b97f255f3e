package dev.discordoauth2.bench;

import dev.discordoauth2.AuthorizeRequest;
import dev.discordoauth2.AuthorizeRequest.Pkce;
import dev.discordoauth2.DiscordOAuth2Client;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** JMH: the client's hot paths — token response mapping, login state and PKCE generation, authorize URL building. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HotPathBenchmark {
    private static final String TOKEN_RESPONSE = "{\"access_token\":\"6qrZcUqja7812RVdnEKjpzOL4CvHBFG\",\"token_type\":"
            + "\"Bearer\",\"expires_in\":604800,\"refresh_token\":\"D43f5y0ahjqew82jZ4NViEr2YafMKhue\",\"scope\":\"identify\"}";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The client's token body record; not public API, so named here for JSON-B as the client uses it. */
    private static final Class<?> TOKEN_RESPONSE_TYPE = tokenResponseType();
    private Jsonb jsonb;
    private DiscordOAuth2Client client;
    private AuthorizeRequest request;

    @Setup
    public void setUp() {
        jsonb = JsonbBuilder.create();
        client = DiscordOAuth2Client.builder().clientId("157730590492196864").clientSecret("s")
                .redirectUri(URI.create("https://app.example/oauth2/callback")).build();
        request = AuthorizeRequest.builder().scopes("identify", "email").state("15773059ghq9183habn")
                .codeChallenge(Pkce.generate()).build();
    }

    @TearDown
    public void tearDown() throws Exception {
        client.close();
        jsonb.close();
    }

    private static Class<?> tokenResponseType() {
        try {
            return Class.forName("dev.discordoauth2.Wire$TokenResponse");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public Object tokenResponseMapping() {
        return jsonb.fromJson(TOKEN_RESPONSE, TOKEN_RESPONSE_TYPE);
    }

    /** What the filter does per login start: 256-bit state plus a PKCE pair. */
    @Benchmark
    public Object stateAndPkceGeneration() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Object[] {Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), Pkce.generate()};
    }

    @Benchmark
    public URI authorizeUrl() {
        return client.generateUri(request);
    }
}
