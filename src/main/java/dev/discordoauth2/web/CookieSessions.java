package dev.discordoauth2.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code discord.session=cookie}: the login's state in sealed cookies instead of the container's session, so that no
 * {@code HttpSession} is ever created. {@value #LOGIN} holds the login ({@link LoginState}, its tokens or, with the
 * shared token store, only the identity) for {@code discord.cookie-max-age} after it was last sealed; {@value #PENDING}
 * the pending logins (state, PKCE verifier, return path; several tabs) for {@code discord.state-ttl}. Each is AES-GCM
 * under {@code discord.cookie-keys} (a key id in clear, so keys rotate), the cookie's name and the format's version as
 * associated data, behind a version prefix: a cookie of another version, of a key no longer configured, expired,
 * tampered or truncated is no login (a clean re-login), never an error. A request's cookies are opened once (kept in a
 * request attribute), and a login cookie once per node while the browser keeps sending it: the node remembers up to
 * {@value #MAX_OPENED} opened login cookies (found by the tail of the value, compared in full, its
 * lifetime checked again on every use). What the request changed is sealed again by {@link #responseCookies}, which the
 * front doors add to the response. A refresh rotates the refresh token, and a browser's other requests may still carry
 * the cookie with the old one (sent before the new cookie arrived): for {@value #ROTATION_MEMORY_SECONDS} s this node
 * remembers, by a digest of the old refresh token, the state that replaced it, and such a cookie, or a request that
 * joined the refresh while it ran, gets the newer state whenever it reads the login (and its answer reseals it) instead
 * of refreshing again with a token Discord no longer accepts.
 * <p>Another node does not know it. Without the shared token store, when two nodes refresh one browser's cookie at
 * once, Discord's rotation answers the second {@code invalid_grant}; that refusal is the {@link RefusalLedger}'s, by
 * the cookie's login id, and nothing is written: the losing node ends no login and sends no login cookie (the browser
 * keeps the winner's), serves the request while the cookie's access token is valid (a retry answer once it expired),
 * and does not send that refresh token again; a request carrying another cookie of the login clears the refusal, and
 * the same cookie still arriving {@code 30 s + discord.refresh-timeout} after it means revoked: the login ends and the
 * answer deletes the cookie. With the shared token store the cookie holds the identity only and the refresh is the
 * store's, once for the cluster, and does not reseal the cookie. Thread-safe.
 */
final class CookieSessions implements LoginCore.SessionStore {
    static final String LOGIN = "DISCORD_LOGIN";
    static final String PENDING = "DISCORD_PENDING";
    /** The format's version, in clear before the sealed value. */
    static final int VERSION = 1;
    private static final String PREFIX = VERSION + ".";
    private static final String REQUEST = CookieSessions.class.getName();
    /** Each cookie's associated data: its name and the format's version, so that neither opens as the other. */
    private static final byte[] LOGIN_DATA = associated(LOGIN);
    private static final byte[] PENDING_DATA = associated(PENDING);
    private static final SecureRandom RANDOM = new SecureRandom();

    static final long ROTATION_MEMORY_SECONDS = 120;
    /** Digest of a rotated refresh token → the state that replaced it, and when (epoch seconds). */
    private final java.util.Map<String, Rotated> rotated = new java.util.concurrent.ConcurrentHashMap<>();

    private record Rotated(LoginState state, long at) {
    }

    private final KeyRing keys;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration pendingMaxAge;

    CookieSessions(KeyRing keys, Clock clock, Duration maxAge, Duration pendingMaxAge) {
        this.keys = keys;
        this.clock = clock;
        this.maxAge = maxAge;
        this.pendingMaxAge = pendingMaxAge;
    }

    @Override
    public LoginCore.Session session(LoginCore.Exchange request, boolean create) {
        CookieSession session = opened(request);
        if (session == null && create) {
            boolean ended = request.attribute(REQUEST) instanceof CookieSession old && old.invalid;
            session = new CookieSession(this, newId(), null, List.of());
            // after a logout in this request, the new cookies replace (or delete) the old ones
            session.loginChanged = ended;
            session.pendingChanged = ended;
            request.setAttribute(REQUEST, session);
        }
        return session;
    }

    @Override
    public LoginCore.Session renew(LoginCore.Exchange request) {
        CookieSession old = opened(request);
        CookieSession renewed = new CookieSession(this, newId(), old == null ? null : old.state,
                old == null ? List.of() : old.pending);
        renewed.loginChanged = true;
        renewed.pendingChanged = true;
        request.setAttribute(REQUEST, renewed);
        return renewed;
    }

    /** The request's cookie session, opened once per request; null when it carries none that opens. */
    private CookieSession opened(LoginCore.Exchange request) {
        Object known = request.attribute(REQUEST);
        if (known instanceof CookieSession session) {
            return session.invalid ? null : session;
        }
        if (known != null) {
            return null; // opened before: nothing
        }
        Login login = openLogin(request.cookie(LOGIN));
        Pending pending = openPending(request.cookie(PENDING));
        CookieSession session = null;
        if (login != null || pending != null) {
            String id = login != null ? login.id : pending.id;
            List<PendingLogin> list = pending != null && pending.id.equals(id) ? pending.logins : List.of();
            LoginState state = login == null ? null : newest(login.state);
            session = new CookieSession(this, id, state, list);
            session.loginChanged = login != null && state != login.state; // resealed with the newer tokens
            // a cookie that did not open is deleted by the answer
            session.loginChanged |= login == null && request.cookie(LOGIN) != null;
            session.pendingChanged = pending == null && request.cookie(PENDING) != null;
        }
        request.setAttribute(REQUEST, session == null ? Boolean.FALSE : session);
        return session;
    }

    /**
     * The cookies the request's changes need, sealed again (or deleted): for the front door to add to the response.
     * Empty when nothing changed. {@code path} is the cookies' path (the context path, or {@code /}).
     */
    List<Outcome.Cookie> responseCookies(LoginCore.Exchange request) {
        Object known = request.attribute(REQUEST);
        List<Outcome.Cookie> cookies = new ArrayList<>(2);
        String path = request.contextPath().isEmpty() ? "/" : request.contextPath();
        if (known instanceof CookieSession session) {
            if (session.loginChanged) {
                cookies.add(session.invalid || session.state == null ? new Outcome.Cookie(LOGIN, "", path, 0)
                        : new Outcome.Cookie(LOGIN, sealLogin(session), path, (int) maxAge.toSeconds()));
                session.loginChanged = false;
            }
            if (session.pendingChanged) {
                cookies.add(session.invalid || session.pending.isEmpty() ? new Outcome.Cookie(PENDING, "", path, 0)
                        : new Outcome.Cookie(PENDING, sealPending(session), path, (int) pendingMaxAge.toSeconds()));
                session.pendingChanged = false;
            }
        }
        return cookies;
    }

    /** The state that replaced {@code state}'s tokens on this node lately, else {@code state}. */
    LoginState newest(LoginState state) {
        String refresh = state.tokens().refreshToken();
        if (rotated.isEmpty() || refresh == null) {
            return state;
        }
        Rotated newer = rotated.get(RefusalLedger.digest(refresh));
        long now = clock.instant().getEpochSecond();
        if (newer == null || now - newer.at() > ROTATION_MEMORY_SECONDS
                || !newer.state().principal().id().equals(state.principal().id())) {
            return state;
        }
        return newest(newer.state()); // rotated again since
    }

    /** A cookie's lifetime in seconds, as a session's {@code maxInactiveInterval}. */
    int maxInactiveSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, maxAge.toSeconds());
    }

    /** A request replaced {@code before} with {@code after}: remembers a rotated refresh token. */
    void replaced(LoginState before, LoginState after) {
        if (before == null || after == null || !before.holdsTokens()) {
            return;
        }
        String old = before.tokens().refreshToken();
        if (old != null && !old.equals(after.tokens().refreshToken())) {
            long now = clock.instant().getEpochSecond();
            if (rotated.size() > 10_000) {
                rotated.values().removeIf(r -> now - r.at() > ROTATION_MEMORY_SECONDS);
            }
            rotated.put(RefusalLedger.digest(old), new Rotated(after, now));
        }
    }

    // ------------------------------------------------------------------------------------------ the format

    private record Login(String id, LoginState state, long issued) {
    }

    /** A login cookie opened lately: its exact value, what it opened to. */
    private record Opened(String value, Login login) {
    }

    /**
     * The most login cookies this node keeps opened. A browser's requests carry the same cookie until it changes, so
     * each is opened (AES-GCM, then read) once, not on every request; past this many the memory starts again. The
     * keeping is bounded by this count, not by users: about 1.5 KB each, some 6 MB at most.
     */
    static final int MAX_OPENED = 4096;
    /** The length of the tail that keys {@link #openedLogins}: the GCM tag's base64, which only the key makes. */
    private static final int TAIL = 22;
    /** Login cookies opened lately, by the tail of their value; a hit is compared in full. */
    private final java.util.Map<String, Opened> openedLogins = new java.util.concurrent.ConcurrentHashMap<>();

    private record Pending(String id, List<PendingLogin> logins) {
    }

    private String sealLogin(CookieSession session) {
        byte[] plain = bytes(out -> {
            out.writeUTF(session.id);
            out.writeLong(clock.instant().getEpochSecond());
            LoginState.Serialized.write(out, session.state);
        });
        return PREFIX + keys.sealBytes(LOGIN_DATA, plain);
    }

    private Login openLogin(String value) {
        if (value == null || value.length() <= TAIL) {
            return null;
        }
        String tail = value.substring(value.length() - TAIL);
        Opened known = openedLogins.get(tail);
        // the tail is the GCM tag, which only the key makes: a lookup that finds an opened cookie needs its 128-bit tag,
        // so the full comparison after it need not be constant-time (it runs only for the cookie's holder)
        if (known != null && known.value().equals(value)) {
            return fresh(known.login().issued(), maxAge) ? known.login() : null;
        }
        Login login = open(LOGIN, value, maxAge, in -> {
            String id = in.readUTF();
            long issued = in.readLong();
            return new Login(id, fresh(issued, maxAge) ? LoginState.Serialized.read(in) : null, issued);
        });
        if (login != null) {
            if (openedLogins.size() >= MAX_OPENED) {
                openedLogins.clear();
            }
            openedLogins.put(tail, new Opened(value, login));
        }
        return login;
    }

    private String sealPending(CookieSession session) {
        byte[] plain = bytes(out -> {
            out.writeUTF(session.id);
            out.writeLong(clock.instant().getEpochSecond());
            out.writeShort(session.pending.size());
            for (PendingLogin p : session.pending) {
                out.writeUTF(p.state());
                LoginState.Serialized.writeNullable(out, p.codeVerifier());
                out.writeUTF(p.returnTo());
                LoginState.Serialized.writeNullable(out, p.redirectUri());
                out.writeLong(p.createdAt().toEpochMilli());
                out.writeBoolean(p.superseded());
                out.writeByte(p.flow().ordinal());
            }
        });
        return PREFIX + keys.sealBytes(PENDING_DATA, plain);
    }

    private Pending openPending(String value) {
        return open(PENDING, value, pendingMaxAge, in -> {
            String id = in.readUTF();
            if (!skipIssued(in, pendingMaxAge)) {
                return null;
            }
            int n = in.readUnsignedShort();
            List<PendingLogin> logins = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String state = in.readUTF();
                String verifier = LoginState.Serialized.readNullable(in);
                String returnTo = in.readUTF();
                String redirectUri = LoginState.Serialized.readNullable(in);
                Instant created = Instant.ofEpochMilli(in.readLong());
                boolean superseded = in.readBoolean();
                int purpose = in.readUnsignedByte();
                PendingLogin.Purpose[] purposes = PendingLogin.Purpose.values();
                if (purpose >= purposes.length) {
                    return null;
                }
                logins.add(new PendingLogin(state, verifier, returnTo, redirectUri, created, superseded,
                        purposes[purpose]));
            }
            return new Pending(id, List.copyOf(logins));
        });
    }

    /** Reads the time the value was sealed: whether it is still within {@code lifetime}. */
    private boolean skipIssued(DataInputStream in, Duration lifetime) throws IOException {
        return fresh(in.readLong(), lifetime);
    }

    /** Whether a value sealed at {@code issued} (epoch seconds) is still within {@code lifetime}. */
    private boolean fresh(long issued, Duration lifetime) {
        long now = clock.millis() / 1000; // no Instant: this runs on every request
        return issued <= now + 60 && now - issued <= lifetime.toSeconds();
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** The value of cookie {@code name} opened and read, or null for anything that does not open or parse. */
    private <T> T open(String name, String value, Duration lifetime, Reader<T> reader) {
        if (value == null || value.length() > 8192 || !value.startsWith(PREFIX)) {
            return null; // none, absurd, or another version of the format: a clean re-login
        }
        Optional<byte[]> plain = keys.openBytes(name.equals(LOGIN) ? LOGIN_DATA : PENDING_DATA, value,
                PREFIX.length());
        if (plain.isEmpty()) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain.get()))) {
            T read = reader.read(in);
            if (read instanceof Login login && login.state == null) {
                return null; // expired
            }
            return in.available() == 0 ? read : null;
        } catch (IOException | RuntimeException e) {
            return null; // sealed by us, yet unreadable: another build's format
        }
    }

    private static byte[] bytes(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static byte[] associated(String name) {
        return ("discord-oauth2 cookie v" + VERSION + " " + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String newId() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The most a browser keeps of one {@code Set-Cookie} line (4,096 bytes, with room for the attributes). */
    static final int MAX_LINE = 4000;

    /**
     * The {@code Set-Cookie} line of the largest login this configuration can make: Discord's longest names, a long
     * e-mail address, every server role the configuration can give, every required server.
     */
    int largestLine(DiscordConfig config) {
        java.util.Set<String> roles = new java.util.LinkedHashSet<>(config.guildRoleNames());
        java.util.Set<String> servers = new java.util.LinkedHashSet<>(config.guildRules().requiredGuilds());
        java.util.Set<String> roleIds = new java.util.LinkedHashSet<>();
        for (java.util.Map<String, java.util.Set<String>> byGuild : config.parsed().get(Keys.GUILD_ROLES).values()) {
            servers.addAll(byGuild.keySet());
            byGuild.values().forEach(roleIds::addAll);
        }
        roleIds.addAll(roles);
        DiscordPrincipal user = new DiscordPrincipal("12345678901234567890", "u".repeat(32), "g".repeat(32),
                "a_" + "0".repeat(32), "e".repeat(64) + "@" + "d".repeat(63) + ".example", true, roles);
        DiscordTokens tokens = new DiscordTokens("t".repeat(64), clock.instant(), "r".repeat(64), config.scopes());
        LoginState state = new LoginState(user, tokens, SessionChecks.validatedAt(clock.instant()),
                new GuildStanding(true, roleIds, servers, 0L, 0L), Long.MAX_VALUE);
        CookieSession session = new CookieSession(this, newId(), state, List.of());
        return (LOGIN + "=" + sealLogin(session) + "; Path=/" + "x".repeat(40) + "; Max-Age=" + maxAge.toSeconds()
                + "; HttpOnly; Secure; SameSite=Lax").length();
    }

    @Override
    public String toString() {
        return "CookieSessions[" + keys + ", max-age " + maxAge + "]";
    }
}
