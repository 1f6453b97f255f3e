package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.AdminJson.badRequest;
import static dev.discordoauth2.emulator.AdminJson.first;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin endpoints that show what the emulator holds on Discord's side for an application: its users' role
 * connections, its role connection metadata records (and how often a {@code PUT} replaced them), and the guilds its
 * bot is in. Read-only. {@link AdminApi} routes to them. Thread-safe, as {@link EmulatorData} is.
 */
final class AdminApplications {
    private final EmulatorData data;

    AdminApplications(EmulatorData data) {
        this.data = data;
    }

    /** Every role connection of the application, by user id; {@code user_id} in the query keeps that user's. */
    Reply roleConnections(String clientId, Map<String, List<String>> query) {
        String userId = first(query, "user_id");
        if (userId != null && !Snowflakes.isSnowflake(userId)) {
            throw badRequest("user_id must be a snowflake: " + userId);
        }
        List<Map<String, Object>> connections = known(() -> data.roleConnections(clientId, userId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("total", connections.size());
        out.put("role_connections", new ArrayList<Object>(connections));
        return Reply.json(200, out);
    }

    /** The application's metadata records, as Discord's {@code GET} answers them, and the {@code PUT}s since start. */
    Reply metadata(String clientId) {
        EmulatorData.MetadataRecords metadata = known(() -> data.metadataRecords(clientId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("records", new ArrayList<Object>(metadata.records()));
        out.put("updates", metadata.updates());
        return Reply.json(200, out);
    }

    /** The guilds the application's bot is in, in the order it joined them, with its permissions. */
    Reply botGuilds(String clientId) {
        List<Map<String, Object>> guilds = known(() -> data.botGuilds(clientId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", clientId);
        out.put("guilds", new ArrayList<Object>(guilds));
        return Reply.json(200, out);
    }

    /** The read's result; an unknown application is a 404. */
    private static <T> T known(Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new AdminApi.Failure(404, "not_found", e.getMessage());
        }
    }
}
