package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition.DiscordAuthenticationMechanism;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Annotation;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CDI qualifiers of the mechanism's bean, from {@code @DiscordAuthenticationMechanismDefinition(qualifiers)}. */
class MechanismBeansTest {

    @Qualifier
    @Retention(RetentionPolicy.RUNTIME)
    @interface ApiMechanism {
    }

    @Qualifier
    @Retention(RetentionPolicy.RUNTIME)
    @interface Named {
        String value();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface NoQualifier {
    }

    @Qualifier
    @interface NotAtRunTime {
    }

    @DiscordAuthenticationMechanismDefinition
    static final class Defaults {
    }

    @DiscordAuthenticationMechanismDefinition(qualifiers = ApiMechanism.class)
    static final class Own {
    }

    @DiscordAuthenticationMechanismDefinition(qualifiers = {})
    static final class None {
    }

    @DiscordAuthenticationMechanismDefinition(qualifiers = Named.class)
    static final class WithMembers {
    }

    @DiscordAuthenticationMechanismDefinition(qualifiers = NoQualifier.class)
    static final class NotQualifier {
    }

    @DiscordAuthenticationMechanismDefinition(qualifiers = NotAtRunTime.class)
    static final class NotRetained {
    }

    static final class ApiLiteral extends AnnotationLiteral<ApiMechanism> implements ApiMechanism {
        private static final long serialVersionUID = 1L;
    }

    private static Annotation[] of(Class<?> annotated) {
        return MechanismBeans.qualifiers(annotated.getAnnotation(DiscordAuthenticationMechanismDefinition.class));
    }

    @Test
    void qualifiersWhenLeftAsTheyAreThenDefaultAnyAndTheDiscordQualifier() {
        assertEquals(List.of(Default.Literal.INSTANCE, Any.Literal.INSTANCE, DiscordAuthenticationMechanism.Literal.INSTANCE),
                List.of(of(Defaults.class)));
    }

    @Test
    void qualifiersWhenEmptyThenDefaultAndAnyOnly() {
        assertEquals(List.of(Default.Literal.INSTANCE, Any.Literal.INSTANCE), List.of(of(None.class)));
    }

    @Test
    void qualifiersWhenTheApplicationsOwnThenAnInstanceEqualToItsLiteral() {
        Annotation[] qualifiers = of(Own.class);
        assertEquals(3, qualifiers.length);
        Annotation own = qualifiers[2];
        assertEquals(ApiMechanism.class, own.annotationType());
        // CDI compares qualifiers by equals and hashCode, both ways: as the JDK's and Weld's literals do
        assertEquals(new ApiLiteral(), own);
        assertEquals(own, new ApiLiteral());
        assertEquals(new ApiLiteral().hashCode(), own.hashCode());
        assertTrue(own.toString().contains(ApiMechanism.class.getName()), own.toString());
    }

    @Test
    void qualifiersWhenNoQualifierThenADefinitionErrorNamingTheType() {
        for (Class<?> annotated : List.of(WithMembers.class, NotQualifier.class, NotRetained.class)) {
            DefinitionException e = assertThrows(DefinitionException.class, () -> of(annotated));
            Class<?> named = annotated.getAnnotation(DiscordAuthenticationMechanismDefinition.class).qualifiers()[0];
            assertTrue(e.getMessage().contains(named.getName()), e.getMessage());
            assertTrue(e.getMessage().startsWith("@DiscordAuthenticationMechanismDefinition(qualifiers)"), e.getMessage());
        }
    }
}
