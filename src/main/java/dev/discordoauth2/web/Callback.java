package dev.discordoauth2.web;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.DiscordTimeoutException;
import dev.discordoauth2.DiscordTransportException;
import dev.discordoauth2.HttpException;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.RateLimitedException;
import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import dev.discordoauth2.model.User;
import dev.discordoauth2.web.Outcome;
import dev.discordoauth2.web.Outcome.Cookie;
import dev.discordoauth2.web.Outcome.Failure;
import dev.discordoauth2.web.Outcome.Page;
import dev.discordoauth2.web.Outcome.Redirect;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Discord's redirect back, as one step of the core. {@code state} is checked before anything else: missing, unknown,
 * replayed or expired is a 400 page and no code is exchanged; so is a session named in the URL and a malformed query.
 * {@code error=access_denied} leads to the "login cancelled" page (or {@code discord.login-cancelled-uri}). The state
 * of a tab whose login another tab completed first brings that tab to its own page, no code exchanged. Otherwise the
 * code is exchanged with the PKCE verifier on the request's own thread (at most {@code discord.max-concurrent-logins}
 * at once, else a 503 retry page) within {@code discord.callback-timeout}, every call to Discord cut to the time left,
 * the user fetched (and their servers), the session id changed, the login stored, and the browser sent to its return
 * path. Discord's failures are retry pages (503/502 with {@code Retry-After}) or 400 pages; a login that cannot be
 * completed after the exchange revokes the grant it got. A state the session the browser named does not hold gets one
 * self-reloading retry page (a cluster whose container stores sessions after the response). Thread-safe.
 */
final class Callback {
    private static final System.Logger LOG = System.getLogger(Callback.class.getName());
    /** The cookie marking a state already retried once (a digest of the state, never the state). */
    static final String RETRY_COOKIE = "DISCORD_STATE_RETRY";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final DiscordConfig config;
    private final DiscordOAuth2Client client;
    private final Steps steps;
    private final PendingLogins pending;
    private final LoginStates states;
    private final GuildChecks guilds;
    private final Background background;
    private final Clock clock;
    private final LoginEvents events;
    private final LoginCore.SessionStore store;
    private final SharedTokens shared;
    private final NativeFlows flows;
    /** Code exchanges running at once ({@code discord.max-concurrent-logins}); past it the callback is a 503. */
    private final Semaphore exchanges;

    Callback(DiscordConfig config, DiscordOAuth2Client client, Steps steps, PendingLogins pending, LoginStates states,
            GuildChecks guilds, Background background, Clock clock, LoginEvents events, LoginCore.SessionStore store,
            SharedTokens shared, NativeFlows flows) {
        this.flows = flows;
        this.store = store;
        this.shared = shared;
        this.config = config;
        this.client = client;
        this.steps = steps;
        this.pending = pending;
        this.states = states;
        this.guilds = guilds;
        this.background = background;
        this.clock = clock;
        this.events = events;
        this.exchanges = new Semaphore(config.maxConcurrentLogins());
    }

