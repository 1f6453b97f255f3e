package dev.discordoauth2.testkit;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An {@link HttpServletResponse} for unit tests of servlets without a container that records what the servlet did:
 * {@link #getStatus()} (200 until set), headers, cookies, {@link #redirectedTo()} ({@code sendRedirect} sets 302 and
 * {@code Location}), {@link #errorMessage()} ({@code sendError}), and the body written through {@code getWriter()} or
 * {@code getOutputStream()} ({@link #body()}). Methods it does not model answer their type's default. Not thread-safe
 * (a servlet writes one response from one thread).
 */
public final class TestResponse extends HttpServletResponseWrapper {
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final List<Cookie> cookies = new ArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int status = 200;
    private String redirect;
    private String errorMessage;
    private String contentType;
    private String encoding;
    private PrintWriter writer;
    private ServletOutputStream stream;
    private boolean committed;

    public TestResponse() {
        super(Fakes.nothing(HttpServletResponse.class));
    }

    /** Where {@code sendRedirect} sent the browser (as given), or null. */
    public String redirectedTo() {
        return redirect;
    }

    /** The message of {@code sendError(status, message)}, or null. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The body so far, decoded with the response's character encoding (UTF-8 unless set). */
    public String body() {
        if (writer != null) {
            writer.flush();
        }
        return bytes.toString(charset());
    }

    /** The cookies added, in order. */
    public List<Cookie> cookies() {
        return List.copyOf(cookies);
    }

    private Charset charset() {
        return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void sendError(int sc, String msg) {
        status = sc;
        errorMessage = msg;
        committed = true;
    }

    @Override
    public void sendError(int sc) {
        sendError(sc, null);
    }

    @Override
    public void sendRedirect(String location) {
        status = 302;
        redirect = location;
        setHeader("Location", location);
        committed = true;
    }

    @Override
    public void setHeader(String name, String value) {
        if (value == null) {
            headers.remove(name.toLowerCase(Locale.ROOT));
        } else {
            headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(value)));
        }
        if (name.equalsIgnoreCase("Content-Type")) {
            contentType = value;
        }
    }

    @Override
    public void addHeader(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, Long.toString(date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, Long.toString(date));
    }

    @Override
    public boolean containsHeader(String name) {
        return headers.containsKey(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String getHeader(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return List.copyOf(headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }

    @Override
    public Collection<String> getHeaderNames() {
        return List.copyOf(headers.keySet());
    }

    @Override
    public void addCookie(Cookie cookie) {
        cookies.add(cookie);
    }

    @Override
    public void setContentType(String type) {
        contentType = type;
        if (type != null) {
            headers.put("content-type", new ArrayList<>(List.of(type)));
            int cs = type.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (cs >= 0) {
                encoding = type.substring(cs + 8).trim();
            }
        }
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public void setCharacterEncoding(String charset) {
        encoding = charset;
    }

    @Override
    public String getCharacterEncoding() {
        return charset().name();
    }

    @Override
    public PrintWriter getWriter() {
        if (stream != null) {
            throw new IllegalStateException("getOutputStream() was called");
        }
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(bytes, charset()), true);
        }
        return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was called");
        }
        if (stream == null) {
            stream = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("no async I/O in TestResponse");
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }
            };
        }
        return stream;
    }

    @Override
    public void flushBuffer() {
        committed = true;
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public void reset() {
        if (committed) {
            throw new IllegalStateException("committed");
        }
        headers.clear();
        cookies.clear();
        bytes.reset();
        status = 200;
    }

    @Override
    public void resetBuffer() {
        if (committed) {
            throw new IllegalStateException("committed");
        }
        bytes.reset();
    }

    @Override
    public String toString() {
        return "TestResponse[" + status + (redirect == null ? "" : " -> " + redirect) + "]";
    }
}
