package dev.discordoauth2;

import dev.discordoauth2.DiscordOAuth2Client.TokenTypeHint;
import static dev.discordoauth2.ClientFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.emulator.RecordedRequest;
import dev.discordoauth2.model.RoleConnectionMetadata;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.JerseyInvocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discord's front end answers {@code 411 Length Required} to a body sent chunked or without {@code Content-Length}.
 * Every client call that sends a body, or is a POST or PUT, is read off the wire through the emulator's journal: it
 * carries {@code Content-Length} equal to the body's byte length and no {@code Transfer-Encoding}.
 */
class ContentLengthTest {
    private static final Set<String> SENDING = Set.of("POST", "PUT", "PATCH");

    private DiscordEmulator discord;
    private DiscordOAuth2Client client;

    @BeforeEach
    void start() {
        discord = emulator().autoApprove(NELLY).botInGuild(CLIENT_ID, API_GUILD, 1L).start();
        client = client(discord).build();
    }

    @AfterEach
    void stop() {
        client.close();
        discord.close();
    }

    private static void assertLengthDeclared(RecordedRequest sent) {
        assertEquals(Optional.empty(), sent.header("Transfer-Encoding"), "never chunked: " + sent);
        String length = sent.header("Content-Length").orElseThrow(() -> new AssertionError("no Content-Length: "
                + sent + " " + sent.headers()));
        assertEquals(sent.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(length), sent.toString());
        assertTrue(sent.status() != 411, sent.toString());
    }

    @Test
    void everyCallWithBodyWhenSentThenContentLengthAndNotChunked() {
        AccessToken token = login(discord, client, "identify", "guilds.join", "role_connections.write");
        AccessToken refreshed = client.refreshToken(token.refreshToken().orElseThrow());
        client.clientCredentialsGrant(List.of("identify"));
        client.updateLinkedRolesMetadata(List.of(RoleConnectionMetadata.of(RoleConnectionMetadata.Type.INTEGER_GREATER_THAN_OR_EQUAL,
                "level", "Level", "Level on the platform")));
        refreshed.updateMetadata("Platform", "nelly", Map.of("level", 3));
        refreshed.clearMetadata();
        refreshed.joinGuild(API_GUILD, NELLY);
        client.revokeToken(refreshed.token(), TokenTypeHint.ACCESS_TOKEN);

        List<RecordedRequest> withBody = discord.journal().stream()
                .filter(r -> SENDING.contains(r.method()) || !r.body().isEmpty()).toList();
        assertEquals(List.of("POST /oauth2/token", "POST /oauth2/token", "POST /oauth2/token",
                "PUT /applications/{application.id}/role-connections/metadata",
                "PUT /users/@me/applications/{application.id}/role-connection",
                "PUT /users/@me/applications/{application.id}/role-connection",
                "PUT /guilds/{guild.id}/members/{user.id}", "POST /oauth2/token/revoke"),
                withBody.stream().map(RecordedRequest::route).toList(), "every call reached its route");
        withBody.forEach(ContentLengthTest::assertLengthDeclared);
        assertTrue(withBody.stream().allMatch(r -> !r.body().isEmpty()), "each of these calls sends a body");
    }

    @Test
    void bodylessPostPutPatchWhenSentThroughJerseyClientThenContentLengthZero() {
        Client http = JerseyClientFactory.create(Duration.ofSeconds(5), Duration.ofSeconds(5), 2);
        // Jersey refuses an entity-less PUT or PATCH unless told not to, and then warns; the warnings are expected here
        Logger jersey = Logger.getLogger(JerseyInvocation.class.getName());
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        boolean parentHandlers = jersey.getUseParentHandlers();
        jersey.addHandler(capture);
        jersey.setUseParentHandlers(false);
        try {
            for (String method : List.of("POST", "PUT", "PATCH")) {
                // whoever sends one must still send a length
                try (Response response = http.target(discord.apiBaseUri()).path("/oauth2/token/revoke").request()
                        .property(ClientProperties.SUPPRESS_HTTP_COMPLIANCE_VALIDATION, true).method(method)) {
                    assertFalse(response.getStatus() == 411, method + " answered 411");
                }
            }
        } finally {
            jersey.removeHandler(capture);
            jersey.setUseParentHandlers(parentHandlers);
            http.close();
        }
        assertEquals(2, warnings.size(), "Jersey's warnings for the entity-less PUT and PATCH: " + warnings);

        List<RecordedRequest> sent = discord.journal();
        assertEquals(List.of("POST", "PUT", "PATCH"), sent.stream().map(RecordedRequest::method).toList());
        for (RecordedRequest request : sent) {
            assertEquals(Optional.of("0"), request.header("Content-Length"), request + " " + request.headers());
            assertEquals(Optional.empty(), request.header("Transfer-Encoding"));
        }
    }
}
