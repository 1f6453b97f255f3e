package dev.discordoauth2.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: what cookie mode adds to a logged-in request, without a container (in the core's package to reach it):
 * {@code openLogin} is a request's read of its login, {@link CookieSessions} finding the {@code DISCORD_LOGIN} cookie
 * of an {@code identify email guilds} login with a server role (and no {@code DISCORD_PENDING}) as the
 * {@link LoginState} the filter then checks: a browser's usual request, the same cookie again, which the node opened
 * once ({@link SealedValueBenchmark} measures the opening itself); {@code sealLogin} is an answer that carries a
 * changed login (after a refresh). The request is a map-backed {@link LoginCore.Exchange}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CookieOpenBenchmark {
    private static final String USER = "80351110224678912";

    private CookieSessions sessions;
    private LoginState state;
    private String cookie;

    @Setup
    public void setUp() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KeyRing keys = KeyRing.parse("discord.cookie-keys", "k1:" + Base64.getEncoder().encodeToString(key));
        Clock clock = Clock.systemUTC();
        sessions = new CookieSessions(keys, clock, Duration.ofDays(1), Duration.ofMinutes(10));
        DiscordPrincipal user = new DiscordPrincipal(USER, "nelly", "Nelly", "a_1269e74af4df7417b13759eae50c83dc",
                "nelly@example.com", true, Set.of("member"));
        DiscordTokens tokens = new DiscordTokens("6qrZcUqja7812RVdnEKjpzOL4CvHBFG", clock.instant().plus(
                Duration.ofDays(7)), "D43f5y0ahjqew82jZ4NViEr2YafMKhue", List.of("identify", "email", "guilds",
                "guilds.members.read"));
        state = new LoginState(user, tokens, SessionChecks.validatedAt(Instant.now()), new GuildStanding(true,
                Set.of("290926798626357250"), Set.of("290926798626357999"), System.currentTimeMillis(), 0L), 0L);
        cookie = sealLogin();
        if (!(openLogin() instanceof LoginState opened) || !opened.principal().id().equals(USER)) {
            throw new IllegalStateException("the sealed login did not open");
        }
    }

    @Benchmark
    public Object openLogin() {
        FakeExchange request = new FakeExchange();
        request.cookies.put(CookieSessions.LOGIN, cookie);
        return sessions.session(request, false).get(LoginStates.ATTRIBUTE);
    }

    @Benchmark
    public String sealLogin() {
        FakeExchange request = new FakeExchange();
        sessions.renew(request).set(LoginStates.ATTRIBUTE, state);
        return sessions.responseCookies(request).get(0).value();
    }

    /** A request to {@code /hello} of an application at the root, with its cookies and attributes in maps. */
    private static final class FakeExchange implements LoginCore.Exchange {
        final Map<String, String> cookies = new HashMap<>();
        private final Map<String, Object> attributes = new HashMap<>();

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String origin() {
            return "http://localhost:8080";
        }

        @Override
        public String contextPath() {
            return "";
        }

        @Override
        public String rawPath() {
            return "/hello";
        }

        @Override
        public String mappedPath() {
            return "/hello";
        }

        @Override
        public String rawQuery() {
            return null;
        }

        @Override
        public String cookie(String name) {
            return cookies.get(name);
        }

        @Override
        public boolean namesSession() {
            return false;
        }

        @Override
        public boolean sessionNamedInUrl() {
            return false;
        }

        @Override
        public LoginCore.Session session(boolean create) {
            throw new UnsupportedOperationException("cookie mode never asks the container for a session");
        }

        @Override
        public LoginCore.Session changeSessionId() {
            throw new UnsupportedOperationException("cookie mode never asks the container for a session");
        }

        @Override
        public Object attribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }
    }
}
