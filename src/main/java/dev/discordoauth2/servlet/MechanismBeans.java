package dev.discordoauth2.servlet;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import dev.discordoauth2.web.DiscordConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterTypeDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.configurator.AnnotatedTypeConfigurator;
import jakarta.inject.Qualifier;
import jakarta.inject.Singleton;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.servlet.ServletContext;
import java.lang.annotation.Annotation;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The beans a {@link DiscordAuthenticationMechanismDefinition} adds: the mechanism ({@link HttpAuthenticationMechanism},
 * application-scoped: the managed bean of {@link DiscordSecurityExtension.Mechanism}, which hands every call to the
 * application's one {@link DiscordAuthenticationMechanism}) and, in place of the CDI producer's, the application's
 * {@link DiscordConfig} built from the definition, so that {@code @Inject DiscordOAuth2Client} and the mechanism share
 * one configuration and one client; and an observer that checks the mechanism when the application starts
 * ({@code @Initialized(ApplicationScoped.class)}), so that a misconfiguration or a missing jar is logged at deployment
 * and stops it (the observer throws) where the container honours that. The extension reaches Jakarta Security types
 * (here, in the mechanism and in its nested {@code Mechanism}) only through this class, which it calls only when the
 * API is present. Stateless.
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
        Annotation[] qualifiers;
        try {
            qualifiers = qualifiers(definition);
        } catch (DefinitionException e) {
            event.addDefinitionError(e);
            return;
        } catch (TypeNotPresentException e) {
            event.addDefinitionError(new DefinitionException("@DiscordAuthenticationMechanismDefinition(qualifiers): "
                    + e.typeName() + " cannot be loaded", e));
            return;
        }
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
        // the mechanism, for the one DiscordSecurityExtension.Mechanism bean (addType) that hands it every call: a type
        // only this package can name, dependent on that application-scoped bean, closed with it
        event.addBean()
                .beanClass(DiscordAuthenticationMechanism.class)
                .types(DiscordAuthenticationMechanism.class)
                .scope(Dependent.class)
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
     * Adds {@link DiscordSecurityExtension.Mechanism} to the application's types, as an application-scoped bean with
     * the definition's qualifiers: the application's {@link HttpAuthenticationMechanism}. A qualifier that is no
     * qualifier is left to {@link #add}, which reports it.
     */
    static void addType(AfterTypeDiscovery event, DiscordAuthenticationMechanismDefinition definition) {
        Annotation[] qualifiers;
        try {
            qualifiers = qualifiers(definition);
        } catch (DefinitionException | TypeNotPresentException e) {
            return;
        }
        AnnotatedTypeConfigurator<DiscordSecurityExtension.Mechanism> type = event.addAnnotatedType(
                DiscordSecurityExtension.Mechanism.class, DiscordSecurityExtension.Mechanism.class.getName());
        type.add(ApplicationScoped.Literal.INSTANCE);
        for (Annotation qualifier : qualifiers) {
            if (qualifier.annotationType() != Any.class) {
                type.add(qualifier);
            }
        }
    }

    /**
     * {@code @Default}, {@code @Any} and the definition's own qualifiers: {@code @Default} keeps the mechanism the
     * one Jakarta Security 3 (and 4's default handler) looks up by type, the others let a handler pick it.
     */
    static Annotation[] qualifiers(DiscordAuthenticationMechanismDefinition definition) {
        Set<Annotation> qualifiers = new LinkedHashSet<>(List.of(Default.Literal.INSTANCE, Any.Literal.INSTANCE));
        for (Class<? extends Annotation> type : definition.qualifiers()) {
            qualifiers.add(literal(type));
        }
        return qualifiers.toArray(Annotation[]::new);
    }

    /** An instance of a qualifier without members; a type that is no such qualifier is a deployment error. */
    private static Annotation literal(Class<? extends Annotation> type) {
        String problem = !type.isAnnotation() ? "is no annotation type"
                : !type.isAnnotationPresent(Qualifier.class) ? "is not annotated @jakarta.inject.Qualifier"
                : type.getDeclaredMethods().length > 0 ? "has members (only qualifiers without members can be named)"
                : type.getAnnotation(Retention.class) == null
                        || type.getAnnotation(Retention.class).value() != RetentionPolicy.RUNTIME
                        ? "is not retained at run time" : null;
        if (problem != null) {
            throw new DefinitionException("@DiscordAuthenticationMechanismDefinition(qualifiers): " + type.getName()
                    + " " + problem);
        }
        if (type == DiscordAuthenticationMechanismDefinition.DiscordAuthenticationMechanism.class) {
            return DiscordAuthenticationMechanismDefinition.DiscordAuthenticationMechanism.Literal.INSTANCE;
        }
        return (Annotation) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    // an annotation without members: equal to any instance of its type, hash 0, "@Type()"
                    case "equals" -> args[0] instanceof Annotation other && other.annotationType() == type;
                    case "hashCode" -> 0;
                    case "toString" -> "@" + type.getName() + "()";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
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
