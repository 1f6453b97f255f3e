package dev.discordoauth2.testkit;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link HttpSession} in memory, for unit tests of servlets without a container: attributes, an id, creation and
 * access times, a max inactive interval, and {@link #invalidate()} (after which every call but {@link #isValid()} and
 * {@link #getId()} throws {@code IllegalStateException}, as a container's does). No listeners are told. Give it a
 * {@code DiscordTestLogin} with {@code DiscordTestLogin.into(session)}. Thread-safe.
 */
public final class TestSession implements HttpSession {
    private final String id = UUID.randomUUID().toString().replace("-", "");
    private final long created = System.currentTimeMillis();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final ServletContext context;
    private volatile int maxInactiveInterval = 1800;
    private volatile boolean valid = true;
    private volatile boolean isNew = true;

    /** A session of no application ({@link #getServletContext()} null). */
    public TestSession() {
        this(null);
    }

    /** A session of the application of {@code context}. */
    public TestSession(ServletContext context) {
        this.context = context;
    }

    private void check() {
        if (!valid) {
            throw new IllegalStateException("the session " + id + " has been invalidated");
        }
    }

    public boolean isValid() {
        return valid;
    }

    /** Marks the session as not new, as a container does once the browser sent it back. */
    public TestSession notNew() {
        isNew = false;
        return this;
    }

    @Override
    public long getCreationTime() {
        check();
        return created;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public long getLastAccessedTime() {
        check();
        return created;
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        maxInactiveInterval = interval;
    }

    @Override
    public int getMaxInactiveInterval() {
        return maxInactiveInterval;
    }

    @Override
    public Object getAttribute(String name) {
        check();
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        check();
        return Collections.enumeration(java.util.List.copyOf(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object value) {
        check();
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void removeAttribute(String name) {
        check();
        attributes.remove(name);
    }

    @Override
    public void invalidate() {
        check();
        valid = false;
        attributes.clear();
    }

    @Override
    public boolean isNew() {
        check();
        return isNew;
    }

    @Override
    public String toString() {
        return "TestSession[" + id + (valid ? "" : ", invalidated") + ", " + attributes.keySet() + "]";
    }
}
