package dev.discordoauth2.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyRingTest {
    private static final String KEY = "discord.token-store.keys";
    private static final String USER = "80351110224678912";

    static String newKey(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void sealWhenOpenedForTheSameUserThenThePlaintextAndNoPlaintextInTheSealedText() {
        KeyRing ring = KeyRing.parse(KEY, "k1:" + newKey(32));
        String sealed = ring.seal(USER, "access-token-abc");
        assertTrue(sealed.startsWith("k1."), sealed);
        assertEquals(3, sealed.split("\\.").length);
        assertFalse(sealed.contains("access-token-abc"));
        assertTrue(sealed.matches("[A-Za-z0-9_.-]+"), "base64url: " + sealed);
        assertEquals(Optional.of("access-token-abc"), ring.open(USER, sealed));
    }

    @Test
    void sealWhenRepeatedThenAFreshNonceEachTime() {
        KeyRing ring = KeyRing.parse(KEY, "k1:" + newKey(16));
        Set<String> nonces = new HashSet<>();
        Set<String> sealed = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String s = ring.seal(USER, "same");
            sealed.add(s);
            nonces.add(s.split("\\.")[1]);
        }
        assertEquals(50, nonces.size(), "a nonce per value");
        assertEquals(50, sealed.size());
    }

    @Test
    void openWhenSealedUnderAnOldKeyStillInTheRingThenOpensAndNewValuesUseTheFirstKey() {
        String old = "old:" + newKey(24);
        KeyRing before = KeyRing.parse(KEY, old);
        String sealedOld = before.seal(USER, "refresh-1");
        KeyRing rotated = KeyRing.parse(KEY, "new:" + newKey(32) + ", " + old);
        assertEquals(Optional.of("refresh-1"), rotated.open(USER, sealedOld));
        String sealedNew = rotated.seal(USER, "refresh-2");
        assertTrue(sealedNew.startsWith("new."), sealedNew);
        assertEquals(Optional.empty(), before.open(USER, sealedNew), "the old ring does not know the new key");
    }

    @Test
    void openWhenTheKeyWasRemovedThenAbsent() {
        KeyRing before = KeyRing.parse(KEY, "old:" + newKey(32));
        String sealed = before.seal(USER, "t");
        KeyRing after = KeyRing.parse(KEY, "new:" + newKey(32));
        assertEquals(Optional.empty(), after.open(USER, sealed));
        KeyRing sameKidOtherKey = KeyRing.parse(KEY, "old:" + newKey(32));
        assertEquals(Optional.empty(), sameKidOtherKey.open(USER, sealed), "a failed tag");
    }

    @Test
    void openWhenAnotherUserIdOrDamagedThenAbsentNeverAnException() {
        KeyRing ring = KeyRing.parse(KEY, "k:" + newKey(32));
        String sealed = ring.seal(USER, "t");
        assertEquals(Optional.empty(), ring.open("268473310986240001", sealed));
        String[] parts = sealed.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 2);
        String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        // a ciphertext cut shorter than its tag: the JDK's AES-GCM throws a ProviderException for some of these
        String truncated = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 18);
        String nonceOnly = parts[0] + "." + parts[1] + ".";
        for (String bad : new String[] {flipped, truncated, nonceOnly, "", "k", "k..", "k.!!.!!", "k.AAAA.AAAA",
                sealed + ".x", "." + sealed, sealed.substring(0, sealed.length() - 1) + "\u00e9",
                sealed.substring(0, sealed.length() - 1) + "\u20ac", null}) {
            assertEquals(Optional.empty(), ring.open(USER, bad), String.valueOf(bad));
        }
    }

    @Test
    void openBytesWhenTheValueStartsAfterAPrefixThenOpensFromThereAndTheAssociatedDataMustMatch() {
        KeyRing ring = KeyRing.parse(KEY, "k:" + newKey(32));
        byte[] data = "discord-oauth2 cookie v1 DISCORD_LOGIN".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String value = "1." + ring.sealBytes(data, new byte[] {1, 2, 3});
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), ring.openBytes(data, value, 2).map(b -> List.of(b[0],
                b[1], b[2])).orElseThrow());
        assertEquals(Optional.empty(), ring.openBytes(data, value, 0).map(List::of)); // "1" is no kid of this ring
        byte[] other = "discord-oauth2 cookie v1 DISCORD_PENDING".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), ring.openBytes(other, value, 2).map(List::of));
    }

    @Test
    void parseWhenInvalidThenOneLineWithoutTheKeyMaterial() {
        String secret = newKey(20);
        for (String text : new String[] {"k:" + secret, "nokid", ":" + newKey(32), "a.b:" + newKey(32),
            "k:not base64!", "k:" + newKey(32) + " k:" + newKey(32)}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> KeyRing.parse(KEY, text));
            assertTrue(e.getMessage().startsWith(KEY + " is invalid: expected "), e.getMessage());
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void toStringWhenPrintedThenKidsOnly() {
        String k1 = newKey(32);
        String k2 = newKey(16).replace('+', '-').replace('/', '_');
        KeyRing ring = KeyRing.parse(KEY, "a:" + k1 + ",b:" + k2);
        assertEquals(java.util.List.of("a", "b"), ring.kids());
        assertFalse(ring.toString().contains(k1));
        assertFalse(ring.toString().contains(k2));
        assertNotEquals(ring.seal(USER, "x"), ring.seal(USER, "x"));
    }

    @Test
    void openWhenADamagedValueWasOpenedBeforeOnTheSameThreadThenTheNextValuesStillOpenAndSeal() {
        KeyRing ring = KeyRing.parse(KEY, "new:" + newKey(32) + ", old:" + newKey(16));
        String old = KeyRing.parse(KEY, "old:" + newKey(16)).seal(USER, "x");
        String sealed = ring.seal(USER, "first");
        char[] damaged = sealed.toCharArray();
        damaged[damaged.length - 5] = damaged[damaged.length - 5] == 'A' ? 'B' : 'A';
        assertEquals(Optional.empty(), ring.open(USER, new String(damaged))); // the thread's cipher failed its tag
        assertEquals(Optional.empty(), ring.open(USER, old)); // same kid, another key: fails its tag too
        assertEquals(Optional.of("first"), ring.open(USER, sealed));
        String second = ring.seal(USER, "second");
        assertEquals(Optional.of("second"), ring.open(USER, second));
        assertEquals(Optional.empty(), ring.open("another-user", second));
        assertEquals(Optional.of("second"), ring.open(USER, second));
    }

    @Test
    void sealWhenManyThreadsSealAndOpenUnderTwoKeysAtOnceThenEveryValueOpensToItsOwnPlaintext() throws Exception {
        String oldKey = "old:" + newKey(16);
        KeyRing before = KeyRing.parse(KEY, oldKey);
        KeyRing ring = KeyRing.parse(KEY, "new:" + newKey(32) + ", " + oldKey);
        int threads = 8;
        int values = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Set<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    Set<String> sealedValues = new HashSet<>();
                    for (int i = 0; i < values; i++) {
                        String plaintext = "t" + thread + "-v" + i;
                        // alternate the keys on one thread: the old one opens, the new one seals
                        String sealed = i % 2 == 0 ? ring.seal(USER + thread, plaintext)
                                : before.seal(USER + thread, plaintext);
                        if (!Optional.of(plaintext).equals(ring.open(USER + thread, sealed))) {
                            throw new AssertionError("value " + i + " of thread " + thread + " did not open");
                        }
                        sealedValues.add(sealed.split("\\.")[1]);
                    }
                    return sealedValues;
                }));
            }
            start.countDown();
            Set<String> nonces = new HashSet<>();
            for (Future<Set<String>> result : results) {
                nonces.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(threads * values, nonces.size(), "a fresh nonce for every value on every thread");
        } finally {
            pool.shutdownNow();
        }
    }
}
