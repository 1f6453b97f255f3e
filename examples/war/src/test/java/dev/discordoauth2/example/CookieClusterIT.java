package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.testkit.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The example WAR on a cluster without any session store ({@code cluster/cluster.sh} with {@code SESSION=cookie}:
 * {@code discord.session=cookie} with one cookie key for both Jetty nodes, no session table, HAProxy round-robin
 * without stickiness), twice: with the shared token store ({@code TOKEN_STORE=jdbc}, PostgreSQL for the token table
 * only) and without one ({@code TOKEN_STORE=none}, the tokens in the cookie, no PostgreSQL at all). For each: a login
 * started on one node completes on the other; one browser's requests racing over both nodes across a refresh log
 * nobody out and leave the browser with the newest tokens; a logout on one node ends the login on the other, and what
 * a copy of the old cookie replayed afterwards gets; a node killed with {@code kill -9} and restarted serves the
 * browser's login (nothing of it was on the node); no node ever issues a {@code JSESSIONID}. With the token store also
 * Discord's deauthorization event. Skipped outside CI, with a message, without HAProxy (and PostgreSQL for jdbc).
 */
class CookieClusterIT {

    @Nested
    class WithTheTokenStore extends Mode {
        WithTheTokenStore() {
            super("jdbc");
        }

        // the user removes the application at Discord: whichever node gets the signed event deletes the stored tokens,
        // and both browsers' logins end on both nodes although their cookies are still valid
        @Test
        @Order(6)
        void deauthorizationEventWhenReceivedByOneNodeThenTheUsersLoginsEndOnBothNodes() throws Exception {
            TestBrowser first = login(url("NODE1_URL"), url("NODE1_URL"));
            TestBrowser second = login(url("NODE2_URL"), url("NODE2_URL"));
            Cluster.assertServes(first, url("NODE2_URL"));
            Cluster.assertServes(second, url("NODE1_URL"));
            String stored = "select count(*) from discord_tokens where user_id = '" + url("USER_ID") + "'";
            assertEquals("1", cluster.sql(stored), "the user's tokens are stored once");
            cluster.admin("DELETE", "/webhooks/deliveries");
            cluster.admin("DELETE", "/applications/" + url("CLIENT_ID") + "/authorizations/" + url("USER_ID"));
            long t0 = System.nanoTime();
            String deliveries = "";
            while (!deliveries.contains("\"delivered\"") && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(50);
                deliveries = cluster.admin("GET", "/webhooks/deliveries?type=APPLICATION_DEAUTHORIZED");
            }
            assertTrue(deliveries.contains("\"delivered\""), "the event was acknowledged: " + deliveries);
            assertEquals("0", cluster.sql(stored), "the node that received the event deleted the tokens");
            assertTrue(cluster.toDiscord(first.get(url("NODE1_URL") + "/profile")), "browser 1 logged out on node 1");
            assertTrue(cluster.toDiscord(second.get(url("NODE2_URL") + "/profile")), "browser 2 logged out on node 2");
            assertTrue(cluster.toDiscord(first.get(url("NODE2_URL") + "/profile")), "browser 1 logged out on node 2");
        }
    }

    @Nested
    class WithoutATokenStore extends Mode {
        WithoutATokenStore() {
            super("none");
        }

