package dev.discordoauth2.testkit;

import dev.discordoauth2.emulator.DiscordEmulator;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * "The next login is user X" for one {@link DiscordEmulator}, in the spirit of mock-oauth2-server's
 * {@code enqueueCallback}: a queue of decisions ({@link #as(String)}, {@link #cancelled()}) that a {@link TestBrowser}
 * takes, oldest first, each time it is shown that emulator's consent page, and submits as the user would (the
 * emulator then redirects to the application with a code for that user, and sets its "logged in as" cookie as for any
 * consent). With nothing queued the browser gets the consent page itself. The queue lives in the test kit, not in the
 * emulator: it is applied by {@code TestBrowser} only, so a real browser (Selenium) still sees the consent page, and an
 * emulator started with {@code autoApprove} approves before any queued decision is looked at. Found by the emulator's
 * address ({@link #of(DiscordEmulator)}); {@link DiscordEmulatorExtension} empties it before each test and forgets it
 * when it closes the emulator. Thread-safe.
 */
public final class NextLogins {
    private static final ConcurrentHashMap<String, NextLogins> BY_ORIGIN = new ConcurrentHashMap<>();

    /** One queued consent decision: approve as a user (with an optional server for bot flows), or cancel. */
    record Decision(String userId, String guildId) {
        boolean approve() {
            return userId != null;
        }
    }

    private final String origin;
    private final ConcurrentLinkedQueue<Decision> queue = new ConcurrentLinkedQueue<>();

    private NextLogins(String origin) {
        this.origin = origin;
    }

    /** The queue of this emulator (one per emulator address, made on first use). */
    public static NextLogins of(DiscordEmulator emulator) {
        String origin = origin(Objects.requireNonNull(emulator, "emulator must not be null").baseUri());
        return BY_ORIGIN.computeIfAbsent(origin, NextLogins::new);
    }

    /** The queue of the emulator serving {@code uri}, if one was made. */
    static Optional<NextLogins> serving(URI uri) {
        return uri.getHost() == null ? Optional.empty() : Optional.ofNullable(BY_ORIGIN.get(origin(uri)));
    }

    /** Drops the queue of a closed emulator, so that a later emulator on the same port starts with none. */
    static void forget(DiscordEmulator emulator) {
        BY_ORIGIN.remove(origin(emulator.baseUri()));
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    /** The next consent page a {@code TestBrowser} meets on this emulator is approved as {@code userId}. */
    public NextLogins as(String userId) {
        queue.add(new Decision(Objects.requireNonNull(userId, "userId must not be null"), null));
        return this;
    }

    /** As {@link #as(String)}, choosing {@code guildId} where the page asks for a server (bot, webhook scopes). */
    public NextLogins as(String userId, String guildId) {
        queue.add(new Decision(Objects.requireNonNull(userId, "userId must not be null"),
                Objects.requireNonNull(guildId, "guildId must not be null")));
        return this;
    }

    /** The next consent page is cancelled ("Cancel"): Discord answers the application with {@code access_denied}. */
    public NextLogins cancelled() {
        queue.add(new Decision(null, null));
        return this;
    }

    /** How many decisions are still queued. */
    public int pending() {
        return queue.size();
    }

    /** Drops every queued decision. */
    public void clear() {
        queue.clear();
    }

    Decision take() {
        return queue.poll();
    }

    @Override
    public String toString() {
        return "NextLogins[" + origin + ", pending=" + queue.size() + "]";
    }
}
