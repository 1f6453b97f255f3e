package dev.discordoauth2.testkit;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs one {@link DiscordEmulator} per test class: started on a free loopback port before
 * the class's {@code @BeforeAll} methods, reset before each test ({@link DiscordEmulator#reset()}: faults, journal,
 * rate limits; {@link DiscordEmulator#restoreData()}: users, guilds, tokens and redirect URIs as at start, plus those
 * given to {@link #addRedirectUri}; and an empty {@link NextLogins} queue; the clock does not go back), closed after
 * the class. Test and lifecycle methods get it, its {@link NextLogins} and a new {@link TestBrowser} as parameters.
 * {@code @ExtendWith(DiscordEmulatorExtension.class)} loads the demo data set (users {@link #NELLY}, {@link #WUMPUS},
 * {@link #CLYDE}, their guilds; the application {@link #CLIENT_ID}/{@link #CLIENT_SECRET} with a bot); a static
 * {@code @RegisterExtension} field chooses the data ({@link #with(Supplier)}) and gives the class
 * {@link #emulator()} and {@link #nextLogin()} directly. Nested classes share the outer class's emulator.
 * Thread-safe. Test classes may run in parallel, each with its own emulator; the methods of one class share theirs and
 * each other's resets, so run them one at a time.
 */
public final class DiscordEmulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        ParameterResolver {
    /** The demo application's id (the standalone emulator's default). */
    public static final String CLIENT_ID = "1100000000000000001";
    /** The demo application's secret. */
    public static final String CLIENT_SECRET = "emulator-client-secret";
    /** The demo application's bot token. */
    public static final String BOT_TOKEN = "emulator-bot-token";
    /** The redirect URI the demo application has from the start (add yours with {@link #addRedirectUri}). */
    public static final String REDIRECT_URI = "http://localhost:8080/oauth2/callback";
    /** Demo user "nelly" (Nelly): verified e-mail, owner of the "Discord Testers" guild with its second role. */
    public static final String NELLY = "80351110224678912";
    /** Demo user "wumpus" (Wumpus): verified e-mail, not in "Discord Testers". */
    public static final String WUMPUS = "268473310986240001";
    /** Demo user "clyde": unverified e-mail, a member of "Discord Testers" without roles. */
    public static final String CLYDE = "613425648685547541";
    /** The demo guild "Discord Testers". */
    public static final String TESTERS_GUILD = "197038439483310086";

    private final Supplier<DiscordEmulator.Builder> builder;
    private final List<String[]> redirectUris = new CopyOnWriteArrayList<>();
    private volatile boolean restoreData = true;
    private volatile DiscordEmulator emulator;
    private volatile String owner;

    /** The demo data set (what {@code @ExtendWith(DiscordEmulatorExtension.class)} uses). */
    public DiscordEmulatorExtension() {
        this(DiscordEmulatorExtension::demo);
    }

    private DiscordEmulatorExtension(Supplier<DiscordEmulator.Builder> builder) {
        this.builder = builder;
    }

    /** The demo data set, for a {@code @RegisterExtension} field. */
    public static DiscordEmulatorExtension withDemoData() {
        return new DiscordEmulatorExtension();
    }

    /** An emulator from this builder (called once per test class); the port stays free unless the builder set one. */
    public static DiscordEmulatorExtension with(Supplier<DiscordEmulator.Builder> builder) {
        return new DiscordEmulatorExtension(Objects.requireNonNull(builder, "builder must not be null"));
    }

    /** The demo data set's builder: the demo users and guilds, and the application {@link #CLIENT_ID}. */
    public static DiscordEmulator.Builder demo() {
        return DiscordEmulator.builder().demoData(EmulatedApplication.builder(CLIENT_ID).clientSecret(CLIENT_SECRET)
                .redirectUri(REDIRECT_URI).botToken(BOT_TOKEN).build());
    }

    /**
     * Registers a redirect URI for the application, now (when the emulator runs) and again after each test's
     * {@link DiscordEmulator#restoreData()}: for an application started in {@code @BeforeAll} on a free port.
     */
    public DiscordEmulatorExtension addRedirectUri(String clientId, String redirectUri) {
        redirectUris.add(new String[] {clientId, redirectUri});
        DiscordEmulator running = emulator;
        if (running != null) {
            running.addRedirectUri(clientId, redirectUri);
        }
        return this;
    }

    /** Before each test only {@link DiscordEmulator#reset()}: data, codes and tokens live on from test to test. */
    public DiscordEmulatorExtension keepDataBetweenTests() {
        restoreData = false;
        return this;
    }

    /** The running emulator. */
    public DiscordEmulator emulator() {
        DiscordEmulator running = emulator;
        if (running == null) {
            throw new IllegalStateException("the emulator runs from the test class's start to its end; register the "
                    + "extension on the class (a static @RegisterExtension field or @ExtendWith)");
        }
        return running;
    }

    /** The running emulator's {@link NextLogins}: {@code nextLogin().as(NELLY)}. */
    public NextLogins nextLogin() {
        return NextLogins.of(emulator());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (emulator != null) {
            return; // a nested class: the outer class's emulator
        }
        DiscordEmulator started = builder.get().start();
        for (String[] uri : redirectUris) {
            started.addRedirectUri(uri[0], uri[1]);
        }
        NextLogins.of(started).clear();
        owner = context.getUniqueId();
        emulator = started;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        DiscordEmulator running = emulator();
        running.reset();
        if (restoreData) {
            running.restoreData();
            for (String[] uri : redirectUris) {
                running.addRedirectUri(uri[0], uri[1]);
            }
        }
        NextLogins.of(running).clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        DiscordEmulator running = emulator;
        if (running != null && context.getUniqueId().equals(owner)) {
            emulator = null;
            owner = null;
            NextLogins.forget(running);
            running.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DiscordEmulator.class || type == NextLogins.class || type == TestBrowser.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == DiscordEmulator.class) {
            return emulator();
        }
        if (type == NextLogins.class) {
            return nextLogin();
        }
        return new TestBrowser();
    }

    @Override
    public String toString() {
        DiscordEmulator running = emulator;
        return "DiscordEmulatorExtension[" + (running == null ? "not running" : running.baseUri()) + "]";
    }
}
