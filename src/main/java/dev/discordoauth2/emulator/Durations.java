package dev.discordoauth2.emulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads the durations the command line and the admin API take: ISO-8601 ({@code PT30S}) or plain seconds. */
final class Durations {

    private Durations() {
    }

    /**
     * {@code "PT30S"}, {@code "P1D"}, {@code "30"} or {@code "0.5"} (seconds). Not negative.
     *
     * @throws IllegalArgumentException when the text is neither
     */
    static Duration parse(String text) {
        String value = text.trim();
        Duration duration;
        if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                duration = Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: " + text);
            }
        } else {
            duration = seconds(value, text);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + text);
        }
        return duration;
    }

    /** Seconds, possibly with a fraction (nanosecond precision). */
    static Duration ofSeconds(BigDecimal seconds) {
        BigDecimal nanos = seconds.movePointRight(9);
        if (nanos.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("duration too long: " + seconds.toPlainString());
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static Duration seconds(String value, String original) {
        if (!value.matches("\\d{1,12}(\\.\\d{1,9})?")) {
            throw new IllegalArgumentException("not a duration (ISO-8601 like PT30S, or seconds): " + original);
        }
        return ofSeconds(new BigDecimal(value));
    }
}
