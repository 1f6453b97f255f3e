package dev.discordoauth2.servlet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;

/**
 * Verifies Discord's signature of a webhook request with the application's public key, with the JDK's Ed25519: the
 * {@code X-Signature-Ed25519} header (64 bytes in hex) signs the {@code X-Signature-Timestamp} header (Unix seconds)
 * followed by the raw body. A timestamp more than {@link #MAX_SKEW} from now either way is stale, so that a recorded
 * request cannot be replayed later. Hex is decoded without branching on its digits. Immutable and thread-safe (each
 * verification has its own {@link Signature}).
 */
final class WebhookSignature {
    /** How far a request's timestamp may be from now. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** The DER of an X.509 SubjectPublicKeyInfo of an Ed25519 key, up to its 32 raw bytes (RFC 8410). */
    private static final byte[] X509_PREFIX = decode("302a300506032b6570032100", 12);

    /** Why a request is refused, or {@link #VALID}. */
    enum Verdict { VALID, MISSING, STALE, BAD }

    private final PublicKey key;

    /**
     * @param hexKey the 64 hex digits of the developer portal
     * @throws IllegalArgumentException when they are not an Ed25519 public key
     */
    WebhookSignature(String hexKey) {
        byte[] raw = decode(hexKey, 32);
        if (raw == null) {
            throw new IllegalArgumentException("the public key is not 64 hex digits");
        }
        byte[] der = new byte[X509_PREFIX.length + raw.length];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, raw.length);
        try {
            key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the public key is not an Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} (hex) signs {@code timestamp} + {@code body}, with the timestamp close to {@code now}. */
    Verdict verify(String signature, String timestamp, byte[] body, Instant now) {
        if (signature == null || timestamp == null) {
            return Verdict.MISSING;
        }
        if (timestamp.isEmpty() || timestamp.length() > 12 || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Verdict.BAD;
        }
        long seconds = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - seconds) > MAX_SKEW.toSeconds()) {
            return Verdict.STALE;
        }
        byte[] bytes = decode(signature, 64);
        if (bytes == null) {
            return Verdict.BAD;
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            ed25519.update(body);
            return ed25519.verify(bytes) ? Verdict.VALID : Verdict.BAD;
        } catch (GeneralSecurityException e) {
            return Verdict.BAD; // a malformed signature
        }
    }

    /**
     * {@code hex} as {@code length} bytes, or null when it has another length or a character that is not a hex digit
     * (either case); the digits are decoded with arithmetic only, so the time taken does not depend on them.
     */
    static byte[] decode(String hex, int length) {
        if (hex == null || hex.length() != 2 * length) {
            return null;
        }
        byte[] out = new byte[length];
        int bad = 0;
        for (int i = 0; i < length; i++) {
            int high = nibble(hex.charAt(2 * i));
            int low = nibble(hex.charAt(2 * i + 1));
            bad |= high | low;
            out[i] = (byte) ((high << 4) | (low & 0xf));
        }
        return (bad & 0x100) == 0 ? out : null;
    }

    /** The value of a hex digit (0 to 15), or a value with bit 8 set for any other character; without branches. */
    private static int nibble(char c) {
        int lower = c | 0x20;
        int digit = (('0' - 1 - c) & (c - ('9' + 1))) >> 31; // all ones when '0' <= c <= '9'
        int letter = (('a' - 1 - lower) & (lower - ('f' + 1))) >> 31; // all ones when 'a' <= c|0x20 <= 'f'
        return (digit & (c - '0')) | (letter & (lower - 'a' + 10)) | (~(digit | letter) & 0x100);
    }
}
