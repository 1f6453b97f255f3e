package dev.discordoauth2.servlet;

import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.Outcome;
import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;

/**
 * {@code discord.container-authentication=true}: "Log in with Discord" as the container's own authentication, a
 * Jakarta Authentication {@link ServerAuthModule} over the application's {@link LoginCore} (the filter's and the
 * mechanism's very steps, pages and rules). The container calls it before it checks {@code <security-constraint>},
 * {@code @ServletSecurity} or {@code <auth-constraint>}; it hands the container the login's caller (the
 * {@code DiscordPrincipal}) and groups on every request, with the auth type {@value #AUTH_TYPE}, so that the
 * container's constraints, {@code isUserInRole} and {@code getAuthType()} are its own. A protected resource without a
 * login gets what the filter answers (a redirect to Discord for a navigation, 401 JSON for a script, 503 with
 * {@code Retry-After} while Discord does not answer a kept login); a public one is served with the caller when a login
 * holds, else anonymously. The library's paths (callback, login, logout, linked roles, "Add to server") are answered
 * here, whatever the constraints. It never lets a request through on a failure of its own: a protected resource then
 * gets 503. One per application; thread-safe (the core is started once, then only read).
 */
final class DiscordAuthModule implements ServerAuthModule {
    private static final System.Logger LOG = System.getLogger(DiscordAuthModule.class.getName());
    /** What {@code getAuthType()} answers for a Discord login, with every front door. */
    static final String AUTH_TYPE = AuthenticatedRequest.AUTH_TYPE;
    /** The Servlet Container Profile's keys of {@link MessageInfo#getMap()}. */
    static final String IS_MANDATORY = "jakarta.security.auth.message.MessagePolicy.isMandatory";
    static final String AUTH_TYPE_KEY = "jakarta.servlet.http.authType";
    private static final String COMPONENT = "the Jakarta Authentication module (discord.container-authentication)";

    /** The request attribute of a request the module has answered. */
    private static final String ANSWERED = DiscordAuthModule.class.getName() + ".answered";
    /** Open Liberty's {@code MessageInfo}. */
    private static final String LIBERTY_MESSAGE = "com.ibm.ws.security.jaspi.JaspiMessageInfo";

    /** The request {@link OwnPaths} is passing to the application on this thread, for Jetty's lazy calls. */
    private static final ThreadLocal<Exchange> CURRENT = new ThreadLocal<>();

    record Exchange(HttpServletRequest request, HttpServletResponse response) {
    }

    private final ServletContext context;
    private final Object lock = new Object();
    private volatile Cores.Started started;
    private volatile boolean closed;
    private volatile CallbackHandler handler;

    DiscordAuthModule(ServletContext context) {
        this.context = context;
    }

    @Override
    public void initialize(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler,
            @SuppressWarnings("rawtypes") Map options) {
        if (this.handler != handler) {
            this.handler = handler; // the container's, the same on every request where it keeps one
        }
    }

    @Override
    public Class<?>[] getSupportedMessageTypes() {
        return new Class<?>[] {HttpServletRequest.class, HttpServletResponse.class};
    }

    /** The application's core, started at the first request (the application's listeners may set its configuration). */
    private Cores.Started start() {
        Cores.Started current = started;
        if (current != null || closed) {
            return current;
        }
        synchronized (lock) {
            if (started == null && !closed) {
                started = FrontDoors.start(COMPONENT, context, name -> null);
            }
            return started;
        }
    }

