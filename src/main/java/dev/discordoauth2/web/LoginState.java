package dev.discordoauth2.web;

import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The session's login, in one session attribute, replaced as a whole whenever any part of it changes: the user
 * ({@link DiscordPrincipal}), the tokens ({@link DiscordTokens}), the times of the checks with Discord
 * ({@link SessionChecks}), the user's standing in the required servers ({@link GuildStanding}, null without
 * Discord-native authorization), and until when other tabs' superseded pending logins may still come back (epoch
 * milliseconds, 0 for none; then they leave the session). A request reads it once; the groups of the user and
 * the request's outcome are made once per state, not per request. Serializable for session stores in a compact form of its own
 * ({@link Serialized}: the values only, no class descriptions of the parts), so that a session stays small in a
 * persistent or shared store. Immutable and thread-safe.
 */
final class LoginState implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final DiscordPrincipal principal;
    private final DiscordTokens tokens;
    private final SessionChecks checks;
    private final GuildStanding standing;
    private final long pendingUntilMillis;
    /** This state as the outcome of a request whose tokens are valid, and as that request's login: made once. */
    private final transient TokenOutcome.Valid valid;
    private final transient RequestLogin current;
    /**
     * The groups, with the roles configuration they were computed for; on first use (never serialized). Shared by the
     * states made from this one that keep its principal and scopes (all the groups depend on), so a new state per
     * request (the shared token store's tokens for the request, new checks, a refresh) does not compute them again.
     */
    private final transient GroupsCache groups;

    private record Groups(Roles roles, Set<String> groups) {
    }

    private static final class GroupsCache {
        volatile Groups value;
    }

    LoginState(DiscordPrincipal principal, DiscordTokens tokens, SessionChecks checks, GuildStanding standing,
            long pendingUntilMillis) {
        this(principal, tokens, checks, standing, pendingUntilMillis, new GroupsCache());
    }

    private LoginState(DiscordPrincipal principal, DiscordTokens tokens, SessionChecks checks, GuildStanding standing,
            long pendingUntilMillis, GroupsCache groups) {
        this.groups = groups;
        this.principal = Objects.requireNonNull(principal, "principal must not be null");
        this.tokens = Objects.requireNonNull(tokens, "tokens must not be null");
        this.checks = Objects.requireNonNull(checks, "checks must not be null");
        this.standing = standing;
        this.pendingUntilMillis = pendingUntilMillis;
        this.valid = new TokenOutcome.Valid(this);
        this.current = new RequestLogin(principal, valid);
    }

    DiscordPrincipal principal() {
        return principal;
    }

    DiscordTokens tokens() {
        return tokens;
    }

    SessionChecks checks() {
        return checks;
    }

    /** The standing in the required servers, or null without Discord-native authorization. */
    GuildStanding standing() {
        return standing;
    }

    long pendingUntilMillis() {
        return pendingUntilMillis;
    }

    /** This state as a request's outcome when its tokens are valid (one object per state, not per request). */
    TokenOutcome.Valid valid() {
        return valid;
    }

    /** The login of a request whose outcome is {@link #valid()} (one object per state, not per request). */
    RequestLogin current() {
        return current;
    }

    /**
     * This state without the token values, for a session whose tokens are in the shared token store: the expiry and
     * scopes stay, the access token is empty and the refresh token absent ({@link #holdsTokens()} is false).
     */
    LoginState withoutTokenValues() {
        if (!holdsTokens()) {
            return this;
        }
        return new LoginState(principal, new DiscordTokens("", tokens.expiresAt(), null, tokens.scopes()), checks,
                standing, pendingUntilMillis, groups);
    }

    /** Whether this state carries token values (false in a session whose tokens are in the shared store). */
    boolean holdsTokens() {
        return !tokens.accessToken().isEmpty();
    }

    LoginState withTokens(DiscordTokens newTokens, SessionChecks newChecks) {
        return new LoginState(principal, newTokens, newChecks, standing, pendingUntilMillis,
                newTokens.scopes().equals(tokens.scopes()) ? groups : new GroupsCache());
    }

    LoginState withChecks(SessionChecks newChecks) {
        return new LoginState(principal, tokens, newChecks, standing, pendingUntilMillis, groups);
    }

    /** With a new standing; the principal's server roles follow it. */
    LoginState withStanding(GuildStanding newStanding) {
        DiscordPrincipal p = newStanding == null || principal.guildRoles().equals(newStanding.roles()) ? principal
                : principal.withGuildRoles(newStanding.roles());
        return new LoginState(p, tokens, checks, newStanding, pendingUntilMillis);
    }

    LoginState withPendingUntil(long millis) {
        return new LoginState(principal, tokens, checks, standing, millis, groups);
    }

    /** The user's groups under the application's {@code roles}, computed once per state. */
    Set<String> groups(Roles roles) {
        Groups known = groups.value;
        if (known != null && known.roles() == roles) {
            return known.groups();
        }
        Set<String> computed = roles.of(principal, tokens);
        groups.value = new Groups(roles, computed);
        return computed;
    }

    @Override
    public String toString() {
        return "LoginState[user=" + principal.id() + ", " + tokens + ", " + checks + "]";
    }

    @Serial
    private Object writeReplace() {
        return new Serialized(this);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a LoginState is read through its serial form");
    }

    /**
     * The serial form of a {@link LoginState}: a version, then each value in a fixed order (strings with a presence
     * flag, times as epoch values). Holds tokens as the session does; never logged. Not for use outside serialization.
     */
    static final class Serialized implements Externalizable {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final int VERSION = 1;

        private LoginState state;

        /** For deserialization only. */
        public Serialized() {
        }

        Serialized(LoginState state) {
            this.state = state;
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            write(out, state);
        }

        /** {@code state} in the serial form, to any data output (the sealed cookie's too). */
        static void write(java.io.DataOutput out, LoginState state) throws IOException {
            out.writeByte(VERSION);
            DiscordPrincipal p = state.principal;
            out.writeUTF(p.id());
            out.writeUTF(p.username());
            writeNullable(out, p.globalName());
            writeNullable(out, p.avatar());
            writeNullable(out, p.email());
            out.writeByte(p.verified() == null ? 0 : p.verified() ? 1 : 2);
            writeStrings(out, p.guildRoles());
            DiscordTokens t = state.tokens;
            out.writeUTF(t.accessToken());
            out.writeLong(t.expiresAt().getEpochSecond());
            out.writeInt(t.expiresAt().getNano());
            writeNullable(out, t.refreshToken());
            writeStrings(out, t.scopes());
            SessionChecks c = state.checks;
            out.writeLong(c.validated());
            out.writeInt(c.failures());
            out.writeLong(c.notBefore());
            GuildStanding g = state.standing;
            out.writeBoolean(g != null);
            if (g != null) {
                out.writeBoolean(g.admitted());
                writeStrings(out, g.roles());
                writeStrings(out, g.memberOf());
                out.writeLong(g.checkedAtMillis());
                out.writeLong(g.retryAtMillis());
            }
            out.writeLong(state.pendingUntilMillis);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            state = read(in);
        }

        /** A state in the serial form, from any data input. */
        static LoginState read(java.io.DataInput in) throws IOException {
            int version = in.readByte();
            if (version != VERSION) {
                throw new InvalidObjectException("unknown LoginState version " + version);
            }
            String id = in.readUTF();
            String username = in.readUTF();
            String globalName = readNullable(in);
            String avatar = readNullable(in);
            String email = readNullable(in);
            int verified = in.readByte();
            List<String> guildRoles = readStrings(in);
            DiscordPrincipal principal = new DiscordPrincipal(id, username, globalName, avatar, email,
                    verified == 0 ? null : verified == 1, new LinkedHashSet<>(guildRoles));
            String accessToken = in.readUTF();
            Instant expiresAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
            String refreshToken = readNullable(in);
            DiscordTokens tokens = new DiscordTokens(accessToken, expiresAt, refreshToken, readStrings(in));
            SessionChecks checks = new SessionChecks(in.readLong(), in.readInt(), in.readLong());
            GuildStanding standing = null;
            if (in.readBoolean()) {
                boolean admitted = in.readBoolean();
                List<String> roles = readStrings(in);
                List<String> memberOf = readStrings(in);
                standing = new GuildStanding(admitted, new LinkedHashSet<>(roles), new LinkedHashSet<>(memberOf),
                        in.readLong(), in.readLong());
            }
            return new LoginState(principal, tokens, checks, standing, in.readLong());
        }

        @Serial
        private Object readResolve() {
            return state;
        }

        static void writeNullable(java.io.DataOutput out, String value) throws IOException {
            out.writeBoolean(value != null);
            if (value != null) {
                out.writeUTF(value);
            }
        }

        static String readNullable(java.io.DataInput in) throws IOException {
            return in.readBoolean() ? in.readUTF() : null;
        }

        private static void writeStrings(java.io.DataOutput out, java.util.Collection<String> values) throws IOException {
            out.writeShort(values.size());
            for (String v : values) {
                out.writeUTF(v);
            }
        }

        private static List<String> readStrings(java.io.DataInput in) throws IOException {
            int n = in.readUnsignedShort();
            List<String> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(in.readUTF());
            }
            return values;
        }
    }
}
