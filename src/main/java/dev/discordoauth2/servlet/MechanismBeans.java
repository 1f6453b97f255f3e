package dev.discordoauth2.servlet;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import dev.discordoauth2.web.DiscordConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.servlet.ServletContext;
import java.util.function.Supplier;

/**
 * The beans a {@link DiscordAuthenticationMechanismDefinition} adds: the mechanism ({@link HttpAuthenticationMechanism},
 * application-scoped) and, in place of the CDI producer's, the application's {@link DiscordConfig} built from the
 * definition, so that {@code @Inject DiscordOAuth2Client} and the mechanism share one configuration and one client;
 * and an observer that checks the mechanism when the application starts ({@code @Initialized(ApplicationScoped.class)}),
 * so that a misconfiguration or a missing jar is logged at deployment and stops it (the observer throws) where the
 * container honours that. The extension reaches Jakarta Security types
 * (here and in the mechanism) only through this class, which it calls only when the API is present. Stateless.
 */
final class MechanismBeans {
    private MechanismBeans() {
    }

    /**
     * Adds the beans; {@code replacesProducer} true when the producer's {@code DiscordConfig} was vetoed and this
     * definition's configuration takes its place.
     */
    static void add(AfterBeanDiscovery event, BeanManager beans, DiscordAuthenticationMechanismDefinition definition,
            boolean replacesProducer) {
        Supplier<DiscordConfig> build = () -> Settings.config(definition, applicationBeans(beans).getELResolver(),
                contextParams(beans));
        Supplier<DiscordConfig> configuration = build;
        if (replacesProducer) {
            event.addBean()
                    .beanClass(DiscordConfig.class)
                    .types(DiscordConfig.class, Object.class)
                    .scope(Singleton.class)
                    .id(DiscordConfig.class.getName() + "#" + DiscordAuthenticationMechanismDefinition.class.getName())
                    .createWith(created -> build.get());
            configuration = () -> beans.createInstance().select(DiscordConfig.class).get();
        }
        // one mechanism per application (the extension is per application): the bean and the start-up observer share it
        DiscordAuthenticationMechanism mechanism = new DiscordAuthenticationMechanism(configuration,
                Settings.ownPaths(definition));
        event.addBean()
                .beanClass(DiscordAuthenticationMechanism.class)
                .types(HttpAuthenticationMechanism.class, Object.class)
                .scope(ApplicationScoped.class)
                .id(DiscordAuthenticationMechanism.class.getName())
                .createWith(created -> mechanism)
                .destroyWith((instance, created) -> ((DiscordAuthenticationMechanism) instance).close());
        event.addObserverMethod()
                .beanClass(DiscordAuthenticationMechanism.class)
                .observedType(Object.class)
                .addQualifier(Initialized.Literal.APPLICATION)
                // its event is the ServletContext on some containers, Weld's own context event on others (Payara):
                // the check needs neither; a failure thrown here stops the deployment where the container honours it
                .notifyWith(started -> mechanism.validate());
    }

    /**
     * The bean manager that sees the application's own beans, for EL: the one the container publishes for the web
     * module ({@code java:comp/BeanManager}, as Soteria looks it up). The one the extension was given belongs to the
     * library's jar, which on some servers (Payara) cannot see the beans in {@code WEB-INF/classes}.
     */
    private static BeanManager applicationBeans(BeanManager fallback) {
        try {
            Object found = new javax.naming.InitialContext().lookup("java:comp/BeanManager");
            return found instanceof BeanManager manager ? manager : fallback;
        } catch (javax.naming.NamingException | RuntimeException e) {
            return fallback;
        }
    }

    /** The application's context-params, when a {@code ServletContext} bean is there (it is in a web application). */
    private static java.util.function.Function<String, String> contextParams(BeanManager beans) {
        Instance<ServletContext> context = beans.createInstance().select(ServletContext.class);
        if (!context.isResolvable()) {
            return null;
        }
        ServletContext servletContext = context.get();
        return servletContext::getInitParameter;
    }
}
