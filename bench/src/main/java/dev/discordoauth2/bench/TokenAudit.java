package dev.discordoauth2.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the harness learns from the tokens the emulator issued ({@code GET /__admin/applications/{id}/tokens}): every
 * token value, to look for in the logs and the database, and each token's history, to tell why Discord refused a
 * refresh grant or a call. Also the scans of the cluster's database for those values. Not thread-safe: built once
 * the run is over.
 */
final class TokenAudit {

    /** A request the emulator refused because the token it carried had ended or expired. */
    record Refusal(String token, String route, Instant receivedAt, Instant at) {
    }

    /** One issued token pair and its history, as the emulator lists it. */
    static final class Grant {
        long id;
        String userId;
        String grantType;
        String access;
        String refresh;
        Instant issuedAt;
        Instant expiresAt;
        Instant endedAt;
        String endedBy;
        Long replacedBy;
        Instant firstUsedAt;
        final List<Refusal> refused = new ArrayList<>();
    }

    /** A call of the example the harness saw fail because Discord refused the session's access token. */
    record RefusedCall(String kind, String userId, String node, Instant sent, Instant done, String otherNode) {
    }

    final Map<Long, Grant> byId = new LinkedHashMap<>();
    final Map<String, List<Grant>> byUser = new HashMap<>();
    final Set<String> values = new HashSet<>();
    final Map<String, Long> issuedByType = new TreeMap<>();

    static TokenAudit parse(String json) {
        TokenAudit a = new TokenAudit();
        for (Object o : MiniJson.array(MiniJson.object(MiniJson.parse(json)).get("tokens"))) {
            Map<String, Object> t = MiniJson.object(o);
            Grant g = new Grant();
            g.id = ((Number) t.get("id")).longValue();
            g.userId = MiniJson.string(t, "user_id");
            g.grantType = MiniJson.string(t, "grant_type");
            g.access = MiniJson.string(t, "access_token");
            g.refresh = MiniJson.string(t, "refresh_token");
            g.issuedAt = instant(t, "issued_at");
            g.expiresAt = instant(t, "expires_at");
            g.endedAt = instant(t, "ended_at");
            g.endedBy = MiniJson.string(t, "ended_by");
            g.replacedBy = t.get("replaced_by") instanceof Number n ? n.longValue() : null;
            g.firstUsedAt = instant(t, "first_used_at");
            for (Object r : MiniJson.array(t.get("refused"))) {
                Map<String, Object> m = MiniJson.object(r);
                g.refused.add(new Refusal(MiniJson.string(m, "token"), MiniJson.string(m, "route"),
                        instant(m, "received_at"), instant(m, "at")));
            }
            a.byId.put(g.id, g);
            a.byUser.computeIfAbsent(g.userId, u -> new ArrayList<>()).add(g);
            if (g.access != null) {
                a.values.add(g.access);
            }
            if (g.refresh != null) {
                a.values.add(g.refresh);
            }
            a.issuedByType.merge(g.grantType, 1L, Long::sum);
        }
        return a;
    }

    static Instant instant(Map<String, Object> o, String key) {
        String s = MiniJson.string(o, key);
        return s == null ? null : Instant.parse(s);
    }

    // ---------------------------------------------------------------------------------------------- refresh grants

    /** Why each refresh grant the emulator refused was refused. */
    static final class RefreshVerdicts {
        /** The token's authorization had been revoked (POST /oauth2/token/revoke, removed by the user, code reuse). */
        long revocation;
        /**
         * Rotated around the node kill ({@link Kill#near}) by a refresh whose new tokens nobody ever used: the killed
         * node had sent the refresh and died before it stored Discord's answer.
         */
        long lostRotation;
        /**
         * The users whose new tokens the killed node took with it: a token of theirs {@link #lostWithKill} was then
         * refused (its refresh token to a refresh, or its access token to a call), which ends their sessions.
         */
        final Set<String> lostRotationUsers = new HashSet<>();
        /**
         * Rotated by a refresh whose new tokens were used (two holders of one refresh token: a race), or whose new
         * tokens nobody used although no node was killed near that moment.
         */
        long race;
        final List<Instant> lostRotationTimes = new ArrayList<>();
        final List<String> samples = new ArrayList<>();

        long total() {
            return revocation + lostRotation + race;
        }
    }

    /**
     * When a rotation whose new tokens were never used counts as lost with the killed node: from {@link #BEFORE_KILL}
     * before {@code cluster.sh kill-node} was run (the node stores Discord's answer a moment after it; under load,
     * seconds) to {@link #AFTER_KILL} after it returned (a refresh the node sent before it died can be handled that
     * much later: the emulator's delay fault holds it 11 s). Outside this window a refresh whose new tokens nobody
     * used is an ordinary one (the browser made no further call with them) and a refusal of its old tokens is not
     * explained by the kill.
     */
    static final Duration BEFORE_KILL = Duration.ofSeconds(5);
    static final Duration AFTER_KILL = Duration.ofSeconds(12);

