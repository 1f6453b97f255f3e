package dev.discordoauth2.servlet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the filter's per-request decision for a logged-in session once the session attributes are read — is the
 * token due for refresh, which roles does the user have — and the return-path check of a login start. (In the same
 * package as the filter to reach its package-private decision code.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FilterDecisionBenchmark {
    private final DiscordTokens tokens = new DiscordTokens("access", Instant.now().plus(Duration.ofDays(7)), "refresh",
            List.of("identify"));
    private final DiscordPrincipal principal = new DiscordPrincipal("80351110224678912", "nelly", "Nelly", null, null,
            null);
    private final Map<String, Set<String>> roles = Map.of("admin", Set.of("80351110224678912"));

    @Benchmark
    public boolean loggedInDecision() {
        return !tokens.expiresWithin(Duration.ofMinutes(1), Instant.now())
                && LoginFlow.groups(principal, tokens, roles).contains("admin");
    }

    @Benchmark
    public boolean returnPathCheck() {
        return ReturnPaths.isLocal("/profile?tab=guilds&sort=name");
    }
}
