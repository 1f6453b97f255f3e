/**
 * CDI integration: {@code @Inject DiscordOAuth2Client} and {@code @Inject DiscordConfig} work (through the library's
 * own package-private producer), and {@link dev.discordoauth2.cdi.DiscordIdentity} gives the current user and token. Discovered through the library's
 * {@code META-INF/beans.xml} ({@code bean-discovery-mode="annotated"}).
 */
package dev.discordoauth2.cdi;