    Outcome handle(LoginCore.Exchange request) {
        Steps.OwnGet get = steps.ownGet(request);
        if (get.refusal() != null) {
            return get.refusal();
        }
        Query query = get.query();
        String state = query.get("state");
        if (state == null || state.isEmpty()) {
            return Page.of(Failure.MISSING_STATE).link(steps.loginLink(request), "Log in with Discord");
        }
        LoginCore.Session session = steps.session(request);
        PendingLogins.Taken taken = PendingLogins.Taken.NOTHING;
        try {
            if (session != null && state.length() <= 512) {
                taken = pending.take(session, state);
            }
        } catch (IllegalStateException ended) {
            // the session ended meanwhile: the state is unknown
        }
        List<Cookie> forget = forget(request);
        PendingLogin login = taken.pending();
        if (login != null && login.superseded()) {
            // another tab's login completed first: this tab goes back to its own page, its code is not needed
            if (steps.current(request).loggedIn()) {
                return Redirect.to(Origins.app(request, steps.returnPath(login.returnTo()))).withCookies(forget);
            }
            login = null;
        }
        if (login == null && steps.current(request).loggedIn()) {
            // already logged in (Back to Discord's page, a state used before): nothing to do but go on
            return Redirect.to(Origins.app(request, config.afterLoginUri()));
        }
        if (login == null) {
            if (!taken.held()) {
                Outcome retry = retryOnce(request, state, callbackUrl(request, query));
                if (retry != null) {
                    return retry; // a page that loads the callback again in a second
                }
            }
            return Page.of(Failure.INVALID_STATE).link(steps.loginLink(request), "Log in with Discord")
                    .cookies(forget);
        }
        String error = query.get("error");
        if (error != null) {
            if (error.equals("access_denied") && login.flow() != PendingLogin.Purpose.LOGIN) {
                return flows.cancelled(request, login, forget);
            }
            if (error.equals("access_denied")) {
                Optional<String> page = config.loginCancelledUri();
                if (page.isPresent()) {
                    return Redirect.to(Origins.app(request, page.get())).withCookies(forget);
                }
                // a clean address: no error, error_description or state left in the address bar
                return new Redirect(steps.loginLink(request, login.returnTo()) + "&cancelled", 303, forget, false);
            }
            return Page.of(Failure.AUTHORIZATION_ERROR).link(steps.loginLink(request, login.returnTo()), "Try again")
                    .cookies(forget);
        }
        String code = query.get("code");
        if (code == null || code.isEmpty() || code.length() > 512) {
            return Page.of(Failure.MISSING_CODE).link(steps.loginLink(request, login.returnTo()), "Try again")
                    .cookies(forget);
        }
        if (login.flow() == PendingLogin.Purpose.ADD_TO_SERVER && flows.botOnly()) {
            return addBot(request, code, login, query, forget);
        }
        return exchangeAndStore(request, code, login, query, forget);
    }

    /**
     * "Add to server" with bot scopes only: the code is exchanged (which tells the server the bot joined; the
     * redirect's {@code guild_id} is only a hint), the token dropped unused, the event fired.
     */
    private Outcome addBot(LoginCore.Exchange request, String code, PendingLogin login, Query query,
            List<Cookie> forget) {
        if (!exchanges.tryAcquire()) {
            return busy(request, login, forget);
        }
        AccessToken token;
        try {
            token = client.withCallTimeout(config.callbackTimeout()).exchangeCode(code, login.codeVerifier(),
                    URI.create(login.redirectUri()));
        } catch (DiscordTimeoutException e) {
            return timedOut(request, e, login, forget);
        } catch (DiscordException e) {
            return failed(request, e, login, forget);
        } finally {
            exchanges.release();
        }
        dev.discordoauth2.model.Guild guild = flows.guildOf(token, query);
        if (guild == null) {
            return Page.of(Failure.BOT_NOT_ADDED).link(Origins.app(request, login.returnTo()), "Try again")
                    .cookies(forget);
        }
        return flows.botAdded(request, guild, flows.permissionsOf(query), token.scopes(), null, forget);
    }

