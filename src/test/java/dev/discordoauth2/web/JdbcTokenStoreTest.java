package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcTokenStore} against a real PostgreSQL ({@link TestPostgres}: skipped without one, except with CI=true).
 * Each test uses its own table.
 */
class JdbcTokenStoreTest {
    private static final String KEYS = "k2:" + KeyRingTest.newKey(32) + ", k1:" + KeyRingTest.newKey(16);
    private static final Instant EXPIRES = Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
    private static TestPostgres pg;
    private static DriverPool pool;
    private static final AtomicInteger TABLES = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestPostgres.start();
        pool = pg.pool(8);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static JdbcTokenStore store(String keys) {
        JdbcTokenStore store = new JdbcTokenStore(pool, KeyRing.parse("keys", keys), "t" + TABLES.incrementAndGet());
        store.createTable();
        return store;
    }

    private static StoredTokens tokens(String user, String access, String refresh) {
        return new StoredTokens(user, access, refresh, EXPIRES, List.of("identify", "email"), 0);
    }

    /** Every cell of every row, as text. */
    private static List<String> cells(String table) throws Exception {
        List<String> cells = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    cells.add(String.valueOf(rs.getString(i)));
                }
            }
        }
        return cells;
    }

    @Test
    void putWhenFoundThenTheSameTokensAndNoTokenInPlaintextInAnyColumn() throws Exception {
        JdbcTokenStore store = store(KEYS);
        StoredTokens put = store.put(tokens("80351110224678912", "AccessTokenValue123", "RefreshTokenValue456"));
        assertEquals(1, put.version());
        store.put(tokens("268473310986240001", "SecondAccessToken", null));
        assertEquals(Optional.of(put), store.find("80351110224678912"));
        assertEquals(Optional.empty(), store.find("268473310986240001").map(StoredTokens::refresh));
        assertEquals(Optional.empty(), store.find("999"));
        List<String> cells = cells(store.table());
        assertEquals(14, cells.size(), "two rows of seven columns: " + cells.size());
        for (String cell : cells) {
            for (String token : List.of("AccessTokenValue", "RefreshTokenValue", "SecondAccessToken")) {
                assertFalse(cell.contains(token), "plaintext token in the database: " + cell);
            }
        }
        assertTrue(cells.stream().filter(v -> v.startsWith("k2.")).count() == 3, "three sealed values: " + cells);
        assertFalse(put.toString().contains("AccessTokenValue"), put.toString());
    }

    @Test
    void putWhenTheUserHasTokensThenReplacedAtTheNextVersion() {
        JdbcTokenStore store = store(KEYS);
        store.put(tokens("1", "a1", "r1"));
        StoredTokens second = store.put(tokens("1", "a2", "r2"));
        assertEquals(2, second.version());
        assertEquals(Optional.of(second), store.find("1"));
    }

    @Test
    void saveWhenTheVersionMovedThenAConflict() {
        JdbcTokenStore store = store(KEYS);
        assertEquals(OptionalLong.of(1), store.save(tokens("7", "a1", "r1"), 0));
        assertEquals(OptionalLong.empty(), store.save(tokens("7", "other", "other"), 0), "a row exists");
        assertEquals(OptionalLong.of(2), store.save(tokens("7", "a2", "r2"), 1));
        assertEquals(OptionalLong.empty(), store.save(tokens("7", "stale", "stale"), 1), "version 1 was overtaken");
        assertEquals("a2", store.find("7").orElseThrow().access());
        assertEquals(2, store.find("7").orElseThrow().version());
    }

    @Test
    void refreshOnceWhenTwoThreadsAskAtOnceThenTheRefresherRunsOnceAndBothSeeItsTokens() throws Exception {
        JdbcTokenStore store = store(KEYS);
        long seen = store.put(tokens("42", "old-access", "old-refresh")).version();
        AtomicInteger runs = new AtomicInteger();
        TokenStore.Refresher refresher = current -> {
            int run = runs.incrementAndGet();
            try {
                Thread.sleep(300); // the other thread reaches the row lock meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new StoredTokens(current.userId(), "new-access-" + run, "new-refresh-" + run,
                    EXPIRES.plusSeconds(60), current.scopes(), 0);
        };
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Optional<StoredTokens>>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store.refreshOnce("42", seen, refresher);
                }));
            }
            StoredTokens a = results.get(0).get(30, TimeUnit.SECONDS).orElseThrow();
            StoredTokens b = results.get(1).get(30, TimeUnit.SECONDS).orElseThrow();
            assertEquals(1, runs.get(), "the refresher ran once");
            assertEquals(a, b, "both callers see the one refresh's tokens");
            assertEquals("new-access-1", a.access());
            assertEquals(seen + 1, a.version());
            assertEquals(Optional.of(a), store.find("42"));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void refreshOnceWhenTheRefresherFailsOrNoRowThenNothingChanges() {
        JdbcTokenStore store = store(KEYS);
        StoredTokens stored = store.put(tokens("5", "a", "r"));
        assertThrows(IllegalStateException.class, () -> store.refreshOnce("5", stored.version(), current -> {
            throw new IllegalStateException("Discord said no");
        }));
        assertEquals(Optional.of(stored), store.find("5"));
        assertEquals(Optional.empty(), store.refreshOnce("6", 1, current -> {
            throw new AssertionError("no row: no refresh");
        }));
    }

    @Test
    void deleteWhenTokensStoredThenGoneAndASecondDeleteFindsNothing() {
        JdbcTokenStore store = store(KEYS);
        store.put(tokens("9", "a", "r"));
        assertTrue(store.delete("9"));
        assertEquals(Optional.empty(), store.find("9"));
        assertFalse(store.delete("9"));
    }

    @Test
    void userIdsWhenPagedThenEveryUserOnceInOrder() {
        JdbcTokenStore store = store(KEYS);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = "10000000000000000" + i;
            all.add(id);
            store.put(tokens(id, "a" + i, "r" + i));
        }
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String after = null;
        for (List<String> page = store.userIds(null, 3); !page.isEmpty(); page = store.userIds(after, 3)) {
            sizes.add(page.size());
            seen.addAll(page);
            after = page.get(page.size() - 1);
        }
        assertEquals(List.of(3, 3, 1), sizes);
        assertEquals(all, seen);
        assertThrows(IllegalArgumentException.class, () -> store.userIds(null, 0));
    }

    @Test
    void findWhenSealedUnderAKeyNoLongerInTheRingThenAbsentAndALoginReplacesIt() {
        String old = "old:" + KeyRingTest.newKey(32);
        String fresh = "new:" + KeyRingTest.newKey(32);
        JdbcTokenStore before = store(old);
        before.put(tokens("3", "a", "r"));
        JdbcTokenStore rotated = new JdbcTokenStore(pool, KeyRing.parse("keys", fresh + "," + old), before.table());
        assertEquals("a", rotated.find("3").orElseThrow().access(), "the old key still opens");
        JdbcTokenStore removed = new JdbcTokenStore(pool, KeyRing.parse("keys", fresh), before.table());
        assertEquals(Optional.empty(), removed.find("3"), "a removed key: absent, not an error");
        assertEquals(Optional.empty(), removed.refreshOnce("3", 1, current -> {
            throw new AssertionError("nothing to refresh");
        }));
        assertEquals(2, removed.put(tokens("3", "b", "r")).version());
        assertEquals("b", removed.find("3").orElseThrow().access());
    }

    @Test
    void openWhenCreateTableConfiguredThenTheTableIsCreatedOnceAndWithoutItAMissingTableFailsInOneLine() {
        Map<String, String> config = new HashMap<>(Map.of(DiscordConfig.CLIENT_ID, "123456789012345678",
                DiscordConfig.CLIENT_SECRET, "s", DiscordConfig.REDIRECT_URI, "/cb",
                DiscordConfig.TOKEN_STORE, "jdbc", DiscordConfig.TOKEN_STORE_JDBC_URL, pg.url(),
                DiscordConfig.TOKEN_STORE_JDBC_USER, pg.user(), DiscordConfig.TOKEN_STORE_KEYS, KEYS,
                DiscordConfig.TOKEN_STORE_TABLE, "created_by_open"));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> TokenStores.open(Keys.read(config::get)));
        assertTrue(missing.getMessage().contains("created_by_open cannot be read")
                && missing.getMessage().contains(DiscordConfig.TOKEN_STORE_CREATE_TABLE), missing.getMessage());
        config.put(DiscordConfig.TOKEN_STORE_CREATE_TABLE, "true");
        JdbcTokenStore store = TokenStores.open(Keys.read(config::get)).orElseThrow();
        assertTrue(store.tableExists());
        store.put(tokens("1", "a", "r"));
        JdbcTokenStore again = TokenStores.open(Keys.read(config::get)).orElseThrow(); // exists: no error, kept
        assertEquals("a", again.find("1").orElseThrow().access());
        config.remove(DiscordConfig.TOKEN_STORE_CREATE_TABLE);
        assertEquals(Optional.of("a"), TokenStores.open(Keys.read(config::get)).orElseThrow().find("1")
                .map(StoredTokens::access));
    }

    @Test
    void poolWhenAllConnectionsInUseThenACallerWaitsBoundedAndABrokenIdleConnectionIsReplaced() throws Exception {
        try (DriverPool one = new DriverPool(pg.url(), pg.user(), null, 1, 1)) {
            int firstPid;
            try (Connection c = one.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                firstPid = rs.getInt(1);
                java.sql.SQLException busy = assertThrows(java.sql.SQLException.class, one::getConnection);
                assertTrue(busy.getMessage().contains("at most 1"), busy.getMessage());
                assertFalse(busy.getMessage().contains("?"), busy.getMessage());
            }
            assertEquals(1, one.idleCount(), "given back on close");
            try (Connection admin = pool.getConnection(); Statement s = admin.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + firstPid + ")");
            }
            Thread.sleep(200);
            try (Connection c = one.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                assertTrue(rs.getInt(1) != firstPid, "the dead idle connection was replaced");
                c.setAutoCommit(false);
            }
            try (Connection c = one.getConnection()) {
                assertTrue(c.getAutoCommit(), "a connection comes back reset");
            }
        }
    }
}
