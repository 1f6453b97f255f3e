package dev.discordoauth2.servlet;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.Outcome;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Jakarta Security mechanism of {@link DiscordAuthenticationMechanismDefinition}: an adapter over the application's
 * {@link LoginCore} (the filter's and servlets' very steps) that turns their outcomes into
 * {@link AuthenticationStatus} values and tells the container the caller and groups. The login's principal (in the
 * {@code HttpSession}, or with {@code discord.session=cookie} in the sealed cookie) is the source of truth: it is
 * handed to the container on every request (the mechanism keeps no container session of its own).
 *
 * <p>It is checked when the application starts ({@link #validate}, from the extension): an invalid configuration or a
 * jar missing at run time is logged then, at deployment, and stops the deployment where the container honours it; where
 * it does not, every protected resource and the library's own paths (callback, login, logout) get 503 (a page for a
 * navigation, JSON for a script, as from the filter), and public resources are served without a caller. Anything its
 * own work throws is logged in one line and answered the same way: it never lets a request through on a failure.
 * Application-scoped; thread-safe (the flow is built once and then only read).
 */
final class DiscordAuthenticationMechanism implements HttpAuthenticationMechanism {
    private static final System.Logger LOG = System.getLogger(DiscordAuthenticationMechanism.class.getName());
    private static final String AUTH_TYPE_KEY = "jakarta.servlet.http.authType";

    private final Supplier<DiscordConfig> configuration;
    /** The library's paths when the configuration cannot be built (from the definition's literal values). */
    private final Set<String> ownPaths;
    private final Object lock = new Object();
    private volatile Cores.Started flow;
    /** The application the core was started for. */
    private ServletContext context;
    /** The configuration, when it could be built at deployment. */
    private DiscordConfig validated;
    /**
     * Why the mechanism cannot work (logged once), or the application is stopping: every protected request and the
     * library's paths are refused with 503, and no new runtime is started. Null while it works.
     */
    private volatile String broken;

    DiscordAuthenticationMechanism(Supplier<DiscordConfig> configuration, Set<String> ownPaths) {
        this.configuration = configuration;
        this.ownPaths = Set.copyOf(ownPaths);
    }

    /**
     * Checks, when the application starts (the extension's start-up observer), that the mechanism can work: the jars
     * the library needs load, and the configuration can be built. A failure is logged once, makes the mechanism refuse
     * every protected request, and is thrown, so that containers which honour a failing start-up stop the deployment
     * there. An EL expression that cannot be evaluated yet (its beans may need the running application) is left for
     * the first request.
     *
     * @throws IllegalStateException naming what is missing or invalid (never a value)
     */
    void validate() {
        synchronized (lock) {
            if (broken != null || flow != null || validated != null) {
                if (broken != null) {
                    throw new IllegalStateException(broken);
                }
                return;
            }
            String missing = Dependencies.missing().orElse(null);
            if (missing != null) {
                fail(missing);
                throw new IllegalStateException(missing);
            }
            try {
                validated = configuration.get();
            } catch (RuntimeException | LinkageError e) {
                if (expressionFailed(e)) {
                    LOG.log(System.Logger.Level.DEBUG, () -> reason(e) + " at deployment; evaluated again at the "
                            + "first request");
                    return;
                }
                String why = "Log in with Discord is not configured: " + reason(e);
                fail(why);
                throw new IllegalStateException(why);
            }
        }
    }

    /** Starts the mechanism for the application; null when it is not configured or cannot run (logged once). */
    Cores.Started start(ServletContext context) {
        Cores.Started built = flow;
        if (built != null || broken != null) {
            return built;
        }
        synchronized (lock) {
            if (flow == null && broken == null) {
                String missing = Dependencies.missing().orElse(null);
                if (missing != null) {
                    fail(missing);
                } else {
                    try {
                        DiscordConfig config = validated != null ? validated : configuration.get();
                        flow = Cores.acquire(context, () -> config, "the Jakarta Security mechanism");
                        this.context = context;
                    } catch (RuntimeException | LinkageError e) {
                        fail("Log in with Discord is not configured: " + reason(e));
                    }
                }
            }
            return flow;
        }
    }

    private void fail(String why) {
        broken = why;
        LOG.log(System.Logger.Level.ERROR, why + "; the Jakarta Security mechanism refuses every protected request and "
                + "its own paths with 503");
    }

    /**
     * Whether the configuration could not be built yet for a reason the running application removes: an EL
     * expression of the definition failed, or a CDI context it needs (the request's, for the {@code ServletContext} on
     * some servers) is not active at deployment. The literal values were checked before CDI started (the library's
     * initializer).
     */
    private static boolean expressionFailed(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof Settings.ExpressionFailed
                    || cause instanceof jakarta.enterprise.context.ContextNotActiveException) {
                return true;
            }
        }
        return false;
    }

    /** The message of the configuration's failure (it names a key or attribute, never a value). */
    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        return cause instanceof IllegalStateException ? cause.getMessage() : cause.toString();
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        try {
            return validate(request, response, context);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "writing the login's answer failed: " + e);
            return AuthenticationStatus.SEND_FAILURE;
        } catch (Throwable e) {
            if (!needsLogin(context) && !ownPath(request)) {
                LOG.log(System.Logger.Level.ERROR, "the Discord login failed on a public resource, which is served "
                        + "without a caller: " + e.getClass().getName() + ": " + e.getMessage());
                return context.doNothing();
            }
            WebPages.failClosed(request, response, e, "DiscordAuthenticationMechanism");
            return AuthenticationStatus.SEND_FAILURE;
        }
    }

    private static boolean needsLogin(HttpMessageContext context) {
        return context.isProtected() || context.isAuthenticationRequest();
    }

    private boolean ownPath(HttpServletRequest request) {
        String path = ServletExchange.mappedPath(request);
        return ownPaths.contains(path) || ownPaths.contains(request.getContextPath() + path);
    }

    private AuthenticationStatus validate(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) throws IOException {
        Cores.Started started = start(request.getServletContext());
        if (started == null) {
            if (!needsLogin(context) && !ownPath(request)) {
                return context.doNothing();
            }
            WebPages.notConfigured(request, response);
            return AuthenticationStatus.SEND_FAILURE;
        }
        LoginCore core = started.core();
        ServletExchange exchange = new ServletExchange(request);
        switch (core.route(exchange, core.config().logoutPath())) {
            case CALLBACK -> {
                if (!WebPages.render(core.callback(exchange), request, response, core)) {
                    return AuthenticationStatus.SEND_FAILURE;
                }
                // the login is in the session now; the container knows the caller for the rest of this request, and
                // the browser goes on to the saved return path
                Outcome.Pass caller = core.peek(exchange);
                if (caller.principal() != null) {
                    notify(context, caller);
                }
                return AuthenticationStatus.SEND_CONTINUE;
            }
            case LOGIN -> {
                return status(WebPages.render(core.login(exchange), request, response, core));
            }
            case LINKED_ROLES -> {
                return status(WebPages.render(core.verifyLinkedRoles(exchange), request, response, core));
            }
            case ADD_TO_SERVER -> {
                return status(WebPages.render(core.addToServer(exchange), request, response, core));
            }
            case LOGOUT -> {
                boolean loggedOut = WebPages.render(core.logout(exchange), request, response, core);
                if (loggedOut) {
                    context.cleanClientSubject();
                }
                return status(loggedOut);
            }
            default -> {
            }
        }
        if (!needsLogin(context)) {
            // a public resource: served with the caller when a login holds, else without one (also while Discord
            // does not answer a kept login)
            Outcome.Pass caller = core.peek(exchange);
            LoginCookies.write(request, response, core); // discord.session=cookie: a refresh's new cookie
            return caller.principal() != null ? notify(context, caller) : context.doNothing();
        }
        Outcome outcome = core.protect(exchange);
        if (outcome instanceof Outcome.Pass caller) {
            LoginCookies.write(request, response, core);
            return notify(context, caller);
        }
        return status(WebPages.render(outcome, request, response, core));
    }

    /**
     * Tells the container the caller and groups, with the auth type {@code DISCORD} (the Servlet Container Profile's
     * {@code jakarta.servlet.http.authType}; without it Payara answers its default, {@code BASIC}).
     */
    private static AuthenticationStatus notify(HttpMessageContext context, Outcome.Pass caller) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> map = context.getMessageInfo().getMap();
        map.put(AUTH_TYPE_KEY, AuthenticatedRequest.AUTH_TYPE);
        return context.notifyContainerAboutLogin(caller.principal(), caller.groups());
    }

    private static AuthenticationStatus status(boolean goesOn) {
        return goesOn ? AuthenticationStatus.SEND_CONTINUE : AuthenticationStatus.SEND_FAILURE;
    }

    /**
     * {@code HttpServletRequest.logout()}: the Discord login ends too (the grant is revoked when
     * {@code discord.revoke-on-logout} is true, the principal and tokens leave the session), then the container's
     * subject is cleared. The session itself is left to the application.
     */
    @Override
    public void cleanSubject(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        Cores.Started current = flow;
        try {
            if (current != null) {
                current.core().forget(new ServletExchange(request));
                WebPages.harden(request, response, current.core());
                LoginCookies.write(request, response, current.core()); // discord.session=cookie: the cookie goes
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "ending the Discord login at request.logout() failed: " + e);
        }
        context.cleanClientSubject();
    }

    /** Gives the application's runtime back (the bean is destroyed with the application). */
    void close() {
        synchronized (lock) {
            broken = "the application is stopping";
            if (flow != null) {
                Cores.release(context, flow);
                flow = null;
            }
        }
    }

    @Override
    public String toString() {
        return "DiscordAuthenticationMechanism";
    }
}
