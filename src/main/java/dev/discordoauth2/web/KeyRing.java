package dev.discordoauth2.web;

import static dev.discordoauth2.web.Key.invalid;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys token values are sealed under at rest ({@code discord.token-store.keys = kid:base64key, kid2:base64key}):
 * AES-GCM with a fresh 96-bit nonce per value and the Discord user id as associated data, so a sealed value copied to
 * another user's row does not open. The first key seals; every key opens, so a new key is put first and the old one
 * stays until nothing sealed under it is left: keys rotate without logging anyone out. A sealed value reads
 * {@code kid.nonce.ciphertext} (base64url, no padding). {@link #open} answers {@link Optional#empty()} for a value
 * sealed under a key no longer in the ring, a wrong user id or a damaged value: the caller treats the tokens as absent
 * (the user logs in again), never as an error. No key appears in {@link #toString()} or in any message (the parse
 * errors name the entry's position and kid only). Immutable and thread-safe: each thread seals and opens with a cipher
 * of its own, kept between calls and initialised anew, with its own nonce, for every value.
 */
final class KeyRing {
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /**
     * One AES-GCM cipher per thread, kept between values: {@link Cipher#getInstance} (the provider lookup) and the AES
     * key expansion, which the JDK's cipher redoes only when the key changes, were most of a cookie-mode request's
     * cost when each value made its own. Every use starts with {@code init}, so nothing of one value carries over to
     * the next (the JDK refuses an encryption {@code init} that repeats the previous key and nonce). A plain
     * {@link ThreadLocal} holding a JDK object only, so a pooled thread keeps no class of this application alive.
     */
    private static final ThreadLocal<Cipher> CIPHERS = new ThreadLocal<>();

    /** By kid, the sealing key first. */
    private final Map<String, SecretKey> keys;
    private final String sealingKid;

    private KeyRing(Map<String, SecretKey> keys) {
        this.keys = Collections.unmodifiableMap(keys);
        this.sealingKid = keys.keySet().iterator().next();
    }

    /**
     * Parses {@code kid:base64key, kid2:base64key} (commas or whitespace between entries; a kid is 1 to 32 letters,
     * digits, {@code _} or {@code -}; a key is 16, 24 or 32 bytes in base64 or base64url). A {@link Key.Parser}.
     *
     * @throws IllegalStateException "{@code key} is invalid: expected ...", without the key material
     */
    static KeyRing parse(String key, String text) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        int position = 0;
        for (String entry : text.trim().split("[\\s,]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            position++;
            int colon = entry.indexOf(':');
            String kid = colon < 0 ? "" : entry.substring(0, colon);
            if (!KID.matcher(kid).matches()) {
                throw invalid(key, "entries 'kid:base64key' (entry " + position + " has no kid of letters, digits, "
                        + "_ or -, at most 32)");
            }
            if (keys.containsKey(kid)) {
                throw invalid(key, "each kid once ('" + kid + "' is given twice)");
            }
            byte[] bytes = decodeKey(entry.substring(colon + 1));
            if (bytes == null || !(bytes.length == 16 || bytes.length == 24 || bytes.length == 32)) {
                throw invalid(key, "an AES key of 16, 24 or 32 bytes in base64 after '" + kid + ":' (for example "
                        + "from: openssl rand -base64 32)");
            }
            keys.put(kid, new SecretKeySpec(bytes, "AES"));
        }
        if (keys.isEmpty()) {
            throw invalid(key, "at least one entry 'kid:base64key'");
        }
        return new KeyRing(keys);
    }

    private static byte[] decodeKey(String text) {
        try {
            return text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The kids, the sealing one first. */
    List<String> kids() {
        return List.copyOf(new ArrayList<>(keys.keySet()));
    }

    /** {@code plaintext} sealed under the first key for {@code userId}: {@code kid.nonce.ciphertext}. */
    String seal(String userId, String plaintext) {
        return sealBytes(userId.getBytes(StandardCharsets.UTF_8), plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code plaintext} sealed under the first key with {@code associated} data: {@code kid.nonce.ciphertext}. */
    String sealBytes(String associated, byte[] plaintext) {
        return sealBytes(associated.getBytes(StandardCharsets.UTF_8), plaintext);
    }

    /** {@link #sealBytes(String, byte[])} with the associated data's bytes. */
    String sealBytes(byte[] associated, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher();
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(sealingKid), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated);
            byte[] sealed = cipher.doFinal(plaintext);
            return sealingKid + "." + ENCODER.encodeToString(nonce) + "." + ENCODER.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            // AES-GCM is in every Java SE runtime: this is a broken runtime, not a bad value
            CIPHERS.remove();
            throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getName());
        }
    }

    /**
     * The plaintext of a value {@link #seal sealed} for {@code userId}, or empty: the kid is not in the ring, the value
     * is damaged, or it was sealed for another user. Never throws for a bad value.
     */
    Optional<String> open(String userId, String sealed) {
        if (userId == null) {
            return Optional.empty();
        }
        return openBytes(userId.getBytes(StandardCharsets.UTF_8), sealed, 0)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** The plaintext of a value {@link #sealBytes sealed} with {@code associated} data, or empty; never throws. */
    Optional<byte[]> openBytes(String associated, String sealed) {
        return associated == null ? Optional.empty()
                : openBytes(associated.getBytes(StandardCharsets.UTF_8), sealed, 0);
    }

    /**
     * The plaintext of the sealed value that starts at {@code from} in {@code text} (a cookie's value after its
     * prefix), or empty; never throws. The parts are found and decoded in place: one request's cookie is opened
     * without copying it piece by piece.
     */
    Optional<byte[]> openBytes(byte[] associated, String text, int from) {
        if (text == null) {
            return Optional.empty();
        }
        int dot = text.indexOf('.', from);
        int dot2 = dot < 0 ? -1 : text.indexOf('.', dot + 1);
        if (dot2 < 0 || text.indexOf('.', dot2 + 1) >= 0) {
            return Optional.empty();
        }
        SecretKey key = keys.get(text.substring(from, dot));
        if (key == null) {
            return Optional.empty();
        }
        try {
            byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer nonce = DECODER.decode(ByteBuffer.wrap(ascii, dot + 1, dot2 - dot - 1));
            if (nonce.remaining() != NONCE_BYTES) {
                return Optional.empty();
            }
            ByteBuffer ciphertext = DECODER.decode(ByteBuffer.wrap(ascii, dot2 + 1, ascii.length - dot2 - 1));
            if (ciphertext.remaining() < TAG_BITS / 8) {
                return Optional.empty(); // shorter than its tag: truncated
            }
            Cipher cipher = cipher();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce.array(),
                    nonce.arrayOffset() + nonce.position(), NONCE_BYTES));
            cipher.updateAAD(associated);
            return Optional.of(cipher.doFinal(ciphertext.array(), ciphertext.arrayOffset() + ciphertext.position(),
                    ciphertext.remaining()));
        } catch (GeneralSecurityException | IllegalArgumentException | java.security.ProviderException e) {
            // ProviderException: the JDK's AES-GCM reports some damaged inputs this way
            return Optional.empty();
        }
    }

    /** This thread's cipher, made on its first use. */
    private static Cipher cipher() throws GeneralSecurityException {
        Cipher cipher = CIPHERS.get();
        if (cipher == null) {
            cipher = Cipher.getInstance(CIPHER);
            CIPHERS.set(cipher);
        }
        return cipher;
    }

    /** The kids only, never a key. */
    @Override
    public String toString() {
        return "KeyRing" + kids() + " (sealing under " + sealingKid + ")";
    }
}
