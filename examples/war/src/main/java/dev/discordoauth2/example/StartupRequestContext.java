package dev.discordoauth2.example;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * A workaround, to delete once the library no longer needs it: a request context around the application's start-up
 * event ({@code @Initialized(ApplicationScoped.class)}). With a {@link dev.discordoauth2.web.RoleConnectionSource}
 * bean ({@link DemoPlatform}) the library's CDI producer looks at the {@code ServletContext} bean in that event, and on
 * Weld's servlet integration (this WAR on Jetty) that built-in bean is request-scoped: without a request context the
 * deployment fails with {@code ContextNotActiveException}. The context is activated before every other observer of
 * the event and deactivated after them.
 */
@ApplicationScoped
public class StartupRequestContext {
    @Inject
    RequestContextController requestContext;

    private boolean activated;

    void activate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class)
            Object started) {
        activated = requestContext.activate();
    }

    void deactivate(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) @Initialized(ApplicationScoped.class)
            Object started) {
        if (activated) {
            activated = false;
            requestContext.deactivate();
        }
    }
}
