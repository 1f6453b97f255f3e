package dev.discordoauth2.web;

import dev.discordoauth2.model.RoleConnectionMetadata;
import java.util.List;
import java.util.Optional;

/**
 * What the application knows of its users for Discord's linked roles: the metadata schema, declared once (at most 5
 * records, checked at start against Discord's rules, registered with the bot token when Discord holds another), and
 * each user's {@link RoleConnection} by Discord user id. The library asks for it after a user connects through the
 * Linked Roles Verification URL ({@code discord.linked-roles-path}), and when {@link LinkedRoles#update} or a
 * {@link LinkedRoles#sweep} pushes without the user. The application provides one: a CDI bean, an instance under the
 * {@code ServletContext} attribute {@link #ATTRIBUTE} (set before the library starts), a {@code ServiceLoader}
 * service ({@code META-INF/services/dev.discordoauth2.web.RoleConnectionSource}), or
 * {@link LoginCore#useRoleConnections}. Implementations must be thread-safe: request threads and a sweep's threads
 * call them at once.
 */
public interface RoleConnectionSource {
    /** The {@code ServletContext} attribute under which an application may put its source. */
    String ATTRIBUTE = RoleConnectionSource.class.getName();

    /**
     * The metadata schema: asked once, at start.
     *
     * @return at most 5 records with distinct keys
     */
    List<RoleConnectionMetadata> schema();

    /**
     * The user's connection now, or empty when the application has none for them (nothing is pushed).
     *
     * @param userId the Discord user id
     * @return the connection
     */
    Optional<RoleConnection> connectionOf(String userId);
}
