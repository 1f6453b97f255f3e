package dev.discordoauth2.servlet;

import dev.discordoauth2.DiscordOAuth2Client;
import jakarta.servlet.ServletContext;

/**
 * Lets the CDI producer share the web components' client: a {@link Lease} holds the client of the application's
 * runtime for this configuration (created if needed) until it is closed; the last user closes the client. Outside a
 * servlet container (no {@code ServletContext}) a lease owns a client of its own. Not for application code.
 * Thread-safe.
 */
public final class DiscordWebAccess {
    private DiscordWebAccess() {
    }

    /** One user's hold on a client; {@link #close()} gives it back. Thread-safe. */
    public static final class Lease implements AutoCloseable {
        private final DiscordOAuth2Client client;
        private final DiscordWeb web;

        private Lease(DiscordOAuth2Client client, DiscordWeb web) {
            this.client = client;
            this.web = web;
        }

        public DiscordOAuth2Client client() {
            return client;
        }

        @Override
        public void close() {
            if (web != null) {
                web.release();
            } else {
                client.close();
            }
        }
    }

    public static Lease acquire(ServletContext context, DiscordConfig config) {
        if (context == null) {
            return new Lease(config.newClientBuilder().build(), null);
        }
        DiscordWeb web = DiscordWeb.acquire(context, config);
        return new Lease(web.client, web);
    }
}
