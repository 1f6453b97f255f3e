package dev.discordoauth2.web;

import dev.discordoauth2.DiscordException;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.InvalidGrantException;
import dev.discordoauth2.PartialAccessToken;
import dev.discordoauth2.model.RoleConnectionMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Discord's linked roles for the application's {@link RoleConnectionSource}: the schema, checked at start and
 * registered with the bot token only when Discord holds another (in the background: a failure is one log line and a
 * retry later, never a failed start); pushing a user's connection with any token of theirs ({@link #push}), or without
 * the user from the shared token store, refreshed when due ({@link #update}); and a {@link #sweep} ({@link LinkedRolesSweep}) over every stored
 * user that follows Discord's rate limits, reports its progress and can be stopped. Values are checked against the
 * schema before anything is sent. The Linked Roles Verification URL ({@code discord.linked-roles-path}) uses it after
 * the user connects. Get it from {@link LoginCore#linkedRoles()}, {@code DiscordAuth.linkedRoles(servletContext)} or
 * by CDI injection. Thread-safe.
 */
public final class LinkedRoles implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LinkedRoles.class.getName());
    /** The scope a push needs. */
    public static final String SCOPE = "role_connections.write";
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LAST_RETRY = Duration.ofMinutes(15);

    /** Where the schema stands with Discord. */
    public enum Registration {
        /** Not asked yet, or being asked. */
        PENDING,
        /** Discord already held this schema: nothing was sent. */
        UNCHANGED,
        /** Discord held another schema: this one replaced it. */
        REGISTERED,
        /** The last attempt failed (logged); another follows later. */
        RETRYING,
        /** No bot token ({@code discord.bot-token}): the schema is not registered by the library. */
        NO_BOT_TOKEN
    }

    /** What {@link #update} did for a user. */
    public enum Result {
        /** The connection was pushed. */
        PUSHED,
        /** The source has no connection for the user: nothing was sent. */
        NOTHING_TO_PUSH,
        /** The user's stored grant lacks {@code role_connections.write} (they logged in without connecting). */
        NOT_CONNECTED,
        /** No tokens are stored for the user, or Discord refused them (deleted): they must connect again. */
        GRANT_ENDED
    }

    private final RoleConnectionSource source;
    private final RoleConnectionSchema schema;
    private final DiscordOAuth2Client client;
    private final OfflineAccess offline;
    private final ScheduledExecutorService scheduler;
    private final AtomicReference<Registration> registration = new AtomicReference<>(Registration.PENDING);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Done once the first registration attempt has ended, either way: a push at start-up waits for it briefly. */
    private final java.util.concurrent.CompletableFuture<Void> firstAttempt = new java.util.concurrent.CompletableFuture<>();
    static final Duration FIRST_ATTEMPT_WAIT = Duration.ofSeconds(3);
    /** The sweeps running, stopped when the application stops. */
    private final java.util.Set<LinkedRolesSweep> sweeps = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private LinkedRoles(RoleConnectionSource source, RoleConnectionSchema schema, DiscordOAuth2Client client,
            OfflineAccess offline) {
        this.source = source;
        this.schema = schema;
        this.client = client;
        this.offline = offline;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "discord-linked-roles");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Checks the source's schema and starts its registration.
     *
     * @throws IllegalStateException naming the record that breaks Discord's rules, or the source's failure
     */
    static LinkedRoles start(RoleConnectionSource source, DiscordOAuth2Client client, OfflineAccess offline) {
        return start(source, client, offline, FIRST_RETRY);
    }

    /** {@link #start(RoleConnectionSource, DiscordOAuth2Client, OfflineAccess)}, the first retry after {@code firstRetry}. */
    static LinkedRoles start(RoleConnectionSource source, DiscordOAuth2Client client, OfflineAccess offline,
            Duration firstRetry) {
        Objects.requireNonNull(source, "source must not be null");
        RoleConnectionSchema schema;
        try {
            schema = RoleConnectionSchema.of(source.schema());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the linked-roles schema of " + source.getClass().getName()
                    + " breaks Discord's rules: " + e.getMessage(), e);
        }
        LinkedRoles roles = new LinkedRoles(source, schema, client, offline);
        roles.scheduler.execute(() -> roles.register(firstRetry));
        return roles;
    }

    RoleConnectionSource source() {
        return source;
    }

    /** The schema, as checked at start. */
    public List<RoleConnectionMetadata> schema() {
        return schema.records();
    }

    /** Where the schema stands with Discord now. */
    public Registration registration() {
        return registration.get();
    }

    private void register(Duration nextRetry) {
        try {
            attempt(nextRetry);
        } finally {
            firstAttempt.complete(null);
        }
    }

    /** Waits (briefly) for the first registration attempt: a key Discord does not know yet would be refused. */
    private void awaitFirstAttempt() {
        if (firstAttempt.isDone()) {
            return;
        }
        try {
            firstAttempt.get(FIRST_ATTEMPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // pushed anyway: Discord's answer says what it refuses
        }
    }

    private void attempt(Duration nextRetry) {
        if (closed.get()) {
            return;
        }
        if (!client.hasBotToken()) {
            registration.set(Registration.NO_BOT_TOKEN);
            LOG.log(System.Logger.Level.WARNING, "linked roles: " + DiscordConfig.BOT_TOKEN + " is not set, so the "
                    + "metadata schema is not registered with Discord; set it, or register the schema yourself");
            return;
        }
        try {
            if (schema.sameAs(client.fetchLinkedRolesMetadata())) {
                registration.set(Registration.UNCHANGED);
                LOG.log(System.Logger.Level.DEBUG, "linked roles: Discord already holds the metadata schema");
            } else {
                client.updateLinkedRolesMetadata(schema.records());
                registration.set(Registration.REGISTERED);
                LOG.log(System.Logger.Level.INFO, "linked roles: registered the metadata schema ("
                        + schema.records().size() + " records) with Discord");
            }
        } catch (DiscordException | IllegalArgumentException e) {
            registration.set(Registration.RETRYING);
            LOG.log(System.Logger.Level.WARNING, "linked roles: registering the metadata schema with Discord failed, "
                    + "trying again in " + nextRetry.toSeconds() + " s: " + e.getMessage());
            Duration after = nextRetry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : nextRetry.multipliedBy(2);
            try {
                scheduler.schedule(() -> attempt(after), nextRetry.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the application stops
            }
        }
    }

    /**
     * The user's connection, as the source has it, checked against the schema.
     *
     * @return the connection and its values as Discord's strings; empty when the source has none
     * @throws IllegalArgumentException naming the key whose value the schema refuses
     */
    Optional<Map.Entry<RoleConnection, Map<String, String>>> connectionOf(String userId) {
        Optional<RoleConnection> connection = source.connectionOf(userId);
        if (connection == null || connection.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(connection.get(), schema.encode(connection.get())));
    }

    /**
     * Pushes {@code connection} with the user's {@code token} (it must hold {@code role_connections.write}).
     *
     * @throws IllegalArgumentException naming the key whose value the schema refuses; nothing is sent
     * @throws DiscordException Discord refused or failed (a 401 ends the login the token came from)
     */
    public void push(PartialAccessToken token, RoleConnection connection) {
        Objects.requireNonNull(token, "token must not be null");
        Map<String, String> values = schema.encode(Objects.requireNonNull(connection, "connection must not be null"));
        awaitFirstAttempt();
        token.updateMetadata(connection.platformName(), connection.platformUsername(), values);
    }

    /**
     * Asks the source for the user's connection and pushes it with their {@code token}: what was pushed, or empty
     * when the source has nothing for the user (nothing is sent). The token must be {@code userId}'s own (the
     * request's {@code DiscordAuth.accessToken} for its logged-in user, or {@link OfflineAccess#user}); Discord
     * stores the connection for the token's user whatever {@code userId} says.
     *
     * @throws IllegalArgumentException naming the key whose value the schema refuses; nothing is sent
     * @throws DiscordException Discord refused or failed
     */
    public Optional<RoleConnection> push(PartialAccessToken token, String userId) {
        Objects.requireNonNull(token, "token must not be null");
        Optional<Map.Entry<RoleConnection, Map<String, String>>> found = connectionOf(
                Objects.requireNonNull(userId, "userId must not be null"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RoleConnection connection = found.get().getKey();
        awaitFirstAttempt();
        token.updateMetadata(connection.platformName(), connection.platformUsername(), found.get().getValue());
        return Optional.of(connection);
    }

    /**
     * Updates the user's connection without them: their stored tokens (refreshed first when due, once for the
     * cluster), the source's connection, the push. Needs {@code discord.token-store=jdbc}.
     *
     * @throws IllegalArgumentException naming the key whose value the schema refuses; nothing is sent
     * @throws DiscordException Discord failed (down, rate limited past the client's retries): try again later
     * @throws TokenStoreException the store could not be reached
     * @throws IllegalStateException without the shared token store
     */
    public Result update(String userId) {
        Objects.requireNonNull(userId, "userId must not be null");
        try {
            Optional<DiscordTokens> tokens = offline.tokens(userId);
            if (tokens.isEmpty()) {
                return Result.GRANT_ENDED;
            }
            if (!tokens.get().scopes().contains(SCOPE)) {
                return Result.NOT_CONNECTED;
            }
            Optional<PartialAccessToken> token = offline.user(userId);
            if (token.isEmpty()) {
                return Result.GRANT_ENDED;
            }
            return push(token.get(), userId).isPresent() ? Result.PUSHED : Result.NOTHING_TO_PUSH;
        } catch (InvalidGrantException e) {
            return Result.GRANT_ENDED;
        } catch (dev.discordoauth2.HttpException e) {
            if (e.status() == 401) {
                return Result.GRANT_ENDED; // the call's refusal deleted the stored tokens
            }
            throw e;
        }
    }

    /**
     * Starts a sweep over every stored user ({@link #update} each) with 4 users at a time.
     *
     * @throws IllegalStateException without the shared token store
     */
    public LinkedRolesSweep sweep() {
        return sweep(4);
    }

    /**
     * Starts a sweep over every stored user, {@code concurrency} (1–32) at a time, on threads of its own: Discord's
     * rate limits are waited out (the client's, and a 429 that outlasts them sets the user back in line after the
     * wait), never reported as a failure.
     *
     * @throws IllegalStateException without the shared token store
     */
    public LinkedRolesSweep sweep(int concurrency) {
        if (!offline.available()) {
            throw new IllegalStateException("a linked-roles sweep needs the shared token store: set "
                    + DiscordConfig.TOKEN_STORE + "=jdbc");
        }
        if (concurrency < 1 || concurrency > 32) {
            throw new IllegalArgumentException("concurrency must be 1-32: " + concurrency);
        }
        LinkedRolesSweep sweep = LinkedRolesSweep.start(this, offline, concurrency, sweeps::remove);
        sweeps.add(sweep);
        return sweep;
    }

    @Override
    public void close() {
        closed.set(true);
        scheduler.shutdownNow();
        sweeps.forEach(LinkedRolesSweep::stop);
    }

    @Override
    public String toString() {
        return "LinkedRoles[" + source.getClass().getName() + ", " + schema.records().size() + " records, "
                + registration.get() + "]";
    }
}
