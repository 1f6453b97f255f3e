package dev.discordoauth2.servlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What is logged through the JDK's logging while a test runs an action (the test and an embedded container share the
 * JVM): a handler on the root logger keeps the records of the loggers under a prefix ({@code dev.discordoauth2}: the
 * library's; {@code ""}: everything, the container's too). Not thread-safe to set up; the records list is.
 */
final class LogCapture implements AutoCloseable {
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final String prefix;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String name = record.getLoggerName() == null ? "" : record.getLoggerName();
            if (name.startsWith(prefix)) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String prefix) {
        this.prefix = prefix;
        Logger.getLogger("").addHandler(handler);
    }

    /** Starts capturing the library's records; {@link #close()} stops. */
    static LogCapture start() {
        return new LogCapture("dev.discordoauth2");
    }

    /** The library's records while {@code action} ran. */
    static List<LogRecord> during(Runnable action) {
        return during("dev.discordoauth2", action);
    }

    /** Every logger's records (the container's too) while {@code action} ran. */
    static List<LogRecord> duringAll(Runnable action) {
        return during("", action);
    }

    private static List<LogRecord> during(String prefix, Runnable action) {
        try (LogCapture capture = new LogCapture(prefix)) {
            action.run();
            return capture.records();
        }
    }

    List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
