package dev.discordoauth2.servlet;

import dev.discordoauth2.testkit.TestBrowser;
import dev.discordoauth2.web.DiscordConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.EmulatedApplication;
import dev.discordoauth2.security.app.BeansServlet;
import dev.discordoauth2.security.app.DiscordTestSettings;
import dev.discordoauth2.security.app.SecuredApplication;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library's CDI extension in a real CDI container (Weld on embedded Jetty, which has no Jakarta Security runtime
 * to call the mechanism; {@link JakartaSecurityPayaraIT} runs the login through it on Payara). An application
 * with {@code @DiscordAuthenticationMechanismDefinition} on a bean class, whose mechanism bean exists and whose
 * {@code DiscordConfig} (the one {@code @Inject DiscordOAuth2Client} is built from) comes from the definition, its EL
 * expression evaluated against the application's beans and its empty attributes taken from context-params; and, in
 * {@link JakartaSecurityExtensionPlainIT}, one without it, where the extension adds nothing. (Each its own class: two
 * Weld applications of the same test classes in one embedded Jetty do not both discover their {@code WEB-INF/classes}.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JakartaSecurityExtensionIT {
    static final DiscordEmulator DISCORD = DiscordEmulator.builder()
            .demoData(EmulatedApplication.builder("100000000000000005").clientSecret("extension-it-secret")
                    .redirectUri("http://127.0.0.1/placeholder").build())
            .start();

    @ArquillianResource
    URL withDefinition;

    static String webXml(DiscordEmulator discord, String clientId) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <listener><listener-class>org.jboss.weld.environment.servlet.Listener</listener-class></listener>
                  <context-param><param-name>discord.client-id</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.client-secret</param-name><param-value>context-secret</param-value></context-param>
                  <context-param><param-name>test.client-secret</param-name><param-value>extension-it-secret</param-value></context-param>
                  <context-param><param-name>discord.redirect-uri</param-name><param-value>/context/callback</param-value></context-param>
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <servlet><servlet-name>beans</servlet-name><servlet-class>%s</servlet-class></servlet>
                  <servlet-mapping><servlet-name>beans</servlet-name><url-pattern>/beans</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(clientId, discord.apiBaseUri(), BeansServlet.class.getName());
    }

    static WebArchive war(DiscordEmulator discord, String name, String clientId, Class<?>... classes) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(classes)
                .setWebXML(new StringAsset(webXml(discord, clientId)))
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                        + "version=\"4.0\" bean-discovery-mode=\"annotated\"/>"), "beans.xml");
    }

    @Deployment(testable = false)
    static WebArchive definition() {
        return war(DISCORD, "definition", "100000000000000009", BeansServlet.class, SecuredApplication.class,
                DiscordTestSettings.class);
    }

    @AfterAll
    static void stop() {
        DISCORD.close();
    }

    static String beans(URL base) {
        HttpResponse<String> response = new TestBrowser().get(base.toString().replaceAll("/$", "") + "/beans");
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    @Test
    void extensionWhenDefinitionOnBeanClassThenMechanismAndItsConfigurationForTheClient() {
        String body = beans(withDefinition);
        assertTrue(body.contains("extension=DiscordSecurityExtension\n"), body);
        assertTrue(body.contains("definitionBeans=1\n"), body);
        assertTrue(body.contains("mechanism=DiscordAuthenticationMechanism\n"), body);
        assertTrue(body.contains("clientId=100000000000000005\n"), "the definition wins over the context-param: " + body);
        assertTrue(body.contains("secretFromContext=true\n"), "${discordTestSettings.clientSecret}: " + body);
        assertTrue(body.contains("redirectUri=/oauth2/callback\n"), body);
        assertTrue(body.contains("scopes=identify email\n"), body);
        assertTrue(body.contains("roles=[admin, moderator]\n"), body);
        assertTrue(body.contains("apiBaseUri=" + DISCORD.apiBaseUri() + "\n"), "empty attribute: context-param " + body);
        assertTrue(body.contains("client=100000000000000005\n"), "@Inject DiscordOAuth2Client: " + body);
    }
}
