package dev.discordoauth2.web;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a step of the login decided for a request, as a value the front door renders in its own terms (the filter's
 * chain, an {@code AuthenticationStatus}, {@code sendError} with request attributes): go on (a user, or nobody), a
 * redirect, a page, or a JSON answer for a script. Every answer the library writes itself is one of these; the
 * front doors add {@code Cache-Control: no-store}. Immutable and thread-safe.
 */
public sealed interface Outcome permits Outcome.Pass, Outcome.Redirect, Outcome.Page, Outcome.Json {

    /**
     * Whether the browser goes on after this answer (a redirect or an informational page: Jakarta Security's
     * {@code SEND_CONTINUE}) rather than being refused ({@code SEND_FAILURE}); a {@link Pass} goes on too.
     */
    boolean goesOn();

    /**
     * The request goes on to the application: as {@code principal} with {@code groups}, or as nobody when
     * {@code principal} is null (a public resource).
     */
    record Pass(DiscordPrincipal principal, Set<String> groups) implements Outcome {
        static final Pass NOBODY = new Pass(null, Set.of());

        public Pass {
            groups = Set.copyOf(groups);
        }

        @Override
        public boolean goesOn() {
            return true;
        }
    }

    /**
     * A redirect ({@code status} 302 or 303) to an absolute {@code location}, with the cookies to set;
     * {@code session} when the response may carry a session cookie the library caused (a login started, the id
     * changed at login), which the front door gives the library's cookie defaults.
     */
    record Redirect(String location, int status, List<Cookie> cookies, boolean session) implements Outcome {
        public Redirect {
            cookies = List.copyOf(cookies);
        }

        static Redirect to(String location) {
            return new Redirect(location, 302, List.of(), false);
        }

        Redirect withCookies(List<Cookie> more) {
            return new Redirect(location, status, more, session);
        }

        @Override
        public boolean goesOn() {
            return true;
        }
    }

    /**
     * A page for a person: the failure (its status, code and title), the message shown, an optional link
     * ({@code link} absolute, or null) with its text, {@code retryAfter} seconds for retry pages (0 for none), a
     * {@code refresh} URL the page reloads after a second (or null), extra headers (such as {@code Allow}) and
     * cookies.
     */
    record Page(Failure failure, String message, String link, String linkText, long retryAfter, String refresh,
            Map<String, String> headers, List<Cookie> cookies) implements Outcome {
        public Page {
            headers = Map.copyOf(headers);
            cookies = List.copyOf(cookies);
        }

        static Page of(Failure failure) {
            return new Page(failure, failure.message(), null, null, 0, null, Map.of(), List.of());
        }

        Page link(String href, String text) {
            return new Page(failure, message, href, text, retryAfter, refresh, headers, cookies);
        }

        Page message(String text) {
            return new Page(failure, text, link, linkText, retryAfter, refresh, headers, cookies);
        }

        Page retryAfter(long seconds) {
            return new Page(failure, message, link, linkText, Math.max(1, Math.min(seconds, 86_400)), refresh,
                    headers, cookies);
        }

        Page refresh(String url) {
            return new Page(failure, message, link, linkText, retryAfter, url, headers, cookies);
        }

        Page header(String name, String value) {
            Map<String, String> more = new java.util.LinkedHashMap<>(headers);
            more.put(name, value);
            return new Page(failure, message, link, linkText, retryAfter, refresh, more, cookies);
        }

        Page cookies(List<Cookie> more) {
            return new Page(failure, message, link, linkText, retryAfter, refresh, headers, more);
        }

        public int status() {
            return failure.status();
        }

        @Override
        public boolean goesOn() {
            return failure.status() < 400;
        }
    }

    /**
     * A JSON answer for a script ({@code fetch}, XHR, API clients): {@code status}, the body, a
     * {@code WWW-Authenticate} value (or null) and {@code retryAfter} seconds (0 for none).
     */
    record Json(int status, String body, String wwwAuthenticate, long retryAfter) implements Outcome {
        @Override
        public boolean goesOn() {
            return false;
        }
    }

    /** A cookie the library sets itself, {@code HttpOnly} and {@code SameSite=Lax}; {@code maxAge} 0 deletes it. */
    record Cookie(String name, String value, String path, int maxAge) {
    }

