package dev.discordoauth2.servlet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import org.eclipse.jetty.util.ClassLoadingObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.SessionData;

/**
 * A session data store that several Jetty servers in one JVM share, as nodes share a database: every session is kept
 * serialized (as a JDBC store keeps it), so each load gives a node its own copy and a write replaces the whole
 * session. A test fake at the container's edge, for the in-JVM cluster test. Thread-safe.
 */
final class SharedSessionStore extends AbstractSessionDataStore {
    private record Row(byte[] attributes, long created, long accessed, long lastAccessed, long maxInactive,
            long expiry, long cookieSet, String lastNode, long lastSaved) {
    }

    private final Map<String, Row> rows;
    /** Writes kept back from {@link #rows} while {@link #holdWrites()} is on: this node's writes are late. */
    private final Map<String, Row> held = new ConcurrentHashMap<>();
    private volatile boolean holding;

    SharedSessionStore(Map<String, ?> shared) {
        @SuppressWarnings("unchecked")
        Map<String, Row> map = (Map<String, Row>) shared;
        this.rows = map;
    }

    /** The map the nodes share. */
    static Map<String, ?> newShared() {
        return new ConcurrentHashMap<String, Row>();
    }

    @Override
    public boolean doExists(String id) {
        Row row = rows.get(id);
        return row != null && (row.expiry() <= 0 || row.expiry() > System.currentTimeMillis());
    }

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            SessionData.serializeAttributes(data, out);
        }
        Row row = new Row(bytes.toByteArray(), data.getCreated(), data.getAccessed(), data.getLastAccessed(),
                data.getMaxInactiveMs(), data.getExpiry(), data.getCookieSet(), data.getLastNode(),
                data.getLastSaved());
        (holding ? held : rows).put(id, row);
    }

    /** From now on this node's writes do not reach the shared store until {@link #releaseWrites()}. */
    void holdWrites() {
        holding = true;
    }

    /** This node's kept-back writes reach the shared store; later writes go there directly again. */
    void releaseWrites() {
        holding = false;
        rows.putAll(held);
        held.clear();
    }

    @Override
    public SessionData doLoad(String id) throws Exception {
        Row row = rows.get(id);
        if (row == null) {
            return null;
        }
        SessionData data = newSessionData(id, row.created(), row.accessed(), row.lastAccessed(), row.maxInactive());
        data.setExpiry(row.expiry());
        data.setCookieSet(row.cookieSet());
        data.setLastNode(row.lastNode());
        data.setLastSaved(row.lastSaved());
        try (ObjectInputStream in = new ClassLoadingObjectInputStream(new ByteArrayInputStream(row.attributes()))) {
            SessionData.deserializeAttributes(data, in);
        }
        return data;
    }

    @Override
    public boolean delete(String id) {
        return rows.remove(id) != null;
    }

    @Override
    public Set<String> doCheckExpired(Set<String> candidates, long time) {
        Set<String> expired = new HashSet<>();
        for (String id : candidates) {
            Row row = rows.get(id);
            if (row == null || (row.expiry() > 0 && row.expiry() <= time)) {
                expired.add(id);
            }
        }
        return expired;
    }

    @Override
    public Set<String> doGetExpired(long time) {
        Set<String> expired = new HashSet<>();
        rows.forEach((id, row) -> {
            if (row.expiry() > 0 && row.expiry() <= time) {
                expired.add(id);
            }
        });
        return expired;
    }

    @Override
    public void doCleanOrphans(long time) {
        rows.values().removeIf(row -> row.expiry() > 0 && row.expiry() <= time);
    }

    @Override
    public boolean isPassivating() {
        return true;
    }
}
