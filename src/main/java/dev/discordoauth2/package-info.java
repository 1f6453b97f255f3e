/**
 * The Discord OAuth2 client: {@link dev.discordoauth2.DiscordOAuth2Client} (every call of Python's
 * {@code discordoauth2.Client}), {@link dev.discordoauth2.AccessToken} and {@link dev.discordoauth2.PartialAccessToken}
 * (the user API), {@link dev.discordoauth2.AuthorizeRequest} and {@link dev.discordoauth2.Pkce} for authorize URLs,
 * and the exceptions rooted at {@link dev.discordoauth2.DiscordException}.
 */
package dev.discordoauth2;
