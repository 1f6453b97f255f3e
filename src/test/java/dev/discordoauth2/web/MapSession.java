package dev.discordoauth2.web;

import java.util.HashMap;
import java.util.Map;

/** A session held in a map, for the unit tests of the login's rules (no container). Thread-safe for attributes. */
final class MapSession implements LoginCore.Session {
    private String id;
    private final Map<String, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();
    private int maxInactive = 1800;
    private volatile boolean invalid;

    MapSession(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        check();
        return id;
    }

    @Override
    public Object get(String name) {
        check();
        return attributes.get(name);
    }

    @Override
    public void set(String name, Object value) {
        check();
        attributes.put(name, value);
    }

    @Override
    public void remove(String name) {
        check();
        attributes.remove(name);
    }

    @Override
    public int maxInactiveSeconds() {
        check();
        return maxInactive;
    }

    void maxInactiveSeconds(int seconds) {
        maxInactive = seconds;
    }

    @Override
    public void invalidate() {
        check();
        invalid = true;
        attributes.clear();
    }

    boolean invalid() {
        return invalid;
    }

    void changeId(String newId) {
        id = newId;
    }

    Map<String, Object> attributes() {
        return attributes;
    }

    private void check() {
        if (invalid) {
            throw new IllegalStateException("the session was invalidated");
        }
    }
}
