package dev.discordoauth2.security.app;

import dev.discordoauth2.DiscordOAuth2Client;
import dev.discordoauth2.web.DiscordConfig;
import dev.discordoauth2.servlet.DiscordSecurityExtension;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Test app: which beans the library's extension left in the application, and the configuration they carry. */
public class BeansServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    Instance<HttpAuthenticationMechanism> mechanisms;

    @Inject
    DiscordConfig config;

    @Inject
    DiscordOAuth2Client client;

    @Inject
    BeanManager beans;

    private String extension() {
        try {
            return beans.getExtension(DiscordSecurityExtension.class).getClass().getSimpleName();
        } catch (IllegalArgumentException e) {
            return "none";
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        StringBuilder out = new StringBuilder();
        out.append("extension=").append(extension()).append('\n');
        out.append("definitionBeans=").append(beans.getBeans(SecuredApplication.class).size()).append('\n');
        out.append("mechanism=").append(mechanisms.isResolvable() ? mechanisms.get().toString() : "none").append('\n');
        out.append("clientId=").append(config.clientId()).append('\n');
        out.append("secretFromContext=").append(config.clientSecret().equals(
                request.getServletContext().getInitParameter("test.client-secret"))).append('\n');
        out.append("redirectUri=").append(config.redirectUri()).append('\n');
        out.append("scopes=").append(String.join(" ", config.scopes())).append('\n');
        out.append("roles=").append(config.roles().keySet()).append('\n');
        out.append("apiBaseUri=").append(config.apiBaseUri()).append('\n');
        out.append("client=").append(client.clientId()).append('\n');
        response.getWriter().print(out);
    }
}
