/**
 * The Discord OAuth2 client: {@link dev.discordoauth2.DiscordOAuth2Client} (every call of Python's
 * {@code discordoauth2.Client}), {@link dev.discordoauth2.AccessToken} and {@link dev.discordoauth2.PartialAccessToken}
 * (the user API), {@link dev.discordoauth2.AuthorizeRequest} (with its PKCE pair,
 * {@link dev.discordoauth2.AuthorizeRequest.Pkce}) for authorize URLs, and the exceptions rooted at
 * {@link dev.discordoauth2.DiscordException}. Discord's objects are the records of
 * {@link dev.discordoauth2.model}. The client needs no container; "Log in with Discord" for web applications is built
 * on it in {@link dev.discordoauth2.servlet}, {@link dev.discordoauth2.cdi} and {@link dev.discordoauth2.security}.
 *
 * <p>The client, the tokens and the requests are thread-safe; each type says so in its own description.
 */
package dev.discordoauth2;
