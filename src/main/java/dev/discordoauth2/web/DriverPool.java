package dev.discordoauth2.web;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A minimal connection pool over {@link DriverManager} for {@code discord.token-store.jdbc-url}: at most
 * {@code max} connections open at once (a caller waits up to {@code wait} seconds for one, then gets an
 * {@link SQLException}), idle ones kept and checked with {@link Connection#isValid} before they are handed out again.
 * It is small on purpose — the token store needs a few short transactions — and has no eviction, metrics or
 * statement cache: in production give the store the container's DataSource ({@code discord.token-store.datasource},
 * a JNDI name) instead. Neither the password nor the URL's
 * parameters are in a message or {@link #toString()}. Thread-safe.
 */
final class DriverPool implements DataSource, AutoCloseable {
    private static final int VALIDATION_SECONDS = 2;

    private final String url;
    /** The URL without its parameters (which may hold a password): for messages. */
    private final String where;
    private final int max;
    private final String user;
    private final String password;
    private final Semaphore permits;
    private final long waitSeconds;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private volatile boolean closed;

    DriverPool(String url, String user, String password, int max, long waitSeconds) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max);
        }
        this.url = url;
        this.where = url.split("[?;]", 2)[0];
        this.max = max;
        this.user = user;
        this.password = password;
        this.permits = new Semaphore(max, true);
        this.waitSeconds = waitSeconds;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new SQLException("the token store's connection pool is closed");
        }
        try {
            if (!permits.tryAcquire(waitSeconds, TimeUnit.SECONDS)) {
                throw new SQLException("no connection to " + where + " free within " + waitSeconds + " s (the pool "
                        + "opens at most " + max + ")", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted waiting for a connection", e);
        }
        try {
            return wrap(validIdleOrNew());
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection validIdleOrNew() throws SQLException {
        while (true) {
            Connection c;
            synchronized (idle) {
                c = idle.pollFirst();
            }
            if (c == null) {
                return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user,
                        password);
            }
            if (isValid(c)) {
                return c;
            }
            quietlyClose(c);
        }
    }

    private static boolean isValid(Connection c) {
        try {
            return !c.isClosed() && c.isValid(VALIDATION_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A connection whose {@code close()} gives the real one back to the pool (reset) once. */
    private Connection wrap(Connection real) {
        InvocationHandler handler = new InvocationHandler() {
            private boolean returned;

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "close":
                        synchronized (this) {
                            if (!returned) {
                                returned = true;
                                giveBack(real);
                            }
                        }
                        return null;
                    case "isClosed":
                        synchronized (this) {
                            if (returned) {
                                return true;
                            }
                        }
                        break;
                    case "unwrap":
                        if (((Class<?>) args[0]).isInstance(proxy)) {
                            return proxy;
                        }
                        break;
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return "pooled connection to " + where;
                    default:
                        break;
                }
                synchronized (this) {
                    if (returned) {
                        throw new SQLException("the connection was closed");
                    }
                }
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    private void giveBack(Connection real) {
        try {
            boolean reusable = !closed && !real.isClosed();
            if (reusable && !real.getAutoCommit()) {
                real.rollback();
                real.setAutoCommit(true);
            }
            if (reusable) {
                synchronized (idle) {
                    idle.addFirst(real);
                }
            } else {
                quietlyClose(real);
            }
        } catch (SQLException e) {
            quietlyClose(real);
        } finally {
            permits.release();
        }
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // a broken connection: dropped
        }
    }

    /** Closes the idle connections; those in use close when they are given back. */
    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(DriverPool::quietlyClose);
            idle.clear();
        }
    }

    /** How many connections are idle (tests). */
    int idleCount() {
        synchronized (idle) {
            return idle.size();
        }
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool connects as discord.token-store.jdbc-user only");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // DriverManager's log writer is used
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "DriverPool[" + where + (user == null ? "" : ", user " + user) + "]";
    }
}
