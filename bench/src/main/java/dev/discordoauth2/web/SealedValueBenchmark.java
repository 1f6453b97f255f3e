package dev.discordoauth2.web;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: sealing and opening a value of a login cookie's size (300 bytes, what an {@code identify email guilds} login
 * with a role seals) with {@link KeyRing}, in the core's package to reach it.
 * <ul>
 *   <li>{@code open}, {@code seal}: the ring as it is, with one cipher per thread kept between values;</li>
 *   <li>{@code openWithANewCipher}: the same open with a cipher made and keyed for the value
 *       ({@code Cipher.getInstance} and the AES key expansion each time), what every cookie-mode request paid before
 *       the ring kept its cipher: the ratio of the two is what keeping it saves.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SealedValueBenchmark {
    private static final String USER = "80351110224678912";

    private KeyRing ring;
    private byte[] plaintext;
    private String sealed;
    private SecretKeySpec key;

    @Setup
    public void setUp() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        ring = KeyRing.parse("discord.cookie-keys", "k1:" + Base64.getEncoder().encodeToString(bytes));
        key = new SecretKeySpec(bytes, "AES");
        plaintext = new byte[300];
        Arrays.fill(plaintext, (byte) 'x');
        sealed = ring.sealBytes(USER, plaintext);
    }

    @Benchmark
    public byte[] open() {
        return ring.openBytes(USER, sealed).orElseThrow();
    }

    @Benchmark
    public String seal() {
        return ring.sealBytes(USER, plaintext);
    }

    @Benchmark
    public byte[] openWithANewCipher() throws Exception {
        // the ring's open before it kept its cipher: the same split and decoding, a new cipher per value
        String[] parts = sealed.split("\\.", -1);
        byte[] n = Base64.getUrlDecoder().decode(parts[1]);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, n));
        cipher.updateAAD(USER.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(Base64.getUrlDecoder().decode(parts[2]));
    }
}
