package dev.discordoauth2.servlet;

/** {@link ContainerSecurityLibertyIT} with {@code discord.session=cookie}: Liberty's caller from the sealed cookie. */
class ContainerSecurityLibertyCookieIT extends ContainerSecurityLibertyIT {
    @Override
    boolean cookieMode() {
        return true;
    }
}
