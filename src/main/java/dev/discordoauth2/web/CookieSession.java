package dev.discordoauth2.web;

import java.util.ArrayList;
import java.util.List;

/** One request's view of its cookies, as the core's session. Used on the request's thread. */
final class CookieSession implements LoginCore.Session {
    private final CookieSessions owner;
    final String id;
    LoginState state;
    List<PendingLogin> pending;
    boolean invalid;
    boolean loginChanged;
    boolean pendingChanged;

    CookieSession(CookieSessions owner, String id, LoginState state, List<PendingLogin> pending) {
        this.owner = owner;
        this.id = id;
        this.state = state;
        this.pending = pending;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Object get(String name) {
        live();
        if (LoginStates.ATTRIBUTE.equals(name)) {
            // a refresh this request joined (or one that ended since the cookie was opened) rotated the cookie's
            // tokens on this node: the request goes on with the newer state, and its answer carries it
            LoginState newer = state == null ? null : owner.newest(state);
            if (newer != state) {
                state = newer;
                loginChanged = true;
            }
            return state;
        }
        return PendingLogins.ATTRIBUTE.equals(name) && !pending.isEmpty() ? pending : null;
    }

    @Override
    public void set(String name, Object value) {
        live();
        if (LoginStates.ATTRIBUTE.equals(name) && value instanceof LoginState s) {
            owner.replaced(state, s);
            state = s;
            loginChanged = true;
        } else if (PendingLogins.ATTRIBUTE.equals(name) && value instanceof List<?> list) {
            List<PendingLogin> logins = new ArrayList<>(list.size());
            for (Object o : list) {
                logins.add((PendingLogin) o);
            }
            pending = List.copyOf(logins);
            pendingChanged = true;
        } else {
            throw new IllegalArgumentException("a login cookie keeps the login and the pending logins only: "
                    + name);
        }
    }

    @Override
    public void remove(String name) {
        live();
        if (LoginStates.ATTRIBUTE.equals(name) && state != null) {
            state = null;
            loginChanged = true;
        } else if (PendingLogins.ATTRIBUTE.equals(name) && !pending.isEmpty()) {
            pending = List.of();
            pendingChanged = true;
        }
    }

    @Override
    public int maxInactiveSeconds() {
        return owner.maxInactiveSeconds();
    }

    @Override
    public void invalidate() {
        live();
        invalid = true;
        state = null;
        pending = List.of();
        loginChanged = true;
        pendingChanged = true;
    }

    private void live() {
        if (invalid) {
            throw new IllegalStateException("the login cookie was ended in this request");
        }
    }

    @Override
    public String toString() {
        return "CookieSession[" + (state == null ? "no login" : "login") + ", " + pending.size() + " pending]";
    }
}
