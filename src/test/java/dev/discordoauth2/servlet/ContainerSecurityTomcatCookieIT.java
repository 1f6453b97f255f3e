package dev.discordoauth2.servlet;

/** {@link ContainerSecurityTomcatIT} with {@code discord.session=cookie}: the container's caller from the sealed cookie. */
class ContainerSecurityTomcatCookieIT extends ContainerSecurityTomcatIT {
    @Override
    boolean cookieMode() {
        return true;
    }
}
