package dev.discordoauth2.servlet;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.ClientAuthConfig;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.EnumSet;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;

/**
 * Registers {@link DiscordAuthModule} for one application with the container's Jakarta Authentication
 * ({@link AuthConfigFactory}, layer {@value #LAYER}, the application context
 * {@code getVirtualServerName() + " " + getContextPath()} of the Servlet Container Profile), and removes the
 * registration when the application stops. Loaded only when {@code discord.container-authentication=true}, so that
 * containers without the Jakarta Authentication API run the rest of the library. Thread-safe.
 */
final class ContainerAuthentication {
    static final String LAYER = "HttpServlet";
    private static final System.Logger LOG = System.getLogger(ContainerAuthentication.class.getName());

    private ContainerAuthentication() {
    }

    /**
     * Registers the module for {@code context}.
     *
     * @throws IllegalStateException when the container has no Jakarta Authentication (the message says what to
     *                               enable), so that the deployment stops rather than runs unprotected
     */
    static void register(ServletContext context) {
        AuthConfigFactory factory;
        try {
            factory = AuthConfigFactory.getFactory();
        } catch (RuntimeException | LinkageError e) {
            factory = null;
        }
        if (factory == null) {
            throw new IllegalStateException("discord.container-authentication=true needs the container's Jakarta "
                    + "Authentication, and it has none (AuthConfigFactory.getFactory() found no factory): on "
                    + "Jetty 12.1 enable the modules ee11-jaspi and ee11-jaspi-default-auth-config-factory (or their ee10-); "
                    + "Tomcat has it built in");
        }
        String appContext = appContext(context);
        DiscordAuthModule module = new DiscordAuthModule(context);
        String id = factory.registerConfigProvider(new Provider(module, appContext), LAYER, appContext,
                "Log in with Discord (discord-oauth2-jakarta)");
        AuthConfigFactory registeredWith = factory;
        // the library's paths where the container does not call the module for them (Jetty): first on /*
        FilterRegistration.Dynamic paths = context.addFilter("discord-container-paths",
                new OwnPaths(module));
        if (paths != null) {
            paths.setAsyncSupported(true);
            paths.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        }
        context.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                module.close();
                registeredWith.removeRegistration(id);
            }
        });
        LOG.log(System.Logger.Level.INFO, () -> "Log in with Discord authenticates for the container at '"
                + appContext + "' (Jakarta Authentication, " + registeredWith.getClass().getName() + ")");
    }

    /**
     * The application context id the container asks for: the profile's {@code getVirtualServerName() + " " +
     * getContextPath()} ({@code "Catalina/localhost /app"} on Tomcat). Jetty names a context without virtual hosts
     * {@code "server"}, and the root context {@code "/"}, where {@code getVirtualServerName()} is null
     * ({@code JaspiAuthenticatorFactory.findServerName}): Jetty's form then.
     */
    static String appContext(ServletContext context) {
        String host = context.getVirtualServerName();
        String path = context.getContextPath();
        if (host == null) {
            return "server " + (path.isEmpty() ? "/" : path);
        }
        return host + " " + path;
    }

    /**
     * The provider of the one application's server configuration; no client side. Tomcat asks for the configuration
     * and its context on every request: both are made once here.
     */
    private static final class Provider implements AuthConfigProvider {
        private final DiscordAuthModule module;
        private final Config config;

        Provider(DiscordAuthModule module, String appContext) {
            this.module = module;
            this.config = new Config(new Context(module), LAYER, appContext);
        }

        @Override
        public ClientAuthConfig getClientAuthConfig(String layer, String appContext, CallbackHandler handler) {
            return null;
        }

        @Override
        public ServerAuthConfig getServerAuthConfig(String layer, String appContext, CallbackHandler handler)
                throws AuthException {
            if (handler != null) {
                module.initialize(null, null, handler, Map.of());
            }
            return config;
        }

        @Override
        public void refresh() {
        }
    }

    private record Config(Context context, String layer, String appContext) implements ServerAuthConfig {
        @Override
        public String getMessageLayer() {
            return layer;
        }

        @Override
        public String getAppContext() {
            return appContext;
        }

        @Override
        public String getAuthContextID(MessageInfo messageInfo) {
            return appContext;
        }

        @Override
        public void refresh() {
        }

        @Override
        public boolean isProtected() {
            return false;
        }

        @Override
        public ServerAuthContext getAuthContext(String authContextID, Subject serviceSubject,
                @SuppressWarnings("rawtypes") Map properties) {
            return context;
        }
    }

    private record Context(DiscordAuthModule module) implements ServerAuthContext {
        @Override
        public AuthStatus validateRequest(MessageInfo messageInfo, Subject client, Subject service)
                throws AuthException {
            return module.validateRequest(messageInfo, client, service);
        }

        @Override
        public AuthStatus secureResponse(MessageInfo messageInfo, Subject service) {
            return module.secureResponse(messageInfo, service);
        }

        @Override
        public void cleanSubject(MessageInfo messageInfo, Subject subject) {
            module.cleanSubject(messageInfo, subject);
        }
    }
}
