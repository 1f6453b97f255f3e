package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The login walked in real headless Chromium against the running example on the embedded emulator: the app on
 * {@code localhost}, the emulator on {@code 127.0.0.1}, so the way back from the consent page is a cross-site
 * navigation as it is from discord.com. Uses Debian's {@code chromium} and {@code chromium-driver}; nothing is
 * downloaded. Outside CI without them the test is skipped with a message; in CI ({@code CI=true}) it must run.
 * Screenshots of each step go to {@code target/screenshots}. What the app did on Discord's side (the users' role
 * connections, the servers the bot is in) is read from the emulator's admin API.
 */
class BrowserLoginIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The application DemoBootstrap gives the emulator. */
    private static final String CLIENT_ID = "1100000000000000001";
    private static final String NELLY = "80351110224678912";
    private static final String WUMPUS = "268473310986240001";
    /** The demo server nelly owns. */
    private static final String TESTERS = "197038439483310086";
    private final String app = System.getProperty("example.url", "http://localhost:18080");
    private final String emulator = System.getProperty("example.emulator-url", "http://127.0.0.1:18090");
    private final Path screenshots = Path.of(System.getProperty("example.screenshots", "target/screenshots"));
    private WebDriver browser;
    private WebDriverWait wait;
    private Path profile;

    @BeforeEach
    void start() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the browser test: install chromium and chromium-driver");
        }
        assumeTrue(installed, "Skipped: Debian's chromium and chromium-driver are not installed "
                + "(apt-get install -y chromium chromium-driver); .ci/run installs them");
        Files.createDirectories(screenshots);
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1200,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void screenshot(String name) throws IOException {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(screenshots.resolve(name + ".png"), png);
    }

    private String host() {
        return URI.create(browser.getCurrentUrl()).getHost();
    }

    private WebElement waitFor(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    /** {@code GET <emulator>/__admin/...} as JSON: what the emulated Discord holds. */
    private JsonObject emulatorAdmin(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(emulator
                + "/__admin" + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        try (var reader = Json.createReader(new StringReader(answer.body()))) {
            return reader.readObject();
        }
    }

    /** The user's role connection as the emulated Discord holds it for the example's application. */
    private JsonObject roleConnectionOf(String userId) throws IOException, InterruptedException {
        JsonArray connections = emulatorAdmin("/applications/" + CLIENT_ID + "/role-connections?user_id=" + userId)
                .getJsonArray("role_connections");
        assertEquals(1, connections.size(), "one connection for " + userId + ": " + connections);
        return connections.getJsonObject(0);
    }

    @Test
    void loginWhenApprovedOnConsentPageThenProfileReloadLogoutAndLoginAgain() throws IOException {
        browser.get(app + "/");
        screenshot("01-home");
        browser.get(app + "/profile");
        waitFor("approve");
        assertEquals("127.0.0.1", host(), "the consent page is on the emulator's site");
        assertTrue(browser.getPageSource().contains("discord-oauth2 example"), "names the application");
        screenshot("02-consent");

        browser.findElement(By.id("approve")).click();
        WebElement name = waitFor("display-name");
        assertEquals("localhost", host());
        assertEquals(app + "/profile", browser.getCurrentUrl());
        assertEquals("Nelly", name.getText());
        assertEquals("80351110224678912", browser.findElement(By.id("user-id")).getText());
        assertTrue(browser.findElement(By.id("guilds")).getText().contains("Discord Testers"));
        String roles = browser.findElement(By.id("roles")).getText();
        for (String role : new String[] {"discord-user", "discord-verified", "admin", "moderator"}) {
            assertTrue(roles.contains(role), "the profile lists the role " + role + ": " + roles);
        }
        // the pictures come from the emulator's CDN and decode: nelly's PNG avatar, the guild icons (one animated
        // WebP), the header's small avatar
        String avatar = browser.findElement(By.id("avatar")).getAttribute("src");
        assertEquals(emulator + "/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png?size=256", avatar);
        assertTrue(browser.findElement(By.id("guilds")).findElements(By.tagName("img")).stream()
                .anyMatch(img -> img.getAttribute("src").contains(".webp?size=64&animated=true")), "an animated icon");
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return document.images.length >= 4"
                + " && Array.from(document.images).every(i => i.complete && i.naturalWidth === 64)")));
        screenshot("03-profile");

        // moderator comes from nelly's "Moderators" role in the demo server (discord.guild-roles)
        browser.get(app + "/moderators");
        assertEquals("Moderators", waitFor("moderators").getText(), "the moderators-only page lets her in");

        browser.get(app + "/");
        assertEquals("Welcome, Nelly", waitFor("welcome").getText(), "the home page greets a logged-in user");
        assertTrue(browser.findElements(By.id("hero-login")).isEmpty(), "and offers no second login");
        browser.get(app + "/profile");

        browser.navigate().refresh();
        assertEquals("Nelly", waitFor("display-name").getText(), "the session cookie survived the cross-site return");
        screenshot("04-reloaded");

        browser.findElement(By.id("logout")).click();
        waitFor("hero-login");
        assertEquals(app + "/", browser.getCurrentUrl());
        screenshot("05-logged-out");

        browser.get(app + "/profile");
        waitFor("approve");
        assertEquals("127.0.0.1", host(), "logged out: the protected page sends the browser to Discord again");
        screenshot("06-login-again");
    }

    @Test
    void loginWhenDeniedThenLoginCancelledPage() throws IOException {
        browser.get(app + "/profile");
        waitFor("deny").click();
        WebElement retry = waitFor("retry");
        assertEquals("localhost", host());
        assertTrue(browser.getPageSource().contains("Login cancelled"));
        assertTrue(retry.getAttribute("href").contains("/oauth2/login?return=%2Fprofile"));
        screenshot("07-cancelled");
    }

    @Test
    void linkedRolesWhenSavedThenRedirectedToGetAndReloadPostsNothing() throws Exception {
        browser.get(app + "/linked-roles");
        waitFor("approve").click();
        WebElement level = waitFor("level");
        assertFalse(browser.getPageSource().contains("not-granted"));
        level.clear();
        level.sendKeys("42");
        browser.findElement(By.id("supporter")).click();
        browser.findElement(By.id("save")).click();
        assertEquals("Saved.", waitFor("notice").getText());
        assertEquals(app + "/linked-roles", browser.getCurrentUrl(), "after the POST the browser is on a GET URL");
        assertEquals("Level 42\nSupporter yes", browser.findElement(By.id("current")).getText());
        assertTrue(browser.findElement(By.id("verification-url")).getText().endsWith("/discord/linked-roles"));
        screenshot("08-linked-roles");
        JsonObject connection = roleConnectionOf(NELLY);
        assertEquals("discord-oauth2 example", connection.getString("platform_name"), "DemoPlatform's, pushed");
        assertEquals(NELLY, connection.getString("platform_username"));

        browser.navigate().refresh();
        waitFor("level");
        assertTrue(browser.findElements(By.id("notice")).isEmpty(),
                "a reload is a GET: the one-shot outcome is gone and nothing was posted again");
        assertEquals("Level 42\nSupporter yes", browser.findElement(By.id("current")).getText());
    }

    @Test
    void linkedRolesWhenLevelOverRangeThenRefusedWithReason() throws IOException {
        browser.get(app + "/linked-roles");
        waitFor("approve").click();
        WebElement level = waitFor("level");
        // what a client without the browser's own max="9999" check sends
        ((JavascriptExecutor) browser).executeScript("arguments[0].removeAttribute('max')", level);
        level.clear();
        level.sendKeys("100000");
        browser.findElement(By.id("save")).click();
        assertEquals("Not saved: the level must be from 0 to 9999; 100000 is out of range.",
                waitFor("notice").getText());
        assertEquals(app + "/linked-roles", browser.getCurrentUrl());
        assertFalse(browser.findElement(By.id("current")).getText().contains("100000"), "nothing was stored");
        screenshot("09-linked-roles-refused");
    }

    @Test
    void linkedRolesVerificationUrlWhenOpenedThenConnectedPageAndEmulatorHoldsTheConnection() throws Exception {
        // as Discord sends a user from a server's linked roles: logged out, straight to the verification URL
        browser.get(app + "/discord/linked-roles");
        waitFor("approve");
        assertEquals("127.0.0.1", host());
        assertFalse(browser.findElements(By.cssSelector("#scopes li[data-scope='role_connections.write']")).isEmpty(),
                "the consent page asks for role_connections.write");
        // wumpus, whom no other test saves anything for: DemoPlatform has never seen him
        new Select(browser.findElement(By.id("user_id"))).selectByValue(WUMPUS);
        screenshot("10-verification-url-consent");
        browser.findElement(By.id("approve")).click();
        waitFor("retry");
        assertEquals("localhost", host());
        assertEquals("Connected", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.getPageSource().contains("Return to Discord"), browser.getPageSource());
        screenshot("11-verification-url-connected");

        JsonObject connection = roleConnectionOf(WUMPUS);
        assertEquals("discord-oauth2 example", connection.getString("platform_name"));
        assertEquals(WUMPUS, connection.getString("platform_username"));
        assertEquals("1", connection.getJsonObject("metadata").getString("level"), "a new user's level: " + connection);
        assertEquals("0", connection.getJsonObject("metadata").getString("supporter"));

        // the connection logged him in: the app's own page shows what Discord now holds
        browser.get(app + "/linked-roles");
        assertEquals("Level 1\nSupporter no", waitFor("current").getText());
    }

    @Test
    void addToServerWhenGuildChosenThenBotAddedPageAndHomeListsIt() throws Exception {
        browser.get(app + "/");
        waitFor("add-to-server").click();
        waitFor("approve");
        assertEquals("127.0.0.1", host(), "Discord's bot authorization");
        new Select(browser.findElement(By.id("user_id"))).selectByValue(NELLY);
        new Select(browser.findElement(By.id("selected_guild_id"))).selectByValue(TESTERS);
        screenshot("12-add-to-server-consent");
        browser.findElement(By.id("approve")).click();
        waitFor("retry");
        assertEquals("localhost", host());
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("The bot was added to Discord Testers."),
                browser.getPageSource());
        screenshot("13-bot-added");

        JsonArray guilds = emulatorAdmin("/applications/" + CLIENT_ID + "/bot-guilds").getJsonArray("guilds");
        JsonObject testers = guilds.getValuesAs(JsonObject.class).stream()
                .filter(g -> g.getString("guild_id").equals(TESTERS)).findFirst().orElseThrow(() ->
                        new AssertionError("the bot is in Discord Testers: " + guilds));
        assertEquals("2048", testers.getString("permissions"), "DemoBootstrap's discord.bot-permissions");

        browser.findElement(By.id("retry")).click();
        String installs = waitFor("bot-installs").getText();
        assertTrue(installs.startsWith("Discord Testers id " + TESTERS + " · permissions 2048"), installs);
        screenshot("14-home-bot-installs");
    }

    @Test
    void faviconWhenRequestedFromAppAndEmulatorThenNoNotFound() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> icon = http.send(HttpRequest.newBuilder(URI.create(app + "/favicon.ico")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, icon.statusCode());
        assertTrue(icon.body().length > 0);
        HttpResponse<Void> emulatorIcon = http.send(HttpRequest.newBuilder(URI.create(emulator + "/favicon.ico"))
                .build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(204, emulatorIcon.statusCode());
    }
}
