package dev.discordoauth2.servlet;

/** {@link ContainerSecurityJettyIT} with {@code discord.session=cookie}: the container's caller from the sealed cookie. */
class ContainerSecurityJettyCookieIT extends ContainerSecurityJettyIT {
    @Override
    boolean cookieMode() {
        return true;
    }
}
