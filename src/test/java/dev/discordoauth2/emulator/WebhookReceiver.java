package dev.discordoauth2.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A tiny app-side Webhook Events endpoint for the tests: a JDK HTTP server on a loopback port that checks each POST's
 * {@code X-Signature-Ed25519} over {@code X-Signature-Timestamp + body} with the emulator's published public key, as
 * Discord tells apps to (401 when it fails), and otherwise answers the status the test chose (204 by default, or a
 * number of 500s first). Records what it received.
 */
final class WebhookReceiver implements AutoCloseable {
    /** The DER prefix of an X.509 Ed25519 public key (RFC 8410), before its 32 raw bytes. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** One POST as received. */
    record Received(String body, String signature, String timestamp, boolean verified, int answered) {
    }

    private final HttpServer server;
    private final PublicKey key;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int status = 204;

    WebhookReceiver(String publicKeyHex) {
        this.key = publicKey(publicKeyHex);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-Signature-Ed25519");
            String timestamp = exchange.getRequestHeaders().getFirst("X-Signature-Timestamp");
            boolean verified = verify(signature, timestamp, body);
            int answer = !verified ? 401 : failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : status;
            received.add(new Received(new String(body, StandardCharsets.UTF_8), signature, timestamp, verified,
                    answer));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    static PublicKey publicKey(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] encoded = new byte[X509_PREFIX.length + raw.length];
        System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Discord's check: the hex signature over the timestamp followed by the raw body. */
    boolean verify(String signatureHex, String timestamp, byte[] body) {
        if (signatureHex == null || timestamp == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            return verifier.verify(HexFormat.of().parseHex(signatureHex));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    }

    /** Answers this status to correctly signed requests from now on. */
    void answer(int status) {
        this.status = status;
    }

    /** Answers 500 to the next {@code n} correctly signed requests. */
    void failNext(int n) {
        failuresLeft.set(n);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits up to 10 s for the condition. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