    /** The node kill: when {@code cluster.sh kill-node} started and when it returned. */
    record Kill(Instant started, Instant returned) {
        boolean near(Instant t) {
            return t != null && !t.isBefore(started.minus(BEFORE_KILL)) && !t.isAfter(returned.plus(AFTER_KILL));
        }

        @Override
        public String toString() {
            return started + " to " + returned;
        }
    }

    /**
     * Whether {@code g} was rotated, around the node kill ({@link Kill#near}), by a refresh whose new tokens
     * nobody ever used: the killed node had sent that refresh and died before it stored the answer, so the store
     * still held {@code g}, which Discord no longer accepts.
     */
    boolean lostWithKill(Grant g, Kill kill) {
        if (kill == null || !"refresh".equals(g.endedBy) || !kill.near(g.endedAt)) {
            return false;
        }
        Grant next = g.replacedBy == null ? null : byId.get(g.replacedBy);
        return next == null || next.firstUsedAt == null;
    }

    RefreshVerdicts refreshRefusals(Kill kill) {
        RefreshVerdicts v = new RefreshVerdicts();
        for (Grant g : byId.values()) {
            if (!g.refused.isEmpty() && lostWithKill(g, kill)) {
                v.lostRotationUsers.add(g.userId);
            }
            for (Refusal r : g.refused) {
                if (!"refresh_token".equals(r.token())) {
                    continue;
                }
                if ("refresh".equals(g.endedBy)) {
                    Grant next = g.replacedBy == null ? null : byId.get(g.replacedBy);
                    boolean used = next != null && next.firstUsedAt != null; // a call, or its own refresh
                    if (!lostWithKill(g, kill)) {
                        v.race++;
                        sample(v.samples, "race: user " + g.userId + "'s refresh token (grant " + g.id + ") refused at "
                                + r.at() + " (arrived " + r.receivedAt() + "): rotated at " + g.endedAt
                                + " by the refresh that issued grant " + g.replacedBy + ", first used at "
                                + (next == null ? null : next.firstUsedAt));
                    } else {
                        v.lostRotation++;
                        v.lostRotationTimes.add(g.endedAt);
                        sample(v.samples, "lost rotation: user " + g.userId + "'s refresh token (grant " + g.id
                                + ") refused at " + r.at() + ": rotated at " + g.endedAt + " into grant "
                                + g.replacedBy + ", which was never used (the node kill: " + kill + ")");
                    }
                } else {
                    v.revocation++;
                    sample(v.samples, "revocation: user " + g.userId + "'s refresh token (grant " + g.id
                            + ") refused at " + r.at() + ", ended by " + g.endedBy + " at " + g.endedAt);
                }
            }
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------- refused calls

    /** Classes of a refused call, in report order. */
    static final List<String> CALL_CLASSES = List.of("stale", "lost with the killed node", "in flight",
            "in flight, other node", "revoked", "expired", "not found");

    /**
     * Why Discord refused each call: the emulator's refusal of an access token of the call's user on the call's
     * route, between the browser sending the request and getting the answer (50 ms either side for the two clocks'
     * reading). The token's grant then tells: {@code stale} when a refresh had replaced it before the browser sent the
     * request (the node used tokens that were no longer the current ones) by a refresh whose result was stored;
     * {@code lost with the killed node} when it was replaced by a refresh the killed node never stored (see
     * {@link #lostWithKill}: the store still held it); {@code in flight} when it was replaced
     * while the request was under way ({@code other node} when the browser's concurrent request was answered by the
     * other node); {@code revoked}; {@code expired}; {@code not found} when no refusal matches.
     */
    Map<String, Long> classify(Collection<RefusedCall> calls, String route, List<String> samples, Kill kill) {
        Map<String, Long> out = new LinkedHashMap<>();
        CALL_CLASSES.forEach(c -> out.put(c, 0L));
        Duration slack = Duration.ofMillis(50);
        for (RefusedCall c : calls) {
            Grant found = null;
            Refusal refusal = null;
            for (Grant g : c.userId() == null ? List.<Grant>of() : byUser.getOrDefault(c.userId(), List.of())) {
                for (Refusal r : g.refused) {
                    if ("access_token".equals(r.token()) && route.equals(r.route())
                            && !r.at().isBefore(c.sent().minus(slack)) && !r.at().isAfter(c.done().plus(slack))) {
                        found = g;
                        refusal = r;
                    }
                }
            }
            String cls;
            if (found == null) {
                cls = "not found";
            } else if (lostWithKill(found, kill)) {
                cls = "lost with the killed node";
            } else if ("refresh".equals(found.endedBy)) {
                if (found.endedAt.isBefore(c.sent())) {
                    cls = "stale";
                } else {
                    cls = c.otherNode() != null && !c.otherNode().equals(c.node()) ? "in flight, other node"
                            : "in flight";
                }
            } else if (found.endedBy != null) {
                cls = "revoked";
            } else {
                cls = "expired";
            }
            out.merge(cls, 1L, Long::sum);
            if (!cls.startsWith("in flight")) {
                sample(samples, c.kind() + " " + cls + ": user " + c.userId() + " on " + c.node() + ", sent " + c.sent()
                        + ", answered " + c.done() + (found == null ? "" : "; refused at " + refusal.at()
                        + ", token (grant " + found.id + ") ended by " + found.endedBy + " at " + found.endedAt
                        + (found.endedAt != null ? String.format(" (%+d ms from the request's sending)",
                        Duration.between(c.sent(), found.endedAt).toMillis()) : "")));
            }
        }
        return out;
    }

    static void sample(List<String> samples, String s) {
        if (samples.size() < 12) {
            samples.add(s);
        }
    }

    // ---------------------------------------------------------------------------------------------- the database

    /** A scan of the database for token values: the dump, and the data directory's files. */
    static final class DbScan {
        String error;
        long dumpBytes;
        /** Table → rows in the dump. */
        final Map<String, Long> rows = new TreeMap<>();
        /** Where plaintext token values were found → how many. */
        final Map<String, Long> findings = new TreeMap<>();
        long sessionDataBytes;
        long tokenValues;
        long sealed;
        long opened;
        long current;
        long ended;
        long unknown;
        final List<String> notSealed = new ArrayList<>();
        long dataDirBytes;
        long dataDirFiles;
        String dataDirError;

        long plaintext() {
            return findings.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static final Pattern COPY = Pattern.compile("^COPY ([^ ]+) \\(([^)]*)\\) FROM stdin;$");
    static final Pattern HEX = Pattern.compile("\\\\\\\\x([0-9a-fA-F]*)");
    /** {@code kid.nonce.ciphertext}: the kid, a 96-bit nonce and at least the 128-bit tag, in unpadded base64url. */
    static final Pattern SEALED = Pattern.compile("[A-Za-z0-9_-]{1,32}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22,}");

    /**
     * Scans a {@code pg_dump --data-only} of the cluster's database: every line for token values, each {@code bytea}
     * value (Jetty's serialized session data in {@code jettysessions}) decoded and scanned as bytes, and the token
     * store's rows checked: each token column sealed, opened with the cluster's keys and the row's user id, and
     * compared with the user's tokens at the emulator.
     */
    void scanDump(String dump, DbScan scan, Map<String, SecretKey> keys) {
        scan.dumpBytes = dump.length();
        String table = null;
        List<String> columns = List.of();
        for (String line : dump.split("\n")) {
            if (table == null) {
                Matcher m = COPY.matcher(line);
                if (m.matches()) {
                    table = m.group(1).replace("public.", "");
                    columns = List.of(m.group(2).split(",\\s*"));
                    scan.rows.put(table, 0L);
                } else {
                    count(scan, "the dump's other lines", line.getBytes(StandardCharsets.ISO_8859_1));
                }
                continue;
            }
            if (line.equals("\\.")) {
                table = null;
                continue;
            }
            scan.rows.merge(table, 1L, Long::sum);
            Matcher hex = HEX.matcher(line);
            StringBuilder text = new StringBuilder();
            int last = 0;
            while (hex.find()) {
                text.append(line, last, hex.start()).append(' ');
                last = hex.end();
                String h = hex.group(1);
                byte[] bytes = HexFormat.of().parseHex(h.length() % 2 == 0 ? h : h.substring(1));
                scan.sessionDataBytes += bytes.length;
                count(scan, table + " (binary column, decoded)", bytes);
            }
            text.append(line, last, line.length());
            count(scan, table, text.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (table.equals("discord_tokens") || table.endsWith(".discord_tokens")) {
                checkRow(scan, columns, line.split("\t", -1), keys);
            }
        }
    }

    private void checkRow(DbScan scan, List<String> columns, String[] fields, Map<String, SecretKey> keys) {
        int user = columns.indexOf("user_id");
        String userId = user >= 0 && user < fields.length ? fields[user] : null;
        for (String column : List.of("access_token", "refresh_token")) {
            int i = columns.indexOf(column);
            if (i < 0 || i >= fields.length || fields[i].equals("\\N")) {
                continue;
            }
            String value = fields[i];
            scan.tokenValues++;
            if (!SEALED.matcher(value).matches()) {
                if (scan.notSealed.size() < 5) {
                    scan.notSealed.add("user " + userId + " " + column + ": " + value.length() + " characters, not"
                            + " kid.nonce.ciphertext");
                }
                continue;
            }
            scan.sealed++;
            String plain = open(keys, userId, value);
            if (plain == null) {
                continue;
            }
            scan.opened++;
            Grant g = null;
            for (Grant candidate : byUser.getOrDefault(userId, List.of())) {
                if (plain.equals(column.equals("access_token") ? candidate.access : candidate.refresh)) {
                    g = candidate;
                }
            }
            if (g == null) {
                scan.unknown++;
            } else if (g.endedBy == null) {
                scan.current++;
            } else {
                scan.ended++;
            }
        }
    }

    /** The plaintext of {@code kid.nonce.ciphertext} sealed for {@code userId}, or null. */
    static String open(Map<String, SecretKey> keys, String userId, String sealed) {
        String[] p = sealed.split("\\.", -1);
        SecretKey key = p.length == 3 ? keys.get(p[0]) : null;
        if (key == null || userId == null) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Base64.getUrlDecoder().decode(p[1])));
            c.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(Base64.getUrlDecoder().decode(p[2])), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return null;
        }
    }

    /** {@code kid:base64key, ...} (the cluster's {@code TOKEN_STORE_KEYS}) as keys by kid. */
    static Map<String, SecretKey> keys(String ring) {
        Map<String, SecretKey> out = new LinkedHashMap<>();
        if (ring == null) {
            return out;
        }
        for (String entry : ring.trim().split("[\\s,]+")) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                continue;
            }
            String b64 = entry.substring(colon + 1);
            try {
                byte[] bytes = b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(b64)
                        : Base64.getDecoder().decode(b64);
                out.put(entry.substring(0, colon), new SecretKeySpec(bytes, "AES"));
            } catch (IllegalArgumentException e) {
                // not a key: nothing opens with it
            }
        }
        return out;
    }

