/**
 * An in-process emulator of Discord's OAuth2 and user API for tests and offline demos: {@link
 * dev.discordoauth2.emulator.DiscordEmulator} and the records that configure it. It writes Discord's JSON itself,
 * from Discord's documentation, and shares no model, JSON mapping or HTTP code with the library's client. The
 * library's production packages never import it.
 */
package dev.discordoauth2.emulator;
