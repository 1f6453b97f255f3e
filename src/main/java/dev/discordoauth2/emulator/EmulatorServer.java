package dev.discordoauth2.emulator;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The emulator's HTTP server: the JDK's own, on a loopback port, with a pool of daemon worker threads; the emulated
 * API at {@code /} and, when given, the admin API at {@link AdminApi#PATH}. It sets no system property; the first
 * server of a JVM without {@code -Dsun.net.httpserver.nodelay=true} logs once (INFO) that answers may be slow (see
 * {@code EmulatorMain#main} for why). Thread-safe.
 */
final class EmulatorServer {
    private static final System.Logger LOG = System.getLogger(DiscordEmulator.class.getName());
    /** Whether this JVM was told, once, that its JDK server runs without {@code TCP_NODELAY}. */
    private static final AtomicBoolean NODELAY_HINTED = new AtomicBoolean();

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI baseUri;

    /**
     * Binds and starts.
     *
     * @param admin the admin API's handler, or {@code null} to serve none
     */
    EmulatorServer(int port, int threads, HttpHandler api, HttpHandler admin) throws IOException {
        if (!Boolean.getBoolean(EmulatorMain.NODELAY) && NODELAY_HINTED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "Discord emulator: " + EmulatorMain.NODELAY + " is not true in this "
                    + "JVM, so each answer may wait ~40 ms for the client's delayed ACK; start the JVM with -D"
                    + EmulatorMain.NODELAY + "=true");
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = HttpServer.create(new InetSocketAddress(loopback, port), 128);
        this.executor = Executors.newFixedThreadPool(threads, new DaemonThreads());
        server.setExecutor(executor);
        server.createContext("/", api);
        if (admin != null) {
            server.createContext(AdminApi.PATH, admin);
        }
        server.start();
        this.baseUri = URI.create("http://" + loopback.getHostAddress() + ":" + server.getAddress().getPort());
    }

    /** {@code http://127.0.0.1:<port>}. */
    URI baseUri() {
        return baseUri;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once; requests in flight are cut off. */
    void stop() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "discord-emulator-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
