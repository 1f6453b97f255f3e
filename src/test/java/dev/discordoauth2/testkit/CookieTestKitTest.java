package dev.discordoauth2.testkit;

import static dev.discordoauth2.testkit.DiscordEmulatorExtension.CLIENT_ID;
import static dev.discordoauth2.testkit.DiscordEmulatorExtension.CLIENT_SECRET;
import static dev.discordoauth2.testkit.DiscordEmulatorExtension.NELLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.servlet.EmbeddedApp;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.DiscordPrincipal;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test kit's {@link DiscordTestLogin} for an application with {@code discord.session=cookie}: the login sealed
 * under the application's keys into a browser's jar or onto a request, as the callback would seal it; the filter and
 * {@link DiscordAuth} then see the user without a trip to Discord, and no {@code HttpSession} is ever made. The
 * container-mode forms are in {@link TestKitTest}.
 */
class CookieTestKitTest {
    @RegisterExtension
    static DiscordEmulatorExtension discord = DiscordEmulatorExtension.withDemoData();

    static final DiscordPrincipal NELLY_VERIFIED = new DiscordPrincipal(NELLY, "nelly", "Nelly", null,
            "nelly@example.com", true);

    static EmbeddedApp cookieApp;
    static EmbeddedApp containerApp;

    @BeforeAll
    static void startApplications() throws Exception {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        cookieApp = EmbeddedApp.builder().emulator(discord.emulator(), CLIENT_ID, CLIENT_SECRET)
                .initParameter(DiscordConfig.SCOPES, "identify email")
                .initParameter(DiscordConfig.SESSION, "cookie")
                .initParameter(DiscordConfig.COOKIE_KEYS, "k1:" + Base64.getEncoder().encodeToString(key))
                .filter("/protected/*").callback()
                .servlet(TestKitTest.PageServlet.class, "/protected/page")
                .servlet(TestKitTest.WhoServlet.class, "/who")
                .start();
        containerApp = EmbeddedApp.builder().emulator(discord.emulator(), CLIENT_ID, CLIENT_SECRET)
                .filter("/protected/*").callback()
                .start();
    }

    @AfterAll
    static void stopApplications() throws Exception {
        cookieApp.close();
        containerApp.close();
    }

    @Test
    void intoBrowserWhenCookieModeThenTheFilterLetsTheUserInWithoutDiscordAndNoSessionIsMade(TestBrowser browser) {
        DiscordTestLogin.as(NELLY_VERIFIED).into(browser, cookieApp.base(), cookieApp.context().getServletContext());
        HttpResponse<String> page = browser.get(cookieApp.url("/protected/page"));
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("Nelly verified", page.body());
        assertEquals(NELLY, browser.get(cookieApp.url("/who")).body(), "DiscordAuth sees the cookie's user");
        assertTrue(browser.cookie("DISCORD_LOGIN").isPresent());
        assertFalse(browser.cookie("JSESSIONID").isPresent(), "no HttpSession in cookie mode");
        assertEquals(0, discord.emulator().journal().size(), "no trip to Discord");
    }

    @Test
    void cookieWhenSealedThenCarriesTheLoginCookiesAttributesAndAnotherApplicationsKeysDoNotOpenIt(
            TestBrowser browser) {
        Cookie cookie = DiscordTestLogin.as(NELLY, "nelly").cookie(cookieApp.context().getServletContext());
        assertEquals("DISCORD_LOGIN", cookie.getName());
        assertEquals("/app", cookie.getPath());
        assertTrue(cookie.isHttpOnly());
        assertEquals("Lax", cookie.getAttribute("SameSite"));
        assertFalse(cookie.getValue().contains("test-access-token"), "sealed, not in clear");
        HttpResponse<String> page = browser.get(cookieApp.url("/who"), "Cookie", "DISCORD_LOGIN=" + cookie.getValue());
        assertEquals(NELLY, page.body(), "a raw Cookie header works as well");
        String value = cookie.getValue();
        int at = value.length() - 5; // inside the sealed part (the last character may carry only padding bits)
        String tampered = value.substring(0, at) + (value.charAt(at) == 'A' ? 'B' : 'A') + value.substring(at + 1);
        assertEquals("nobody", new TestBrowser().get(cookieApp.url("/who"), "Cookie", "DISCORD_LOGIN=" + tampered)
                .body(), "a changed cookie is no login");
    }

    @Test
    void ontoWhenCookieModeThenTheRequestSeesTheUserAndItsResponseCookieCarriesTheLoginWithoutASession(
            TestBrowser browser) {
        TestRequest plain = TestRequest.get("/who").contextPath("/app")
                .servletContext(cookieApp.context().getServletContext()).build();
        HttpServletRequest request = DiscordTestLogin.as(NELLY_VERIFIED).roles("admin").onto(plain);
        assertEquals(NELLY, DiscordAuth.currentUser(request).orElseThrow().id());
        assertTrue(request.isUserInRole("admin"));
        assertNull(plain.getSession(false), "no HttpSession made");
        List<Cookie> cookies = DiscordAuth.loginCookies(request);
        assertEquals(1, cookies.size(), cookies::toString);
        assertEquals(List.of(), DiscordAuth.loginCookies(request), "handed over once");
        browser.addCookie(cookieApp.base(), cookies.get(0).getName(), cookies.get(0).getValue(),
                cookies.get(0).getPath());
        assertEquals("Nelly verified", browser.get(cookieApp.url("/protected/page")).body());
    }

    @Test
    void cookieWhenTheApplicationKeepsLoginsInTheContainersSessionThenRefusedNamingTheSessionForm() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DiscordTestLogin.as(NELLY, "nelly").cookie(containerApp.context().getServletContext()));
        assertTrue(e.getMessage().contains("into(HttpSession)"), e.getMessage());
        assertEquals(List.of(), DiscordAuth.loginCookies(TestRequest.get("/").contextPath("/app")
                .servletContext(containerApp.context().getServletContext()).build()), "none in container mode");
    }
}