        // the copy replayed after the logout (logoutWhen...): Discord refused its token on node 1 then; node 1 (not
        // restarted since) decides the refusal 30 s + discord.refresh-timeout later (the race and the node restart
        // run meanwhile), ends that login and deletes the cookie in its answer. Node 2 was restarted and knows
        // nothing: it decides for itself.
        @Test
        @Order(5)
        void replayedCopyWhenTheNodeHasDecidedDiscordsRefusalThenNoLoginThere() throws Exception {
            assertTrue(replayedAt > 0, "the logout test replayed a copy");
            // no request of the copy meanwhile: one after its refresh came due would have Discord refuse the refresh
            // too, and that refusal would be decided 35 s after it
            long decided = replayedAt + TimeUnit.SECONDS.toNanos(37) - System.nanoTime();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(decided)));
            HttpResponse<String> answer = replay(url("NODE1_URL"));
            while (answer.statusCode() == 200 && System.nanoTime() - replayedAt < TimeUnit.SECONDS.toNanos(60)) {
                Thread.sleep(500);
                answer = replay(url("NODE1_URL"));
            }
            System.out.printf("CookieClusterIT: the replayed copy ended on node 1 %d s after Discord refused it%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - replayedAt));
            assertTrue(cluster.toDiscord(answer), "the copy is no login on node 1: " + answer.statusCode());
            assertTrue(answer.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("DISCORD_LOGIN=;")
                    && c.contains("Max-Age=0")), "the answer deletes the cookie: " + answer.headers().map());
        }
    }

    /** One cluster in cookie mode and the tests both token-store modes share. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    abstract static class Mode {
        final String tokenStore;
        Cluster cluster;
        private final List<TestBrowser> browsers = new ArrayList<>();
        /** The login cookie copied before the logout, and when Discord first refused its token (nanoTime). */
        String copy;
        long replayedAt;
        /** The browser of the refresh race, and when it logged in (nanoTime). */
        TestBrowser racer;
        long racerLoggedInAt;

        Mode(String tokenStore) {
            this.tokenStore = tokenStore;
        }

        boolean jdbc() {
            return "jdbc".equals(tokenStore);
        }

        @BeforeAll
        void startCluster() throws Exception {
            Cluster.assumeTools("the cookie-mode cluster test", jdbc());
            // 70 s tokens with the library's 60 s refresh skew: 10 s after a login every request wants to refresh
            cluster = Cluster.start("CookieClusterIT-" + tokenStore, Map.of("NODES", "2", "SESSION", "cookie",
                    "TOKEN_STORE", tokenStore, "ACCESS_TOKEN_LIFETIME", "PT70S"));
            assertEquals("cookie", url("SESSION"));
            assertEquals(jdbc(), url("PG_PORT") != null, "PostgreSQL runs only for the token store");
        }

        @AfterAll
        void stopCluster() throws Exception {
            if (cluster != null) {
                cluster.stop();
            }
        }

        /** No node ever set a JSESSIONID: no HttpSession exists anywhere (each browser kept every cookie it got). */
        @AfterEach
        void noSessionWasEverIssued() {
            for (TestBrowser browser : browsers) {
                assertTrue(browser.cookie("JSESSIONID").isEmpty(), "a node issued a JSESSIONID");
            }
        }

        String url(String key) {
            return cluster.url(key);
        }

        TestBrowser login(String startBase, String callbackBase) {
            TestBrowser browser = Cluster.newBrowser();
            browsers.add(browser);
            cluster.login(browser, startBase, callbackBase);
            assertTrue(browser.cookie("DISCORD_LOGIN").isPresent(), "the login is in its cookie");
            assertTrue(browser.cookie("DISCORD_PENDING").isEmpty(), "the pending login's cookie was deleted");
            return browser;
        }

        /** The copy of the old login cookie, sent by a browser of its own to {@code base}'s profile page. */
        HttpResponse<String> replay(String base) {
            return Cluster.newBrowser().get(base + "/profile", "Cookie", "DISCORD_LOGIN=" + copy);
        }

        private static boolean deletesTheLogin(HttpResponse<?> r) {
            return r.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("DISCORD_LOGIN=")
                    && c.contains("Max-Age=0"));
        }

        @Test
        @Order(1)
        void loginWhenStartedOnOneNodeThenCompletesOnTheOtherWithoutAnyHttpSession() {
            for (String node : List.of("NODE1_URL", "NODE2_URL")) { // the balancer's health check page too
                HttpResponse<String> home = Cluster.newBrowser().get(url(node) + "/");
                assertEquals(200, home.statusCode());
                assertEquals(List.of(), home.headers().allValues("Set-Cookie"), node + " / sets no cookie");
            }
            TestBrowser browser = login(url("NODE1_URL"), url("NODE2_URL"));
            Cluster.assertServes(browser, url("NODE1_URL"));
            Cluster.assertServes(browser, url("NODE2_URL"));
            TestBrowser other = login(url("NODE2_URL"), url("NODE1_URL"));
            Cluster.assertServes(other, url("NODE2_URL"));
            Cluster.assertServes(other, url("NODE1_URL"));
            Set<String> nodes = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = other.get(url("LB_URL") + "/profile");
                assertEquals(200, r.statusCode(), "through the balancer: " + r.statusCode());
                r.headers().firstValue("X-Cluster-Node").ifPresent(nodes::add);
            }
            assertEquals(Set.of("node1", "node2"), nodes, "round-robin without stickiness");
        }

        // 96 requests of one browser over both nodes once every request wants a refresh. With the token store the
        // row's lock makes it one refresh for the cluster, and the cookie (the identity only) does not change.
        // Without it each node refreshes at most once for this cookie (single-flight), Discord's rotation refuses the
        // second node's, and that node serves its requests with the login's identity and sends no login cookie; the
        // winner's answers carry the new tokens, so the browser ends with them. Either way nobody is logged out and
        // no answer deletes the cookie.
        @Test
        @Order(3)
        void refreshWhenOneBrowsersRequestsRaceOverBothNodesThenNobodyLoggedOutAndTheCookieCarriesTheNewestTokens()
                throws Exception {
            if (racer == null) { // this test alone: the logout test logs the browser in otherwise
                racer = login(url("NODE1_URL"), url("NODE2_URL"));
                racerLoggedInAt = System.nanoTime();
            }
            TestBrowser browser = racer;
            String before = browser.cookie("DISCORD_LOGIN").orElseThrow();
            cluster.admin("DELETE", "/requests");
            // 70 s token, 60 s skew: from 10 s after the login every request wants to refresh
            long due = racerLoggedInAt + TimeUnit.SECONDS.toNanos(11) - System.nanoTime();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(due)));
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
                assertFalse(cluster.toDiscord(r), "sent back to Discord during the race");
                assertEquals(200, r.statusCode(), r.statusCode() + " " + Cluster.location(r) + " " + r.body());
                assertFalse(deletesTheLogin(r), "an answer deleted the login cookie: " + r.headers().map());
            }
            // the answers whose page Discord's guild list filled (the request's token accepted), per node; the node
            // that refreshed set the login cookie
            Map<String, int[]> accepted = new java.util.TreeMap<>();
            Set<String> refreshed = new HashSet<>();
            for (HttpResponse<String> r : answers) {
                String node = r.uri().getPort() == URI.create(url("NODE1_URL")).getPort() ? "node1" : "node2";
                int[] counts = accepted.computeIfAbsent(node, n -> new int[2]);
                counts[r.body().contains("guilds-refused") ? 1 : 0]++;
                if (r.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("DISCORD_LOGIN="))) {
                    refreshed.add(node);
                }
            }
            StringBuilder tally = new StringBuilder();
            accepted.forEach((node, c) -> tally.append(node).append(": ").append(c[0]).append(" with the token "
                    + "accepted, ").append(c[1]).append(" refused; "));
            List<Integer> grants = cluster.refreshGrants();
            System.out.println("CookieClusterIT (" + tokenStore + "): refresh grants during the race: " + grants
                    + "; " + tally + "login cookie set by " + refreshed);
            if (jdbc()) {
                accepted.forEach((node, c) -> assertEquals(0, c[1], "every request used the stored new token: "
                        + tally));
                assertEquals(Set.of(), refreshed, "the cookie holds the identity only: the refresh resealed nothing");
            } else {
                assertEquals(1, refreshed.size(), "one node refreshed and sent the new cookie: " + refreshed);
                // each of its answers, whether the request started the refresh, joined it or came after it with the
                // old cookie, was served with the new token (the other node's answers to the old cookie are served
                // with its token, which Discord killed at the rotation: the page says so)
                assertEquals(0, accepted.get(refreshed.iterator().next())[1], "the refreshing node's answers: "
                        + tally);
            }
            if (jdbc()) {
                assertEquals(List.of(200), grants, "exactly one refresh grant for the cluster, none refused");
            } else {
                assertEquals(1, grants.stream().filter(s -> s == 200).count(), "one refresh: " + grants);
                assertTrue(grants.size() <= 2, "at most one refused refresh, the other node's: " + grants);
                assertNotEquals(before, browser.cookie("DISCORD_LOGIN").orElseThrow(), "the new tokens' cookie");
            }
            for (String node : List.of("NODE1_URL", "NODE2_URL", "NODE1_URL", "NODE2_URL")) {
                // the profile lists the user's guilds with the token the cookie leads to: Discord accepts it
                HttpResponse<String> page = Cluster.assertServes(browser, url(node));
                assertFalse(page.body().contains("guilds-refused"), "Discord accepted the cookie's token on " + node);
            }
        }

        // A logout on node 1 deletes the browser's cookie (node 2 then refuses the browser) and revokes the user's
        // authorization at Discord. A copy of the old cookie: with the token store no login on either node (the
        // tokens are gone); without it still a login (the cookie is valid) whose token Discord refuses, until a node
        // has decided that refusal (the next test)
        @Test
        @Order(2)
        void logoutWhenOnOneNodeThenTheOtherRefusesTheBrowserAndAReplayedCopyGetsWhatTheStorePromises()
                throws Exception {
            TestBrowser other = login(url("NODE2_URL"), url("NODE2_URL")); // the same user in another browser
            TestBrowser browser = login(url("NODE1_URL"), url("NODE2_URL"));
            copy = browser.cookie("DISCORD_LOGIN").orElseThrow();
            HttpResponse<String> logout = browser.post(url("NODE1_URL") + "/oauth2/logout", "", "Origin",
                    url("NODE1_URL"));
            assertEquals(303, logout.statusCode(), logout.body());
            assertTrue(deletesTheLogin(logout), "the logout deletes the cookie: " + logout.headers().map());
            assertTrue(cluster.toDiscord(browser.get(url("NODE2_URL") + "/profile")), "refused on node 2");
            assertTrue(cluster.toDiscord(browser.get(url("LB_URL") + "/profile")), "refused behind the balancer");
            String tokens = cluster.admin("GET", "/applications/" + url("CLIENT_ID") + "/tokens?user_id="
                    + url("USER_ID"));
            assertFalse(tokens.replace(" ", "").contains("\"ended_at\":null"), "every token of the user was "
                    + "revoked at Discord: " + tokens);
            if (jdbc()) {
                assertTrue(cluster.toDiscord(replay(url("NODE1_URL"))), "the copy is no login on node 1");
                assertTrue(cluster.toDiscord(replay(url("NODE2_URL"))), "the copy is no login on node 2");
                assertTrue(cluster.toDiscord(other.get(url("NODE1_URL") + "/profile")), "the other browser is "
                        + "logged out at once");
            } else {
                for (String node : List.of("NODE1_URL", "NODE2_URL")) {
                    HttpResponse<String> replayed = replay(url(node));
                    if (replayedAt == 0) {
                        replayedAt = System.nanoTime();
                    }
                    assertEquals(200, replayed.statusCode(), "without the store the copy is still a login on "
                            + node + " until a node decides Discord's refusal");
                    assertTrue(replayed.body().contains("guilds-refused"), "Discord refuses the copy's token");
                }
            }
            // the race's browser logs in now (after the revocation), so that its wait for the refresh overlaps
            racer = login(url("NODE1_URL"), url("NODE2_URL"));
            racerLoggedInAt = System.nanoTime();
        }

        @Test
        @Order(4)
        void nodeWhenKilledAndRestartedThenServesTheBrowsersLogin() throws Exception {
            TestBrowser browser = login(url("LB_URL"), url("LB_URL"));
            Cluster.assertServes(browser, url("NODE2_URL"));
            cluster.run("kill-node", "2");
            for (int i = 0; i < 4; i++) { // the balancer sends node 2's share to node 1 (redispatch, health check)
                HttpResponse<String> r = browser.get(url("LB_URL") + "/profile");
                assertEquals(200, r.statusCode(), "while node 2 is down: " + r.statusCode() + " "
                        + r.headers().firstValue("X-Cluster-Balancer-Error").orElse(""));
            }
            long t0 = System.nanoTime();
            cluster.run("start-node", "2");
            System.out.printf("CookieClusterIT (%s): node 2 restarted in %d s%n", tokenStore,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
            Cluster.assertServes(browser, url("NODE2_URL"));
            Cluster.assertServes(browser, url("NODE1_URL"));
        }
    }
}
