package dev.discordoauth2.servlet;

import dev.discordoauth2.web.LoginCore;
import dev.discordoauth2.web.Outcome;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The pages the web components answer with (errors, retry pages, "login cancelled"), in one small style, never with a
 * stack trace. Each failure is also described in request attributes ({@link DiscordAuth#ERROR_CODE} and the others):
 * with {@code discord.error-pages=container} an error status is sent with {@code sendError}, so that the
 * application's own {@code <error-page>} renders it from those attributes. Stateless.
 */
final class WebPages {
    private static final System.Logger LOG = System.getLogger(WebPages.class.getName());
    private static final String STYLE = "*{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;"
            + "align-items:center;justify-content:center;background:#f2f3f5;color:#2e3338;"
            + "font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
            + "main{background:#fff;max-width:30rem;width:calc(100% - 2rem);padding:2rem 2.25rem;border-radius:12px;"
            + "box-shadow:0 2px 10px rgba(0,0,0,.08);border-top:6px solid #5865f2}"
            + "main.error{border-top-color:#ed4245}main.retry{border-top-color:#fee75c}"
            + "h1{margin:0 0 .5rem;font-size:1.35rem}p{margin:.5rem 0}.code{color:#6a7480;font-size:.8rem}"
            + "a.button{display:inline-block;margin-top:1rem;padding:.55rem 1.1rem;border-radius:6px;background:#5865f2;"
            + "color:#fff;text-decoration:none;font-weight:600}a.button:hover{background:#4752c4}";

    private WebPages() {
    }

    /**
     * Writes {@code outcome} to the response (nothing for {@link Outcome.Pass}); returns whether the browser goes on
     * ({@link Outcome#goesOn()}). Every answer is {@code Cache-Control: no-store}; a redirect that may carry a session
     * cookie the library caused gets the cookie defaults ({@link SessionCookies}); {@code core} null when the login
     * is not configured.
     */
    static boolean render(Outcome outcome, HttpServletRequest request, HttpServletResponse response, LoginCore core)
            throws IOException {
        LoginCookies.write(request, response, core);
        if (outcome instanceof Outcome.Pass) {
            return true;
        }
        if (outcome instanceof Outcome.Redirect redirect) {
            cookies(request, response, redirect.cookies());
            response.setHeader("Cache-Control", "no-store");
            if (redirect.session() && core != null) {
                harden(request, response, core);
            }
            if (redirect.status() == 302) {
                response.sendRedirect(redirect.location());
            } else {
                response.setStatus(redirect.status());
                response.setHeader("Location", redirect.location());
            }
            return true;
        }
        if (outcome instanceof Outcome.Json json) {
            if (json.wwwAuthenticate() != null) {
                response.setHeader("WWW-Authenticate", json.wwwAuthenticate());
            }
            if (json.retryAfter() > 0) {
                response.setHeader("Retry-After", Long.toString(json.retryAfter()));
                request.setAttribute(DiscordAuth.ERROR_RETRY_AFTER, json.retryAfter());
            }
            json(response, json.status(), json.body());
            return false;
        }
        Outcome.Page page = (Outcome.Page) outcome;
        cookies(request, response, page.cookies());
        page.headers().forEach(response::setHeader);
        if (page.retryAfter() > 0) {
            response.setHeader("Retry-After", Long.toString(page.retryAfter()));
            request.setAttribute(DiscordAuth.ERROR_RETRY_AFTER, page.retryAfter());
        }
        if (page.refresh() != null) {
            response.setHeader("Refresh", "1; url=" + page.refresh());
        }
        send(request, response, page.status(), page.failure().code(), page.failure().title(), page.message(),
                page.link(), page.linkText(), core != null && core.config().containerErrorPages());
        return page.goesOn();
    }

    /** The session-cookie fallback of {@link SessionCookies}, when {@code discord.session-cookie-defaults} is on. */
    static void harden(HttpServletRequest request, HttpServletResponse response, LoginCore core) {
        if (core.config().sessionCookieDefaults()) {
            SessionCookies.harden(request.getServletContext(), response,
                    core.secureCookies(new ServletExchange(request)));
        }
    }

    private static void cookies(HttpServletRequest request, HttpServletResponse response,
            java.util.List<Outcome.Cookie> cookies) {
        for (Outcome.Cookie c : cookies) {
            jakarta.servlet.http.Cookie cookie = new jakarta.servlet.http.Cookie(c.name(), c.value());
            cookie.setPath(c.path());
            cookie.setMaxAge(c.maxAge());
            cookie.setHttpOnly(true);
            cookie.setSecure(request.isSecure());
            cookie.setAttribute("SameSite", "Lax");
            response.addCookie(cookie);
        }
    }

    /**
     * Answers with a page: {@code status}, a short machine-readable {@code code} (e.g. {@code invalid_state}), a
     * title, a message, and an optional link ({@code linkHref} null for none).
     */
    static void send(HttpServletRequest request, HttpServletResponse response, int status, String code, String title,
            String message, String linkHref, String linkText, boolean containerPages) throws IOException {
        request.setAttribute(DiscordAuth.ERROR_CODE, code);
        request.setAttribute(DiscordAuth.ERROR_TITLE, title);
        request.setAttribute(DiscordAuth.ERROR_MESSAGE, message);
        if (linkHref != null) {
            request.setAttribute(DiscordAuth.ERROR_RETRY_URL, linkHref);
        }
        response.setHeader("Cache-Control", "no-store");
        if (status >= 400 && containerPages) {
            response.sendError(status, message);
            return;
        }
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        String kind = status >= 500 ? "retry" : status >= 400 ? "error" : "info";
        StringBuilder html = new StringBuilder(1536).append("<!DOCTYPE html><html lang=\"en\"><head>")
                .append("<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex\"><title>").append(escape(title))
                .append("</title><link rel=\"icon\" href=\"data:,\"><style>").append(STYLE).append("</style></head>")
                .append("<body><main class=\"").append(kind).append("\"><h1>").append(escape(title)).append("</h1><p>")
                .append(escape(message)).append("</p>");
        if (linkHref != null) {
            html.append("<p><a id=\"retry\" class=\"button\" href=\"").append(escape(linkHref)).append("\">")
                    .append(escape(linkText)).append("</a></p>");
        }
        if (status >= 400) {
            html.append("<p class=\"code\">").append(status).append(" · ").append(escape(code)).append("</p>");
        }
        html.append("</main></body></html>");
        byte[] bytes = html.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * The fail-closed answer of a component whose configuration is invalid: 503, the reason only in the log; a page
     * for a browser's navigation, JSON for anything else (a script's {@code fetch}).
     */
    static void notConfigured(HttpServletRequest request, HttpServletResponse response) throws IOException {
        refuse(request, response, Outcome.Failure.NOT_CONFIGURED);
    }

    /** A refusal without a link: a page for a browser's navigation, JSON with the same status for anything else. */
    static void refuse(HttpServletRequest request, HttpServletResponse response, Outcome.Failure failure)
            throws IOException {
        request.setAttribute(DiscordAuth.ERROR_CODE, failure.code());
        request.setAttribute(DiscordAuth.ERROR_TITLE, failure.title());
        request.setAttribute(DiscordAuth.ERROR_MESSAGE, failure.message());
        render(LoginCore.refuse(new ServletExchange(request), failure), request, response,
                Cores.of(request.getServletContext()));
    }

    /** A JSON answer, not to be cached. */
    static void json(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * What a front door does with anything its own work threw (a defect, or a jar missing at run time such as a
     * {@code NoClassDefFoundError}): one log line naming the component and the throwable (its class and message,
     * which never carry a token), and a 503 to the user (fail closed: nothing is let through, no stack trace shown),
     * unless the response was already sent. Never throws.
     */
    static void failClosed(HttpServletRequest request, HttpServletResponse response, Throwable failure,
            String component) {
        LOG.log(System.Logger.Level.ERROR, component + " failed and answered 503, letting nothing through: "
                + failure.getClass().getName() + ": " + printable(failure.getMessage()));
        LOG.log(System.Logger.Level.DEBUG, () -> component + " failure", failure);
        try {
            if (!response.isCommitted()) {
                response.reset();
                refuse(request, response, Outcome.Failure.INTERNAL_ERROR);
            }
        } catch (Throwable again) {
            // the response cannot be written either: the container answers, and nothing was let through
            LOG.log(System.Logger.Level.DEBUG, () -> component + " could not write its 503: " + again);
        }
    }

    /** A header value or message for a log line: at most 200 characters, control characters replaced. */
    static String printable(String s) {
        if (s == null) {
            return "none";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
