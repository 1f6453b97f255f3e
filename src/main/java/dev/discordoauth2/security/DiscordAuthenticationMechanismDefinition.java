package dev.discordoauth2.security;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Annotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns on "Log in with Discord" as the application's Jakarta Security {@code HttpAuthenticationMechanism}, the way
 * {@code @OpenIdAuthenticationMechanismDefinition} does for OpenID Connect. Put it on one CDI bean class of the
 * application (for example an {@code @ApplicationScoped} class; a class that is not a bean is not seen), then protect
 * resources the usual way: {@code <security-constraint>}, {@code @ServletSecurity}, {@code @RolesAllowed}. The
 * container then learns the caller from Discord: the caller name is the user's id, the groups are
 * {@code discord-user}, {@code discord-verified} (a verified e-mail address, with the {@code email} scope) and the
 * roles of {@code discord.roles} that list the user. {@code HttpServletRequest.authenticate()} starts a login,
 * {@code HttpServletRequest.logout()} ends it (and revokes the grant like the logout path does).
 *
 * <p>The mechanism performs the login of {@code DiscordLoginFilter} and the callback and logout servlets, which it
 * replaces (do not register them as well): it handles the callback path (of {@link #redirectUri()}), the login path
 * and the logout path itself, so they need no servlet.
 *
 * <p>Each attribute mirrors one configuration key of {@code dev.discordoauth2.web.DiscordConfig}. A value may be
 * an EL expression, {@code ${...}} or {@code #{...}}, which is evaluated once, when the mechanism's configuration is
 * first needed, with the CDI beans of the application in scope (for example {@code "${settings.discordSecret}"}).
 * An attribute left empty, or whose expression evaluates to null or an empty string, falls back to the key as the
 * filter reads it: context-param, MicroProfile Config, system property, environment variable. The whole
 * configuration is checked when it is built; a missing or invalid key is logged once, naming the key (never a
 * value), and every protected request is then refused with 503.
 *
 * <p>The mechanism's bean has the qualifiers {@code @Default}, {@code @Any} and those of {@link #qualifiers()}
 * ({@link DiscordAuthenticationMechanism} unless set), as Jakarta Security 4's own definitions have: alone it is the
 * application's mechanism on Jakarta EE 10 and 11 alike; next to another mechanism (for example
 * {@code @BasicAuthenticationMechanismDefinition(qualifiers = ApiMechanism.class)} for scripts), an
 * {@code HttpAuthenticationMechanismHandler} of the application injects each by its qualifier and chooses one per
 * request.
 *
 * <p>Found by the library's CDI portable extension; more than one definition in an application is a deployment
 * error, and so is a definition on a server without Jakarta Security. The annotation is only read, so it is
 * thread-safe.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DiscordAuthenticationMechanismDefinition {

    /** {@code discord.client-id}: the application id (a snowflake). */
    String clientId() default "";

    /** {@code discord.client-secret}: better an expression or the environment than a literal in code. */
    String clientSecret() default "";

    /**
     * {@code discord.redirect-uri}: an absolute URI, or a path inside the application such as
     * {@code /oauth2/callback}; its path is the callback path the mechanism handles.
     */
    String redirectUri() default "";

    /** {@code discord.scopes}: space-separated, including {@code identify}; default {@code identify}. */
    String scopes() default "";

    /** {@code discord.prompt}: {@code consent} or {@code none}. */
    String prompt() default "";

    /** {@code discord.login-path}: the login entry point ({@code ?return=/path}); default {@code /oauth2/login}. */
    String loginPath() default "";

    /** {@code discord.logout-path}: where a POST logs out; default {@code /oauth2/logout}. */
    String logoutPath() default "";

    /** {@code discord.after-login-uri}: where a login without a return path goes; default {@code /}. */
    String afterLoginUri() default "";

    /** {@code discord.after-logout-uri}: where the logout path redirects; default {@code /}. */
    String afterLogoutUri() default "";

    /** {@code discord.login-cancelled-uri}: a page of the application for a cancelled login. */
    String loginCancelledUri() default "";

    /** {@code discord.roles}: {@code "admin=80351110224678912,268473310986240001; moderator=..."}. */
    String roles() default "";

    /** {@code discord.require-verified-email}: {@code true} refuses users without a verified e-mail address. */
    String requireVerifiedEmail() default "";

    /** {@code discord.api-base-uri}: Discord's API, for tests and proxies; default {@code https://discord.com/api/v10}. */
    String apiBaseUri() default "";

    /** {@code discord.authorize-uri}: Discord's authorize page; default {@code https://discord.com/oauth2/authorize}. */
    String authorizeUri() default "";

    /** {@code discord.cdn-base-uri}: Discord's image CDN, for tests; default {@code https://cdn.discordapp.com}. */
    String cdnBaseUri() default "";

    /**
     * The CDI qualifiers the mechanism's bean carries besides {@code @Default} and {@code @Any}: annotation types
     * marked {@code @jakarta.inject.Qualifier} without members (anything else stops the deployment, naming the
     * type). An {@code HttpAuthenticationMechanismHandler} injects the mechanism as
     * {@code @Inject @DiscordAuthenticationMechanism HttpAuthenticationMechanism discord;}.
     */
    Class<? extends Annotation>[] qualifiers() default {DiscordAuthenticationMechanism.class};

    /**
     * The qualifier the mechanism's bean carries unless {@link #qualifiers()} says otherwise. Only read, so it is
     * thread-safe.
     */
    @Qualifier
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
    @interface DiscordAuthenticationMechanism {

        /** The qualifier as a value, for {@code Instance.select(...)}; immutable, thread-safe. */
        final class Literal extends AnnotationLiteral<DiscordAuthenticationMechanism>
                implements DiscordAuthenticationMechanism {
            private static final long serialVersionUID = 1L;

            /** The one instance. */
            public static final Literal INSTANCE = new Literal();

            private Literal() {
            }
        }
    }
}
