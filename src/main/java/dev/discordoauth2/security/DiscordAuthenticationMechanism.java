package dev.discordoauth2.security;

import dev.discordoauth2.servlet.DiscordConfig;
import dev.discordoauth2.servlet.DiscordWebAccess;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The Jakarta Security mechanism of {@link DiscordAuthenticationMechanismDefinition}: an adapter over the login steps
 * of the filter and servlets ({@link DiscordWebAccess.Flow}) that turns their answers into
 * {@link AuthenticationStatus} values and tells the container the caller and groups. The session's principal is the
 * source of truth: it is handed to the container on every request (the mechanism keeps no container session).
 * Application-scoped; thread-safe (the flow is built once, on the first request, and then only read).
 */
final class DiscordAuthenticationMechanism implements HttpAuthenticationMechanism {
    private static final System.Logger LOG = System.getLogger(DiscordAuthenticationMechanism.class.getName());

    private final Supplier<DiscordConfig> configuration;
    private final Object lock = new Object();
    private volatile DiscordWebAccess.Flow flow;
    /**
     * The configuration could not be built (logged once), or the application is stopping: every protected request is
     * refused with 503, and no new runtime is started.
     */
    private volatile boolean broken;

    DiscordAuthenticationMechanism(Supplier<DiscordConfig> configuration) {
        this.configuration = configuration;
    }

    /** The flow of this application, built on first use; null when the configuration is invalid (fail closed). */
    private DiscordWebAccess.Flow flow(ServletContext context) {
        DiscordWebAccess.Flow built = flow;
        if (built != null || broken) {
            return built;
        }
        synchronized (lock) {
            if (flow == null && !broken) {
                try {
                    flow = DiscordWebAccess.Flow.start(context, configuration.get());
                } catch (RuntimeException e) {
                    broken = true;
                    LOG.log(System.Logger.Level.ERROR, "Log in with Discord is not configured; the Jakarta Security "
                            + "mechanism refuses every protected request with 503: " + reason(e));
                }
            }
            return flow;
        }
    }

    /** The message of the configuration's failure (it names a key or attribute, never a value). */
    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
            cause = cause.getCause();
        }
        return cause instanceof IllegalStateException ? cause.getMessage() : cause.getClass().getName();
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        try {
            return validate(request, response, context);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "writing the login's answer failed: " + e);
            return AuthenticationStatus.SEND_FAILURE;
        }
    }

    private AuthenticationStatus validate(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) throws IOException {
        boolean needsLogin = context.isProtected() || context.isAuthenticationRequest();
        DiscordWebAccess.Flow current = flow(request.getServletContext());
        if (current == null) {
            if (!needsLogin) {
                return context.doNothing();
            }
            DiscordWebAccess.Flow.notConfigured(request, response);
            return AuthenticationStatus.SEND_FAILURE;
        }
        if (current.isCallback(request)) {
            if (!current.callback(request, response)) {
                return AuthenticationStatus.SEND_FAILURE;
            }
            // the login is in the session now; the container knows the caller for the rest of this request, and the
            // browser goes on to the saved return path
            DiscordWebAccess.Caller caller = current.caller(request);
            if (caller.loggedIn()) {
                context.notifyContainerAboutLogin(caller.principal(), caller.groups());
            }
            return AuthenticationStatus.SEND_CONTINUE;
        }
        if (current.isLoginPath(request)) {
            return status(current.loginPath(request, response));
        }
        if (current.isLogoutPath(request)) {
            boolean loggedOut = current.logout(request, response);
            if (loggedOut) {
                context.cleanClientSubject();
            }
            return status(loggedOut);
        }
        DiscordWebAccess.Caller caller = current.caller(request);
        if (caller.loggedIn()) {
            return context.notifyContainerAboutLogin(caller.principal(), caller.groups());
        }
        if (!needsLogin) {
            // a public resource: served without a caller (also while Discord does not answer a kept login)
            return context.doNothing();
        }
        if (caller.unavailable()) {
            current.unavailable(request, response, caller.retryAfter());
            return AuthenticationStatus.SEND_FAILURE;
        }
        return status(current.challenge(request, response));
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
        DiscordWebAccess.Flow current = flow;
        if (current != null) {
            current.forget(request);
        }
        context.cleanClientSubject();
    }

    /** Gives the application's runtime back (the bean is destroyed with the application). */
    void close() {
        synchronized (lock) {
            broken = true;
            if (flow != null) {
                flow.close();
                flow = null;
            }
        }
    }

    @Override
    public String toString() {
        return "DiscordAuthenticationMechanism";
    }
}
