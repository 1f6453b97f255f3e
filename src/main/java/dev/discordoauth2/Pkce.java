package dev.discordoauth2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PKCE (RFC 7636) pair: a random {@code code_verifier} kept by the application and its S256
 * {@code code_challenge} sent in the authorize URL. Discord accepts only {@code S256}. {@link #toString()} leaves the
 * verifier out. Immutable and thread-safe.
 *
 * @param verifier  43–128 characters of {@code [A-Za-z0-9-._~]}
 * @param challenge {@code BASE64URL(SHA-256(verifier))} without padding
 */
public record Pkce(String verifier, String challenge) {
    private static final Pattern VERIFIER = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    public Pkce {
        Objects.requireNonNull(verifier, "verifier must not be null");
        if (!VERIFIER.matcher(verifier).matches()) {
            throw new IllegalArgumentException("verifier must be 43-128 characters of [A-Za-z0-9-._~]");
        }
        if (!challenge(verifier).equals(challenge)) {
            throw new IllegalArgumentException("challenge must be the S256 challenge of the verifier");
        }
    }

    /** A fresh pair from 32 random bytes (a 43-character verifier, 256 bits). */
    public static Pkce generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The pair for a verifier kept from an earlier {@link #generate()}. */
    public static Pkce of(String verifier) {
        return new Pkce(verifier, challenge(verifier));
    }

    /** {@code S256}, the only method Discord supports. */
    public String method() {
        return "S256";
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "Pkce[challenge=" + challenge + ", verifier=(redacted)]";
    }
}
