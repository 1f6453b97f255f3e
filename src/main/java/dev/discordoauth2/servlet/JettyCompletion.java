package dev.discordoauth2.servlet;

import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Ends a request that {@link DiscordAuthModule} answered itself ({@code SEND_CONTINUE} or {@code SEND_FAILURE}) on
 * Jetty 12: Jetty's {@code JaspiAuthenticator} hands such a request back to Jetty as answered, and expects the module
 * to have written its answer through Jetty's core response with the request's core callback (as Jetty's own modules
 * do); written through the servlet response, the answer's body is lost and the connection then serves no further
 * request. So on Jetty the module writes into {@link #capture} (status and headers go to the response, the body is
 * kept), and {@link #answered} writes the body through the core response ({@code JaspiMessageInfo.getBaseResponse()}),
 * completing {@code JaspiMessageInfo.getCallback()}, by reflection, so that nothing of Jetty is compiled in (Jetty
 * hides its classes from applications). Other containers' messages are left alone. Thread-safe (a capture belongs to
 * one request).
 */
final class JettyCompletion {
    private static final System.Logger LOG = System.getLogger(JettyCompletion.class.getName());

    private JettyCompletion() {
    }

    /** Whether {@code messageInfo} is Jetty's {@code JaspiMessageInfo} (ee10 or ee11). */
    static boolean isJetty(MessageInfo messageInfo) {
        String name = messageInfo.getClass().getName();
        return name.startsWith("org.eclipse.jetty.") && name.endsWith(".security.jaspi.JaspiMessageInfo");
    }

    /** The response the module writes to on Jetty: the body kept for {@link #answered}. */
    static Capture capture(HttpServletResponse response) {
        return new Capture(response);
    }

    /** Writes the captured body through Jetty's core response and completes the request's callback. */
    static void answered(MessageInfo messageInfo, Capture capture) {
        byte[] body = capture.body();
        try {
            ClassLoader jetty = messageInfo.getClass().getClassLoader();
            Object callback = messageInfo.getClass().getMethod("getCallback").invoke(messageInfo);
            Object core = messageInfo.getClass().getMethod("getBaseResponse").invoke(messageInfo);
            Class<?> callbackType = Class.forName("org.eclipse.jetty.util.Callback", false, jetty);
            Class<?> sink = Class.forName("org.eclipse.jetty.io.Content$Sink", false, jetty);
            Method write = sink.getMethod("write", boolean.class, ByteBuffer.class, callbackType);
            write.invoke(core, true, ByteBuffer.wrap(body), callback);
        } catch (InvocationTargetException e) {
            LOG.log(System.Logger.Level.ERROR, "Jetty refused the module's answer: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "writing the module's answer on Jetty failed (this Jetty's "
                    + "JaspiMessageInfo lacks getCallback() or getBaseResponse()?): " + e);
        }
    }

    /** Keeps the body the module writes; status, headers and cookies go to the response itself. */
    static final class Capture extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private PrintWriter writer;

        Capture(HttpServletResponse response) {
            super(response);
        }

        byte[] body() {
            if (writer != null) {
                writer.flush();
            }
            return body.toByteArray();
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    body.write(b, off, len);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new IllegalStateException("the module writes blocking");
                }
            };
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                writer = new PrintWriter(new OutputStreamWriter(body, charset));
            }
            return writer;
        }

        @Override
        public void flushBuffer() {
        }

        @Override
        public void resetBuffer() {
            body.reset();
        }

        @Override
        public void reset() {
            super.reset();
            body.reset();
        }

        /** The status, with its message as plain text (the container's error page cannot run here). */
        @Override
        public void sendError(int status, String message) {
            setStatus(status);
            setContentType("text/plain;charset=UTF-8");
            body.reset();
            body.writeBytes((message == null ? "" : message).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void sendError(int status) {
            sendError(status, null);
        }

        @Override
        public void sendRedirect(String location) {
            setStatus(302);
            setHeader("Location", location);
        }
    }
}
