package dev.discordoauth2.example;

import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.web.RoleConnection;
import dev.discordoauth2.web.RoleConnectionSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The example's "platform" for Discord's linked roles: each user's level (0 to 9999) and whether they support the
 * demo, in memory, by Discord user id. As the application's {@link RoleConnectionSource} (a CDI bean) the library
 * finds it at start, checks its schema and registers it with the bot token when Discord holds another; the Linked
 * Roles Verification URL and {@code LinkedRoles.push} ask it for a user's connection. A user the platform has not
 * seen yet has level 1 and is no supporter, so the verification URL always has something to push. In memory means
 * per JVM: the cluster's nodes each keep their own (an application keeps its platform's data in its database).
 * Thread-safe.
 */
@ApplicationScoped
public class DemoPlatform implements RoleConnectionSource {
    /** The platform's name, as Discord shows it on the user's profile. */
    static final String NAME = "discord-oauth2 example";
    static final int MAX_LEVEL = 9999;
    /** A new user's account. */
    static final Account NEW_ACCOUNT = new Account(1, false);

    /**
     * A user's account on the platform.
     *
     * @param level     0 to 9999
     * @param supporter whether they support the demo
     */
    public record Account(int level, boolean supporter) {
        /**
         * Checks the level.
         *
         * @throws IllegalArgumentException when the level is not from 0 to 9999
         */
        public Account {
            if (level < 0 || level > MAX_LEVEL) {
                throw new IllegalArgumentException("the level must be from 0 to 9999; " + level + " is out of range.");
            }
        }
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /** The two records the example's guilds can require: a minimum level, and being a supporter. */
    @Override
    public List<RoleConnectionMetadata> schema() {
        return List.of(
                RoleConnectionMetadata.of(RoleConnectionMetadata.Type.INTEGER_GREATER_THAN_OR_EQUAL, "level", "Level",
                        "Level on the demo platform"),
                RoleConnectionMetadata.of(RoleConnectionMetadata.Type.BOOLEAN_EQUAL, "supporter", "Supporter",
                        "Supports the demo"));
    }

    /** The user's account, as the platform holds it: the user's id as their name there, and their values. */
    @Override
    public Optional<RoleConnection> connectionOf(String userId) {
        Account account = account(userId);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("level", account.level());
        metadata.put("supporter", account.supporter());
        return Optional.of(RoleConnection.of(NAME, userId, metadata));
    }

    /** The user's account; a new one (level 1, no supporter) when the platform has none for them. */
    public Account account(String userId) {
        return accounts.getOrDefault(userId, NEW_ACCOUNT);
    }

    /** Saves the user's account, replacing what the platform held. */
    public void save(String userId, Account account) {
        accounts.put(userId, account);
    }
}
