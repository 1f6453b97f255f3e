package dev.discordoauth2.emulator;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Snowflake ids and random opaque strings (tokens, codes) for the emulator. Thread-safe. */
final class Snowflakes {
    static final long DISCORD_EPOCH = 1420070400000L;
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger INCREMENT = new AtomicInteger();

    private Snowflakes() {
    }

    static void require(String id, String what) {
        if (id == null || !id.matches("[0-9]{1,20}")) {
            throw new IllegalArgumentException(what + " must be a snowflake (a decimal string): " + id);
        }
    }

    static boolean isSnowflake(String s) {
        return s != null && s.matches("[0-9]{1,20}");
    }

    static String next(long epochMillis) {
        long value = ((epochMillis - DISCORD_EPOCH) << 22) | (INCREMENT.getAndIncrement() & 0xFFF);
        return Long.toUnsignedString(value);
    }

    /** A random string of the given length from {@code [A-Za-z0-9]}, like Discord's tokens and codes. */
    static String opaque(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)];
        }
        return new String(chars);
    }
}
