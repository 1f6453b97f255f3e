package dev.discordoauth2.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkedRolesServletTest {
    @Test
    void levelWhenWithinZeroTo9999ThenParsed() {
        assertEquals(0, LinkedRolesServlet.level("0"));
        assertEquals(42, LinkedRolesServlet.level(" 42 "));
        assertEquals(9999, LinkedRolesServlet.level("9999"));
    }

    @Test
    void levelWhenOutOfRangeThenRefusedWithReason() {
        assertEquals("the level must be from 0 to 9999; 100000 is out of range.",
                assertThrows(IllegalArgumentException.class, () -> LinkedRolesServlet.level("100000")).getMessage());
        assertEquals("the level must be from 0 to 9999; -1 is out of range.",
                assertThrows(IllegalArgumentException.class, () -> LinkedRolesServlet.level("-1")).getMessage());
    }

    @Test
    void levelWhenNotAWholeNumberThenRefusedWithReason() {
        for (String text : new String[] {"4.5", "", null, "99999999999"}) {
            assertEquals("the level must be a whole number from 0 to 9999.",
                    assertThrows(IllegalArgumentException.class, () -> LinkedRolesServlet.level(text)).getMessage());
        }
    }

    @Test
    void describeWhenStoredMetadataThenReadableLines() {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("zeta", "7");
        stored.put("supporter", "1");
        stored.put("level", "42");
        assertEquals(List.of("Level 42", "Supporter yes", "zeta 7"), LinkedRolesServlet.describe(stored));
        assertEquals(List.of("Supporter no"), LinkedRolesServlet.describe(Map.of("supporter", "0")));
    }
}
