package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.emulator.Fault;
import dev.discordoauth2.emulator.RecordedRequest;
import dev.discordoauth2.security.app.AccountServlet;
import dev.discordoauth2.security.app.DiscordTestSettings;
import dev.discordoauth2.security.app.MeServlet;
import dev.discordoauth2.security.app.ModeratorServlet;
import dev.discordoauth2.security.app.RoleCheckedService;
import dev.discordoauth2.security.app.RolesAllowedServlet;
import dev.discordoauth2.security.app.SecuredApplication;
import dev.discordoauth2.testkit.TestBrowser;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Jakarta Security mechanism on a full Jakarta EE 10 server: Payara Micro 6 started by Arquillian's managed
 * Payara Micro container, the application a ShrinkWrap WAR with the library jar in {@code WEB-INF/lib} and
 * {@link SecuredApplication} carrying {@code @DiscordAuthenticationMechanismDefinition}: no filter, no servlet of the
 * library, no {@code <login-config>}. Protection is the container's: a {@code <security-constraint>} in web.xml and
 * {@code @ServletSecurity} on servlets. The Discord emulator runs in this JVM on a loopback port and Payara, another
 * process on the same machine, reaches it there; the browser is a cookie-keeping {@code java.net.http} client that
 * follows redirects one by one.
 *
 * <p>Runs in its own Failsafe execution ({@code payara-arquillian} in the pom), whose class path has the Payara
 * container instead of the embedded Jetty one and {@code arquillian.launch=payara-micro}. Without the Payara Micro jar
 * ({@code -Dpayara.skip=true}) the class is skipped, except when {@code CI=true}, where that fails; run in the
 * default execution (a {@code -Dit.test} pattern that matches it) it is skipped there.
 *
 * <p>Run in both session modes: {@link JakartaSecurityPayaraIT} with the container's session,
 * {@link JakartaSecurityPayaraCookieIT} with {@code discord.session=cookie} (no {@code HttpSession}); where the modes
 * differ (the cookies the browser holds), a test asserts each mode's own behaviour.
 */
@ExtendWith(MechanismSuite.PayaraPresent.class)
@ExtendWith(ArquillianExtension.class)
abstract class MechanismSuite {
    static final String CLIENT_ID = "100000000000000005";
    static final String SECRET = "payara-it-secret";
    static final String NELLY = "80351110224678912";
    /** Short-lived tokens (refreshed 2 s before expiry), so that a token can expire while Discord is down. */
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(6);
    static final long STARTED = System.nanoTime();

    private static DiscordEmulator discord;

    @ArquillianResource
    URL base;

