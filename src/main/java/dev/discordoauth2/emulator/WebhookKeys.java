package dev.discordoauth2.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The emulator's Ed25519 key pair, standing in for the application's key of Discord's developer portal: it signs each
 * webhook event as Discord does (the signature over {@code timestamp + body}), and publishes its public key as
 * Discord shows it, the 32 raw bytes in hex. Made with the JDK's own {@code Ed25519}; from a 32-byte seed (the RFC
 * 8032 private key) for reproducible tests, else at random. Thread-safe: each signing uses its own
 * {@link Signature}.
 */
final class WebhookKeys {
    /** The length of the DER prefix of an X.509-encoded Ed25519 public key (RFC 8410), before the 32 key bytes. */
    private static final int X509_PREFIX = 12;

    private final KeyPair pair;
    private final String publicKeyHex;

    private WebhookKeys(KeyPair pair) {
        this.pair = pair;
        byte[] encoded = pair.getPublic().getEncoded();
        this.publicKeyHex = HexFormat.of().formatHex(Arrays.copyOfRange(encoded, X509_PREFIX, encoded.length));
    }

    /** A key pair from {@code seed} (32 bytes, the private key), or a random one when {@code seed} is null. */
    static WebhookKeys of(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            if (seed != null) {
                generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            }
            return new WebhookKeys(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** The public key as Discord's developer portal shows it: 64 lowercase hex digits. */
    String publicKeyHex() {
        return publicKeyHex;
    }

    /** The hex signature of {@code timestamp + body}, as {@code X-Signature-Ed25519} carries it. */
    String sign(String timestamp, byte[] body) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(pair.getPrivate());
            signature.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signature.update(body);
            return HexFormat.of().formatHex(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519", e);
        }
    }

    /** Gives the key generator exactly the seed as its 32 random bytes, so that the seed is the private key. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedBytes(byte[] seed) {
            if (seed.length != 32) {
                throw new IllegalArgumentException("an Ed25519 seed is 32 bytes: " + seed.length);
            }
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 generator asked for " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
