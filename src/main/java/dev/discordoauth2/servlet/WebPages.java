package dev.discordoauth2.servlet;

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
     * Answers with a page: {@code status}, a short machine-readable {@code code} (e.g. {@code invalid_state}), a
     * title, a message, and an optional link ({@code linkHref} null for none).
     */
    static void send(HttpServletRequest request, HttpServletResponse response, int status, String code, String title,
            String message, String linkHref, String linkText) throws IOException {
        request.setAttribute(DiscordAuth.ERROR_CODE, code);
        request.setAttribute(DiscordAuth.ERROR_TITLE, title);
        request.setAttribute(DiscordAuth.ERROR_MESSAGE, message);
        if (linkHref != null) {
            request.setAttribute(DiscordAuth.ERROR_RETRY_URL, linkHref);
        }
        response.setHeader("Cache-Control", "no-store");
        if (status >= 400 && containerPages(request)) {
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
        refuse(request, response, 503, "not_configured", "Service unavailable", "The login of this application is not "
                + "configured. Its administrator has been told why in the server log.");
    }

    /**
     * A refusal without a link: the page of {@link #send} for a browser's navigation, and for anything else (XHR,
     * {@code fetch}, JSON clients) {@code {"error": code, "message": message}} with the same status.
     */
    static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String code,
            String title, String message) throws IOException {
        if (ReturnPaths.isNavigation(request)) {
            send(request, response, status, code, title, message, null, null);
            return;
        }
        request.setAttribute(DiscordAuth.ERROR_CODE, code);
        request.setAttribute(DiscordAuth.ERROR_TITLE, title);
        request.setAttribute(DiscordAuth.ERROR_MESSAGE, message);
        json(response, status, "{\"error\":\"" + code + "\",\"message\":\"" + LoginFlow.jsonEscape(message) + "\"}");
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
                refuse(request, response, 503, "internal_error", "Service unavailable", "Something went wrong on our "
                        + "side. Please try again later.");
            }
        } catch (Throwable again) {
            // the response cannot be written either: the container answers, and nothing was let through
            LOG.log(System.Logger.Level.DEBUG, () -> component + " could not write its 503: " + again);
        }
    }

    private static boolean containerPages(HttpServletRequest request) {
        return DiscordWeb.any(request.getServletContext()).map(web -> web.config.containerErrorPages())
                .orElse(false);
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