    /** Skips the class where it cannot run, before Arquillian starts anything. */
    static final class PayaraPresent implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!"payara-micro".equals(System.getProperty("arquillian.launch"))) {
                return ConditionEvaluationResult.disabled("the Payara mechanism suite runs in the payara-arquillian "
                        + "Failsafe execution (arquillian.launch=payara-micro), not in this one");
            }
            Path jar = Path.of(System.getProperty("payara.micro.jar", "payara-micro.jar-not-set"));
            if (Files.isRegularFile(jar)) {
                String major = System.getProperty("payara.expected.major");
                if (major != null) { // the payara7-arquillian execution: make sure it is the Payara it names
                    String found = payaraMajor(jar);
                    if (!major.equals(found)) {
                        throw new IllegalStateException("expected Payara Micro " + major + " at " + jar + ", found "
                                + found);
                    }
                }
                return ConditionEvaluationResult.enabled("Payara Micro at " + jar);
            }
            String why = "the Payara mechanism suite skipped: Payara Micro not available at " + jar
                    + " (the pom copies it in pre-integration-test unless -Dpayara.skip=true)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI=true requires this test to run");
            }
            System.out.println(why);
            return ConditionEvaluationResult.disabled(why);
        }
    }

    /** The major version of the Payara Micro jar (its branding properties), or what went wrong reading it. */
    static String payaraMajor(Path jar) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            java.util.zip.ZipEntry entry = zip.getEntry("MICRO-INF/domain/branding/glassfish-version.properties");
            if (entry == null) {
                return "no branding properties";
            }
            java.util.Properties properties = new java.util.Properties();
            try (java.io.InputStream in = zip.getInputStream(entry)) {
                properties.load(in);
            }
            return properties.getProperty("major_version");
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Whether this run's application has {@code discord.session=cookie}. */
    abstract boolean cookieMode();

    static WebArchive deployment(boolean cookieMode) throws IOException {
        discord = DiscordEmulator.builder()
                .demoData(EmulatedApplication.builder(CLIENT_ID).name("Payara Jakarta Security IT").clientSecret(SECRET)
                        .botToken("payara-it-bot").redirectUri("http://127.0.0.1/placeholder").build())
                .accessTokenLifetime(TOKEN_LIFETIME)
                .autoApprove(NELLY)
                .start();
        List<File> libs = new ArrayList<>(List.of(input("payara.library.jar").toFile()));
        try (Stream<Path> jars = Files.list(input("payara.webinf.lib"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> libs.add(p.toFile()));
        }
        return ShrinkWrap.create(WebArchive.class, "jsec.war")
                .addClasses(SecuredApplication.class, DiscordTestSettings.class, MeServlet.class,
                        ModeratorServlet.class, AccountServlet.class, RoleCheckedService.class,
                        RolesAllowedServlet.class)
                .setWebXML(new StringAsset(webXml(cookieMode)))
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                        + "version=\"4.0\" bean-discovery-mode=\"annotated\"/>"), "beans.xml")
                .add(new StringAsset("<!doctype html><title>Protected</title><p>members only</p>\n"),
                        "protected/page.html")
                .add(new StringAsset("<!doctype html><title>Home</title><p>public home</p>\n"), "index.html")
                // as the README advises on Payara: its own session cookies (request.logout() changes the id) get
                // SameSite only from this property; SessionCookieConfig's SameSite is never sent there
                .addAsWebInfResource(new StringAsset(GLASSFISH_WEB_XML), "glassfish-web.xml")
                .addAsLibraries(libs.toArray(File[]::new));
    }

    /**
     * The protection is the container's; the library's configuration that the definition leaves empty comes from
     * context-params: Discord's URIs (the emulator's), the secret the definition's EL expression reads, and short
     * time budgets.
     */
    private static String webXml(boolean cookieMode) {
        String mode = !cookieMode ? "" : """
                  <context-param><param-name>discord.session</param-name><param-value>cookie</param-value></context-param>
                  <context-param><param-name>discord.cookie-keys</param-name><param-value>k1:%s</param-value></context-param>
                """.formatted(java.util.Base64.getEncoder().encodeToString(
                        java.security.SecureRandom.getSeed(32)));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                %s
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>test.client-secret</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.refresh-skew</param-name><param-value>PT2S</param-value></context-param>
                  <context-param><param-name>discord.callback-timeout</param-name><param-value>PT5S</param-value></context-param>
                  <security-constraint>
                    <web-resource-collection><web-resource-name>members</web-resource-name><url-pattern>/protected/*</url-pattern></web-resource-collection>
                    <auth-constraint><role-name>discord-user</role-name></auth-constraint>
                  </security-constraint>
                  <security-role><role-name>discord-user</role-name></security-role>
                  <security-role><role-name>discord-verified</role-name></security-role>
                  <security-role><role-name>admin</role-name></security-role>
                  <security-role><role-name>moderator</role-name></security-role>
                </web-app>
                """.formatted(mode, discord.apiBaseUri(), discord.authorizeUri(), SECRET);
    }

    /** The README's Payara setting for the session cookie's SameSite. */
    static final String GLASSFISH_WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE glassfish-web-app PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 Servlet 3.0//EN"
              "http://glassfish.org/dtds/glassfish-web-app_3_0-1.dtd">
            <glassfish-web-app>
              <session-config>
                <cookie-properties><property name="cookieSameSite" value="Lax"/></cookie-properties>
              </session-config>
            </glassfish-web-app>
            """;

    static Path input(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " not set: run through Maven failsafe");
        }
        return Path.of(value);
    }

    @AfterAll
    static void stopDiscord() {
        if (discord != null) {
            discord.close();
        }
        System.out.printf(Locale.ROOT, "Payara mechanism suite: %.1f s from the first deployment to the last test "
                + "(Payara Micro's start included)%n", (System.nanoTime() - STARTED) / 1e9);
    }

    @BeforeEach
    void registerRedirect() {
        discord.addRedirectUri(CLIENT_ID, url("/oauth2/callback"));
        discord.clearFaults();
        discord.clearJournal();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    /** Logs in from {@code path} (a protected page) with the emulator approving at once, and returns that page. */
    private HttpResponse<String> login(TestBrowser browser, String path) {
        HttpResponse<String> toDiscord = browser.get(url(path));
        assertEquals(302, toDiscord.statusCode(), () -> "not sent to Discord: " + abbreviate(toDiscord.body()));
        HttpResponse<String> back = browser.follow(toDiscord);
        assertEquals(302, back.statusCode(), back::body);
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(302, callback.statusCode(), () -> "callback: " + abbreviate(callback.body()));
        assertEquals(url(path), TestBrowser.location(callback), "back where the user started");
        return browser.follow(callback);
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= 400 ? flat : flat.substring(0, 400) + "...";
    }

    private long revocations() {
        return discord.journal("POST /oauth2/token/revoke").size();
    }

    @Test
    void protectedPageWhenAnonymousThenRedirectToDiscordWithStatePkceAndRedirectUri() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> response = browser.get(url("/protected/page.html"));
        assertEquals(302, response.statusCode(), () -> abbreviate(response.body()));
        String location = TestBrowser.location(response);
        assertTrue(location.startsWith(discord.authorizeUri() + "?"), location);
        Map<String, String> q = TestBrowser.query(location);
        assertEquals(CLIENT_ID, q.get("client_id"));
        assertEquals("identify email", q.get("scope"));
        assertEquals(url("/oauth2/callback"), q.get("redirect_uri"));
        assertTrue(q.get("state").length() >= 43, q.get("state"));
        assertEquals("S256", q.get("code_challenge_method"));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        String name = cookieMode() ? "DISCORD_PENDING=" : "JSESSIONID=";
        String cookie = response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " cookie: " + response.headers()));
        if (cookieMode()) {
            assertTrue(response.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("JSESSIONID=")),
                    "no HttpSession in cookie mode: " + response.headers().allValues("Set-Cookie"));
        }
        assertTrue(cookie.toLowerCase(Locale.ROOT).contains("; httponly"), cookie);
        assertTrue(cookie.toLowerCase(Locale.ROOT).contains("; samesite=lax"), "the library's cookie defaults: " + cookie);
        assertEquals(200, new TestBrowser().get(url("/index.html")).statusCode(), "public pages stay public");
    }

    @Test
    void addToServerPathWhenUserAuthorizesThenTheMechanismServesTheFlowAndTheBotAddedPage() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/discord/add-to-server?guild_id=197038439483310086"),
                "Accept", "text/html");
        assertEquals(302, toDiscord.statusCode(), () -> abbreviate(toDiscord.body()));
        Map<String, String> q = TestBrowser.query(TestBrowser.location(toDiscord));
        assertEquals("bot", q.get("scope"));
        assertEquals("code", q.get("response_type"));
        HttpResponse<String> back = browser.get(TestBrowser.location(toDiscord));
        assertEquals(302, back.statusCode(), () -> abbreviate(back.body()));
        HttpResponse<String> page = browser.follow(back);
        assertEquals(200, page.statusCode(), () -> abbreviate(page.body()));
        assertTrue(page.body().contains("The bot was added to Discord Testers."), () -> abbreviate(page.body()));
    }

    @Test
    void loginWhenApprovedThenContainerKnowsCallerAndGroupsAndCdiBeansShareTheLogin() {
        TestBrowser browser = new TestBrowser();
        browser.get(url("/account"));
        String sessionBefore = browser.cookie("JSESSIONID").orElse(null);
        HttpResponse<String> page = login(browser, "/me");
        assertEquals(200, page.statusCode(), () -> abbreviate(page.body()));
        String body = page.body();
        assertTrue(body.contains("remoteUser=" + NELLY + "\n"), body);
        assertTrue(body.contains("authType=DISCORD\n"), "getAuthType() as with the filter: " + body);
        assertTrue(body.contains("caller=" + NELLY + "\n"), body);
        assertTrue(body.contains("role.discord-user=true/true\n"), body);
        assertTrue(body.contains("role.discord-verified=true/true\n"), "verified e-mail with the email scope: " + body);
        assertTrue(body.contains("role.admin=true/true\n"), "discord.roles through the definition: " + body);
        assertTrue(body.contains("role.moderator=false/false\n"), body);
        assertTrue(body.contains("identity=nelly\n"), "DiscordIdentity reads the same session: " + body);
        assertTrue(body.contains("client=" + CLIENT_ID + " " + discord.apiBaseUri() + "\n"),
                "@Inject DiscordOAuth2Client uses the definition's configuration: " + body);
        assertTrue(body.contains("me=" + NELLY + "\n"), "the session's token works with Discord: " + body);
        if (cookieMode()) {
            assertTrue(browser.cookie("DISCORD_LOGIN").isPresent(), "the login in its sealed cookie");
            assertTrue(browser.cookie("JSESSIONID").isEmpty(), "no HttpSession: " + browser.cookie("JSESSIONID"));
        } else {
            assertNotEquals(sessionBefore, browser.cookie("JSESSIONID").orElse(null), "session id changed at login");
        }
        RecordedRequest exchange = discord.journal("POST /oauth2/token").get(0);
        assertTrue(exchange.formParam("code_verifier").isPresent(), "PKCE verifier sent");
        assertEquals(200, browser.get(url("/protected/page.html")).statusCode(), "the web.xml constraint too");
        assertEquals("caller=" + NELLY, browser.get(url("/account")).body(), "caller on public pages as well");
    }

    @Test
    void rolesAllowedWhenEjbMethodsCalledThenContainerAdmitsTheGroupAndRefusesTheOther() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> page = login(browser, "/ejb");
        assertEquals(200, page.statusCode(), () -> abbreviate(page.body()));
        assertTrue(page.body().contains("members=members\n"), "@RolesAllowed(discord-user) lets her in: " + page.body());
        assertTrue(page.body().contains("moderators=refused\n"), "@RolesAllowed(moderator) refuses: " + page.body());
    }

    @Test
    void roleWhenUserLacksItThenForbidden() {
        TestBrowser browser = new TestBrowser();
        login(browser, "/protected/page.html");
        HttpResponse<String> response = browser.get(url("/moderators"));
        assertEquals(403, response.statusCode(), () -> abbreviate(response.body()));
        assertFalse(response.body().contains("moderators only"));
    }

    @Test
    void scriptRequestWhenAnonymousThen401JsonNotRedirect() {
        HttpResponse<String> response = new TestBrowser().get(url("/me"), "Accept", "application/json");
        assertEquals(401, response.statusCode(), () -> abbreviate(response.body()));
        assertTrue(response.body().contains("\"login_url\":\"" + base.getPath().replaceAll("/$", "")
                + "/oauth2/login?return=%2Fme\""), response.body());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Discord "));
    }

    @Test
    void logoutWhenPostedFromOwnPageThenRevokedAndProtectedPageGoesToDiscordAgain() {
        TestBrowser browser = new TestBrowser();
        login(browser, "/protected/page.html");
        HttpResponse<String> crossSite = browser.post(url("/oauth2/logout"), "", "Origin", "https://evil.example");
        assertEquals(403, crossSite.statusCode(), () -> abbreviate(crossSite.body()));
        assertEquals(0, revocations(), "a cross-site logout revokes nothing");
        String origin = base.getProtocol() + "://" + base.getAuthority();
        HttpResponse<String> logout = browser.post(url("/oauth2/logout"), "", "Origin", origin);
        assertEquals(303, logout.statusCode(), () -> abbreviate(logout.body()));
        assertEquals(url("/"), TestBrowser.location(logout));
        assertEquals(1, revocations(), "the grant is revoked at Discord");
        assertFalse(discord.isAuthorized(CLIENT_ID, NELLY));
        HttpResponse<String> again = browser.get(url("/protected/page.html"));
        assertEquals(302, again.statusCode(), () -> abbreviate(again.body()));
        assertTrue(TestBrowser.location(again).startsWith(discord.authorizeUri() + "?"), TestBrowser.location(again));
    }

    /** The session cookie this response sets, or null. */
    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElse(null);
    }

    @Test
    void sessionCookieWhenLoggedInAndAfterRequestLogoutThenCarriesTheLibrarysDefaults() {
        if (cookieMode()) {
            loginCookieWhenRequestLogoutThenDeleted();
            return;
        }
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/me"));
        HttpResponse<String> callback = browser.follow(browser.follow(toDiscord));
        String atLogin = sessionCookie(callback);
        assertTrue(atLogin != null && atLogin.toLowerCase(Locale.ROOT).contains("samesite=lax")
                && atLogin.toLowerCase(Locale.ROOT).contains("httponly"), "the new id at login: " + atLogin);
        HttpResponse<String> logout = browser.post(url("/account/logout"), "");
        assertEquals(200, logout.statusCode(), () -> abbreviate(logout.body()));
        String afterLogout = sessionCookie(logout);
        assertTrue(afterLogout != null && afterLogout.toLowerCase(Locale.ROOT).contains("samesite=lax"),
                "Payara changes the session id at request.logout(), its cookie gets SameSite from glassfish-web.xml: "
                + logout.headers().allValues("Set-Cookie"));
    }

    /** Cookie mode: the login cookie at login carries the library's attributes, and request.logout() deletes it. */
    private void loginCookieWhenRequestLogoutThenDeleted() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> callback = browser.follow(browser.follow(browser.get(url("/me"))));
        String atLogin = callback.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("DISCORD_LOGIN="))
                .findFirst().orElse("");
        String lower = atLogin.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("httponly") && lower.contains("samesite=lax") && lower.contains("path=/jsec"),
                "the login cookie at login: " + atLogin);
        HttpResponse<String> logout = browser.post(url("/account/logout"), "");
        assertEquals(200, logout.statusCode(), () -> abbreviate(logout.body()));
        // a deletion: Payara 6 sends Max-Age=0, Payara 7 an Expires in 1970 (RFC 6265: either removes the cookie)
        assertTrue(logout.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("DISCORD_LOGIN=")
                && (c.toLowerCase(Locale.ROOT).contains("max-age=0") || c.contains("Expires=Thu, 01-Jan-1970"))),
                "request.logout() deletes the login cookie: " + logout.headers().allValues("Set-Cookie"));
        assertTrue(browser.cookie("DISCORD_LOGIN").isEmpty());
    }

    @Test
    void callbackWhenSessionNamedInUrlThen400AndTheVictimIsNotLoggedInAsItsOwner() {
        TestBrowser attacker = new TestBrowser();
        HttpResponse<String> back = attacker.follow(attacker.get(url("/protected/page.html")));
        assertEquals(302, back.statusCode(), back::body);
        String callback = TestBrowser.location(back);
        String lure = callback.replace("/oauth2/callback?", "/oauth2/callback;jsessionid="
                + attacker.cookie("JSESSIONID").orElse("0123456789abcdef") + "?");
        TestBrowser victim = new TestBrowser();
        HttpResponse<String> page = victim.get(lure);
        assertEquals(400, page.statusCode(), () -> "Payara takes ;jsessionid= whatever the tracking modes: "
                + abbreviate(page.body()));
        assertTrue(page.body().contains("session_in_url"), page.body());
        assertEquals(0, discord.journal("POST /oauth2/token").size(), "no code exchanged for the lure");
        assertEquals(302, victim.get(url("/me")).statusCode(), "the victim is not logged in");
    }

    @Test
    void containerLogoutWhenRequestLogoutThenDiscordLoginEndsToo() {
        TestBrowser browser = new TestBrowser();
        login(browser, "/me");
        HttpResponse<String> logout = browser.post(url("/account/logout"), "");
        assertEquals(200, logout.statusCode(), () -> abbreviate(logout.body()));
        assertEquals("logged out, caller=null", logout.body());
        assertEquals(1, revocations(), "request.logout() revokes like the logout path");
        HttpResponse<String> again = browser.get(url("/me"));
        assertEquals(302, again.statusCode(), () -> abbreviate(again.body()));
        assertTrue(TestBrowser.location(again).startsWith(discord.authorizeUri() + "?"), TestBrowser.location(again));
    }

    @Test
    void authenticateWhenAnonymousThenStartsLoginAndReturnsThere() {
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> page = login(browser, "/account/login");
        assertEquals(200, page.statusCode(), () -> abbreviate(page.body()));
        assertEquals("authenticated " + NELLY, page.body());
    }

    @Test
    void callbackWhenStateUnknownThenOneRetryThen400PageAndNoCodeExchanged() {
        TestBrowser browser = new TestBrowser();
        browser.get(url("/protected/page.html"));
        if (!cookieMode()) { // in cookie mode the pending logins travel in the browser's cookie: no retry
            HttpResponse<String> retry = browser.get(url("/oauth2/callback?code=abc&state=forged"));
            assertEquals(503, retry.statusCode(), () -> "one retry of a state not stored yet: "
                    + abbreviate(retry.body()));
            assertEquals("1; url=" + url("/oauth2/callback?code=abc&state=forged"),
                    retry.headers().firstValue("Refresh").orElse(""));
        }
        HttpResponse<String> response = browser.get(url("/oauth2/callback?code=abc&state=forged"));
        assertEquals(400, response.statusCode(), () -> abbreviate(response.body()));
        assertTrue(response.body().contains("invalid_state"), response.body());
        assertEquals(0, discord.journal("POST /oauth2/token").size());
    }

    @Test
    void callbackWhenDiscordRateLimitsThen503RetryPageWithRetryAfter() {
        discord.injectFault("POST /oauth2/token", Fault.status(429, "{\"message\": \"You are being rate limited.\", "
                + "\"retry_after\": 30, \"global\": false}").withHeader("X-RateLimit-Scope", "shared"));
        TestBrowser browser = new TestBrowser();
        HttpResponse<String> toDiscord = browser.get(url("/me"));
        HttpResponse<String> back = browser.follow(toDiscord);
        HttpResponse<String> callback = browser.follow(back);
        assertEquals(503, callback.statusCode(), () -> abbreviate(callback.body()));
        assertEquals("30", callback.headers().firstValue("Retry-After").orElse(""));
        assertTrue(callback.body().contains("discord_busy"), callback.body());
        assertFalse(callback.body().contains(SECRET));
    }

    @Test
    void protectedPageWhenTokenExpiredAndDiscordDownThen503KeepsLoginAndRecovers() throws InterruptedException {
        TestBrowser browser = new TestBrowser();
        assertEquals(200, login(browser, "/me").statusCode());
        discord.injectFault("POST /oauth2/token", Fault.status(503, "{\"message\": \"busy\", \"code\": 0}")
                .times(100));
        Thread.sleep(TOKEN_LIFETIME.toMillis() + 500);
        HttpResponse<String> page = browser.get(url("/me"));
        assertEquals(503, page.statusCode(), () -> abbreviate(page.body()));
        assertTrue(page.body().contains("discord_unavailable"), page.body());
        long retryAfter = Long.parseLong(page.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        HttpResponse<String> json = browser.get(url("/me"), "Accept", "application/json");
        assertEquals(503, json.statusCode(), json::body);
        assertTrue(json.body().contains("\"error\":\"discord_unavailable\""), json.body());
        discord.clearFaults();
        // Discord answers again: within the backoff the answer stays a 503 with Retry-After (never a new login), then
        // the refresh succeeds and the same login goes on
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> recovered;
        while (true) {
            Thread.sleep(Math.min(retryAfter, 5) * 1000 + 200);
            recovered = browser.get(url("/me"));
            if (recovered.statusCode() != 503 || System.nanoTime() > deadline) {
                break;
            }
            retryAfter = Long.parseLong(recovered.headers().firstValue("Retry-After").orElse("1"));
        }
        HttpResponse<String> page2 = recovered;
        assertEquals(200, page2.statusCode(), () -> "the login was kept: " + abbreviate(page2.body()));
        assertTrue(page2.body().contains("caller=" + NELLY + "\n"), page2.body());
    }
}
