package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The strict parser of the library's GET paths: the same answer on every container, malformed means malformed. */
class QueryTest {
    @Test
    void parseWhenWellFormedThenDecodedFirstValuesAndFlags() {
        Query q = Query.parse("code=a%2Fb+c&state=%C3%A9t%C3%A9&state=second&cancelled&empty=").orElseThrow();
        assertEquals("a/b c", q.get("code"));
        assertEquals("été", q.get("state"), "UTF-8, the first value");
        assertTrue(q.has("cancelled"));
        assertEquals("", q.get("cancelled"));
        assertEquals("", q.get("empty"));
        assertNull(q.get("missing"));
        assertFalse(q.has("missing"));
        assertTrue(Query.parse(null).orElseThrow().get("x") == null);
    }

    @Test
    void parseWhenEscapeMalformedOrNotUtf8ThenMalformed() {
        for (String raw : new String[] {"state=%zz", "state=abc%", "state=%4", "code=%C3%28", "return=%FF%FE",
                "%zz=1", "state=%ED%A0%80"}) {
            assertEquals(Optional.empty(), Query.parse(raw), raw);
        }
    }

    @Test
    void parseWhenLongerThanAnythingDiscordSendsThenMalformed() {
        assertTrue(Query.parse("state=" + "a".repeat(Query.MAX_LENGTH - 6)).isPresent());
        assertTrue(Query.parse("state=" + "a".repeat(Query.MAX_LENGTH)).isEmpty());
    }
}
