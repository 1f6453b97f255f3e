package dev.discordoauth2.emulator;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who approves an authorization request at once instead of showing the consent page: nobody, always one user, or
 * every user in turn (each authorization request the next one, so that concurrent simulated browsers are distinct
 * Discord users). Thread-safe.
 */
final class AutoApproval {
    static final AutoApproval OFF = new AutoApproval(List.of());

    private final List<String> userIds;
    private final AtomicLong next = new AtomicLong();

    private AutoApproval(List<String> userIds) {
        this.userIds = List.copyOf(userIds);
    }

    static AutoApproval asUser(String userId) {
        return new AutoApproval(List.of(userId));
    }

    static AutoApproval inTurn(List<String> userIds) {
        if (userIds.isEmpty()) {
            throw new IllegalArgumentException("auto-approval in turn needs at least one user");
        }
        return new AutoApproval(userIds);
    }

    boolean isOn() {
        return !userIds.isEmpty();
    }

    /** The user who approves the next authorization request; only when {@link #isOn()}. */
    String nextUser() {
        return userIds.get((int) Math.floorMod(next.getAndIncrement(), (long) userIds.size()));
    }

    /** What the standalone banner shows. */
    String describe() {
        return !isOn() ? "off (consent page)"
                : userIds.size() == 1 ? userIds.get(0) : "each of the " + userIds.size() + " users in turn";
    }
}
