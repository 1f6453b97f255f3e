package dev.discordoauth2.servlet;

/**
 * {@link ContainerSecurityJettyIT} in Jetty 12.1's {@code ee10} environment (Jakarta EE 10, Servlet 6.0): the modules
 * {@code ee10-deploy}, {@code ee10-annotations}, {@code ee10-jaspi} and its default factory, and the WAR's
 * {@code WEB-INF/jetty-ee10-web.xml}, as a Jetty 12.0 application keeps them when its server moves to 12.1.
 */
class ContainerSecurityJettyEe10IT extends ContainerSecurityJettyIT {
    @Override
    String environment() {
        return "ee10";
    }
}
