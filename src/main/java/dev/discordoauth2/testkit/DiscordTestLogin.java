package dev.discordoauth2.testkit;

import dev.discordoauth2.AccessToken;
import dev.discordoauth2.AuthorizeRequest;
import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.servlet.DiscordLoginFilter;
import dev.discordoauth2.web.DiscordPrincipal;
import dev.discordoauth2.web.DiscordTokens;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A logged-in Discord user for an application's own servlet, CDI or Arquillian tests, in the spirit of Spring
 * Security's {@code oauth2Login()} request post-processor: a principal and tokens, put into an {@link HttpSession}
 * exactly where the library's login puts them ({@link #into(HttpSession)}: the filter, {@code DiscordAuth},
 * {@code DiscordIdentity} and the Jakarta Security mechanism of that application then see the user as logged in,
 * without a trip to Discord), or onto a request as the filter hands it on ({@link #onto(HttpServletRequest)}:
 * {@code getUserPrincipal()}, {@code getRemoteUser()}, {@code getAuthType()} {@code "DISCORD"}, {@code isUserInRole}).
 * The tokens are made up ({@code test-access-token}, valid for a week) unless given, or real ones minted by a
 * {@link DiscordEmulator} ({@link #fromEmulator}) so that the application's calls to the emulated API with them work.
 * With {@code discord.session=cookie} the login is a sealed cookie instead: {@link #cookie(ServletContext)} and
 * {@link #into(TestBrowser, String, ServletContext)} for a client, and {@link #onto} stores it in the request's cookie
 * without an {@code HttpSession}.
 * The session form stores the login through the core's {@link DiscordAuth#storeLogin}: it needs the test and the
 * application to share the library's classes (a plain unit test, embedded Jetty or Tomcat, Arquillian's embedded
 * containers); with a server that loads the WAR's own copy, log in through {@link TestBrowser} instead. An instance is
 * immutable and thread-safe; the builder-style methods return new instances.
 */
public final class DiscordTestLogin {
    private final DiscordPrincipal principal;
    private final DiscordTokens tokens;
    private final Set<String> roles;

    private DiscordTestLogin(DiscordPrincipal principal, DiscordTokens tokens, Set<String> roles) {
        this.principal = principal;
        this.tokens = tokens;
        this.roles = Set.copyOf(roles);
    }

    /** A login of this principal with made-up tokens ({@code identify}, plus {@code email} when it has an e-mail). */
    public static DiscordTestLogin as(DiscordPrincipal principal) {
        Objects.requireNonNull(principal, "principal must not be null");
        List<String> scopes = principal.email() != null ? List.of("identify", "email") : List.of("identify");
        return new DiscordTestLogin(principal, new DiscordTokens("test-access-token",
                Instant.now().plus(Duration.ofDays(7)), "test-refresh-token", scopes), Set.of());
    }

    /** A login of a user with this id and username (no global name, avatar or e-mail) with made-up tokens. */
    public static DiscordTestLogin as(String userId, String username) {
        return as(new DiscordPrincipal(userId, username, null, null, null, null));
    }

    /**
     * A real login at the emulator, without a browser: authorizes {@code scopes} for {@code userId} at the emulator's
     * authorization page (as the user's consent), exchanges the code with the client's secret, and reads the user
     * from {@code GET /users/@me}, all through the library's own client. The tokens work against the emulator's API
     * (and its revocation, expiry and clock) as a browser login's would. {@code redirectUri} must be registered for the
     * application at the emulator.
     */
    public static DiscordTestLogin fromEmulator(DiscordEmulator emulator, String clientId, String clientSecret,
            String redirectUri, String userId, String... scopes) {
        String[] granted = scopes.length == 0 ? new String[] {"identify"} : scopes;
        try (DiscordOAuth2Client client = DiscordOAuth2Client.builder().clientId(clientId).clientSecret(clientSecret)
                .redirectUri(redirectUri).apiBaseUri(emulator.apiBaseUri()).authorizeUri(emulator.authorizeUri())
                .build()) {
            URI authorize = client.generateUri(AuthorizeRequest.builder().scopes(granted).state("test-login").build());
            TestBrowser browser = new TestBrowser();
            HttpResponse<String> page = browser.get(authorize.toString());
            HttpResponse<String> back = page.statusCode() == 200
                    ? browser.form(page, "consent").set("user_id", userId).set("decision", "approve").submit()
                    : page;
            if (back.statusCode() != 302) {
                throw new IllegalStateException("the emulator did not authorize " + userId + ": " + back.statusCode()
                        + " " + back.body());
            }
            String code = TestBrowser.query(TestBrowser.location(back)).get("code");
            if (code == null) {
                throw new IllegalStateException("no code in the emulator's redirect " + TestBrowser.location(back));
            }
            AccessToken token = client.exchangeCode(code);
            DiscordPrincipal principal = DiscordPrincipal.of(token.fetchIdentify());
            return new DiscordTestLogin(principal, new DiscordTokens(token.token(), token.expiresAt(),
                    token.refreshToken().orElse(null), List.copyOf(token.scopes())), Set.of());
        }
    }

    /** With these tokens instead. */
    public DiscordTestLogin tokens(DiscordTokens newTokens) {
        return new DiscordTestLogin(principal, Objects.requireNonNull(newTokens, "tokens must not be null"), roles);
    }

    /** With the user's server roles as {@code discord.guild-roles} gives them (in the session and the request). */
    public DiscordTestLogin guildRoles(String... guildRoles) {
        return new DiscordTestLogin(principal.withGuildRoles(Set.of(guildRoles)), tokens, roles);
    }

    /**
     * With these application roles on the request ({@link #onto}), as {@code discord.roles} would give them; the
     * session form leaves {@code discord.roles} to the application's configuration, as a real login does.
     */
    public DiscordTestLogin roles(String... moreRoles) {
        Set<String> all = new LinkedHashSet<>(roles);
        all.addAll(List.of(moreRoles));
        return new DiscordTestLogin(principal, tokens, all);
    }

    public DiscordPrincipal principal() {
        return principal;
    }

    public DiscordTokens tokens() {
        return tokens;
    }

    /**
     * The groups {@code isUserInRole} answers behind the filter: {@code discord-user}, {@code discord-verified} for a
     * verified e-mail address with the {@code email} scope, the server roles and the roles given here.
     */
    public Set<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        groups.add(DiscordLoginFilter.ROLE_USER);
        if (Boolean.TRUE.equals(principal.verified()) && tokens.scopes().contains("email")) {
            groups.add(DiscordLoginFilter.ROLE_VERIFIED);
        }
        groups.addAll(roles);
        groups.addAll(principal.guildRoles());
        return Set.copyOf(groups);
    }

    /**
     * Puts the login into the session as the library's callback does after a login (its tokens checked with Discord
     * just now), replacing any login there; returns the session.
     *
     * @throws IllegalStateException when the session's application has its own copy of the library's classes
     */
    public HttpSession into(HttpSession session) {
        Objects.requireNonNull(session, "session must not be null");
        requireSharedClasses(session);
        DiscordAuth.storeLogin(session, principal, tokens);
        return session;
    }

    /**
     * The request as the library's filter hands it on for this user: {@code getUserPrincipal()} the principal,
     * {@code getRemoteUser()} the user id, {@code getAuthType()} {@code "DISCORD"}, {@code isUserInRole} from
     * {@link #groups()}; and when the request has a session or can make one, the login {@linkplain #into(HttpSession)
     * in it} (with {@code discord.session=cookie}: in the request's sealed login cookie, no session made; its
     * response's {@code Set-Cookie} through {@link DiscordAuth#loginCookies}). Everything else is the request's own.
     */
    public HttpServletRequest onto(HttpServletRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        requireSharedClasses(request.getServletContext());
        if (cookieMode(request.getServletContext())) {
            DiscordAuth.storeLogin(request, principal, tokens); // the request's sealed cookie, no HttpSession
        } else {
            HttpSession session = request.getSession(true);
            if (session != null) {
                into(session);
            }
        }
        Set<String> groups = groups();
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public String getRemoteUser() {
                return principal.getName();
            }

            @Override
            public String getAuthType() {
                return "DISCORD";
            }

            @Override
            public boolean isUserInRole(String role) {
                return role != null && groups.contains(role);
            }
        };
    }

    /**
     * The login as the sealed cookie ({@code DISCORD_LOGIN}) the application of {@code context} keeps it in with
     * {@code discord.session=cookie}, sealed under that application's {@code discord.cookie-keys} (with the shared
     * token store the tokens go to the store, as at a real login): for a client such as {@link TestBrowser}
     * ({@link #into(TestBrowser, String, ServletContext)}) or a raw {@code Cookie} header. Its path is the context path.
     *
     * @throws IllegalStateException when the application runs no Discord login, keeps its logins in the container's
     *     session ({@link #into(HttpSession)} is for those), or has its own copy of the library's classes
     */
    public jakarta.servlet.http.Cookie cookie(ServletContext context) {
        Objects.requireNonNull(context, "context must not be null");
        requireSharedClasses(context);
        if (!cookieMode(context)) {
            throw new IllegalStateException("the application " + (DiscordAuth.loginCore(context).isPresent()
                    ? "keeps its logins in the HttpSession (discord.session=container): use into(HttpSession)"
                    : "runs no Discord login (no filter, servlet or mechanism)"));
        }
        HttpServletRequest request = TestRequest.get("/").contextPath(context.getContextPath()).servletContext(context)
                .build();
        DiscordAuth.storeLogin(request, principal, tokens);
        return DiscordAuth.loginCookies(request).stream().filter(c -> !c.getValue().isEmpty()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the application sealed no login cookie"));
    }

    /**
     * Logs {@code browser} in as this user at the application of {@code context} ({@code discord.session=cookie}),
     * reachable at {@code applicationUrl} (e.g. {@code http://127.0.0.1:8080/app}): its {@linkplain #cookie sealed
     * cookie} goes into the browser's jar, so that the browser's next requests are this user's, without Discord.
     * Returns the browser.
     */
    public TestBrowser into(TestBrowser browser, String applicationUrl, ServletContext context) {
        Objects.requireNonNull(browser, "browser must not be null");
        jakarta.servlet.http.Cookie cookie = cookie(context);
        browser.addCookie(applicationUrl, cookie.getName(), cookie.getValue(), cookie.getPath());
        return browser;
    }

    private static boolean cookieMode(ServletContext context) {
        return context != null && DiscordAuth.loginCore(context).map(c -> c.config().cookieSessions()).orElse(false);
    }

    /** Refuses a session whose application loaded its own copy of the library: the login would not be its class. */
    private static void requireSharedClasses(HttpSession session) {
        requireSharedClasses(session.getServletContext());
    }

    private static void requireSharedClasses(ServletContext context) {
        ClassLoader application = context == null ? null : context.getClassLoader();
        if (application == null) {
            return;
        }
        Class<?> theirs;
        try {
            theirs = Class.forName(DiscordPrincipal.class.getName(), false, application);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the session's application (loaded by " + application + ") does not "
                    + "see the library: log in through TestBrowser instead", e);
        }
        if (theirs != DiscordPrincipal.class) {
            throw new IllegalStateException("the session's application has its own copy of the library "
                    + "(loaded by " + application + "): log in through TestBrowser instead");
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("user=" + principal.id());
        parts.add(tokens.toString());
        if (!roles.isEmpty()) {
            parts.add("roles=" + roles);
        }
        return "DiscordTestLogin[" + String.join(", ", parts) + "]";
    }
}
