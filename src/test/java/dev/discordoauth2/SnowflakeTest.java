package dev.discordoauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.discordoauth2.model.Snowflake;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Snowflake}: the one rule for Discord ids. */
class SnowflakeTest {

    @Test
    void isValidWhenUnsignedSixtyFourBitDecimalThenTrue() {
        for (String id : List.of("0", "1", "80351110224678912", "18446744073709551615")) {
            assertTrue(Snowflake.isValid(id), id);
        }
    }

    @Test
    void isValidWhenNotDigitsOrTooLargeThenFalse() {
        for (String id : Arrays.asList(null, "", "-1", "12a", " 1", "١٢٣", "18446744073709551616", "123456789012345678901")) {
            assertFalse(Snowflake.isValid(id), String.valueOf(id));
        }
    }

    @Test
    void isIssuedWhenFewerThanSeventeenDigitsThenFalse() {
        assertFalse(Snowflake.isIssued("1234567890123456"));
        assertTrue(Snowflake.isIssued("12345678901234567"));
        assertFalse(Snowflake.isIssued("99999999999999999999"), "20 digits beyond 2^64 - 1");
    }

    @Test
    void requireWhenNotSnowflakeThenMessageNamesTheArgument() {
        assertEquals("guildId must be a snowflake: x", assertThrows(IllegalArgumentException.class,
                () -> Snowflake.require("x", "guildId")).getMessage());
        assertEquals("81384788765712384", Snowflake.require("81384788765712384", "guildId"));
    }

    @Test
    void createdAtWhenDocumentedExampleThenItsTime() {
        // Discord's documented example: 175928847299117063 was made at 2016-04-30 11:18:25.796 UTC
        assertEquals(Instant.parse("2016-04-30T11:18:25.796Z"), new Snowflake("175928847299117063").createdAt());
        assertEquals("175928847299117063", new Snowflake("175928847299117063").toString());
        assertThrows(IllegalArgumentException.class, () -> new Snowflake("abc"));
    }

    @Test
    void clientWhenIdsNotSnowflakesThenRefusedBeforeAnyCall() {
        assertThrows(IllegalStateException.class, () -> DiscordOAuth2Client.builder().clientId("12x").build());
        assertEquals("guildId must be a snowflake: -1", assertThrows(IllegalArgumentException.class,
                () -> AuthorizeRequest.builder().guildId("-1")).getMessage());
    }
}
