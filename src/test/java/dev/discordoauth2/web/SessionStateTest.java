package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the session holds survives Java serialization, has a fixed serialVersionUID, and never prints a token. */
class SessionStateTest {
    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void principalWhenSerializedThenEqualAndNameIsId() throws Exception {
        DiscordPrincipal p = new DiscordPrincipal("80351110224678912", "nelly", "Nelly", "abc", "n@example.com", true);
        assertEquals(p, roundTrip(p));
        assertEquals("80351110224678912", p.getName());
        assertEquals("Nelly", p.displayName());
        assertEquals(1L, ObjectStreamClass.lookup(DiscordPrincipal.class).getSerialVersionUID());
    }

    @Test
    void tokensWhenSerializedThenEqualAndRedacted() throws Exception {
        DiscordTokens t = new DiscordTokens("access-secret", Instant.parse("2026-01-01T00:00:00Z"), "refresh-secret",
                List.of("identify"));
        assertEquals(t, roundTrip(t));
        assertFalse(t.toString().contains("access-secret"));
        assertFalse(t.toString().contains("refresh-secret"));
        assertEquals(1L, ObjectStreamClass.lookup(DiscordTokens.class).getSerialVersionUID());
        assertTrue(t.expiresWithin(Duration.ofMinutes(1), Instant.parse("2025-12-31T23:59:30Z")));
        assertFalse(t.expiresWithin(Duration.ofMinutes(1), Instant.parse("2025-12-31T23:58:00Z")));
    }

    @Test
    void pendingLoginsWhenSerializedThenEqualAndVerifierNotPrinted() throws Exception {
        List<PendingLogin> pending = List.of(new PendingLogin("state", "verifier-secret", "/x", "http://h/cb",
                Instant.EPOCH));
        assertEquals(pending, roundTrip(pending));
        assertFalse(pending.get(0).toString().contains("verifier-secret"));
    }

    @Test
    void loginStateWhenSerializedThenEveryValueBackAndCompact() throws Exception {
        DiscordPrincipal p = new DiscordPrincipal("80351110224678912", "nelly", "Nelly", "abc", "n@example.com", false,
                java.util.Set.of("moderator"));
        DiscordTokens t = new DiscordTokens("access-secret", Instant.parse("2026-01-01T00:00:00.123456789Z"),
                "refresh-secret", List.of("identify", "email"));
        GuildStanding g = new GuildStanding(true, java.util.Set.of("moderator"), java.util.Set.of("197038439483310086"),
                1_700_000_000_000L, 1_700_000_060_000L);
        LoginState state = new LoginState(p, t, new SessionChecks(11, 2, 33), g, 44);
        LoginState back = roundTrip(state);
        assertEquals(p, back.principal());
        assertEquals(t, back.tokens());
        assertEquals(new SessionChecks(11, 2, 33), back.checks());
        assertEquals(g, back.standing());
        assertEquals(44, back.pendingUntilMillis());
        LoginState plain = roundTrip(new LoginState(new DiscordPrincipal("80351110224678912", "nelly", null, null,
                null, null), new DiscordTokens("a", Instant.EPOCH, null, List.of("identify")),
                SessionChecks.validatedAt(Instant.EPOCH), null, 0));
        assertEquals(null, plain.standing());
        assertEquals(null, plain.principal().verified());
        assertEquals(null, plain.tokens().refreshToken());
        assertFalse(state.toString().contains("access-secret") || state.toString().contains("refresh-secret"),
                state.toString());
    }

    @Test
    void tokensAndStateWhenAskedOnEveryRequestThenExactExpiryAndOneOutcomePerState() throws Exception {
        Instant expires = Instant.parse("2026-01-01T00:00:00.123456789Z");
        DiscordTokens t = new DiscordTokens("a", expires, "r", List.of("identify"));
        DiscordPrincipal p = new DiscordPrincipal("80351110224678912", "nelly", null, null, null, null);
        LoginState state = new LoginState(p, t, SessionChecks.validatedAt(Instant.EPOCH), null, 0);
        for (Duration skew : List.of(Duration.ofMinutes(1), Duration.ZERO, Duration.ofMillis(999_999_999_999L),
                Duration.ofNanos(999_999_999), Duration.ofSeconds(1, 876_543_211), Duration.ofMinutes(-1))) {
            Instant from = expires.minus(skew);
            for (Instant now : List.of(from.minusNanos(1), from, from.plusNanos(1), expires, expires.plusSeconds(1),
                    Instant.EPOCH, from.minusSeconds(1).plusNanos(999_999_999))) {
                assertEquals(!now.plus(skew).isBefore(expires), t.expiresWithin(skew, now), skew + " at " + now);
            }
        }
        assertTrue(t.expiresWithin(Duration.ofSeconds(Instant.MAX.getEpochSecond()), Instant.EPOCH));
        assertThrows(java.time.DateTimeException.class, () -> t.expiresWithin(Duration.ofSeconds(
                Instant.MAX.getEpochSecond()), expires)); // beyond the time-line, as Instant.plus
        assertThrows(ArithmeticException.class, () -> t.expiresWithin(Duration.ofSeconds(Long.MAX_VALUE), expires));
        assertTrue(state.valid() == state.valid() && state.valid().state() == state);
        assertTrue(state.current().principal() == p && state.current().outcome() == state.valid());
        assertTrue(state.current().loggedIn());
        LoginState back = roundTrip(state);
        assertTrue(back.valid().state() == back && back.current().outcome() == back.valid());
        assertEquals(p, back.current().principal());
    }

    @Test
    void sessionAttributesWhenSerializedForIdentifyThenUnderOneKibibyte() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new DiscordPrincipal("80351110224678912", "nelly", "Nelly",
                    "8342729096ea3675442027381ff50dfe", null, null));
            out.writeObject(new DiscordTokens("6qrZcUqja7812RVdnEKjpzOL4CvHBFG", Instant.now(),
                    "D43f5y0ahjqew82jZ4NViEr2YafMKhue", List.of("identify")));
        }
        assertTrue(bytes.size() < 1024, bytes.size() + " bytes");
    }
}
