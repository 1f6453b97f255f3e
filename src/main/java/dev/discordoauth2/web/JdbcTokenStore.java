package dev.discordoauth2.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link TokenStore} in a database the nodes share ({@code discord.token-store=jdbc}), one row per Discord user in
 * the table of {@code META-INF/discord-oauth2/schema.sql} (its name from {@code discord.token-store.table}). The
 * access and refresh tokens are stored sealed by a {@link KeyRing} (the user id as associated data): no token is in
 * the database in plaintext; a row sealed under a key no longer in the ring reads as absent. {@link #refreshOnce}
 * holds the row's lock ({@code SELECT ... FOR UPDATE} in a transaction) while the refresher runs, so one node refreshes
 * and the others wait and read its result: PostgreSQL is tested, any JDBC database with {@code FOR UPDATE} row locks
 * is intended. The SQL is otherwise plain (no {@code LIMIT}: paging uses {@link Statement#setMaxRows}). Thread-safe
 * when the DataSource is (each call takes its own connection).
 */
final class JdbcTokenStore implements TokenStore, AutoCloseable {
    /** The schema shipped with the library, with {@value #SCHEMA_TABLE} as the table's name. */
    static final String SCHEMA = "META-INF/discord-oauth2/schema.sql";
    static final String SCHEMA_TABLE = "discord_tokens";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]"
            + "{0,62})?");
    private static final String COLUMNS = "access_token, refresh_token, expires_at, scopes, version";

    private final DataSource dataSource;
    private final KeyRing keys;
    private final String table;

    /**
     * @param table an SQL identifier, optionally schema-qualified ({@link #isIdentifier})
     * @throws IllegalArgumentException for another table name
     */
    JdbcTokenStore(DataSource dataSource, KeyRing keys, String table) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.keys = Objects.requireNonNull(keys, "keys");
        if (!isIdentifier(table)) {
            throw new IllegalArgumentException("not an SQL identifier: " + table);
        }
        this.table = table;
    }

    /** Letters, digits and {@code _}, not starting with a digit, at most 63, optionally {@code schema.table}. */
    static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    String table() {
        return table;
    }

    /** Creates the table from the shipped schema unless it exists ({@code discord.token-store.create-table}). */
    void createTable() {
        String ddl = schema(table);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(ddl);
        } catch (SQLException e) {
            // another node may have created it at the same moment: only a table that is still missing is a failure
            if (!tableExists()) {
                throw failure("could not create the table", e);
            }
        }
    }

    /** The shipped schema's statement for {@code table}, comments removed. */
    static String schema(String table) {
        if (!isIdentifier(table)) {
            throw new IllegalArgumentException("not an SQL identifier: " + table);
        }
        try (InputStream in = JdbcTokenStore.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is missing from the library's jar");
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.trim().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            return sql.toString().trim().replace(SCHEMA_TABLE, table);
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + SCHEMA, e);
        }
    }

    /** Whether the table can be read. */
    boolean tableExists() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT user_id FROM " + table + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Fails at start-up, in one line, when the table cannot be read.
     *
     * @throws IllegalStateException naming the table and the two ways to create it
     */
    void requireTable() {
        if (!tableExists()) {
            throw new IllegalStateException("the token store's table " + table + " cannot be read: create it with "
                    + SCHEMA + " (also in the README) or set " + DiscordConfig.TOKEN_STORE_CREATE_TABLE + "=true");
        }
    }

    @Override
    public Optional<StoredTokens> find(String userId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                        + " WHERE user_id = ?")) {
            s.setString(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? read(userId, rs) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("could not read a user's tokens", e);
        }
    }

    @Override
    public StoredTokens put(StoredTokens tokens) {
        for (int attempt = 0;; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    long version = lockedVersion(c, tokens.userId());
                    if (version > 0) {
                        update(c, tokens, version, version + 1);
                    } else {
                        insert(c, tokens);
                    }
                    c.commit();
                    return tokens.withVersion(version + 1);
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt == 0 && isDuplicate(e)) {
                        continue; // another node inserted first: its row is there to lock now
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw failure("could not store a user's tokens", e);
            }
        }
    }

    @Override
    public OptionalLong save(StoredTokens tokens, long expectedVersion) {
        try (Connection c = dataSource.getConnection()) {
            if (expectedVersion == 0) {
                try {
                    insert(c, tokens);
                    return OptionalLong.of(1);
                } catch (SQLException e) {
                    if (isDuplicate(e)) {
                        return OptionalLong.empty();
                    }
                    throw e;
                }
            }
            return update(c, tokens, expectedVersion, expectedVersion + 1) ? OptionalLong.of(expectedVersion + 1)
                    : OptionalLong.empty();
        } catch (SQLException e) {
            throw failure("could not store a user's tokens", e);
        }
    }

    @Override
    public Optional<StoredTokens> refreshOnce(String userId, long seenVersion, Refresher refresher) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<StoredTokens> current;
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                        + " WHERE user_id = ? FOR UPDATE")) {
                    s.setString(1, userId);
                    try (ResultSet rs = s.executeQuery()) {
                        current = rs.next() ? read(userId, rs) : Optional.empty();
                    }
                }
                if (current.isEmpty() || current.get().version() != seenVersion) {
                    c.commit();
                    return current; // none (re-login), or another caller refreshed first: its tokens
                }
                StoredTokens fresh = refresher.refresh(current.get());
                if (!userId.equals(fresh.userId())) {
                    throw new IllegalArgumentException("the refresher returned another user's tokens");
                }
                update(c, fresh, seenVersion, seenVersion + 1);
                c.commit();
                return Optional.of(fresh.withVersion(seenVersion + 1));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("could not refresh a user's tokens", e);
        }
    }

    @Override
    public boolean delete(String userId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE user_id = ?")) {
            s.setString(1, userId);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure("could not delete a user's tokens", e);
        }
    }

    @Override
    public boolean deleteIf(String userId, long version) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE user_id = ? AND version = ?")) {
            s.setString(1, userId);
            s.setLong(2, version);
            // a refresh holding the row's lock makes this wait; then the row's new version no longer matches
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure("could not delete a user's tokens", e);
        }
    }

    @Override
    public List<String> userIds(String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        String sql = "SELECT user_id FROM " + table + (after == null ? "" : " WHERE user_id > ?")
                + " ORDER BY user_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setMaxRows(limit);
            if (after != null) {
                s.setString(1, after);
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next() && ids.size() < limit) {
                    ids.add(rs.getString(1));
                }
            }
            return List.copyOf(ids);
        } catch (SQLException e) {
            throw failure("could not list the users", e);
        }
    }

    /** The row's version, locked until the transaction ends; 0 when there is no row. */
    private long lockedVersion(Connection c, String userId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT version FROM " + table
                + " WHERE user_id = ? FOR UPDATE")) {
            s.setString(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private void insert(Connection c, StoredTokens t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (access_token, refresh_token, "
                + "expires_at, scopes, version, updated_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bind(s, t, 1);
            s.setString(7, t.userId());
            s.executeUpdate();
        }
    }

    /** Writes {@code t} at {@code newVersion} if the row is at {@code expected}; whether it was. */
    private boolean update(Connection c, StoredTokens t, long expected, long newVersion) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET access_token = ?, refresh_token = ?, "
                + "expires_at = ?, scopes = ?, version = ?, updated_at = ? WHERE user_id = ? AND version = ?")) {
            bind(s, t, newVersion);
            s.setString(7, t.userId());
            s.setLong(8, expected);
            return s.executeUpdate() == 1;
        }
    }

    /** Parameters 1 to 6: the sealed tokens, expiry, scopes, version, time of writing. */
    private void bind(PreparedStatement s, StoredTokens t, long version) throws SQLException {
        s.setString(1, keys.seal(t.userId(), t.access()));
        if (t.refresh() == null) {
            s.setNull(2, Types.VARCHAR);
        } else {
            s.setString(2, keys.seal(t.userId(), t.refresh()));
        }
        s.setLong(3, t.expiresAt().toEpochMilli());
        s.setString(4, String.join(" ", t.scopes()));
        s.setLong(5, version);
        s.setLong(6, System.currentTimeMillis());
    }

    /** A row of {@link #COLUMNS}, or empty when its tokens do not open with this ring. */
    private Optional<StoredTokens> read(String userId, ResultSet rs) throws SQLException {
        Optional<String> access = keys.open(userId, rs.getString(1));
        String sealedRefresh = rs.getString(2);
        Optional<String> refresh = sealedRefresh == null ? Optional.empty() : keys.open(userId, sealedRefresh);
        if (access.isEmpty() || (sealedRefresh != null && refresh.isEmpty())) {
            return Optional.empty();
        }
        String scopes = rs.getString(4).trim();
        return Optional.of(new StoredTokens(userId, access.get(), refresh.orElse(null),
                Instant.ofEpochMilli(rs.getLong(3)), scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split(" ")),
                rs.getLong(5)));
    }

    /** SQLState class 23: integrity constraint violation (here: the primary key). */
    private static boolean isDuplicate(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private TokenStoreException failure(String what, SQLException e) {
        String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("").trim();
        return new TokenStoreException("token store (table " + table + "): " + what + ": " + reason
                + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")"), e);
    }

    /** Closes the store's own pool ({@code discord.token-store.jdbc-url}); a container's DataSource stays open. */
    @Override
    public void close() {
        if (dataSource instanceof DriverPool own) {
            own.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcTokenStore[" + table + ", " + keys + "]";
    }
}
