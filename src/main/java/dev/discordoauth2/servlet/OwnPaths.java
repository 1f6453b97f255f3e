package dev.discordoauth2.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code discord.container-authentication=true}: the library's own paths (callback, login, logout, linked roles, "Add
 * to server") where the container did not call {@link DiscordAuthModule} for them. Tomcat calls the module on every
 * request, and its answer ends the request before any filter; Jetty calls a Jakarta Authentication module only for
 * a request a constraint protects (and lazily, when the application asks for the caller), so Discord's redirect back
 * to the unconstrained callback would reach the application and get a 404. This filter, first on {@code /*}, answers
 * those paths with the module's very steps; every other request passes, its {@code logout()} ending the Discord login
 * too (Jetty's {@code logout()} does not call the module's {@code cleanSubject}). Thread-safe (stateless but for the
 * module, which is).
 */
final class OwnPaths implements Filter {
    private final DiscordAuthModule module;

    OwnPaths(DiscordAuthModule module) {
        this.module = module;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)) {
            chain.doFilter(request, response);
            return;
        }
        if (DiscordAuthModule.isAnswered(http)) {
            return; // the module answered it already, and the container passed it on all the same
        }
        DiscordAuthModule.Exchange previous = DiscordAuthModule.enter(http, httpResponse);
        try {
            if (!module.answerOwnPath(http, httpResponse)) {
                chain.doFilter(new LoggingOut(http, httpResponse, module), response);
            }
        } finally {
            DiscordAuthModule.leave(previous);
        }
    }

    @Override
    public String toString() {
        return "OwnPaths";
    }

    /** The application's {@code request.logout()} ends the Discord login too, where the container does not say so. */
    private static final class LoggingOut extends HttpServletRequestWrapper {
        private final HttpServletResponse response;
        private final DiscordAuthModule module;

        LoggingOut(HttpServletRequest request, HttpServletResponse response, DiscordAuthModule module) {
            super(request);
            this.response = response;
            this.module = module;
        }

        @Override
        public void logout() throws ServletException {
            super.logout();
            module.forget((HttpServletRequest) getRequest(), response);
        }
    }
}
