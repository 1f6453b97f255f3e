package dev.discordoauth2.servlet;

import dev.discordoauth2.DiscordOAuth2Client;
import jakarta.servlet.ServletContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the CDI producer share the web components' client: acquiring gives the client of the application's runtime for
 * this configuration (created if needed) and releasing closes it with the last user. Outside a servlet container (no
 * {@code ServletContext}) each acquisition builds a client of its own. Not for application code. Thread-safe.
 */
public final class DiscordWebAccess {
    private static final Map<DiscordOAuth2Client, DiscordWeb> ACQUIRED = new ConcurrentHashMap<>();

    private DiscordWebAccess() {
    }

    public static DiscordOAuth2Client acquireClient(ServletContext context, DiscordConfig config) {
        if (context == null) {
            DiscordOAuth2Client.Builder builder = DiscordOAuth2Client.builder().clientId(config.clientId())
                    .clientSecret(config.clientSecret()).apiBaseUri(config.apiBaseUri())
                    .authorizeUri(config.authorizeUri());
            config.botToken().ifPresent(builder::botToken);
            if (!config.redirectUri().startsWith("/")) {
                builder.redirectUri(config.redirectUri());
            }
            return builder.build();
        }
        DiscordWeb web = DiscordWeb.acquire(context, config);
        ACQUIRED.put(web.client, web);
        return web.client;
    }

    public static void releaseClient(DiscordOAuth2Client client) {
        DiscordWeb web = ACQUIRED.remove(client);
        if (web != null) {
            web.release();
        } else {
            client.close();
        }
    }
}
