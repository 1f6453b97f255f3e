package dev.discordoauth2.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what the JDK client will not send: a POST without {@code Content-Length}, a path
 * with a malformed escape, a {@code Host} of the caller's choosing or none. The request is sent exactly as given (plus
 * {@code Host}, unless a header line gives one, and {@code Connection: close}), and the answer read until the server
 * closes the connection.
 */
final class RawHttp {
    /** A parsed answer: status, headers (names in lower case, last value wins) and body text. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code "<requestLine>\r\n<headers>\r\n\r\n<body>"} to the emulator, with the emulator's own
     * {@code Host} unless {@code headerLines} has a {@code Host} line.
     *
     * @param headerLines header lines such as {@code "Content-Type: application/json"}
     * @param body        bytes sent after the headers, as they are (may be {@code ""})
     */
    static Answer send(DiscordEmulator discord, String requestLine, String body, String... headerLines) {
        URI base = discord.apiBaseUri();
        for (String line : headerLines) {
            if (line.regionMatches(true, 0, "Host:", 0, 5)) {
                return sendWithoutHost(discord, requestLine, body, headerLines);
            }
        }
        return sendWithoutHost(discord, requestLine, body,
                prepend("Host: " + base.getHost() + ':' + base.getPort(), headerLines));
    }

    /** As {@link #send}, but adds no {@code Host} line: the request has only the ones {@code headerLines} give. */
    static Answer sendWithoutHost(DiscordEmulator discord, String requestLine, String body, String... headerLines) {
        URI base = discord.apiBaseUri();
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n").append(body);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return parse(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Answer parse(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end < 0 ? text.length() : end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = end < 0 ? "" : text.substring(end + 4);
        return new Answer(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
}
