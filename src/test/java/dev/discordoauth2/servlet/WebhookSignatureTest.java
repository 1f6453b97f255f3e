package dev.discordoauth2.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The webhook's Ed25519 verification and its hex decoding, without a server. */
class WebhookSignatureTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    @Test
    void decodeWhenHexOfEitherCaseThenBytesElseNull() {
        assertArrayEquals(new byte[] {0x00, (byte) 0xff, 0x0a, (byte) 0xbc, 0x19}, WebhookSignature.decode("00fF0aBc19", 5));
        String[] notHex = {"0g", "g0", "0/", ":0", "0@", "0G", "`0", "0\u0130", "0 ", "\u01460", "\uff10\uff10"};
        for (String bad : notHex) {
            assertNull(WebhookSignature.decode(bad, 1), bad);
        }
        assertNull(WebhookSignature.decode("00", 2), "too short");
        assertNull(WebhookSignature.decode("000000", 2), "too long");
        assertNull(WebhookSignature.decode(null, 1));
        for (int b = 0; b < 256; b++) {
            String hex = String.format("%02x", b);
            assertEquals((byte) b, WebhookSignature.decode(hex, 1)[0], hex);
            assertEquals((byte) b, WebhookSignature.decode(hex.toUpperCase(), 1)[0], hex);
        }
    }

    @Test
    void verifyWhenSignedThenValidElseBadStaleOrMissing() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        WebhookSignature verifier = new WebhookSignature(WebhookIT.hex(pair));
        byte[] body = "{\"type\":0}".getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(NOW.getEpochSecond());
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.US_ASCII));
        signer.update(body);
        String signature = HexFormat.of().formatHex(signer.sign());
        assertEquals(WebhookSignature.Verdict.VALID, verifier.verify(signature, timestamp, body, NOW));
        assertEquals(WebhookSignature.Verdict.VALID, verifier.verify(signature.toUpperCase(), timestamp, body,
                NOW.plusSeconds(300)), "at the edge of the window");
        assertEquals(WebhookSignature.Verdict.STALE, verifier.verify(signature, timestamp, body, NOW.plusSeconds(301)));
        assertEquals(WebhookSignature.Verdict.STALE, verifier.verify(signature, timestamp, body, NOW.minusSeconds(301)));
        assertEquals(WebhookSignature.Verdict.BAD, verifier.verify(signature, timestamp, "{\"type\":1}".getBytes(
                StandardCharsets.UTF_8), NOW), "another body");
        assertEquals(WebhookSignature.Verdict.BAD, verifier.verify(signature, "+" + timestamp.substring(1), body, NOW));
        assertEquals(WebhookSignature.Verdict.BAD, verifier.verify(signature.substring(2), timestamp, body, NOW));
        assertEquals(WebhookSignature.Verdict.MISSING, verifier.verify(null, timestamp, body, NOW));
        assertEquals(WebhookSignature.Verdict.MISSING, verifier.verify(signature, null, body, NOW));
    }

    @Test
    void newWhenNotAKeyThenIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookSignature("zz".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSignature("00".repeat(31)));
    }
}
