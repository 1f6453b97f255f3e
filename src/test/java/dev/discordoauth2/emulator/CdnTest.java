package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.EmulatorFixture.demo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulated image CDN: the paths of reference.mdx's CDN table at the emulator's root ({@code cdnBaseUri()}), each
 * answered with a placeholder in the extension's format and content type; malformed paths, formats an endpoint does
 * not serve and sizes that are no power of two from 16 to 4096 refused. PNG, JPEG and GIF are decoded with the JDK's
 * ImageIO; WebP, which the JDK cannot read, is checked against the RIFF and VP8L headers (a browser decodes it in the
 * example's BrowserLoginIT).
 */
class CdnTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String HASH = "8342729096ea3675442027381ff50dfe";
    private static final String ANIMATED = "a_1269e74af4df7417b13759eae50c83dc";
    private DiscordEmulator discord;

    @BeforeEach
    void start() {
        discord = demo().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private HttpResponse<byte[]> get(String path) {
        return send("GET", path);
    }

    private HttpResponse<byte[]> send(String method, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(discord.cdnBaseUri() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage decode(HttpResponse<byte[]> response) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertNotNull(image, "a readable image: " + response.uri());
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void cdnBaseUriWhenStartedThenTheServersRoot() {
        assertEquals(discord.baseUri(), discord.cdnBaseUri());
    }

    @Test
    void getWhenEveryEndpointOfTheTableThenPlaceholderPng() {
        for (String path : List.of("/avatars/80351110224678912/" + HASH + ".png?size=128",
                "/embed/avatars/5.png", "/avatar-decoration-presets/a_fed43ab12698df65902ba06727e20c0e.png?size=64",
                "/banners/80351110224678912/06c16474723fe537c283b8efa61a30c8.png?size=512",
                "/icons/197038439483310086/f64c482b807da4f539cff778d174971c.png?size=64",
                "/guilds/197038439483310086/users/80351110224678912/avatars/" + HASH + ".png?size=4096")) {
            HttpResponse<byte[]> response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(null), path);
            BufferedImage image = decode(response);
            assertEquals(CdnImages.SIDE, image.getWidth(), path);
        }
    }

    @Test
    void getWhenFormatsOfAnAvatarThenEachDecodesWithItsContentType() {
        String base = "/avatars/80351110224678912/";
        HttpResponse<byte[]> jpeg = get(base + HASH + ".jpg?size=64");
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElse(null));
        decode(jpeg);
        assertEquals("image/jpeg", get(base + HASH + ".jpeg").headers().firstValue("Content-Type").orElse(null));
        HttpResponse<byte[]> gif = get(base + ANIMATED + ".gif?size=64");
        assertEquals("image/gif", gif.headers().firstValue("Content-Type").orElse(null));
        decode(gif);
        HttpResponse<byte[]> png = get(base + HASH + ".png");
        assertEquals(0x834272, decode(png).getRGB(10, 10) & 0xFFFFFF, "the colour of the hash's first hex digits");
    }

    @Test
    void getWhenAnimatedWebpThenRiffVp8lOfThePlaceholder() {
        HttpResponse<byte[]> response = get("/avatars/80351110224678912/" + ANIMATED + ".webp?size=64&animated=true");
        assertEquals(200, response.statusCode());
        assertEquals("image/webp", response.headers().firstValue("Content-Type").orElse(null));
        byte[] webp = response.body();
        ByteBuffer le = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(webp, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(webp.length - 8, le.getInt(4), "the RIFF size");
        assertEquals("WEBPVP8L", new String(webp, 8, 8, StandardCharsets.US_ASCII));
        int chunk = le.getInt(16);
        assertEquals(webp.length - 20 - (chunk & 1), chunk, "the chunk size, padded to even");
        assertEquals(0x2f, webp[20] & 0xFF, "the VP8L signature");
        int header = le.getInt(21);
        assertEquals(CdnImages.SIDE - 1, header & 0x3FFF, "width - 1");
        assertEquals(CdnImages.SIDE - 1, (header >>> 14) & 0x3FFF, "height - 1");
        assertEquals(0, header >>> 29, "version 0");
    }

    @Test
    void getWhenDefaultAvatarThenDiscordsColourAndSizeIgnored() {
        HttpResponse<byte[]> blurple = get("/embed/avatars/0.png?size=100");
        assertEquals(200, blurple.statusCode(), "Discord ignores a default avatar's size");
        assertEquals(0x5865F2, decode(blurple).getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xEB459E, decode(get("/embed/avatars/5.png")).getRGB(0, 0) & 0xFFFFFF);
    }

    @Test
    void getWhenMalformedOrUnservedPathThenNotFound() {
        for (String path : List.of("/avatars/nelly/" + HASH + ".png", "/avatars/80351110224678912/" + HASH,
                "/avatars/80351110224678912/" + HASH + ".bmp", "/avatars/80351110224678912/" + HASH + ".avif",
                "/avatars/80351110224678912/" + HASH + ".gif", "/embed/avatars/6.png", "/embed/avatars/1.jpg",
                "/avatar-decoration-presets/" + ANIMATED + ".webp", "/icons/1/a.b.png",
                "/guilds/1/users/avatars/" + HASH + ".png", "/avatars/80351110224678912/" + HASH + ".png/more")) {
            HttpResponse<byte[]> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        }
    }

    @Test
    void getWhenSizeNotAPowerOfTwoFrom16To4096ThenBadRequest() {
        for (String size : List.of("100", "8", "8192", "0", "-16", "big", "")) {
            assertEquals(400, get("/icons/1/" + HASH + ".png?size=" + size).statusCode(), size);
        }
        for (int size = 16; size <= 4096; size *= 2) {
            assertEquals(200, get("/icons/1/" + HASH + ".png?size=" + size).statusCode(), "size " + size);
        }
    }

    @Test
    void requestWhenHeadOrPostThenHeadersOnlyOr405AndJournaledWithTheEndpoint() {
        HttpResponse<byte[]> head = send("HEAD", "/icons/1/" + HASH + ".png");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        HttpResponse<byte[]> post = send("POST", "/icons/1/" + HASH + ".png");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
        List<RecordedRequest> journal = discord.journal();
        assertEquals(List.of("GET /icons/{guild.id}/{guild.icon}", "GET /icons/{guild.id}/{guild.icon}"),
                journal.stream().map(RecordedRequest::route).toList());
        assertEquals("public, max-age=3600", get("/icons/1/" + HASH + ".png").headers()
                .firstValue("Cache-Control").orElse(null));
    }

    @Test
    void getWhenApiOrOtherPathThenNotTheCdn() {
        assertEquals(404, get("/api/v10/avatars/80351110224678912/" + HASH + ".png").statusCode());
        assertTrue(new String(get("/api/v10/avatars/80351110224678912/" + HASH + ".png").body(),
                StandardCharsets.UTF_8).contains("\"code\""), "the API's JSON 404");
        assertEquals(404, get("/emojis/1.png").statusCode(), "not emulated");
        assertNull(CdnImages.answer(new Call("GET", "/x", null, new com.sun.net.httpserver.Headers(), new byte[0],
                "127.0.0.1"), "/stickers/1.png"));
    }

    @Test
    void webpWhenColoursDifferThenOnlyThePixelBytesDiffer() {
        byte[] red = CdnImages.Webp.solid(64, 64, 0xFF0000);
        byte[] blue = CdnImages.Webp.solid(64, 64, 0x0000FF);
        assertEquals(red.length, blue.length);
        assertNotEquals(Arrays.toString(red), Arrays.toString(blue));
        assertArrayEquals(Arrays.copyOf(red, 25), Arrays.copyOf(blue, 25), "the same headers");
    }
}