    private Outcome exchangeAndStore(LoginCore.Exchange request, String code, PendingLogin login, Query query,
            List<Cookie> forget) {
        if (!exchanges.tryAcquire()) {
            return busy(request, login, forget);
        }
        Exchanged done;
        try {
            done = exchange(code, login);
        } catch (DiscordTimeoutException e) {
            return timedOut(request, e, login, forget);
        } catch (DiscordException e) {
            return failed(request, e, login, forget);
        } finally {
            exchanges.release();
        }
        DiscordPrincipal principal = done.principal();
        if (config.requireVerifiedEmail() && !Boolean.TRUE.equals(principal.verified())) {
            background.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN, "e-mail address not verified");
            return Page.of(Failure.EMAIL_NOT_VERIFIED).cookies(forget);
        }
        if (done.standing() != null && !done.standing().admitted()) {
            background.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN,
                    "not a member of the required servers");
            GuildRules rules = guilds.rules();
            return Page.of(Failure.NOT_A_MEMBER).message("This application is for the members of "
                    + (rules.requiredGuilds().size() == 1 ? "its Discord server"
                    : rules.requireAll() ? "all of its Discord servers" : "one of its Discord servers")
                    + (rules.inviteUrl().isPresent() ? ". Join, then log in again." : "."))
                    .link(rules.inviteUrl().orElse(null), "Join the server").cookies(forget);
        }
        DiscordTokens tokens = DiscordTokens.of(done.token());
        StoredTokens stored = null;
        if (shared != null) {
            try {
                stored = shared.put(principal.id(), tokens);
            } catch (TokenStoreException e) {
                LOG.log(System.Logger.Level.WARNING, "a login could not be stored; the user was asked to try again: "
                        + e.getMessage());
                background.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN,
                        "the login could not be stored");
                return retryPage(request, Failure.STORE_UNAVAILABLE, 5, login, forget);
            }
        }
        try {
            LoginCore.Session session = store.renew(request);
            long pendingUntil = pending.supersede(session);
            states.put(session, new LoginState(principal, tokens,
                    SessionChecks.validatedAt(clock.instant()), done.standing(), pendingUntil));
            Steps.changed(request);
        } catch (IllegalStateException ended) {
            background.revokeQuietly(done.token().token(), TokenTypeHint.ACCESS_TOKEN,
                    "the session ended during the login");
            if (stored != null) {
                try {
                    shared.deleteIf(stored.userId(), stored.version());
                } catch (TokenStoreException e) {
                    LOG.log(System.Logger.Level.WARNING, "deleting a revoked login's tokens failed: " + e.getMessage());
                }
            }
            return Page.of(Failure.SESSION_ENDED).link(steps.loginLink(request, login.returnTo()),
                    "Log in with Discord").cookies(forget);
        }
        events.loggedIn(principal);
        if (login.flow() == PendingLogin.Purpose.LINKED_ROLES) {
            return flows.connected(request, done.token(), principal, forget);
        }
        if (login.flow() == PendingLogin.Purpose.ADD_TO_SERVER) {
            dev.discordoauth2.model.Guild guild = flows.guildOf(done.token(), query);
            if (guild == null) {
                return Page.of(Failure.BOT_NOT_ADDED).link(Origins.app(request, config.afterLoginUri()), "Continue")
                        .cookies(forget);
            }
            return flows.botAdded(request, guild, flows.permissionsOf(query), done.token().scopes(), principal,
                    forget);
        }
        return new Redirect(Origins.app(request, steps.returnPath(login.returnTo())), 302, forget, true);
    }

    /** A finished code exchange: the tokens and the user they belong to. */
    private record Exchanged(AccessToken token, DiscordPrincipal principal, GuildStanding standing) {
    }

    /**
     * Exchanges the code and fetches the user (and their servers), every call cut to what is left of
     * {@code discord.callback-timeout}; when the user cannot be had, the just-issued grant is revoked so that no
     * half-done login stays authorized at Discord.
     *
     * @throws DiscordTimeoutException when the budget ran out
     */
    private Exchanged exchange(String code, PendingLogin login) {
        Duration budget = config.callbackTimeout();
        long deadline = System.nanoTime() + budget.toNanos();
        AccessToken token = client.withCallTimeout(budget).exchangeCode(code, login.codeVerifier(),
                URI.create(login.redirectUri()));
        try {
            User user = within(deadline).fromAccessToken(token.token()).fetchIdentify();
            GuildStanding standing = null;
            if (guilds.active()) {
                PartialAccessToken lookup = within(deadline).fromAccessToken(token.token());
                standing = guilds.lookUp(lookup, clock.instant());
            }
            DiscordPrincipal principal = DiscordPrincipal.of(user);
            return new Exchanged(token, standing == null ? principal : principal.withGuildRoles(standing.roles()),
                    standing);
        } catch (RuntimeException e) {
            background.revokeQuietly(token.token(), TokenTypeHint.ACCESS_TOKEN, "the login could not be completed");
            throw e;
        }
    }

    /**
     * The client, its calls cut to the time left until {@code deadline}: once the budget is spent, at least a
     * nanosecond, so that the client's own {@code DiscordTimeoutException} reports it.
     */
    private DiscordOAuth2Client within(long deadline) {
        return client.withCallTimeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }

    /** The retry page of a callback past {@code discord.max-concurrent-logins}. */
    private Outcome busy(LoginCore.Exchange request, PendingLogin login, List<Cookie> forget) {
        LOG.log(System.Logger.Level.WARNING, "more than " + config.maxConcurrentLogins() + " logins are being "
                + "completed at once (" + DiscordConfig.MAX_CONCURRENT_LOGINS + "); the user was asked to try again");
        return retryPage(request, Failure.LOGIN_BUSY, 2, login, forget);
    }

    /** The retry page of a callback whose budget ran out (waiting for Discord's rate limit: as long as it asks). */
    private Outcome timedOut(LoginCore.Exchange request, DiscordTimeoutException e, PendingLogin login,
            List<Cookie> forget) {
        LOG.log(System.Logger.Level.WARNING, "Discord login took longer than " + config.callbackTimeout()
                + "; the user was asked to try again (" + e.getMessage() + ")");
        if (e.getCause() instanceof RateLimitedException limited) {
            return retryPage(request, Failure.DISCORD_BUSY, limited.retryAfter().toSeconds(), login, forget);
        }
        return retryPage(request, Failure.DISCORD_TIMEOUT, 5, login, forget);
    }

    /** A failed login's page: retry pages for Discord's troubles, 400 for a refused code. */
    private Outcome failed(LoginCore.Exchange request, DiscordException cause, PendingLogin login,
            List<Cookie> forget) {
        LOG.log(System.Logger.Level.WARNING, "Discord login failed: " + cause.getMessage());
        if (cause instanceof RateLimitedException limited) {
            return retryPage(request, Failure.DISCORD_BUSY, limited.retryAfter().toSeconds(), login, forget);
        } else if (cause instanceof InvalidGrantException) {
            return Page.of(Failure.INVALID_GRANT).link(steps.loginLink(request, login.returnTo()),
                    "Log in with Discord").cookies(forget);
        } else if (cause instanceof HttpException http && http.status() < 500) {
            return Page.of(Failure.LOGIN_REFUSED).link(steps.loginLink(request, login.returnTo()), "Try again")
                    .cookies(forget);
        } else if (cause instanceof DiscordTransportException) {
            return retryPage(request, Failure.DISCORD_UNREACHABLE, 5, login, forget);
        }
        return retryPage(request, Failure.DISCORD_BAD_ANSWER, 5, login, forget); // 5xx, malformed answers
    }

    private Outcome retryPage(LoginCore.Exchange request, Failure failure, long retryAfter, PendingLogin login,
            List<Cookie> forget) {
        return Page.of(failure).retryAfter(retryAfter).link(steps.loginLink(request, login.returnTo()), "Try again")
                .cookies(forget);
    }

    // ------------------------------------------------------------------------------------------ the state's retry

    /**
     * The callback's one retry of a {@code state} it cannot find in a session the browser named: on a cluster whose
     * container stores a session only after the response (Jetty without {@code flushOnResponseCommit}), the browser
     * can come back from Discord to another node before the login's state reached the shared store. The code has not
     * been used, so loading the same callback a second later is safe: a 503 page that reloads the callback's own URL
     * as the library builds it once ({@code Refresh: 1; url=…}), marked by a short-lived cookie naming a digest of the
     * state on the callback's path; the second miss is the usual 400. Null when no retry applies.
     */
    private Outcome retryOnce(LoginCore.Exchange request, String state, String callbackUrl) {
        if (!request.namesSession() || state.length() > 512) {
            return null; // no session named: waiting cannot help
        }
        String marker = RefusalLedger.digest(state);
        if (marker.equals(request.cookie(RETRY_COOKIE))) {
            return null; // the second miss: the caller's 400 deletes the marker
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "a login came back from Discord with a state the session it named "
                    + "does not hold; the callback is loaded again in one second. On a cluster, every session write "
                    + "must reach the shared store before the response is sent (Jetty: "
                    + "jetty.session.flushOnResponseCommit=true), else a login started on one node can reach another "
                    + "before its state is stored. Logged once.");
        } else {
            LOG.log(System.Logger.Level.DEBUG, "unknown state on the callback: loaded again in one second");
        }
        String path = URI.create(callbackUrl).getRawPath();
        return Page.of(Failure.STATE_NOT_STORED_YET).retryAfter(1).refresh(callbackUrl).link(callbackUrl, "Try again")
                .cookies(List.of(new Cookie(RETRY_COOKIE, marker, path, 60)));
    }

    /** Deletes the retry marker when the request carries one. */
    private List<Cookie> forget(LoginCore.Exchange request) {
        return request.cookie(RETRY_COOKIE) == null ? List.of()
                : List.of(new Cookie(RETRY_COOKIE, "", request.contextPath()
                        + config.callbackPath(request.contextPath()), 0));
    }

    /**
     * The callback's own URL for a retry: the application's origin and the callback path the library serves, with
     * Discord's parameters encoded again; never the request's own spelling of the path.
     */
    private String callbackUrl(LoginCore.Exchange request, Query query) {
        StringBuilder url = new StringBuilder(Origins.app(request, config.callbackPath(request.contextPath())));
        char separator = '?';
        for (String name : new String[] {"code", "state", "error", "error_description"}) {
            String value = query.get(name);
            if (value != null) {
                url.append(separator).append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return url.toString();
    }
}
