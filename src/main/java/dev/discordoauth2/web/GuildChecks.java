package dev.discordoauth2.web;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.NotFoundException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.RateLimitedException;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.PartialGuild;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Reads the user's Discord servers for {@link GuildRules}: at login (in the callback, within its budget) and again
 * while the user is logged in, after each token refresh and whenever {@code discord.guild-recheck-interval} has passed
 * since the last check. A request whose standing is due waits for the lookup (at most {@code discord.refresh-timeout},
 * like a refresh), so no request is authorized with an answer older than the interval; one lookup runs per session at
 * a time, in the background pool, and a lookup that takes longer than the wait is applied by the session's next
 * request. One call per configured server with {@code guilds.members.read}
 * ({@code GET /users/@me/guilds/{guild.id}/member}, a 404 meaning "not a member"), or one {@code GET /users/@me/guilds}
 * with only the {@code guilds} scope; the client follows Discord's rate limits. A failed lookup (Discord failing, or
 * this node too busy to start one) keeps the last standing, says so in the log, and is tried again after a minute (or
 * Discord's {@code retry_after}), whatever the interval. Thread-safe.
 */
final class GuildChecks {
    private static final System.Logger LOG = System.getLogger(GuildChecks.class.getName());
    private static final Duration RETRY_FAILED = Duration.ofMinutes(1);

    private final GuildRules rules;
    private final boolean membersRead;
    private final Executor executor;
    private final Duration wait;
    /** Replaces the session's login with a change applied to it (see {@link DiscordWeb#update}). */
    private final java.util.function.BiFunction<LoginCore.Session, java.util.function.UnaryOperator<LoginState>,
            LoginState> update;
    /** Session id → the lookup running for it (or finished and not yet applied). */
    private final SessionMemory<Flight> running = new SessionMemory<>();

    /** A lookup; its result is a {@link GuildStanding} or a {@link Failed}. */
    private record Flight(CompletableFuture<Object> result) {
    }

    /** A lookup that failed, and how long Discord asked to wait. */
    private record Failed(String reason, Duration retryAfter) {
    }

    /** How a request's check of the user's servers ended. */
    enum Verdict {
        /** Admitted, with the standing in the session unchanged. */
        UNCHANGED,
        /** Admitted, and the session's standing (and the principal's server roles) were just updated. */
        UPDATED,
        /** No longer admitted (left the required servers): the caller ends the login. */
        LEFT
    }

    GuildChecks(GuildRules rules, List<String> scopes, Executor executor, Duration wait,
            java.util.function.BiFunction<LoginCore.Session, java.util.function.UnaryOperator<LoginState>, LoginState>
                    update) {
        this.rules = rules;
        this.update = update;
        this.membersRead = scopes.contains("guilds.members.read");
        this.executor = executor;
        this.wait = wait;
    }

    boolean active() {
        return rules.active();
    }

    GuildRules rules() {
        return rules;
    }

    /**
     * Looks the user's servers up now (the callback).
     *
     * @throws DiscordException when Discord fails or refuses a lookup
     */
    GuildStanding lookUp(PartialAccessToken token, Instant now) {
        Map<String, List<String>> memberships = new LinkedHashMap<>();
        if (membersRead) {
            for (String guild : rules.guilds()) {
                try {
                    Guild.Member member = token.fetchGuildMember(guild);
                    memberships.put(guild, member.roles());
                } catch (NotFoundException notAMember) {
                    // Discord answers 404 (10004 Unknown Guild) to a user who is not a member
                }
            }
        } else {
            for (PartialGuild guild : token.fetchGuilds()) {
                if (rules.guilds().contains(guild.id())) {
                    memberships.put(guild.id(), List.of());
                }
            }
        }
        return rules.standing(memberships, now.toEpochMilli());
    }

    /**
     * On a request of a logged-in session: when the standing is due (or a lookup of this session is under way),
     * waits for the lookup at most the configured wait and applies its answer to the session (standing and the
     * principal's server roles); a lookup still running after the wait is applied by a later request, the last
     * standing serving meanwhile.
     *
     * @param wrap the session's access token as the client's token object, for the lookup
     */
    Verdict poll(LoginCore.Session session, LoginState state, Function<String, PartialAccessToken> wrap, Instant now) {
        if (!active()) {
            return Verdict.UNCHANGED;
        }
        DiscordTokens tokens = state.tokens();
        String key = session.id();
        Flight flight = running.get(key);
        if (flight == null) {
            GuildStanding standing = state.standing();
            if (standing != null && !standing.dueAt(now.toEpochMilli(), intervalMillis())) {
                return Verdict.UNCHANGED;
            }
            Flight mine = new Flight(new CompletableFuture<>());
            flight = running.putIfAbsent(key, mine, SessionMemory.lifetimeOf(session));
            if (flight == null) {
                flight = mine;
                launch(mine, wrap.apply(tokens.accessToken()), now);
            }
        }
        Object result;
        try {
            result = flight.result().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "reading the user's Discord servers takes longer than " + wait
                    + "; the last answer serves until it is in");
            return Verdict.UNCHANGED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.UNCHANGED;
        } catch (ExecutionException e) {
            result = new Failed(String.valueOf(e.getCause()), Duration.ZERO);
        }
        if (!running.remove(key, flight)) {
            return Verdict.UNCHANGED; // another request of the session applied it
        }
        return apply(session, result, now);
    }

    private Verdict apply(LoginCore.Session session, Object result, Instant now) {
        if (result instanceof GuildStanding standing) {
            if (!standing.admitted()) {
                LOG.log(System.Logger.Level.INFO, "the user is no longer a member of the required Discord servers; "
                        + "the login ends");
                return Verdict.LEFT;
            }
            update.apply(session, s -> s.withStanding(standing));
            return Verdict.UPDATED;
        }
        Failed failed = (Failed) result;
        Duration after = failed.retryAfter().compareTo(RETRY_FAILED) > 0 ? failed.retryAfter() : RETRY_FAILED;
        long retryAt = now.plus(after).toEpochMilli();
        LoginState updated = update.apply(session, s -> s.standing() == null ? s
                : s.withStanding(s.standing().retryAt(retryAt)));
        LOG.log(System.Logger.Level.WARNING, "reading the user's Discord servers failed (" + failed.reason()
                + "); the last answer stands, tried again in " + after.toSeconds() + " s");
        return updated == null ? Verdict.UNCHANGED : Verdict.UPDATED;
    }

    private long intervalMillis() {
        return rules.recheckInterval().toMillis();
    }

    private void launch(Flight flight, PartialAccessToken token, Instant now) {
        try {
            executor.execute(() -> {
                Object result;
                try {
                    result = lookUp(token, now);
                } catch (RateLimitedException e) {
                    result = new Failed(e.getMessage(), e.retryAfter());
                } catch (DiscordException e) {
                    result = new Failed(e.getMessage(), Duration.ZERO);
                } catch (RuntimeException e) {
                    result = new Failed(e.toString(), Duration.ZERO);
                }
                flight.result().complete(result);
            });
        } catch (RejectedExecutionException e) {
            flight.result().complete(new Failed("this node is too busy to start the lookup now", Duration.ZERO));
        }
    }

    /** Forgets a session's lookup (its login or the session ended). */
    void forget(String sessionId) {
        running.forget(sessionId);
    }

    /** The sessions this node holds a lookup for (tests: bounded by what is live). */
    int remembered() {
        return running.size();
    }
}
