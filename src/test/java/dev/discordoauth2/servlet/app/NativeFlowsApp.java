package dev.discordoauth2.servlet.app;

import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.web.DiscordBotAddedEvent;
import dev.discordoauth2.web.RoleConnection;
import dev.discordoauth2.web.RoleConnectionSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test app: a linked-roles source as a CDI bean, and an observer of "Add to server" with a servlet showing it. */
public final class NativeFlowsApp {
    static final List<String> ADDED = new CopyOnWriteArrayList<>();

    private NativeFlowsApp() {
    }

    /** Every user is level 7 on the test platform. */
    @ApplicationScoped
    public static class Source implements RoleConnectionSource {
        @Override
        public List<RoleConnectionMetadata> schema() {
            return List.of(RoleConnectionMetadata.of(RoleConnectionMetadata.Type.INTEGER_GREATER_THAN_OR_EQUAL,
                    "level", "Level", "Level on the test platform"));
        }

        @Override
        public Optional<RoleConnection> connectionOf(String userId) {
            return Optional.of(RoleConnection.of("IT Platform", "player-" + userId, Map.of("level", 7)));
        }
    }

    /** Keeps the events. */
    @ApplicationScoped
    public static class Observer {
        void added(@Observes DiscordBotAddedEvent event) {
            ADDED.add(event.guild().id() + ":" + event.permissions() + ":" + event.addedBy().isPresent());
        }
    }

    /** The events seen, one per line. */
    public static class AddedServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(String.join("\n", ADDED));
        }
    }
}
