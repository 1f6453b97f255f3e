package dev.discordoauth2.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The emulator's own JSON reader and writer ({@link Json}), as a unit. */
class JsonTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) throws Json.MalformedJsonException {
        return (Map<String, Object>) Json.parse(json);
    }

    private static BigDecimal number(String json) throws Json.MalformedJsonException {
        return assertInstanceOf(BigDecimal.class, Json.parse(json));
    }

    private static void assertNumber(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + " but was " + actual);
    }

    private static String nested(int depth, char open, char close) {
        return String.valueOf(open).repeat(depth) + String.valueOf(close).repeat(depth);
    }

    // -------------------------------------------------------------------------------------------- parse

    @Test
    void parseWhenObjectThenOrderedMapOfValues() throws Exception {
        Map<String, Object> map = object(" { \"id\" : \"80351110224678912\", \"n\": 2, \"ok\": true, \"list\": [1, \"a\"],"
                + " \"inner\": {\"x\": false}, \"empty\": {}, \"none\": [] } ");
        assertInstanceOf(LinkedHashMap.class, map);
        assertEquals(List.of("id", "n", "ok", "list", "inner", "empty", "none"), new ArrayList<>(map.keySet()),
                "key order kept");
        assertEquals("80351110224678912", map.get("id"));
        assertNumber("2", (BigDecimal) map.get("n"));
        assertEquals(Boolean.TRUE, map.get("ok"));
        assertEquals(List.of(new BigDecimal("1"), "a"), map.get("list"));
        assertEquals(Map.of("x", Boolean.FALSE), map.get("inner"));
        assertEquals(Map.of(), map.get("empty"));
        assertEquals(List.of(), map.get("none"));
    }

    @Test
    void parseWhenArrayThenListInOrder() throws Exception {
        Object value = Json.parse("[\"b\", \"a\", [[]], {\"k\": null}, -1]");
        List<?> list = assertInstanceOf(List.class, value);
        assertEquals(5, list.size());
        assertEquals("b", list.get(0));
        assertEquals("a", list.get(1));
        assertEquals(List.of(List.of()), list.get(2));
        assertSame(Json.NULL, ((Map<?, ?>) list.get(3)).get("k"));
        assertNumber("-1", (BigDecimal) list.get(4));
    }

    @Test
    void parseWhenStringHasEscapesThenDecoded() throws Exception {
        assertEquals("a\nb", Json.parse("\"a\\nb\""));
        assertEquals("caf\u00e9", Json.parse("\"caf\\u00e9\""));
        assertEquals("say \"hi\"", Json.parse("\"say \\\"hi\\\"\""));
        assertEquals("back\\slash/slash\ttab\rcr\bbs\fff", Json.parse("\"back\\\\slash\\/slash\\ttab\\rcr\\bbs\\fff\""));
        assertEquals("\ud83d\ude00", Json.parse("\"\\ud83d\\ude00\""), "a surrogate pair");
        assertEquals("\u00e9t\u00e9", Json.parse("\"\u00e9t\u00e9\""), "raw non-ASCII passes through");
    }

    @Test
    void parseWhenNumbersThenBigDecimal() throws Exception {
        assertNumber("0", number("0"));
        assertNumber("-42", number("-42"));
        assertNumber("64.57", number("64.57"));
        assertNumber("1470173023.123", number("1470173023.123"));
        assertNumber("100", number("1E2"));
        assertNumber("0.0025", number("2.5e-3"));
        assertNumber("-0.00005", number("-0.5e-4"));
        assertNumber("12000", number("1.2e+4"));
        assertEquals(new BigDecimal("2251799813685247"), number("2251799813685247"), "no precision lost");
        assertEquals(new BigDecimal("0.1"), number("0.1"), "exact decimal, not a double");
    }

    @Test
    void parseWhenLiteralsThenBooleansAndNullMarker() throws Exception {
        assertEquals(Boolean.TRUE, Json.parse("true"));
        assertEquals(Boolean.FALSE, Json.parse("false"));
        assertSame(Json.NULL, Json.parse("null"));
        assertEquals("null", Json.NULL.toString());
    }

    @Test
    void parseWhenKeyIsNullThenNullMarkerDistinctFromAbsentKey() throws Exception {
        Map<String, Object> map = object("{\"nick\": null}");
        assertTrue(map.containsKey("nick"));
        assertSame(Json.NULL, map.get("nick"));
        assertFalse(map.containsKey("roles"));
        assertNotEquals(map.get("roles"), map.get("nick"), "absent (Java null) and JSON null differ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "{'a':1}",
        "\"unterminated", "{\"a\":\"unterminated}", "[\"x", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12G4\"",
        "\"line\nbreak\"",
        "{} x", "[1] ]", "1 2", "truex", "nulll",
        "", "   ", "{", "[", "tru", "nul", "-", "+1", ".5", "NaN", "Infinity", "1..2", "1e", "--1"})
    void parseWhenNotJsonThenMalformedJsonException(String text) {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "1.", "1.e5", "\"\\u+041\"", "\"\\u\uff10041\"", "\u000b1", "\u20001",
        "\u00a01"})
    void parseWhenAlmostJsonThenMalformedJsonException(String text) {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(text), text);
    }

    @Test
    void parseWhenNestedDeeperThan64ThenMalformedJsonException() throws Exception {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(nested(65, '[', ']')));
        StringBuilder objects = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            objects.append("{\"a\":");
        }
        objects.append("1").append("}".repeat(65));
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(objects.toString()));
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse("[".repeat(100_000)),
                "very deep input fails cleanly, without a StackOverflowError");
    }

    @Test
    void parseWhenNestedExactly64ThenAccepted() throws Exception {
        Object value = Json.parse(nested(64, '[', ']'));
        int depth = 0;
        while (value instanceof List<?> list) {
            depth++;
            value = list.isEmpty() ? null : list.get(0);
        }
        assertEquals(64, depth);
        String mixed = "{\"a\":[".repeat(32) + "]}".repeat(32);
        assertInstanceOf(Map.class, Json.parse(mixed));
    }

    // -------------------------------------------------------------------------------------------- write

    @Test
    void writeWhenValuesThenCompactJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", "1");
        map.put("n", 5);
        map.put("big", 2251799813685247L);
        map.put("retry_after", new BigDecimal("64.57"));
        map.put("global", false);
        map.put("list", List.of(1, "x", true));
        map.put("none", Json.NULL);
        map.put("missing", null);
        assertEquals("{\"id\":\"1\",\"n\":5,\"big\":2251799813685247,\"retry_after\":64.57,\"global\":false,"
                + "\"list\":[1,\"x\",true],\"none\":null,\"missing\":null}", Json.write(map));
    }

    @Test
    void writeWhenNullMarkerThenJsonNull() {
        assertEquals("null", Json.write(Json.NULL));
        assertEquals("[null]", Json.write(Arrays.asList(Json.NULL)));
    }

    @Test
    void writeWhenStringHasSpecialCharactersThenEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\"", Json.write("a\"b\\c\nd\re\tf\bg\fh"));
        assertEquals("\"\\u0000\\u0001\\u001f\"", Json.write("\u0000\u0001\u001f"));
        assertEquals("\"caf\u00e9 /\"", Json.write("caf\u00e9 /"));
        String written = Json.write("x\u0007y");
        for (char c : written.toCharArray()) {
            assertTrue(c >= 0x20, "no raw control character in " + written);
        }
    }

    @Test
    void writeWhenDoubleOrBigDecimalThenPlainNotation() {
        assertEquals("0.001", Json.write(0.001));
        assertEquals("1000", Json.write(new BigDecimal("1E+3")));
        assertEquals("1.5", Json.write(1.5));
    }

    @Test
    void writeWhenNotJsonValueThenIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("when", java.time.Instant.EPOCH)));
    }

    @Test
    void writeThenParseWhenRoundTripThenEqualValue() throws Exception {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("deaf", false);
        inner.put("nick", Json.NULL);
        Map<String, Object> original = new LinkedHashMap<>();
        original.put("text", "line\nnext \"quoted\" \\ caf\u00e9 \u0001 \ud83d\ude00");
        original.put("numbers", List.of(new BigDecimal("-42"), new BigDecimal("64.57"), new BigDecimal("0.001")));
        original.put("ok", true);
        original.put("member", inner);
        original.put("empty", List.of());
        original.put("nothing", Json.NULL);
        String json = Json.write(original);
        Object parsed = Json.parse(json);
        assertEquals(original, parsed);
        assertEquals(json, Json.write(parsed), "writing again gives the same text");
    }

    @Test
    void parseThenWriteWhenDiscordBodyThenSameText() throws Exception {
        String body = "{\"message\":\"You are being rate limited.\",\"retry_after\":64.57,\"global\":false}";
        assertEquals(body, Json.write(Json.parse(body)));
        String error = "{\"code\":50035,\"errors\":{\"roles\":{\"0\":{\"_errors\":[{\"code\":\"NUMBER_TYPE_COERCE\","
                + "\"message\":\"Value \\\"x\\\" is not snowflake.\"}]}}},\"message\":\"Invalid Form Body\"}";
        assertEquals(error, Json.write(Json.parse(error)));
    }
}