    @Override
    public AuthStatus validateRequest(MessageInfo messageInfo, Subject client, Subject service) throws AuthException {
        HttpServletRequest request = (HttpServletRequest) messageInfo.getRequestMessage();
        HttpServletResponse response = (HttpServletResponse) messageInfo.getResponseMessage();
        boolean mandatory = Boolean.parseBoolean(String.valueOf(messageInfo.getMap().get(IS_MANDATORY)));
        if (request == null || response == null) {
            // Jetty's lazy call, from the application's getUserPrincipal(): its message holds no servlet request
            // (JaspiMessageInfo finds none in the core request it was given); OwnPaths keeps the thread's
            Exchange current = CURRENT.get();
            if (current == null) {
                LOG.log(System.Logger.Level.ERROR, "the container called the module without a servlet request, "
                        + "outside the application's filter chain: no caller");
                return mandatory ? AuthStatus.SEND_FAILURE : anonymous(client);
            }
            request = current.request();
            response = current.response();
            // Jetty reads the request back from the message after a SUCCESS (for its session)
            messageInfo.setRequestMessage(request);
            messageInfo.setResponseMessage(response);
            if (mandatory) {
                LOG.log(System.Logger.Level.ERROR, "the container asked for a login without a servlet request");
                return AuthStatus.SEND_FAILURE;
            }
            try {
                return lazy(messageInfo, client, request, response);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.ERROR, "the Discord login failed while the application asked for its "
                        + "caller, which is none: " + e.getClass().getName() + ": " + e.getMessage());
                return anonymous(client);
            }
        }
        if (!JettyCompletion.isJetty(messageInfo)) {
            return answered(messageInfo, request, response,
                    answer(messageInfo, client, request, response, mandatory));
        }
        JettyCompletion.Capture capture = JettyCompletion.capture(response);
        AuthStatus status = answer(messageInfo, client, request, capture, mandatory);
        if (status == AuthStatus.SEND_CONTINUE || status == AuthStatus.SEND_FAILURE) {
            JettyCompletion.answered(messageInfo, capture);
        }
        return answered(messageInfo, request, response, status);
    }

    /**
     * A request the module has answered itself ({@code SEND_CONTINUE}, {@code SEND_FAILURE}) is marked, so that
     * {@link OwnPaths} ends it where a container still passes it to the application's filters (Open Liberty does, for
     * a path no constraint protects) instead of answering it twice. And Open Liberty reads {@code SEND_CONTINUE} with
     * a redirect status as "go to the form login page", of which there is none (its answer is then a 500), while
     * {@code SEND_FAILURE} is its "the module wrote the response": a redirect the module wrote is that there.
     */
    private static AuthStatus answered(MessageInfo messageInfo, HttpServletRequest request,
            HttpServletResponse response, AuthStatus status) {
        if (status != AuthStatus.SEND_CONTINUE && status != AuthStatus.SEND_FAILURE) {
            return status;
        }
        request.setAttribute(ANSWERED, Boolean.TRUE);
        if (status == AuthStatus.SEND_CONTINUE && response.getStatus() / 100 == 3
                && LIBERTY_MESSAGE.equals(messageInfo.getClass().getName())) {
            return AuthStatus.SEND_FAILURE;
        }
        return status;
    }

    /** Whether the module has answered {@code request} itself (see {@link #answered}). */
    static boolean isAnswered(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(ANSWERED));
    }

    private AuthStatus answer(MessageInfo messageInfo, Subject client, HttpServletRequest request,
            HttpServletResponse response, boolean mandatory) {
        try {
            return validate(messageInfo, client, request, response, mandatory);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "writing the login's answer failed: " + e);
            return AuthStatus.SEND_FAILURE;
        } catch (Throwable e) {
            if (!mandatory && !ownPath(request)) {
                LOG.log(System.Logger.Level.ERROR, "the Discord login failed on a public resource, which is served "
                        + "without a caller: " + e.getClass().getName() + ": " + e.getMessage());
                return anonymous(client);
            }
            WebPages.failClosed(request, response, e, "DiscordAuthModule");
            return AuthStatus.SEND_FAILURE;
        }
    }

    private boolean ownPath(HttpServletRequest request) {
        Cores.Started current = started;
        return current != null && current.core().route(new ServletExchange(request), current.core().config()
                .logoutPath()) != LoginCore.Route.OTHER;
    }

    private AuthStatus validate(MessageInfo messageInfo, Subject client, HttpServletRequest request,
            HttpServletResponse response, boolean mandatory) throws IOException, AuthException {
        Cores.Started current = start();
        if (current == null) {
            // not configured (logged once): fail closed where a login is needed, public resources stay public
            if (!mandatory) {
                return anonymous(client);
            }
            WebPages.notConfigured(request, response);
            return AuthStatus.SEND_FAILURE;
        }
        LoginCore core = current.core();
        ServletExchange exchange = new ServletExchange(request);
        Outcome answer = ownPath(core, exchange);
        if (answer != null) {
            // the library's own paths: answered here, the request goes no further
            return WebPages.render(answer, request, response, core) ? AuthStatus.SEND_CONTINUE
                    : AuthStatus.SEND_FAILURE;
        }
        if (!mandatory) {
            return peek(messageInfo, client, request, response, core);
        }
        Outcome outcome = core.protect(exchange);
        if (outcome instanceof Outcome.Pass pass) {
            LoginCookies.write(request, response, core);
            return caller(messageInfo, client, pass);
        }
        // a redirect to Discord goes on with the login; a 401, 403 or 503 answer ends the request
        return WebPages.render(outcome, request, response, core) ? AuthStatus.SEND_CONTINUE : AuthStatus.SEND_FAILURE;
    }

    /** The answer to a request for one of the library's paths (callback, login, logout, ...), or null for others. */
    static Outcome ownPath(LoginCore core, ServletExchange exchange) {
        return switch (core.route(exchange, core.config().logoutPath())) {
            case CALLBACK -> core.callback(exchange);
            case LOGIN -> core.login(exchange);
            case LINKED_ROLES -> core.verifyLinkedRoles(exchange);
            case ADD_TO_SERVER -> core.addToServer(exchange);
            case LOGOUT -> core.logout(exchange);
            default -> null;
        };
    }

    /**
     * {@link OwnPaths}: a request for one of the library's paths that reached the application without the container
     * calling the module (Jetty calls it only where a constraint asks for a login): answered as the module answers
     * it. False when the request is the application's.
     */
    boolean answerOwnPath(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Cores.Started current = start();
        if (current == null) {
            return false;
        }
        LoginCore core = current.core();
        Outcome answer;
        try {
            answer = ownPath(core, new ServletExchange(request));
        } catch (RuntimeException | LinkageError e) {
            WebPages.failClosed(request, response, e, "DiscordAuthModule");
            return true;
        }
        if (answer == null) {
            return false;
        }
        WebPages.render(answer, request, response, core);
        return true;
    }

    /** Makes {@code request} the thread's, for Jetty's lazy calls; {@link #leave} with what it returns, in a finally. */
    static Exchange enter(HttpServletRequest request, HttpServletResponse response) {
        Exchange previous = CURRENT.get();
        CURRENT.set(new Exchange(request, response));
        return previous;
    }

    /** Gives the thread back the request it had before {@link #enter}. */
    static void leave(Exchange previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /**
     * Jetty's lazy call (the application asked for the caller of a request no constraint protects): the login's caller
     * or none, nothing answered, whatever the path (the call may come from within the library's own answer to it).
     */
    private AuthStatus lazy(MessageInfo messageInfo, Subject client, HttpServletRequest request,
            HttpServletResponse response) throws AuthException {
        Cores.Started current = start();
        if (current == null) {
            return anonymous(client);
        }
        return peek(messageInfo, client, request, response, current.core());
    }

    /** A public resource: the login's caller, or none; nothing answered (a refresh's new login cookie is sent). */
    private AuthStatus peek(MessageInfo messageInfo, Subject client, HttpServletRequest request,
            HttpServletResponse response, LoginCore core) throws AuthException {
        Outcome.Pass caller = core.peek(new ServletExchange(request));
        LoginCookies.write(request, response, core); // discord.session=cookie
        return caller.principal() == null ? anonymous(client) : caller(messageInfo, client, caller);
    }

    /** Tells the container the caller and groups of the login, and the auth type. */
    private AuthStatus caller(MessageInfo messageInfo, Subject client, Outcome.Pass pass) throws AuthException {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = messageInfo.getMap();
        map.put(AUTH_TYPE_KEY, AUTH_TYPE);
        Set<String> groups = pass.groups();
        handle(new CallerPrincipalCallback(client, pass.principal()),
                new GroupPrincipalCallback(client, groups.toArray(String[]::new)));
        return AuthStatus.SUCCESS;
    }

    /**
     * No caller: the container serves the public resource anonymously. No callback at all (a
     * {@code CallerPrincipalCallback} without a principal makes some containers invent a principal named null).
     */
    private static AuthStatus anonymous(Subject client) {
        return AuthStatus.SUCCESS;
    }

    private void handle(Callback... callbacks) throws AuthException {
        CallbackHandler current = handler;
        if (current == null) {
            throw new AuthException("the container did not initialise the module with a CallbackHandler");
        }
        try {
            current.handle(callbacks);
        } catch (IOException | UnsupportedCallbackException e) {
            AuthException failure = new AuthException("the container refused the caller: " + e);
            failure.initCause(e);
            throw failure;
        }
    }

    @Override
    public AuthStatus secureResponse(MessageInfo messageInfo, Subject service) {
        return AuthStatus.SEND_SUCCESS;
    }

    /**
     * {@code HttpServletRequest.logout()}: the Discord login ends too (the grant is revoked when
     * {@code discord.revoke-on-logout} is true), then the container's subject is cleared.
     */
    @Override
    public void cleanSubject(MessageInfo messageInfo, Subject subject) {
        if (messageInfo.getRequestMessage() instanceof HttpServletRequest request) {
            forget(request, messageInfo.getResponseMessage() instanceof HttpServletResponse response ? response
                    : null);
        }
        if (subject != null && !subject.isReadOnly()) { // Open Liberty hands over the caller's read-only Subject
            subject.getPrincipals().clear();
        }
    }

    /**
     * Ends the request's Discord login (at {@code request.logout()}; {@link OwnPaths} calls it too, for Jetty, which
     * does not call {@link #cleanSubject}); a second call finds no login and does nothing.
     */
    void forget(HttpServletRequest request, HttpServletResponse response) {
        Cores.Started current = started;
        try {
            if (current != null) {
                current.core().forget(new ServletExchange(request));
                if (response != null) {
                    WebPages.harden(request, response, current.core());
                    LoginCookies.write(request, response, current.core()); // discord.session=cookie
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "ending the Discord login at request.logout() failed: " + e);
        }
    }

    /** The application stops: the core is given back, and later requests are refused. */
    void close() {
        synchronized (lock) {
            closed = true;
            if (started != null) {
                Cores.release(context, started);
                started = null;
            }
        }
    }

    @Override
    public String toString() {
        return "DiscordAuthModule";
    }
}
