package dev.discordoauth2.emulator;

import com.sun.net.httpserver.Headers;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may use the admin API: loopback callers asking for a loopback host, not forwarded for another client and not
 * sent by a web page of another origin (see {@link #refusal}). Stateless.
 */
final class AdminAccess {
    /** Headers in which proxies and CDNs name the client they forward for, as one address or a list. */
    private static final List<String> CLIENT_HEADERS =
            List.of("X-Forwarded-For", "X-Real-IP", "True-Client-IP", "CF-Connecting-IP", "X-Client-IP");
    private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)for=(\"[^\"]*\"|[^;,\\s]+)");
    /**
     * {@code localhost}, {@code 127.x.x.x} or {@code [IPv6]} (group 1, checked for loopback; with a colon, so that
     * {@link InetAddress#getByName} parses it and never looks it up), each with an optional port.
     */
    private static final Pattern LOOPBACK_HOST = Pattern.compile(
            "(?i)(?:localhost|127(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
                    + "|\\[([0-9a-f.]*:[0-9a-f:.]*)])(?::[0-9]{1,5})?");

    private AdminAccess() {
    }

    /**
     * Why the caller may not use the admin API, or empty when it may: its address must be loopback; {@code Host} (or
     * the authority of an absolute request target) must be {@code localhost} or a loopback literal, so that a
     * DNS-rebinding page, which reaches loopback under its own host name, is refused; no header that proxies use to
     * name the client ({@code X-Forwarded-For}, {@code Forwarded}'s {@code for=}, {@code X-Real-IP},
     * {@code True-Client-IP}, {@code CF-Connecting-IP}, {@code X-Client-IP}) may name a host that is not loopback; and
     * an {@code Origin} (sent by browsers) must be a loopback one.
     */
    static Optional<String> refusal(InetAddress remote, URI target, Headers headers) {
        if (remote == null || !remote.isLoopbackAddress()) {
            return Optional.of("the admin API answers loopback callers only");
        }
        List<String> hosts = headers.getOrDefault("Host", List.of());
        if (hosts.size() != 1 || !isLoopbackHost(hosts.get(0))
                || target.getRawAuthority() != null && !isLoopbackHost(target.getRawAuthority())) {
            return Optional.of("the admin API answers only requests for localhost or a loopback address as Host");
        }
        for (String header : CLIENT_HEADERS) {
            for (String value : headers.getOrDefault(header, List.of())) {
                for (String host : value.split(",")) {
                    if (!isLoopbackLiteral(host)) {
                        return Optional.of("the admin API answers loopback callers only; " + header
                                + " names another client");
                    }
                }
            }
        }
        for (String value : headers.getOrDefault("Forwarded", List.of())) {
            Matcher m = FORWARDED_FOR.matcher(value);
            while (m.find()) {
                if (!isLoopbackLiteral(m.group(1))) {
                    return Optional.of("the admin API answers loopback callers only; Forwarded names another client");
                }
            }
        }
        String origin = headers.getFirst("Origin");
        if (origin != null) {
            String host;
            try {
                host = URI.create(origin.trim()).getHost();
            } catch (IllegalArgumentException e) {
                host = null;
            }
            if (host == null || !isLoopbackLiteral(host)) {
                return Optional.of("the admin API refuses requests from web pages of another origin");
            }
        }
        return Optional.empty();
    }

    /**
     * A {@code Host} value the admin API accepts: {@code localhost} (any case), {@code 127.x.x.x} or a bracketed
     * loopback IPv6 literal such as {@code [::1]}, each with an optional port. Nothing else: not a name that merely
     * starts with one of them ({@code 127.0.0.1.evil.example}), not a user part, not an empty value.
     */
    private static boolean isLoopbackHost(String value) {
        Matcher m = LOOPBACK_HOST.matcher(value.trim());
        if (!m.matches()) {
            return false;
        }
        if (m.group(1) == null) {
            return true;
        }
        try {
            return InetAddress.getByName(m.group(1)).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A loopback address written as a literal ({@code 127.0.0.1}, {@code [::1]:8080}) or {@code localhost}. */
    static boolean isLoopbackLiteral(String text) {
        String host = text.trim().replace("\"", "");
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close < 0 ? host : host.substring(1, close);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.contains(":")) {
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return host.startsWith("127.");
        }
        if (host.contains(":") && host.matches("[0-9a-fA-F:.]+")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
