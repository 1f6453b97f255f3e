package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rechecks of the user's servers, without a container: a due recheck is never skipped, however many are open. */
class GuildChecksTest {
    private static final String GUILD = "197038439483310086";

    private static LoginState loggedIn(long checkedAtMillis) {
        return new LoginState(new DiscordPrincipal("80351110224678912", "nelly", null, null, null, null),
                new DiscordTokens("access", Instant.EPOCH.plus(Duration.ofDays(7)), "refresh", List.of("identify")),
                SessionChecks.validatedAt(Instant.EPOCH), new GuildStanding(true, Set.of(), Set.of(GUILD),
                checkedAtMillis, 0), 0);
    }

    @Test
    void pollWhenMoreThanTenThousandLookupsAreOpenThenADueOneIsStillStarted() {
        AtomicInteger started = new AtomicInteger();
        GuildRules rules = new GuildRules(List.of(GUILD), false, Map.of(), Duration.ofMinutes(10), null);
        // an executor that takes every lookup and never runs it: lookups of abandoned sessions stay open
        GuildChecks checks = new GuildChecks(rules, List.of("identify", "guilds"), task -> started.incrementAndGet(),
                Duration.ofMillis(1), (session, change) -> null);
        Instant now = Instant.EPOCH.plus(Duration.ofMinutes(11));
        for (int i = 0; i < 10_050; i++) {
            MapSession session = new MapSession("abandoned-" + i);
            checks.poll(session, loggedIn(0), token -> null, now);
        }
        assertEquals(10_050, started.get(), "each due session got its lookup");
        checks.poll(new MapSession("due"), loggedIn(0), token -> null, now);
        assertEquals(10_051, started.get(), "a due recheck is never skipped");
        assertEquals(10_051, checks.remembered(), "held until each lookup ends, its session ends, or its lifetime");
    }
}