    /**
     * The library's failures and pages: the status, a short machine-readable code (also in the request attribute
     * {@code dev.discordoauth2.error.code} for the application's own error pages), a title and a message for
     * people.
     */
    enum Failure {
        MISSING_STATE(400, "missing_state", "Login failed",
                "The answer from Discord carries no state. Start the login again."),
        INVALID_STATE(400, "invalid_state", "Login expired or already used",
                "This login link is unknown, was already used, or has expired. Start the login again."),
        STATE_NOT_STORED_YET(503, "state_not_stored_yet", "Finishing the login",
                "This server has not seen the start of your login yet. This page loads again in a second."),
        LOGIN_CANCELLED(200, "login_cancelled", "Login cancelled",
                "You cancelled the login with Discord. Nothing was shared with this application."),
        AUTHORIZATION_ERROR(400, "authorization_error", "Login failed", "Discord did not complete the login."),
        MISSING_CODE(400, "missing_code", "Login failed", "The answer from Discord carries no valid code."),
        LOGIN_BUSY(503, "login_busy", "Too many logins at once",
                "Many people are logging in right now. Please try again in a few seconds."),
        DISCORD_TIMEOUT(503, "discord_timeout", "Discord is not answering",
                "Discord did not answer in time. Please try again in a few seconds."),
        DISCORD_BUSY(503, "discord_busy", "Discord is busy",
                "Discord is limiting requests right now. Please try again shortly."),
        DISCORD_UNREACHABLE(503, "discord_unreachable", "Discord is not answering",
                "Discord could not be reached. Please try again in a few seconds."),
        DISCORD_BAD_ANSWER(502, "discord_bad_answer", "Discord answered wrongly",
                "Discord's answer could not be used. Please try again in a few seconds."),
        DISCORD_UNAVAILABLE(503, "discord_unavailable", "Discord is not answering",
                "Your login is kept, but Discord did not answer in time. Please try again in a few seconds."),
        STORE_UNAVAILABLE(503, "store_unavailable", "Service unavailable",
                "The login could not be stored just now. Please try again in a few seconds."),
        INVALID_GRANT(400, "invalid_grant", "Login expired or already used",
                "Discord no longer accepts this login. Start the login again."),
        LOGIN_REFUSED(400, "login_refused", "Login failed", "Discord did not accept the login. Please try again."),
        EMAIL_NOT_VERIFIED(403, "email_not_verified", "E-mail address not verified",
                "This application needs a Discord account with a verified e-mail address."),
        NOT_A_MEMBER(403, "not_a_member", "Members only",
                "This application is for the members of its Discord server."),
        SESSION_ENDED(400, "session_ended", "Login expired",
                "The session ended during the login. Start the login again."),
        SESSION_IN_URL(400, "session_in_url", "Login refused",
                "This address carries a session identifier. Open the application's own page and log in from "
                        + "there."),
        BAD_REQUEST(400, "bad_request", "Bad request", "This address is malformed. Start the login again."),
        METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed",
                "Log out with a POST request (a form button)."),
        CROSS_SITE_REQUEST(403, "cross_site_request", "Forbidden", "Log out from this application's own pages."),
        UNAUTHORIZED(401, "unauthorized", "Log in first", "Log in with Discord first."),
        LINKED_ROLES_CONNECTED(200, "linked_roles_connected", "Connected",
                "Your account is connected. Return to Discord: your linked roles follow it there."),
        LINKED_ROLES_NO_ACCOUNT(200, "linked_roles_no_account", "Nothing to connect yet",
                "This application has nothing to share with Discord for your account yet."),
        LINKED_ROLES_CANCELLED(200, "linked_roles_cancelled", "Connection cancelled",
                "You cancelled the connection with Discord. Nothing was shared with this application."),
        LINKED_ROLES_FAILED(503, "linked_roles_failed", "Not connected yet",
                "You are logged in, but Discord did not take the connection. Please try again in a few seconds."),
        LINKED_ROLES_NOT_OFFERED(404, "linked_roles_not_offered", "Not found",
                "This application does not offer linked roles."),
        BOT_ADDED(200, "bot_added", "Added to the server", "The bot was added to the server."),
        BOT_CANCELLED(200, "bot_cancelled", "Not added",
                "You cancelled adding the bot. Nothing was changed on the server."),
        BOT_NOT_ADDED(502, "bot_not_added", "Not added",
                "Discord did not say which server the bot was added to. Please try again."),
        NOT_CONFIGURED(503, "not_configured", "Service unavailable",
                "The login of this application is not configured. Its administrator has been told why in the "
                        + "server log."),
        INTERNAL_ERROR(503, "internal_error", "Service unavailable",
                "Something went wrong on our side. Please try again later.");

        private final int status;
        private final String code;
        private final String title;
        private final String message;

        Failure(int status, String code, String title, String message) {
            this.status = status;
            this.code = code;
            this.title = title;
            this.message = message;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        public String title() {
            return title;
        }

        public String message() {
            return message;
        }
    }
}
