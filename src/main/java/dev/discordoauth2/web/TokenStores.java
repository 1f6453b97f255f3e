package dev.discordoauth2.web;

import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Builds the {@link TokenStore} a configuration asks for ({@code discord.token-store}): none for {@code session} (the
 * login keeps the tokens in the HTTP session, as it does today), a {@link JdbcTokenStore} for {@code jdbc}, over the
 * container's DataSource ({@code discord.token-store.datasource}, looked up by JNDI) or a {@link DriverPool} of its own
 * for {@code discord.token-store.jdbc-url}. The table is created at start when {@code discord.token-store.create-table}
 * is true, and otherwise must exist: either way a problem stops the start in one line. Stateless.
 */
final class TokenStores {
    /**
     * The pool's size for {@code discord.token-store.jdbc-url}: room for the background pool's 8 refreshes (each holds
     * its row's lock, and its connection, while Discord answers) besides the requests' short reads.
     */
    static final int POOL_SIZE = 16;
    /** How long a caller waits for one of the pool's connections. */
    static final long POOL_WAIT_SECONDS = 10;

    private TokenStores() {
    }

    /**
     * The JDBC store of {@code values}, ready (table checked or created), or empty for {@code session}.
     *
     * @throws IllegalStateException one line: the DataSource is not found, or the table cannot be read or created
     */
    static Optional<JdbcTokenStore> open(Keys.Values values) {
        if (!values.get(Keys.TOKEN_STORE)) {
            return Optional.empty();
        }
        String jndiName = values.get(Keys.TOKEN_STORE_DATASOURCE);
        DataSource dataSource = jndiName != null ? lookUp(jndiName) : new DriverPool(
                values.get(Keys.TOKEN_STORE_JDBC_URL), values.get(Keys.TOKEN_STORE_JDBC_USER),
                values.get(Keys.TOKEN_STORE_JDBC_PASSWORD), POOL_SIZE, POOL_WAIT_SECONDS);
        JdbcTokenStore store = new JdbcTokenStore(dataSource, values.get(Keys.TOKEN_STORE_KEYS),
                values.get(Keys.TOKEN_STORE_TABLE));
        if (values.get(Keys.TOKEN_STORE_CREATE_TABLE)) {
            store.createTable();
        } else {
            store.requireTable();
        }
        return Optional.of(store);
    }

    /** The DataSource bound to {@code name}, as given or, without a {@code java:} prefix, under java:comp/env/. */
    static DataSource lookUp(String name) {
        NamingException first = null;
        for (String candidate : name.startsWith("java:") ? new String[] {name}
                : new String[] {name, "java:comp/env/" + name}) {
            try {
                Object found = new InitialContext().lookup(candidate);
                if (found instanceof DataSource dataSource) {
                    return dataSource;
                }
                throw new IllegalStateException(DiscordConfig.TOKEN_STORE_DATASOURCE + ": " + candidate + " is a "
                        + (found == null ? "null" : found.getClass().getName()) + ", not a javax.sql.DataSource");
            } catch (NamingException e) {
                first = first == null ? e : first;
            }
        }
        throw new IllegalStateException(DiscordConfig.TOKEN_STORE_DATASOURCE + ": no DataSource bound to " + name
                + " in JNDI (" + first.getClass().getSimpleName() + ")", first);
    }
}
