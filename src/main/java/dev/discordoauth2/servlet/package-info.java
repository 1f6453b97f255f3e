/**
 * "Log in with Discord" for servlet applications: {@link dev.discordoauth2.servlet.DiscordLoginFilter},
 * {@link dev.discordoauth2.servlet.DiscordCallbackServlet}, {@link dev.discordoauth2.servlet.DiscordLogoutServlet} and,
 * for Discord's webhook events, {@link dev.discordoauth2.servlet.DiscordWebhookServlet},
 * registered in {@code web.xml} and configured by {@link dev.discordoauth2.web.DiscordConfig}; the session holds a
 * serializable {@link dev.discordoauth2.web.DiscordPrincipal} and {@link dev.discordoauth2.web.DiscordTokens},
 * which {@link dev.discordoauth2.servlet.DiscordAuth} reads.
 */
package dev.discordoauth2.servlet;
