package dev.discordoauth2.web;

import dev.discordoauth2.DiscordOAuth2Client;
import java.time.Clock;
import java.time.Duration;

/**
 * The parts of one {@link LoginCore}, wired once from its configuration: the client, the background work, the
 * pending logins, the refresher, the checks and the steps. The core's methods hand each request to them.
 */
final class CoreParts {
    private static final System.Logger LOG = System.getLogger(LoginCore.class.getName());
    /** How long a background check (revalidation, the user's servers) may take in all, rate-limit waits included. */
    static final Duration CHECK_BUDGET = Duration.ofSeconds(15);

    final DiscordOAuth2Client client;
    final Background background;
    final LoginEvents events = new LoginEvents();
    final Roles roles;
    final LoginChecks checks;
    final Steps steps;
    final Callback callback;
    final Deauthorizations deauthorizations;
    /** The shared token store, or null when the tokens are kept in the session. */
    final SharedTokens shared;
    final OfflineAccess offline;
    final NativeFlows flows;
    /** Where the login's state lives: the container's session, the application's store, or sealed cookies. */
    final LoginCore.SessionStore sessions;
    /** The application's linked roles, once it gave its {@link RoleConnectionSource}. */
    final java.util.concurrent.atomic.AtomicReference<LinkedRoles> linkedRoles =
            new java.util.concurrent.atomic.AtomicReference<>();

    CoreParts(DiscordConfig config, Clock clock, RoleMapper mapper, LoginCore.SessionStore given) {
        Clock time = clock == null ? Clock.systemUTC() : clock;
        LoginCore.SessionStore sessions = given != null ? given : config.parsed().get(Keys.SESSION)
                ? new CookieSessions(config.parsed().get(Keys.COOKIE_KEYS), time, config.parsed().get(Keys.COOKIE_MAX_AGE),
                        config.stateTtl())
                : LoginCore.SessionStore.CONTAINER;
        this.sessions = sessions;
        int largest = sessions instanceof CookieSessions cookies ? cookies.largestLine(config) : 0;
        if (largest > CookieSessions.MAX_LINE) {
            throw new IllegalStateException(DiscordConfig.SESSION + "=cookie: a login of this configuration can take "
                    + largest + " bytes in its Set-Cookie line, more than the "
                    + CookieSessions.MAX_LINE + " browsers keep (" + config.guildRoleNames().size() + " server roles in "
                    + DiscordConfig.GUILD_ROLES + "): give fewer roles, or use " + DiscordConfig.SESSION + "=container");
        }
        // the shared token store first: a start that fails on it (database, table, keys) leaves nothing running
        JdbcTokenStore store = TokenStores.open(config.parsed()).orElse(null);
        this.client = config.newClientBuilder().clock(time).build();
        DiscordOAuth2Client checking = client.withCallTimeout(CHECK_BUDGET);
        this.background = new Background(client);
        this.shared = store == null ? null : new SharedTokens(store, client, background);
        this.offline = new OfflineAccess(shared, client, time, config.refreshSkew());
        Locks locks = new Locks();
        LoginStates states = new LoginStates(locks, shared != null);
        PendingLogins pending = new PendingLogins(locks, time, config.stateTtl(), config.maxPendingLogins());
        RefusalLedger refusals = new RefusalLedger(time, TokenRefresher.ANSWER_WAIT.plus(config.refreshTimeout()));
        Revalidator revalidator = new Revalidator(checking, background, states, refusals, config.revalidateInterval(),
                shared);
        TokenRefresher refresher = new TokenRefresher(client, background, states, refusals, time,
                config.refreshTimeout(), config.refreshSkew());
        GuildChecks guilds = new GuildChecks(config.guildRules(), config.scopes(), background, config.refreshTimeout(),
                states::update);
        this.roles = new Roles(config.roles(), mapper);
        this.deauthorizations = new Deauthorizations(time);
        this.checks = new LoginChecks(states, pending, refusals, revalidator, refresher, guilds, background, client,
                checking, time, config.refreshSkew(), config.refreshTimeout(), events,
                deauthorizations, shared);
        this.steps = new Steps(config, client, checks, pending, time, events, sessions, shared);
        this.flows = new NativeFlows(config, client, steps, events, linkedRoles);
        this.callback = new Callback(config, client, steps, pending, states, guilds, background, time, events,
                sessions, shared, flows);
        if (config.warmUp()) {
            try {
                background.execute(this::warmUp);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the first login pays the set-up
            }
        }
    }

    /** See {@link LoginCore#useRoleConnections}. */
    LinkedRoles useRoleConnections(RoleConnectionSource source) {
        synchronized (linkedRoles) {
            LinkedRoles current = linkedRoles.get();
            if (current != null) {
                if (current.source() == source) {
                    return current;
                }
                throw new IllegalStateException("this application's linked roles already have a source ("
                        + current.source().getClass().getName() + "); an application has one");
            }
            LinkedRoles roles = LinkedRoles.start(source, client, offline);
            linkedRoles.set(roles);
            return roles;
        }
    }

    /** See {@link LoginCore#storeLoginOf}. */
    void storeLogin(LoginCore.Session session, DiscordPrincipal principal, DiscordTokens tokens) {
        LoginStates.storeFresh(session, principal, tokens);
        if (shared != null) {
            shared.put(principal.id(), tokens);
            session.set(LoginStates.ATTRIBUTE, LoginStates.of(session).withoutTokenValues());
        }
    }

    /** Stops the linked roles' registration and sweeps (the application stops). */
    void closeLinkedRoles() {
        LinkedRoles roles = linkedRoles.get();
        if (roles != null) {
            roles.close();
        }
    }

    /** Builds the client's runtime before the first login needs it (nothing is sent). */
    private void warmUp() {
        long start = System.nanoTime();
        try {
            client.warmUp();
            LOG.log(System.Logger.Level.DEBUG, () -> "the Discord client is warmed up in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "warming up the Discord client failed: " + e);
        }
    }
}
