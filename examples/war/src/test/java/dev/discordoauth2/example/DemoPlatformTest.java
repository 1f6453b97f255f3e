package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.discordoauth2.model.RoleConnectionMetadata;
import dev.discordoauth2.web.RoleConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example's platform as the library's linked roles see it: the two records Discord's guilds can require, and
 * each user's connection with the values the platform holds (a new user's defaults until they save).
 */
class DemoPlatformTest {
    private static final String NELLY = "80351110224678912";

    @Test
    void schemaWhenAskedThenLevelAtLeastAndSupporterEqual() {
        List<RoleConnectionMetadata> schema = new DemoPlatform().schema();
        assertEquals(List.of(RoleConnectionMetadata.Type.INTEGER_GREATER_THAN_OR_EQUAL,
                RoleConnectionMetadata.Type.BOOLEAN_EQUAL), schema.stream().map(RoleConnectionMetadata::type).toList());
        assertEquals(List.of("level", "supporter"), schema.stream().map(RoleConnectionMetadata::key).toList());
        assertEquals(List.of("Level", "Supporter"), schema.stream().map(RoleConnectionMetadata::name).toList());
        assertEquals(List.of("Level on the demo platform", "Supports the demo"),
                schema.stream().map(RoleConnectionMetadata::description).toList());
    }

    @Test
    void connectionOfWhenUserNotSeenYetThenLevel1NoSupporter() {
        RoleConnection connection = new DemoPlatform().connectionOf(NELLY).orElseThrow();
        assertEquals("discord-oauth2 example", connection.platformName());
        assertEquals(NELLY, connection.platformUsername());
        assertEquals(Map.of("level", 1, "supporter", false), connection.metadata());
    }

    @Test
    void connectionOfWhenSavedThenTheSavedValuesForThatUserOnly() {
        DemoPlatform platform = new DemoPlatform();
        platform.save(NELLY, new DemoPlatform.Account(42, true));
        assertEquals(Map.of("level", 42, "supporter", true), platform.connectionOf(NELLY).orElseThrow().metadata());
        assertEquals(new DemoPlatform.Account(42, true), platform.account(NELLY));
        assertEquals(DemoPlatform.NEW_ACCOUNT, platform.account("268473310986240001"), "another user is new");
        platform.save(NELLY, new DemoPlatform.Account(0, false));
        assertEquals(Map.of("level", 0, "supporter", false), platform.connectionOf(NELLY).orElseThrow().metadata(),
                "a save replaces the account");
    }

    @Test
    void accountWhenLevelOutOfRangeThenRefusedWithReason() {
        assertEquals("the level must be from 0 to 9999; 10000 is out of range.",
                assertThrows(IllegalArgumentException.class, () -> new DemoPlatform.Account(10000, false))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DemoPlatform.Account(-1, false));
    }
}