    /**
     * Every file under the database's data directory (tables, indexes, the write-ahead log: also rows that were
     * updated or deleted since), scanned as bytes for token values. Values PostgreSQL compressed (large session data
     * it TOASTs) are not readable this way; the dump above reads them.
     */
    void scanDataDirectory(Path data, DbScan scan) {
        if (data == null || !Files.isDirectory(data)) {
            scan.dataDirError = "no data directory " + data;
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            scan.dataDirError = e.toString();
            return;
        }
        byte[] buf = new byte[1 << 20];
        for (Path f : files) {
            String where = "data directory: " + (data.relativize(f).getNameCount() > 1
                    ? data.relativize(f).getName(0).toString() : "top level");
            try (InputStream in = Files.newInputStream(f)) {
                scan.dataDirFiles++;
                int keep = 0;
                int n;
                while ((n = in.readNBytes(buf, keep, buf.length - keep)) > 0) {
                    int len = keep + n;
                    scan.dataDirBytes += n;
                    countIn(scan, where, buf, len);
                    // the last 29 bytes start the next chunk, so a value across chunks is found once
                    keep = Math.min(29, len);
                    System.arraycopy(buf, len - keep, buf, 0, keep);
                }
            } catch (IOException e) {
                // a file that went away (a WAL segment recycled): nothing to read
            }
        }
    }

    private void count(DbScan scan, String where, byte[] bytes) {
        countIn(scan, where, bytes, bytes.length);
    }

    private void countIn(DbScan scan, String where, byte[] b, int len) {
        long hits = matches(b, len, values);
        if (hits > 0) {
            scan.findings.merge(where, hits, Long::sum);
        }
    }

    /**
     * How many 30-character windows of {@code [A-Za-z0-9]} in the first {@code len} bytes are one of {@code values}
     * (the emulator's tokens are 30 such characters), wherever they stand.
     */
    static long matches(byte[] b, int len, Set<String> values) {
        long hits = 0;
        int run = 0;
        for (int i = 0; i <= len; i++) {
            boolean alnum = i < len && isAlnum(b[i]);
            if (alnum) {
                run++;
                continue;
            }
            if (run >= 30) {
                for (int start = i - run; start + 30 <= i; start++) {
                    if (values.contains(new String(b, start, 30, StandardCharsets.ISO_8859_1))) {
                        hits++;
                    }
                }
            }
            run = 0;
        }
        return hits;
    }

    static boolean isAlnum(byte c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }
}
