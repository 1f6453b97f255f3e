/**
 * Jakarta Security integration: {@link dev.discordoauth2.security.DiscordAuthenticationMechanismDefinition} on an
 * application's CDI bean class makes "Log in with Discord" the application's {@code HttpAuthenticationMechanism}, with
 * the login of the servlet filter (one implementation, in {@code dev.discordoauth2.servlet}). Only this package names
 * Jakarta Security types, and only once an application uses the annotation, so the library loads on containers
 * without it.
 */
package dev.discordoauth2.security;
