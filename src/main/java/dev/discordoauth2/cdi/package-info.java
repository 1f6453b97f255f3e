/**
 * CDI integration: {@link dev.discordoauth2.cdi.DiscordProducer} makes the client and configuration injectable and
 * {@link dev.discordoauth2.cdi.DiscordIdentity} the current user and token. Discovered through the library's
 * {@code META-INF/beans.xml} ({@code bean-discovery-mode="annotated"}).
 */
package dev.discordoauth2.cdi;
