package dev.discordoauth2.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Predicate;

/**
 * The tokens Discord refused on this node, per session, decided on the session's later requests: a refresh token
 * answered {@code invalid_grant}, an access token answered 401. Either means revoked, or rotated by another node whose
 * tokens this request's copy of the session does not have yet. Other tokens in the session mean a rotation
 * (recovered); the same token read after the decision delay (the longest a refresh's answer may take, plus
 * {@code discord.refresh-timeout} for that node to store it), with no refresh of this session running here, means
 * revoked. Holds digests, never tokens; bounded by the live sessions ({@link SessionMemory}). Thread-safe.
 */
final class RefusalLedger {
    private static final System.Logger LOG = System.getLogger(RefusalLedger.class.getName());

    /** What a session's next request learns about a refused token. */
    enum Decision { NONE, RECOVERED, UNDECIDED, REVOKED }

    private record Refusal(String digest, Instant at) {
    }

    private final SessionMemory<Refusal> refusedRefresh = new SessionMemory<>();
    private final SessionMemory<Refusal> unauthorized = new SessionMemory<>();
    private final Clock clock;
    private final Duration decisionDelay;

    RefusalLedger(Clock clock, Duration decisionDelay) {
        this.clock = clock;
        this.decisionDelay = decisionDelay;
    }

    /** Discord refused the session's refresh token. */
    void refreshRefused(String sessionId, String refreshToken, Duration lifetime) {
        refusedRefresh.putIfAbsent(sessionId, new Refusal(digest(refreshToken), clock.instant()), lifetime);
    }

    /** Discord answered 401 to the session's access token. */
    void unauthorized(String sessionId, String accessToken, Duration lifetime) {
        if (unauthorized.putIfAbsent(sessionId, new Refusal(digest(accessToken), clock.instant()), lifetime) == null) {
            LOG.log(System.Logger.Level.INFO, "Discord answered 401 to the session's access token (revoked, or "
                    + "rotated by another node); decided when the session is read again");
        }
    }

    /**
     * What the session's refusals say now, for a session holding {@code refreshToken} ({@code sessionId} null: this
     * node remembers nothing of any session); {@code refreshing} tells whether a refresh of the session runs here.
     */
    Decision decideRefresh(String sessionId, String refreshToken, Predicate<String> refreshing, Instant now) {
        return decide(refusedRefresh, "refresh token", sessionId, refreshToken, refreshing, now);
    }

    Decision decideAccess(String sessionId, String accessToken, Predicate<String> refreshing, Instant now) {
        return decide(unauthorized, "access token", sessionId, accessToken, refreshing, now);
    }

    private Decision decide(SessionMemory<Refusal> refusals, String what, String sessionId, String token,
            Predicate<String> refreshing, Instant now) {
        Refusal refusal = sessionId == null ? null : refusals.get(sessionId);
        if (refusal == null) {
            return Decision.NONE;
        }
        if (token == null || !refusal.digest().equals(digest(token))) {
            refusals.remove(sessionId, refusal);
            LOG.log(System.Logger.Level.INFO, "a refresh race with another node was lost and recovered: the " + what
                    + " Discord refused was rotated there, and the session holds the tokens that node stored");
            return Decision.RECOVERED;
        }
        if (now.isBefore(refusal.at().plus(decisionDelay)) || refreshing.test(sessionId)) {
            return Decision.UNDECIDED;
        }
        LOG.log(System.Logger.Level.INFO, "the session still holds the " + what + " Discord refused: revoked; the "
                + "user is logged out");
        return Decision.REVOKED;
    }

    boolean isEmpty() {
        return refusedRefresh.isEmpty() && unauthorized.isEmpty();
    }

    void forget(String sessionId) {
        refusedRefresh.forget(sessionId);
        unauthorized.forget(sessionId);
    }

    int refusedRefreshes() {
        return refusedRefresh.size();
    }

    int unauthorizedTokens() {
        return unauthorized.size();
    }

    /** A digest of a token, so that node memory never holds the token itself. */
    static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
