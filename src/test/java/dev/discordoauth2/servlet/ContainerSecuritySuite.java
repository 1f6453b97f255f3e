package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.testkit.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code discord.container-authentication=true} on a servlet container: the library's Jakarta Authentication module is
 * the container's authentication, so the container's own {@code <security-constraint>}, {@code @ServletSecurity},
 * {@code isUserInRole} and {@code getAuthType()} see the Discord login. The application (see {@link #webXml}) has no
 * library filter or servlet at all: context-params, two constraints ({@code /member/*} for {@code discord-user},
 * {@code /admin/*} for {@code admin}), a servlet constrained by its {@code @ServletSecurity} to {@code moderator}, and
 * {@code CallerServlet}, which prints what the container says of the caller. The same tests run on each container
 * (a subclass per container starts it with the application at {@link #base}, and stops it).
 */
abstract class ContainerSecuritySuite {
    static final String CLIENT_ID = "100000000000000023";
    static final String SECRET = "container-security-it-secret";
    static final String NELLY = "80351110224678912";
    static final String OTHER = "268473310986240001";
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(6);

    static DiscordEmulator discord;
    /** The application's URL, without a trailing slash. */
    static String base;

    static DiscordEmulator startEmulator() {
        discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(CLIENT_ID).name("Container security IT").clientSecret(SECRET)
                        .redirectUri("http://127.0.0.1/placeholder").build())
                .accessTokenLifetime(TOKEN_LIFETIME)
                .start();
        return discord;
    }

    /** Whether this run's application has {@code discord.session=cookie}. */
    abstract boolean cookieMode();

    /**
     * What the container's {@code getAuthType()} says for a request without a caller: {@code null}, as the Servlet
     * specification has it; Open Liberty says its default login method ({@link ContainerSecurityLibertyIT}).
     */
    String anonymousAuthType() {
        return null;
    }

    /** The application's web.xml: the configuration as context-params, the container's constraints. */
    static String webXml(boolean cookieMode) {
        String session = !cookieMode ? "" : "<context-param><param-name>discord.session</param-name><param-value>"
                + "cookie</param-value></context-param><context-param><param-name>discord.cookie-keys</param-name>"
                + "<param-value>k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'Q')
                + "</param-value></context-param>";
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <context-param><param-name>discord.container-authentication</param-name><param-value>true</param-value></context-param>
                  <context-param><param-name>discord.client-id</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.client-secret</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.redirect-uri</param-name><param-value>/oauth2/callback</param-value></context-param>
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.roles</param-name><param-value>admin=%s; moderator=%s</param-value></context-param>
                  <context-param><param-name>discord.refresh-timeout</param-name><param-value>PT2S</param-value></context-param>
                  %s
                  <servlet><servlet-name>caller</servlet-name><servlet-class>dev.discordoauth2.servlet.app.CallerServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>caller</servlet-name><url-pattern>/who</url-pattern><url-pattern>/member/who</url-pattern><url-pattern>/admin/who</url-pattern></servlet-mapping>
                  <servlet><servlet-name>moderators</servlet-name><servlet-class>dev.discordoauth2.servlet.app.ModeratorsServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>moderators</servlet-name><url-pattern>/moderators</url-pattern></servlet-mapping>
                  <security-constraint>
                    <web-resource-collection><web-resource-name>members</web-resource-name><url-pattern>/member/*</url-pattern></web-resource-collection>
                    <auth-constraint><role-name>discord-user</role-name></auth-constraint>
                  </security-constraint>
                  <security-constraint>
                    <web-resource-collection><web-resource-name>admins</web-resource-name><url-pattern>/admin/*</url-pattern></web-resource-collection>
                    <auth-constraint><role-name>admin</role-name></auth-constraint>
                  </security-constraint>
                  <security-role><role-name>discord-user</role-name></security-role>
                  <security-role><role-name>admin</role-name></security-role>
                  <security-role><role-name>moderator</role-name></security-role>
                </web-app>
                """.formatted(CLIENT_ID, SECRET, discord.apiBaseUri(), discord.authorizeUri(), NELLY, OTHER, session);
    }

    @BeforeEach
    void resetDiscord() {
        discord.clearFaults();
        discord.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        discord.clearJournal();
    }

    static String url(String path) {
        return base + path;
    }

    /** Logs Nelly in from {@code path} (a constrained page): the page's answer after the login. */
    static HttpResponse<String> login(TestBrowser browser, String path) {
        HttpResponse<String> toDiscord = browser.get(url(path));
        assertEquals(302, toDiscord.statusCode(), toDiscord::body);
        assertTrue(TestBrowser.location(toDiscord).startsWith(discord.authorizeUri() + "?"),
                TestBrowser.location(toDiscord));
        HttpResponse<String> back = browser.consent(TestBrowser.location(toDiscord), NELLY, "approve");
        assertEquals(302, back.statusCode(), back::body);
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), callback::body);
        assertEquals(url(path), TestBrowser.location(callback), "back to the page the constraint protected");
        return browser.follow(callback);
    }

    @Test
    void constraintWhenAnonymousNavigationThenTheContainerSendsTheBrowserToDiscordWithStateAndPkce() {
        HttpResponse<String> toDiscord = new TestBrowser().get(url("/member/who"));
        assertEquals(302, toDiscord.statusCode(), toDiscord::body);
        var query = TestBrowser.query(TestBrowser.location(toDiscord));
        assertEquals(CLIENT_ID, query.get("client_id"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertTrue(query.get("state").length() >= 43, "a random state: " + query.get("state"));
        assertEquals(url("/oauth2/callback"), query.get("redirect_uri"));
    }

    @Test
    void constraintWhenLoggedInThenTheContainersCallerIsTheDiscordUserWithAuthTypeDiscord() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> page = login(browser, "/member/who");
        assertEquals(200, page.statusCode(), page::body);
        assertEquals("user=" + NELLY + " type=DISCORD principal=DiscordPrincipal admin=true member=true "
                + "moderator=false path=/member/who", page.body());
        if (cookieMode()) {
            assertTrue(browser.cookie("DISCORD_LOGIN").isPresent(), "the login in its sealed cookie");
            assertTrue(browser.cookie("JSESSIONID").isEmpty(), "no HttpSession: " + browser.cookie("JSESSIONID"));
        } else {
            assertTrue(browser.cookie("JSESSIONID").isPresent(), "the login in the container's session");
        }
    }

    @Test
    void authConstraintWhenTheUserHasTheRoleThenServedAndWhenSheLacksItThen403() {
        TestBrowser browser = new TestBrowser();
        login(browser, "/member/who");
        HttpResponse<String> admin = browser.get(url("/admin/who"));
        assertEquals(200, admin.statusCode(), admin::body);
        assertTrue(admin.body().startsWith("user=" + NELLY + " type=DISCORD"), admin.body());
        HttpResponse<String> moderators = browser.get(url("/moderators"));
        assertEquals(403, moderators.statusCode(), "@ServletSecurity(moderator): " + moderators.body());
        assertFalse(moderators.body().contains("moderators only"));
    }

    @Test
    void publicPageWhenAnonymousThenServedWithoutACallerAndWhenLoggedInWithHers() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> anonymous = browser.get(url("/who"));
        assertEquals(200, anonymous.statusCode(), anonymous::body);
        assertEquals("user=null type=" + anonymousAuthType() + " principal=none admin=false member=false moderator=false"
                + " path=/who",
                anonymous.body());
        login(browser, "/member/who");
        HttpResponse<String> known = browser.get(url("/who"));
        assertEquals(200, known.statusCode(), known::body);
        assertTrue(known.body().startsWith("user=" + NELLY + " type=DISCORD principal=DiscordPrincipal admin=true"),
                known.body());
    }

    @Test
    void constraintWhenScriptIsAnonymousThen401JsonNeverARedirect() {
        HttpResponse<String> response = new TestBrowser().get(url("/member/who"), "Accept", "application/json");
        assertEquals(401, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Discord "),
                response.headers().toString());
        assertTrue(response.body().contains("\"login_url\":"), response.body());
        assertFalse(response.body().contains("member/who?"), response.body());
    }

    @Test
    void logoutWhenPostedThenRevokedAndTheConstraintSendsTheBrowserToDiscordAgain() {
        TestBrowser browser = new TestBrowser();
        login(browser, "/member/who");
        HttpResponse<String> crossSite = browser.post(url("/oauth2/logout"), "", "Origin", "https://evil.example");
        assertEquals(403, crossSite.statusCode(), crossSite::body);
        String origin = base.substring(0, base.indexOf('/', "http://".length()));
        HttpResponse<String> logout = browser.post(url("/oauth2/logout"), "", "Origin", origin);
        assertEquals(303, logout.statusCode(), logout::body);
        assertFalse(discord.isAuthorized(CLIENT_ID, NELLY), "the grant is revoked at Discord");
        HttpResponse<String> again = browser.get(url("/member/who"));
        assertEquals(302, again.statusCode(), again::body);
        assertEquals("user=null type=" + anonymousAuthType() + " principal=none admin=false member=false moderator=false"
                + " path=/who",
                browser.get(url("/who")).body());
    }

    @Test
    void requestLogoutWhenTheApplicationCallsItThenTheDiscordLoginEndsToo() {
        TestBrowser browser = new TestBrowser();
        login(browser, "/member/who");
        HttpResponse<String> loggedOut = browser.get(url("/who?logout"));
        assertEquals(200, loggedOut.statusCode(), loggedOut::body);
        assertTrue(loggedOut.body().startsWith("user=null type=null"), loggedOut.body());
        HttpResponse<String> again = browser.get(url("/member/who"));
        assertEquals(302, again.statusCode(), "request.logout() ended the Discord login: " + again.body());
    }

    @Test
    void constraintWhenTokenExpiredAndDiscordIsDownThen503WithRetryAfterAndTheLoginIsKept() throws Exception {
        TestBrowser browser = new TestBrowser();
        login(browser, "/member/who");
        discord.injectFault("POST /oauth2/token", Fault.status(503, "{\"message\": \"busy\", \"code\": 0}")
                .times(100));
        Thread.sleep(TOKEN_LIFETIME.toMillis() + 500);
        HttpResponse<String> page = browser.get(url("/member/who"));
        assertEquals(503, page.statusCode(), page::body);
        assertTrue(Long.parseLong(page.headers().firstValue("Retry-After").orElse("0")) >= 1, page.headers()
                .toString());
        assertFalse(page.body().contains("user="), "the constrained servlet did not run: " + page.body());
        discord.clearFaults();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> recovered = page;
        while (recovered.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            recovered = browser.get(url("/member/who"));
        }
        assertEquals(200, recovered.statusCode(), "the same login goes on once Discord answers");
        assertTrue(recovered.body().startsWith("user=" + NELLY), recovered.body());
    }

    @Test
    void callbackWhenStateIsUnknownThenTheLibrarys400AndNoCodeExchanged() {
        TestBrowser browser = new TestBrowser();
        browser.get(url("/member/who")); // a pending login of this browser, with another state
        if (!cookieMode()) { // in cookie mode the pending logins travel in the browser's cookie: no retry
            HttpResponse<String> retry = browser.get(url("/oauth2/callback?code=abc&state=forged"));
            assertEquals(503, retry.statusCode(), "one retry of a state not stored yet: " + retry.body());
            assertEquals("1; url=" + url("/oauth2/callback?code=abc&state=forged"),
                    retry.headers().firstValue("Refresh").orElse(""));
        }
        HttpResponse<String> response = browser.get(url("/oauth2/callback?code=abc&state=forged"));
        assertEquals(400, response.statusCode(), response::body);
        assertTrue(response.body().contains("invalid_state"), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
        assertEquals(0, discord.journal("POST /oauth2/token").size());
    }
}
