package dev.discordoauth2.servlet;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.NotFoundException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.RateLimitedException;
import dev.discordoauth2.model.GuildMember;
import dev.discordoauth2.model.PartialGuild;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads the user's Discord servers for {@link GuildRules}: at login (in the callback, within its budget) and again
 * while the user is logged in, at most every {@code discord.guild-recheck-interval} and after each token refresh, in
 * the background (one lookup per session at a time; the request that finds the answer applies it). One call per
 * configured server with {@code guilds.members.read} ({@code GET /users/@me/guilds/{guild.id}/member}, a 404 meaning
 * "not a member"), or one {@code GET /users/@me/guilds} with only the {@code guilds} scope; the client follows
 * Discord's rate limits, and a failed lookup keeps the last standing and is tried again after a minute (or
 * Discord's {@code retry_after}). Thread-safe.
 */
final class GuildChecks {
    static final String STANDING = GuildStanding.class.getName();
    private static final System.Logger LOG = System.getLogger(DiscordLoginFilter.class.getName());
    private static final Duration RETRY_FAILED = Duration.ofMinutes(1);

    private final GuildRules rules;
    private final boolean membersRead;
    private final Executor executor;
    /** Session id → the lookup running for it, with the access token it used. */
    private final Map<String, Flight> running = new ConcurrentHashMap<>();

    private record Flight(String accessToken, CompletableFuture<Object> result) {
    }

    /** A lookup that failed, and when to try again. */
    private record Failed(String reason, Duration retryAfter) {
    }

    GuildChecks(GuildRules rules, List<String> scopes, Executor executor) {
        this.rules = rules;
        this.membersRead = scopes.contains("guilds.members.read");
        this.executor = executor;
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
                    GuildMember member = token.fetchGuildMember(guild);
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

    /** Marks the session's standing as due, so that the next request looks the servers up again (after a refresh). */
    void markDue(HttpSession session) {
        if (active() && session.getAttribute(STANDING) instanceof GuildStanding s) {
            session.setAttribute(STANDING, new GuildStanding(s.admitted(), s.roles(), s.memberOf(), 0L));
        }
    }

    /**
     * On a request of a logged-in session: applies a finished lookup, starts one when due. Returns false when the
     * user is no longer admitted (left the required servers): the caller ends the login.
     */
    boolean poll(HttpSession session, DiscordTokens tokens,
            java.util.function.Function<String, PartialAccessToken> wrap, Instant now) {
        if (!active()) {
            return true;
        }
        String key = session.getId();
        Flight flight = running.get(key);
        if (flight != null && flight.result().isDone()) {
            if (running.remove(key, flight) && flight.accessToken().equals(tokens.accessToken())) {
                Object result = flight.result().getNow(null);
                if (result instanceof GuildStanding standing) {
                    if (!standing.admitted()) {
                        LOG.log(System.Logger.Level.INFO, "the user is no longer a member of the required Discord "
                                + "servers; the login ends");
                        return false;
                    }
                    session.setAttribute(STANDING, standing);
                    if (session.getAttribute(DiscordWeb.PRINCIPAL) instanceof DiscordPrincipal p
                            && !p.guildRoles().equals(standing.roles())) {
                        session.setAttribute(DiscordWeb.PRINCIPAL, p.withGuildRoles(standing.roles()));
                    }
                } else if (result instanceof Failed failed && session.getAttribute(STANDING) instanceof GuildStanding s) {
                    long retryAt = now.plus(failed.retryAfter().compareTo(RETRY_FAILED) > 0 ? failed.retryAfter()
                            : RETRY_FAILED).toEpochMilli();
                    // checked again once the interval has passed since a pretended check
                    long pretend = retryAt - intervalMillis();
                    session.setAttribute(STANDING, new GuildStanding(s.admitted(), s.roles(), s.memberOf(),
                            Math.max(pretend, s.checkedAtMillis())));
                    LOG.log(System.Logger.Level.WARNING, "reading the user's Discord servers failed ("
                            + failed.reason() + "); the last answer stands, tried again later");
                }
            }
            return true;
        }
        if (flight != null) {
            return true;
        }
        GuildStanding standing = session.getAttribute(STANDING) instanceof GuildStanding s ? s : null;
        boolean due = standing == null || standing.checkedAtMillis() == 0L
                || (intervalMillis() > 0 && now.toEpochMilli() >= standing.checkedAtMillis() + intervalMillis());
        if (due) {
            start(key, tokens.accessToken(), wrap.apply(tokens.accessToken()), now);
        }
        return true;
    }

    private long intervalMillis() {
        return rules.recheckInterval().toMillis();
    }

    private void start(String key, String accessToken, PartialAccessToken token, Instant now) {
        if (running.size() > 10_000) {
            return; // bounded: a burst of sessions is checked on their next requests
        }
        Flight flight = new Flight(accessToken, new CompletableFuture<>());
        if (running.putIfAbsent(key, flight) != null) {
            return;
        }
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
            running.remove(key, flight);
        }
    }

    /** Forgets a session's lookup (the login ended). */
    void forget(String sessionId) {
        running.remove(sessionId);
    }
}
