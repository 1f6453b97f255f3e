package dev.discordoauth2;

import dev.discordoauth2.AuthorizeRequest.Pkce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PkceTest {
    @Test
    void ofWhenRfc7636AppendixBVerifierThenPublishedChallenge() {
        Pkce pkce = Pkce.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", pkce.challenge());
        assertEquals("S256", pkce.method());
    }

    @Test
    void generateWhenCalledThenFresh43CharacterVerifierAndMatchingChallenge() {
        Pkce a = Pkce.generate();
        Pkce b = Pkce.generate();
        assertEquals(43, a.verifier().length());
        assertTrue(a.verifier().matches("[A-Za-z0-9_-]{43}"));
        assertEquals(Pkce.challenge(a.verifier()), a.challenge());
        assertNotEquals(a.verifier(), b.verifier());
    }

    @Test
    void constructorWhenVerifierInvalidOrChallengeMismatchedThenRejected() {
        assertThrows(IllegalArgumentException.class, () -> Pkce.of("short"));
        assertThrows(IllegalArgumentException.class, () -> Pkce.of("x".repeat(129)));
        assertThrows(IllegalArgumentException.class, () -> Pkce.of("a".repeat(42) + " "));
        assertThrows(IllegalArgumentException.class, () -> new Pkce("a".repeat(43), "wrong"));
    }

    @Test
    void toStringWhenCalledThenVerifierLeftOut() {
        Pkce pkce = Pkce.generate();
        assertFalse(pkce.toString().contains(pkce.verifier()));
    }
}
