package dev.discordoauth2.servlet;

import dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.web.DiscordConfig;
import jakarta.el.BeanNameELResolver;
import jakarta.el.BeanNameResolver;
import jakarta.el.ELResolver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The definition's attributes as configuration: literals, EL expressions, and the fallback to the filter's keys. */
class SettingsTest {
    static final String SECRET = "s3cr3t-value";

    /** What a CDI bean named {@code settings} would give an expression. */
    public static final class TestSettings {
        public String getClientId() {
            return "100000000000000007";
        }

        public String getSecret() {
            return SECRET;
        }

        public String getBlank() {
            return " ";
        }

        public String getMissing() {
            return null;
        }
    }

    private static ELResolver beans() {
        return new BeanNameELResolver(new BeanNameResolver() {
            @Override
            public boolean isNameResolved(String beanName) {
                return beanName.equals("settings");
            }

            @Override
            public Object getBean(String beanName) {
                return new TestSettings();
            }
        });
    }

    @DiscordAuthenticationMechanismDefinition(clientId = "100000000000000005", clientSecret = "literal-secret",
            redirectUri = "/auth/callback", scopes = "identify email", logoutPath = "/auth/logout",
            roles = "admin=80351110224678912")
    static final class Literal {
    }

    @DiscordAuthenticationMechanismDefinition(clientId = "${settings.clientId}", clientSecret = "#{settings.secret}",
            redirectUri = "${'/auth/'.concat('callback')}", scopes = "${settings.blank}",
            loginPath = "#{settings.missing}")
    static final class Expressions {
    }

    @DiscordAuthenticationMechanismDefinition(clientSecret = "${settings.secret + 1}")
    static final class FailingExpression {
    }

    @DiscordAuthenticationMechanismDefinition(clientId = "100000000000000005", redirectUri = "/auth/callback")
    static final class WithoutSecret {
    }

    private static DiscordAuthenticationMechanismDefinition definition(Class<?> type) {
        return type.getAnnotation(DiscordAuthenticationMechanismDefinition.class);
    }

    @Test
    void valuesWhenLiteralsThenUnderTheKeysTheyMirrorAndEmptyOnesAbsent() {
        Map<String, String> values = Settings.values(definition(Literal.class), null);
        assertEquals(Map.of(DiscordConfig.CLIENT_ID, "100000000000000005", DiscordConfig.CLIENT_SECRET,
                "literal-secret", DiscordConfig.REDIRECT_URI, "/auth/callback", DiscordConfig.SCOPES, "identify email",
                DiscordConfig.LOGOUT_PATH, "/auth/logout", DiscordConfig.ROLES, "admin=80351110224678912"), values);
        DiscordConfig config = Settings.config(definition(Literal.class), null, null);
        assertEquals(List.of("identify", "email"), config.scopes());
        assertEquals("/auth/logout", config.logoutPath());
        assertEquals("/oauth2/login", config.loginPath(), "default of an empty attribute");
    }

    @Test
    void valuesWhenImmediateAndDeferredExpressionsThenEvaluatedWithTheBeans() {
        Map<String, String> values = Settings.values(definition(Expressions.class), beans());
        assertEquals("100000000000000007", values.get(DiscordConfig.CLIENT_ID));
        assertEquals(SECRET, values.get(DiscordConfig.CLIENT_SECRET));
        assertEquals("/auth/callback", values.get(DiscordConfig.REDIRECT_URI), "EL's own operators work too");
        assertFalse(values.containsKey(DiscordConfig.SCOPES), "blank result: absent");
        assertFalse(values.containsKey(DiscordConfig.LOGIN_PATH), "null result: absent");
    }

    @Test
    void configWhenExpressionGivesNothingThenFallsBackToTheFiltersLookup() {
        Map<String, String> contextParams = Map.of(DiscordConfig.SCOPES, "identify guilds",
                DiscordConfig.LOGIN_PATH, "/auth/login", DiscordConfig.CLIENT_ID, "100000000000000009");
        DiscordConfig config = Settings.config(definition(Expressions.class), beans(), contextParams::get);
        assertEquals(List.of("identify", "guilds"), config.scopes());
        assertEquals("/auth/login", config.loginPath());
        assertEquals("100000000000000007", config.clientId(), "the definition wins over a context-param");
        assertEquals("/auth/callback", config.redirectUri());
    }

    @Test
    void valuesWhenExpressionFailsThenMessageNamesAttributeAndExpressionButNoValue() {
        String message = assertThrows(IllegalStateException.class,
                () -> Settings.values(definition(FailingExpression.class), beans())).getMessage();
        assertTrue(message.startsWith("@DiscordAuthenticationMechanismDefinition(clientSecret = "
                + "\"${settings.secret + 1}\") could not be evaluated: "), message);
        assertFalse(message.contains(SECRET), message);
    }

    @Test
    void configWhenRequiredKeyMissingEverywhereThenMessageNamesKey() {
        String message = assertThrows(IllegalStateException.class,
                () -> Settings.config(definition(WithoutSecret.class), null, key -> null)).getMessage();
        assertTrue(message.startsWith(DiscordConfig.CLIENT_SECRET + " is missing"), message);
    }

    @Test
    void isExpressionWhenWholeValueThenTrueElseFalse() {
        assertTrue(Settings.isExpression("${a}"));
        assertTrue(Settings.isExpression("#{a.b}"));
        assertFalse(Settings.isExpression("${}"));
        assertFalse(Settings.isExpression("prefix ${a}"));
        assertFalse(Settings.isExpression("/oauth2/callback"));
    }
}
