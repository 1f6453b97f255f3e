package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.testkit.TestBrowser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The example WAR on a real cluster started by {@code cluster/cluster.sh}: two Jetty 12 JVMs sharing their sessions
 * through PostgreSQL (null session cache), the standalone Discord emulator, HAProxy round-robin without stickiness.
 * A login started on one node completes on the other, concurrent refreshes on both nodes never log the user out, a
 * logout on one node ends the session on the other, and a node killed with {@code kill -9} and restarted still knows
 * the session. The cluster's directory lies in a folder only its owner can enter (as a checkout under root's home or
 * under a {@code mktemp -d} folder): PostgreSQL, which runs as user {@code postgres} when the script runs as root,
 * keeps its data, log and socket in a temporary folder of its own, and {@code stop} leaves neither that folder nor a
 * process behind. Needs Debian's {@code postgresql} and {@code haproxy}: outside CI without them the test is skipped
 * with a message; in CI ({@code CI=true}) it must run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Cluster.assumeTools("the cluster test", true);
        // 70 s tokens with the library's 60 s refresh skew: 10 s after a login every request wants to refresh
        cluster = Cluster.start("ClusterIT", Map.of("NODES", "2", "ACCESS_TOKEN_LIFETIME", "PT70S"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.stop();
        }
    }

    private static String url(String key) {
        return cluster.url(key);
    }

    private static boolean toDiscord(HttpResponse<String> response) {
        return cluster.toDiscord(response);
    }

    private static TestBrowser login(String startBase, String callbackBase) {
        return cluster.login(startBase, callbackBase);
    }

    private static void assertServes(TestBrowser browser, String base) {
        Cluster.assertServes(browser, base);
    }

    private static String location(HttpResponse<?> response) {
        return Cluster.location(response);
    }

    private static String sql(String query) throws Exception {
        return cluster.sql(query);
    }

    private static void run(String... args) throws Exception {
        cluster.run(args);
    }

    // PostgreSQL runs as user postgres when the script runs as root, and postgres may not enter the cluster's directory
    // (under a 0700 folder, see privateFolder): its data, log and socket are in a temporary folder of its own
    @Test
    @Order(0)
    void postgresWhenClusterDirUnreachableForItsUserThenRunsFromATempFolderOfItsOwn() throws Exception {
        Path pgDir = Path.of(url("PG_DIR"));
        assertFalse(pgDir.startsWith(cluster.dir), "PostgreSQL's folder outside the cluster's directory: " + pgDir);
        assertEquals(Cluster.pgUser(), Files.getOwner(pgDir).getName(), "the owner of " + pgDir);
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(pgDir),
                "the permissions of " + pgDir);
        assertTrue(Files.exists(pgDir.resolve("socket/.s.PGSQL." + url("PG_PORT"))), "the unix socket in " + pgDir);
        assertTrue(Files.readString(pgDir.resolve("data/postmaster.pid")).startsWith(url("PG_PID") + "\n"),
                "PG_PID is the postmaster's pid");
        for (String host : List.of("127.0.0.1", pgDir.resolve("socket").toString())) {
            Process ready = new ProcessBuilder(Cluster.pgTool("pg_isready").toString(), "-h", host, "-p",
                    url("PG_PORT"), "-U", "cluster", "-d", "sessions", "-t", "10").redirectErrorStream(true).start();
            String out = new String(ready.getInputStream().readAllBytes());
            assertTrue(ready.waitFor(20, TimeUnit.SECONDS), "pg_isready -h " + host);
            assertEquals(0, ready.exitValue(), "pg_isready -h " + host + ": " + out);
        }
        // the log stays where the tests and the reliability harness read every log: LOG_DIR
        assertTrue(Files.readString(Path.of(url("LOG_DIR"), "postgresql.log"))
                .contains("database system is ready to accept connections"), "postgresql.log in LOG_DIR");
    }

    @Test
    @Order(1)
    void loginWhenStartedOnOneNodeThenCompletesOnTheOther() {
        TestBrowser browser = login(url("NODE1_URL"), url("NODE2_URL"));
        assertServes(browser, url("NODE1_URL"));
        assertServes(browser, url("NODE2_URL"));
        TestBrowser other = login(url("NODE2_URL"), url("NODE1_URL"));
        assertServes(other, url("NODE2_URL"));
        assertServes(other, url("NODE1_URL"));
    }

    @Test
    @Order(2)
    void loginThroughTheBalancerThenEveryNodeServes() {
        TestBrowser browser = login(url("LB_URL"), url("LB_URL"));
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = browser.get(url("LB_URL") + "/profile");
            assertEquals(200, r.statusCode(), "through the balancer: " + r.statusCode() + " " + location(r)
                    + " " + r.headers().firstValue("X-Cluster-Balancer-Error").orElse(""));
            r.headers().firstValue("X-Cluster-Node").ifPresent(nodes::add);
        }
        assertEquals(Set.of("node1", "node2"), nodes, "round-robin without stickiness");
    }

    // The refresh race between the nodes, with the shared token store (cluster.sh's default): 96 requests of one
    // session over both nodes once every request wants a refresh. The store's row lock lets one node refresh; the
    // other waits and uses the stored result, so Discord sees exactly one refresh grant, and refuses none.
    @Test
    @Order(3)
    void refreshWhenBothNodesRaceThenExactlyOneRefreshGrantAndNobodyIsLoggedOut() throws Exception {
        assertEquals("jdbc", url("TOKEN_STORE"), "the cluster runs the shared token store");
        TestBrowser browser = login(url("NODE1_URL"), url("NODE2_URL"));
        HttpClient admin = HttpClient.newHttpClient();
        admin.send(HttpRequest.newBuilder(URI.create(url("ADMIN_URL") + "/requests")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        Thread.sleep(11_000); // 70 s token, 60 s skew: every request now wants to refresh
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 96; i++) {
                String node = url(i % 2 == 0 ? "NODE1_URL" : "NODE2_URL");
                calls.add(() -> browser.get(node + "/profile"));
            }
            for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (HttpResponse<String> r : answers) {
            assertFalse(toDiscord(r), "sent back to Discord during the race");
            assertEquals(200, r.statusCode(), r.statusCode() + " " + location(r) + " " + r.body());
        }
        String journal = admin.send(HttpRequest.newBuilder(URI.create(url("ADMIN_URL")
                + "/requests?route=POST%20/oauth2/token&limit=1000")).build(), HttpResponse.BodyHandlers.ofString()).body();
        int refreshes = count(journal, "grant_type=refresh_token") + count(journal, "\"grant_type\":[\"refresh_token\"]")
                + count(journal, "\"grant_type\":\"refresh_token\"");
        System.out.println("ClusterIT: refresh grants during the race of 96 requests: " + refreshes);
        assertEquals(1, refreshes, "exactly one refresh grant for the cluster: " + journal);
        assertFalse(journal.contains("invalid_grant"), "Discord refused no refresh: " + journal);
        for (int i = 0; i < 3; i++) { // both nodes serve with the stored new tokens
            assertServes(browser, url("NODE1_URL"));
            assertServes(browser, url("NODE2_URL"));
        }
    }

    // The user removes the application at Discord: the emulator revokes the authorization and sends the signed
    // APPLICATION_DEAUTHORIZED to the balancer's /discord/webhook; whichever node gets it deletes the user's stored
    // tokens, and the sessions of both browsers end on both nodes at their next request.
    @Test
    @Order(4)
    void deauthorizationEventWhenReceivedByOneNodeThenTheUsersSessionsEndOnBothNodes() throws Exception {
        TestBrowser first = login(url("NODE1_URL"), url("NODE1_URL"));
        TestBrowser second = login(url("NODE2_URL"), url("NODE2_URL"));
        assertServes(first, url("NODE2_URL"));
        assertServes(second, url("NODE1_URL"));
        String stored = "select count(*) from discord_tokens where user_id = '" + url("USER_ID") + "'";
        assertEquals("1", sql(stored), "the user's tokens are stored once");
        HttpClient admin = HttpClient.newHttpClient();
        admin.send(HttpRequest.newBuilder(URI.create(url("ADMIN_URL") + "/webhooks/deliveries")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> revoked = admin.send(HttpRequest.newBuilder(URI.create(url("ADMIN_URL")
                + "/applications/" + url("CLIENT_ID") + "/authorizations/" + url("USER_ID"))).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, revoked.statusCode(), revoked.body());
        long t0 = System.nanoTime();
        String deliveries = "";
        while (!deliveries.contains("\"delivered\"") && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(50);
            deliveries = admin.send(HttpRequest.newBuilder(URI.create(url("ADMIN_URL")
                    + "/webhooks/deliveries?type=APPLICATION_DEAUTHORIZED")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        assertTrue(deliveries.contains("\"delivered\""), "the event was acknowledged: " + deliveries);
        System.out.printf("ClusterIT: APPLICATION_DEAUTHORIZED acknowledged in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertEquals("0", sql(stored), "the node that received the event deleted the user's tokens, before any "
                + "request of theirs");
        assertTrue(toDiscord(first.get(url("NODE1_URL") + "/profile")), "browser 1 logged out on node 1");
        assertTrue(toDiscord(second.get(url("NODE2_URL") + "/profile")), "browser 2 logged out on node 2");
        assertTrue(toDiscord(first.get(url("NODE2_URL") + "/profile")), "browser 1 logged out on node 2");
    }

    @Test
    void linkedRolesSweepWhenAnAdminStartsItThenEveryStoredUserIsPushedWithoutThemAndNoneFails() throws Exception {
        TestBrowser admin = login(url("NODE1_URL"), url("NODE1_URL"));
        HttpResponse<String> start = admin.post(url("NODE1_URL") + "/linked-roles/sweep", "action=start", "Origin",
                url("LB_URL"));
        assertEquals(303, start.statusCode(), start.body());
        String page = "";
        long t0 = System.nanoTime();
        while (!page.contains("data-finished=\"true\"") && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
            Thread.sleep(100);
            page = admin.get(url("NODE1_URL") + "/linked-roles/sweep").body();
        }
        assertTrue(page.contains("data-finished=\"true\">Done: "), page);
        assertTrue(page.contains(" 0 failed."), page);
        assertTrue(!page.contains("Done: 0 pushed"), "the logged-in user's stored grant pushed: " + page);
        String stored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("ADMIN_URL")
                + "/applications/" + url("CLIENT_ID") + "/role-connections?user_id=" + url("USER_ID"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(stored.contains("\"platform_name\":\"discord-oauth2 example\""), stored);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    @Order(5)
    void logoutWhenOnOneNodeThenSessionEndedOnTheOtherAndTheUsersOtherBrowserToo() {
        TestBrowser other = login(url("NODE2_URL"), url("NODE2_URL")); // the same user in another browser
        TestBrowser browser = login(url("NODE1_URL"), url("NODE2_URL"));
        assertServes(browser, url("NODE2_URL"));
        assertServes(other, url("NODE1_URL"));
        HttpResponse<String> logout = browser.post(url("NODE1_URL") + "/oauth2/logout", "", "Origin", url("NODE1_URL"));
        assertEquals(303, logout.statusCode(), logout.body());
        assertTrue(toDiscord(browser.get(url("NODE2_URL") + "/profile")), "logged out on node 2 as well");
        assertTrue(toDiscord(browser.get(url("LB_URL") + "/profile")), "logged out behind the balancer");
        // the logout revoked the user's authorization at Discord and deleted the stored tokens: the other browser's
        // session ends at its very next request, on either node
        assertTrue(toDiscord(other.get(url("NODE1_URL") + "/profile")), "the other browser is logged out at once");
    }

    @Test
    @Order(6)
    void nodeWhenKilledAndRestartedThenStillKnowsTheSession() throws Exception {
        TestBrowser browser = login(url("LB_URL"), url("LB_URL"));
        assertServes(browser, url("NODE2_URL"));
        run("kill-node", "2");
        for (int i = 0; i < 4; i++) { // the balancer sends node 2's share to node 1 (redispatch, health check)
            HttpResponse<String> r = browser.get(url("LB_URL") + "/profile");
            assertEquals(200, r.statusCode(), "while node 2 is down: " + r.statusCode() + " "
                    + r.headers().firstValue("X-Cluster-Balancer-Error").orElse(""));
        }
        long t0 = System.nanoTime();
        run("start-node", "2");
        System.out.printf("ClusterIT: node 2 restarted in %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        assertServes(browser, url("NODE2_URL"));
        assertServes(browser, url("NODE1_URL"));
    }

    @Test
    @Order(7)
    void balancerLogWhenCallbacksPassedThenNoCodeOrStateInIt() throws Exception {
        TestBrowser browser = login(url("LB_URL"), url("LB_URL")); // at least one callback through the balancer
        assertServes(browser, url("LB_URL"));
        String log = Files.readString(Path.of(url("LOG_DIR"), "haproxy.log"));
        assertTrue(log.contains("/oauth2/callback"), "the balancer logged the callbacks");
        assertFalse(log.contains("code=") || log.contains("state="),
                "Discord's authorization code and state stay out of the balancer's log");
    }
}
