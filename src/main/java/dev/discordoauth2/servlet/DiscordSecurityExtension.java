package dev.discordoauth2.servlet;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import dev.discordoauth2.web.DiscordConfig;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterTypeDiscovery;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessBeanAttributes;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The CDI portable extension (registered in {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}) that
 * turns a {@link DiscordAuthenticationMechanismDefinition} into beans: the Jakarta Security
 * {@code HttpAuthenticationMechanism} and the application's {@code DiscordConfig} built from the definition (it
 * replaces the CDI producer's). Without a definition it adds nothing, and it never touches a Jakarta Security class
 * (its nested {@link Mechanism} is loaded only with a definition, where the API is present), so the library runs on
 * containers without Jakarta Security (Tomcat, plain Jetty); a definition there, or more than
 * one definition, is a deployment error. Not for application code; the container calls it while it starts the
 * application, from one thread.
 */
public final class DiscordSecurityExtension implements Extension {
    private static final System.Logger LOG = System.getLogger(DiscordSecurityExtension.class.getName());
    private static final String MECHANISM_API =
            "jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism";
    private static final String EL_API = "jakarta.el.ELProcessor";
    /** The library's CDI producer, package-private in its own package, so known here by name. */
    private static final String PRODUCER = "dev.discordoauth2.cdi.DiscordProducer";

    /** A definition and the class that carries it. */
    private record Found(DiscordAuthenticationMechanismDefinition definition, String className) {
    }

    private final List<Found> found = new ArrayList<>();
    private boolean producerReplaced;

    <T> void findDefinition(@Observes @WithAnnotations(DiscordAuthenticationMechanismDefinition.class)
            ProcessAnnotatedType<T> event) {
        DiscordAuthenticationMechanismDefinition definition = event.getAnnotatedType()
                .getAnnotation(DiscordAuthenticationMechanismDefinition.class);
        if (definition != null) {
            found.add(new Found(definition, event.getAnnotatedType().getJavaClass().getName()));
        }
    }

    /** With a definition, the producer's {@code DiscordConfig} gives way to the definition's (see {@link #addBeans}). */
    <T> void replaceConfigProducer(@Observes ProcessBeanAttributes<T> event) {
        if (found.size() == 1 && event.getAnnotated() instanceof AnnotatedMethod<?> method
                && method.getJavaMember().getDeclaringClass().getName().equals(PRODUCER)
                && method.getJavaMember().getReturnType() == DiscordConfig.class && apiPresent()) {
            event.veto();
            producerReplaced = true;
        }
    }

    /** With one definition, the class of its mechanism's bean joins the application's types (see {@link Mechanism}). */
    void addMechanismType(@Observes AfterTypeDiscovery event) {
        if (found.size() == 1 && apiPresent()) {
            MechanismBeans.addType(event, found.get(0).definition());
        }
    }

    void addBeans(@Observes AfterBeanDiscovery event, BeanManager beans) {
        if (found.isEmpty()) {
            return;
        }
        if (found.size() > 1) {
            event.addDefinitionError(new DefinitionException("@DiscordAuthenticationMechanismDefinition may be on one "
                    + "class of an application; found on " + found.stream().map(Found::className).toList()));
            return;
        }
        Found definition = found.get(0);
        if (!apiPresent()) {
            event.addDefinitionError(new DefinitionException("@DiscordAuthenticationMechanismDefinition on "
                    + definition.className() + " needs Jakarta Security and Expression Language (a full Jakarta EE "
                    + "server such as Payara); on this container use DiscordLoginFilter and the servlets in web.xml"));
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Log in with Discord: the Jakarta Security mechanism is on, from "
                + definition.className());
        MechanismBeans.add(event, beans, definition.definition(), producerReplaced);
    }

    /** Whether Jakarta Security and EL can be loaded by the library; checked without initialising anything. */
    static boolean apiPresent() {
        ClassLoader loader = DiscordSecurityExtension.class.getClassLoader();
        try {
            Class.forName(MECHANISM_API, false, loader);
            Class.forName(EL_API, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The class of the Jakarta Security mechanism's bean: the extension adds it to the application's types
     * (application-scoped, with {@code @Default} and the definition's qualifiers) because some servers (Open Liberty)
     * take an application's mechanisms only from the types CDI discovers and look each up by its class; it hands every
     * call to the library's mechanism. Not for application code (inject {@code HttpAuthenticationMechanism} with the
     * definition's qualifier instead); loaded only where Jakarta Security is present. Thread-safe.
     */
    public static class Mechanism implements HttpAuthenticationMechanism {
        @Inject
        DiscordAuthenticationMechanism delegate;

        @Override
        public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                HttpMessageContext context) throws AuthenticationException {
            return delegate.validateRequest(request, response, context);
        }

        @Override
        public AuthenticationStatus secureResponse(HttpServletRequest request, HttpServletResponse response,
                HttpMessageContext context) throws AuthenticationException {
            return delegate.secureResponse(request, response, context);
        }

        @Override
        public void cleanSubject(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
            delegate.cleanSubject(request, response, context);
        }

        @Override
        public String toString() {
            return String.valueOf(delegate);
        }
    }
}
