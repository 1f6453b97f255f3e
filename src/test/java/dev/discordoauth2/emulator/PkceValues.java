package dev.discordoauth2.emulator;

/** A PKCE pair from RFC 7636 Appendix B, to check the emulator's S256 against a published vector. */
final class PkceValues {
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private PkceValues() {
    }
}
