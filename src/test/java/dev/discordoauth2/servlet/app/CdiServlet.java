package dev.discordoauth2.servlet.app;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.cdi.DiscordIdentity;
import dev.discordoauth2.web.OfflineAccess;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: a servlet with {@code @Inject DiscordOAuth2Client}, the request-scoped identity and the offline API. */
public class CdiServlet extends HttpServlet {
    @Inject
    DiscordOAuth2Client client;

    @Inject
    DiscordIdentity identity;

    @Inject
    OfflineAccess offline;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        String user = identity.principal().map(p -> p.username()).orElse("anonymous");
        String me = identity.accessToken().map(t -> t.fetchIdentify().id()).orElse("none");
        resp.getWriter().print("client=" + client.clientId() + " api=" + client.apiBaseUri() + " user=" + user
                + " me=" + me
                + " offline=" + offline.available());
    }
}
