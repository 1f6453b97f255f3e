package dev.discordoauth2.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The small HTML pages the web components answer with: errors and "login cancelled". Never a stack trace. */
final class WebPages {
    private WebPages() {
    }

    static void send(HttpServletResponse response, int status, String title, String message, String linkHref,
            String linkText) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        StringBuilder html = new StringBuilder(512).append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(escape(title)).append("</title><style>body{font-family:system-ui,sans-serif;")
                .append("max-width:36rem;margin:4rem auto;padding:0 1rem;color:#23272a}a{color:#5865f2}</style>")
                .append("</head><body><h1>").append(escape(title)).append("</h1><p>").append(escape(message))
                .append("</p>");
        if (linkHref != null) {
            html.append("<p><a id=\"retry\" href=\"").append(escape(linkHref)).append("\">").append(escape(linkText))
                    .append("</a></p>");
        }
        html.append("</body></html>");
        byte[] bytes = html.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** A header value for a log line: at most 100 characters, control characters replaced. */
    static String printable(String s) {
        if (s == null) {
            return "none";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && i < 100; i++) {
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
