package dev.discordoauth2.testkit;

import static dev.discordoauth2.testkit.DiscordEmulatorExtension.CLIENT_ID;
import static dev.discordoauth2.testkit.DiscordEmulatorExtension.CLIENT_SECRET;
import static dev.discordoauth2.testkit.DiscordEmulatorExtension.NELLY;
import static dev.discordoauth2.testkit.DiscordEmulatorExtension.WUMPUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.servlet.EmbeddedApp;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test kit's types against the library's real filter on embedded Jetty and the emulator. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestKitTest {
    @RegisterExtension
    static DiscordEmulatorExtension discord = DiscordEmulatorExtension.withDemoData();

    static EmbeddedApp app;
    static String base;

    /** Prints the logged-in user as DiscordAuth sees it (a public page, not behind the filter). */
    public static class WhoServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write(DiscordAuth.currentUser(request).map(DiscordPrincipal::id).orElse("nobody"));
        }
    }

    /** Puts nelly's login into the session with the test kit, as an in-container test would. */
    public static class TestLoginServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            DiscordTestLogin.as(new DiscordPrincipal(NELLY, "nelly", "Nelly", null, "nelly@example.com", true))
                    .into(request.getSession(true));
            response.setStatus(204);
        }
    }

    /** The protected page: the principal's display name and its verified role. */
    public static class PageServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write(((DiscordPrincipal) request.getUserPrincipal()).displayName()
                    + (request.isUserInRole("discord-verified") ? " verified" : ""));
        }
    }

    @BeforeAll
    static void startApplication() throws Exception {
        app = EmbeddedApp.builder().emulator(discord.emulator(), CLIENT_ID, CLIENT_SECRET)
                .initParameter(DiscordConfig.SCOPES, "identify email")
                .filter("/protected/*").callback()
                .servlet(PageServlet.class, "/protected/page")
                .servlet(WhoServlet.class, "/who")
                .servlet(TestLoginServlet.class, "/test-login")
                .start();
        base = app.base();
        discord.addRedirectUri(CLIENT_ID, base + "/oauth2/callback");
    }

    @AfterAll
    static void stopApplication() throws Exception {
        app.close();
    }

    @Test
    @Order(1)
    void extensionWhenTestChangesTheEmulatorThenParametersAreTheClassEmulator(DiscordEmulator emulator,
            NextLogins next, TestBrowser browser) {
        assertSame(discord.emulator(), emulator);
        assertSame(NextLogins.of(emulator), next);
        assertNotNull(browser);
        emulator.injectFault("GET /users/@me", Fault.status(500, "{}"));
        next.as(NELLY);
        emulator.revokeAuthorization(CLIENT_ID, NELLY);
        assertEquals(1, emulator.faultsPending("GET /users/@me"));
    }

    @Test
    @Order(2)
    void extensionWhenNextTestStartsThenEmulatorResetAndRedirectUriKept(DiscordEmulator emulator, NextLogins next,
            TestBrowser browser) {
        assertEquals(0, emulator.faultsPending("GET /users/@me"), "faults cleared");
        assertEquals(0, next.pending(), "queued logins dropped");
        assertTrue(emulator.journal().isEmpty(), "journal cleared");
        next.as(WUMPUS);
        HttpResponse<String> page = browser.navigate(base + "/protected/page");
        assertEquals(200, page.statusCode(), "the redirect URI added in @BeforeAll survived restoreData: "
                + page.body());
        assertEquals("Wumpus verified", page.body());
        assertEquals(0, next.pending());
        assertEquals(WUMPUS, browser.get(base + "/who").body());
    }

    @Test
    @Order(3)
    void nextLoginWhenCancelledThenNoGrantAndNoUser(TestBrowser browser) {
        discord.nextLogin().cancelled();
        HttpResponse<String> page = browser.navigate(base + "/protected/page");
        assertTrue(page.uri().toString().startsWith(base), "back at the application: " + page.uri());
        assertFalse(discord.emulator().isAuthorized(CLIENT_ID, NELLY));
        assertEquals("nobody", browser.get(base + "/who").body());
    }

    @Test
    @Order(4)
    void consentPageWhenNothingQueuedThenReturnedAndFormReadable(TestBrowser browser) {
        HttpResponse<String> page = browser.navigate(base + "/protected/page");
        assertEquals(200, page.statusCode());
        assertTrue(page.uri().toString().startsWith(discord.emulator().authorizeUri().toString()), page.uri()::toString);
        TestBrowser.Form form = browser.form(page, "consent");
        assertEquals("POST", form.method());
        assertEquals(CLIENT_ID, form.fields().get("client_id"));
        assertEquals(NELLY, form.fields().get("user_id"), "the first user, as a browser preselects");
        HttpResponse<String> back = form.set("user_id", NELLY).set("decision", "approve").submit();
        assertEquals(302, back.statusCode());
        assertTrue(TestBrowser.location(back).startsWith(base + "/oauth2/callback?code="));
        assertEquals(200, browser.followRedirects(back).statusCode());
        assertEquals(NELLY, browser.get(base + "/who").body());
        assertTrue(browser.cookie("JSESSIONID").isPresent());
    }

    @Test
    @Order(5)
    void intoSessionWhenPutInTheContainerThenFilterLetsTheUserInWithoutDiscord(TestBrowser browser) {
        assertEquals(204, browser.post(base + "/test-login", "").statusCode());
        HttpResponse<String> page = browser.get(base + "/protected/page");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("Nelly verified", page.body());
        assertEquals(NELLY, browser.get(base + "/who").body(), "DiscordAuth sees the session's user");
        assertEquals(0, discord.emulator().journal().size(), "no trip to Discord");
    }

    @Test
    @Order(6)
    void fromEmulatorWhenMintedThenRealGrantAndPrincipal() {
        DiscordTestLogin login = DiscordTestLogin.fromEmulator(discord.emulator(), CLIENT_ID, CLIENT_SECRET,
                DiscordEmulatorExtension.REDIRECT_URI, WUMPUS, "identify", "email");
        assertEquals("wumpus", login.principal().username());
        assertEquals(Boolean.TRUE, login.principal().verified());
        assertTrue(discord.emulator().isAuthorized(CLIENT_ID, WUMPUS));
        assertEquals(Set.of("discord-user", "discord-verified"), login.groups());
        TestSession session = new TestSession();
        login.into(session);
        assertEquals(1, java.util.Collections.list(session.getAttributeNames()).size());
    }

    @Test
    void ontoWhenRequestBuiltThenAsBehindTheFilter() {
        TestSession session = new TestSession();
        HttpServletRequest request = DiscordTestLogin.as(NELLY, "nelly").roles("admin").guildRoles("moderator")
                .onto(TestRequest.get("/page?x=1&y=two").contextPath("/app").session(session).build());
        assertEquals(NELLY, request.getRemoteUser());
        assertEquals("DISCORD", request.getAuthType());
        assertTrue(request.isUserInRole("discord-user") && request.isUserInRole("admin")
                && request.isUserInRole("moderator"));
        assertFalse(request.isUserInRole("discord-verified"), "no e-mail");
        assertEquals("two", request.getParameter("y"));
        assertEquals("/app/page", request.getRequestURI());
        assertSame(session, request.getSession(false));
        assertTrue(session.getAttributeNames().hasMoreElements(), "the login in the session");
        session.invalidate();
        assertNull(request.getSession(false));
        assertThrows(IllegalStateException.class, () -> session.getAttribute("x"));
    }

    @Test
    void testResponseWhenServletWritesThenRecorded() throws Exception {
        TestResponse response = new TestResponse();
        response.setContentType("text/plain;charset=UTF-8");
        response.addHeader("X-A", "1");
        response.addHeader("x-a", "2");
        response.getWriter().write("héllo");
        assertEquals("héllo", response.body());
        assertEquals(java.util.List.of("1", "2"), java.util.List.copyOf(response.getHeaders("X-A")));
        response.sendRedirect("/elsewhere");
        assertEquals(302, response.getStatus());
        assertEquals("/elsewhere", response.redirectedTo());
        assertEquals(Map.of("a", "1", "b", "x y"), TestBrowser.query("http://h/?a=1&b=x+y"));
    }

    @Nested
    class NestedClass {
        @Test
        void nestedWhenRunThenSharesTheOuterEmulator(DiscordEmulator emulator) {
            assertSame(discord.emulator(), emulator);
        }
    }
}
