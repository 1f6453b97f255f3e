package dev.discordoauth2.servlet;

import dev.discordoauth2.emulator.DiscordEmulator;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the test WARs: the app's own classes, a {@code beans.xml}, and the library's filter and servlets registered
 * in {@code web.xml} only. The library itself (and its {@code META-INF/beans.xml}) comes from the embedded
 * container's class path, as a jar in {@code WEB-INF/lib} would in a real server; putting it in the WAR as well makes
 * Weld see its beans twice.
 */
final class WebApps {
    private WebApps() {
    }

    static WebArchive war(String webXml, Class<?>... appClasses) {
        return ShrinkWrap.create(WebArchive.class, "discord.war")
                .addClasses(appClasses)
                .setWebXML(new StringAsset(webXml))
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                        + "version=\"4.0\" bean-discovery-mode=\"annotated\"/>"), "beans.xml");
    }

    /** The drop-in web.xml of the README, with the configuration as context-params pointing at the emulator. */
    static String webXml(DiscordEmulator discord, String clientId, String secret, String scopes) {
        return webXml(discord, clientId, secret, scopes, java.util.Map.of());
    }

    /** The same with more context-params (e.g. short time budgets for the fault tests). */
    static String webXml(DiscordEmulator discord, String clientId, String secret, String scopes,
            java.util.Map<String, String> extra) {
        StringBuilder params = new StringBuilder();
        extra.forEach((k, v) -> params.append("  <context-param><param-name>").append(k)
                .append("</param-name><param-value>").append(v).append("</param-value></context-param>\n"));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <listener><listener-class>dev.discordoauth2.servlet.app.TestClockListener</listener-class></listener>
                  <listener><listener-class>org.jboss.weld.environment.servlet.Listener</listener-class></listener>
                  <context-param><param-name>discord.client-id</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.client-secret</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.redirect-uri</param-name><param-value>/oauth2/callback</param-value></context-param>
                  <context-param><param-name>discord.scopes</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.api-base-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.authorize-uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>discord.roles</param-name><param-value>admin=80351110224678912</param-value></context-param>
                %s

                  <filter>
                    <filter-name>discord-login</filter-name>
                    <filter-class>dev.discordoauth2.servlet.DiscordLoginFilter</filter-class>
                  </filter>
                  <filter-mapping><filter-name>discord-login</filter-name><url-pattern>/protected/*</url-pattern></filter-mapping>
                  <filter-mapping><filter-name>discord-login</filter-name><url-pattern>/api/*</url-pattern></filter-mapping>

                  <servlet>
                    <servlet-name>discord-callback</servlet-name>
                    <servlet-class>dev.discordoauth2.servlet.DiscordCallbackServlet</servlet-class>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/callback</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>discord-callback</servlet-name><url-pattern>/oauth2/login</url-pattern></servlet-mapping>
                  <servlet>
                    <servlet-name>discord-logout</servlet-name>
                    <servlet-class>dev.discordoauth2.servlet.DiscordLogoutServlet</servlet-class>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>discord-logout</servlet-name><url-pattern>/oauth2/logout</url-pattern></servlet-mapping>

                  <servlet><servlet-name>profile</servlet-name><servlet-class>dev.discordoauth2.servlet.app.ProfileServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>profile</servlet-name><url-pattern>/protected/me</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>profile</servlet-name><url-pattern>/protected/logo.png</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>profile</servlet-name><url-pattern>/api/me</url-pattern></servlet-mapping>
                  <servlet><servlet-name>token</servlet-name><servlet-class>dev.discordoauth2.servlet.app.TokenServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>token</servlet-name><url-pattern>/protected/token</url-pattern></servlet-mapping>
                  <servlet><servlet-name>cdi</servlet-name><servlet-class>dev.discordoauth2.servlet.app.CdiServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>cdi</servlet-name><url-pattern>/cdi</url-pattern></servlet-mapping>
                  <servlet><servlet-name>session</servlet-name><servlet-class>dev.discordoauth2.servlet.app.SessionSizeServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>session</servlet-name><url-pattern>/protected/session</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(clientId, secret, scopes, discord.apiBaseUri(), discord.authorizeUri(), params);
    }
}
