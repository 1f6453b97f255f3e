package dev.discordoauth2.emulator;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The emulated image CDN (reference.mdx "Image Formatting"): the paths of {@code cdn.discordapp.com} for user avatars,
 * default avatars, avatar decorations, user and guild banners, guild icons and guild member avatars, at the server's
 * root. Every well-formed path gets a small placeholder: a square of one colour (the colour of Discord's default
 * avatar for {@code embed/avatars/N.png}, else one taken from the hash), in the format of the extension with its
 * content type. The hash is not looked up in the data: any hash of the documented form has an image. Stateless.
 */
final class CdnImages {
    /** The side of every placeholder, whatever {@code size} asks for. */
    static final int SIDE = 64;
    private static final String ID = "[0-9]{1,20}";
    private static final String HASH = "([A-Za-z0-9_-]{1,128})";
    private static final String EXT = "\\.(png|jpg|jpeg|webp|gif)";
    /** Discord's default avatars, 0 to 5: blurple, grey, green, yellow, red, pink. */
    private static final int[] DEFAULT_COLOURS = {0x5865F2, 0x757E8A, 0x3BA55C, 0xFAA61A, 0xED4245, 0xEB459E};

    /** An endpoint of the CDN table: its name as the journal shows it, its path, whether it has PNG only. */
    private record Endpoint(String route, Pattern path, boolean pngOnly) {
    }

    private static final Endpoint[] ENDPOINTS = {
        new Endpoint("GET /avatars/{user.id}/{user.avatar}", Pattern.compile("/avatars/" + ID + "/" + HASH + EXT),
                false),
        new Endpoint("GET /embed/avatars/{index}", Pattern.compile("/embed/avatars/([0-5])" + EXT), true),
        new Endpoint("GET /avatar-decoration-presets/{asset}",
                Pattern.compile("/avatar-decoration-presets/" + HASH + EXT), true),
        new Endpoint("GET /banners/{id}/{banner}", Pattern.compile("/banners/" + ID + "/" + HASH + EXT), false),
        new Endpoint("GET /icons/{guild.id}/{guild.icon}", Pattern.compile("/icons/" + ID + "/" + HASH + EXT), false),
        new Endpoint("GET /guilds/{guild.id}/users/{user.id}/avatars/{member.avatar}",
                Pattern.compile("/guilds/" + ID + "/users/" + ID + "/avatars/" + HASH + EXT), false),
    };
    private static final Pattern CDN_PREFIX =
            Pattern.compile("^/(avatars|embed|avatar-decoration-presets|banners|icons|guilds)/.*");
    private static final Map<String, String> CONTENT_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "webp", "image/webp", "gif", "image/gif");

    private CdnImages() {
    }

    /**
     * The answer to a request for a CDN path, or {@code null} when {@code path} (decoded, outside {@code /api}) is
     * none of the CDN's: an image; 404 for a malformed path, a format the endpoint does not serve, or GIF for a hash
     * that is not animated; 400 for a {@code size} that is not a power of two from 16 to 4096 (a default avatar
     * ignores its size); 405 for a method other than GET and HEAD.
     */
    static Reply answer(Call call, String path) {
        if (!CDN_PREFIX.matcher(path).matches()) {
            return null;
        }
        for (Endpoint endpoint : ENDPOINTS) {
            Matcher m = endpoint.path.matcher(path);
            if (!m.matches()) {
                continue;
            }
            call.route = endpoint.route;
            if (!call.method.equals("GET") && !call.method.equals("HEAD")) {
                return text(405, "405: Method Not Allowed").header("Allow", "GET, HEAD");
            }
            String key = m.group(1);
            String ext = m.group(2).toLowerCase(Locale.ROOT);
            boolean isDefault = endpoint.route.startsWith("GET /embed/");
            if ((endpoint.pngOnly && !ext.equals("png")) || (ext.equals("gif") && !key.startsWith("a_"))) {
                return text(404, "404: Not Found");
            }
            String size = call.queryParam("size");
            if (size != null && !isDefault && !validSize(size)) {
                return text(400, "400: size must be a power of two from 16 to 4096");
            }
            int colour = isDefault ? DEFAULT_COLOURS[Integer.parseInt(key)] : colourOf(key);
            return Reply.bytes(200, CONTENT_TYPES.get(ext), image(ext, colour))
                    .header("Cache-Control", "public, max-age=3600");
        }
        return text(404, "404: Not Found");
    }

    private static Reply text(int status, String body) {
        return Reply.raw(status, "text/plain; charset=utf-8", body);
    }

    private static boolean validSize(String size) {
        if (!size.matches("[0-9]{2,4}")) {
            return false;
        }
        int n = Integer.parseInt(size);
        return n >= 16 && n <= 4096 && Integer.bitCount(n) == 1;
    }

    /** A colour from the hash's first six hex digits (after {@code a_}), else from its text. */
    static int colourOf(String hash) {
        String digits = hash.startsWith("a_") ? hash.substring(2) : hash;
        if (digits.length() >= 6 && digits.substring(0, 6).matches("[0-9a-fA-F]{6}")) {
            return Integer.parseInt(digits.substring(0, 6), 16);
        }
        return digits.hashCode() & 0xFFFFFF;
    }

    /** A {@link #SIDE}-pixel square of {@code rgb} in the extension's format. */
    static byte[] image(String ext, int rgb) {
        if (ext.equals("webp")) {
            return Webp.solid(SIDE, SIDE, rgb);
        }
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName(ext.equals("jpg") ? "jpeg" : ext).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // a memory cache, never ImageIO's default file cache in the temporary directory
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A lossless WebP (VP8L) of one colour, which the JDK cannot write: no transform, no colour cache, one prefix code
     * group whose five codes have one symbol each (the pixel's green, red, blue, alpha 255, and distance 0), so each
     * pixel takes no bits at all (RFC 9649, the WebP lossless bitstream: "Simple Code Length Code").
     */
    static final class Webp {
        private long bits;
        private int count;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        private Webp() {
        }

        static byte[] solid(int width, int height, int rgb) {
            Webp w = new Webp();
            w.data.write(0x2f); // VP8L signature
            w.put(width - 1, 14);
            w.put(height - 1, 14);
            w.put(0, 1); // alpha_is_used
            w.put(0, 3); // version
            w.put(0, 1); // no transform
            w.put(0, 1); // no colour cache
            w.put(0, 1); // no meta prefix codes
            int[] symbols = {(rgb >> 8) & 0xFF, (rgb >> 16) & 0xFF, rgb & 0xFF, 0xFF, 0};
            for (int symbol : symbols) {
                w.put(1, 1); // simple code length code
                w.put(0, 1); // one symbol
                w.put(1, 1); // an 8-bit symbol
                w.put(symbol, 8);
            }
            byte[] vp8l = w.finish();
            int padded = vp8l.length + (vp8l.length & 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            le32(out, 4 + 8 + padded);
            out.writeBytes("WEBPVP8L".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            le32(out, vp8l.length);
            out.writeBytes(vp8l);
            if ((vp8l.length & 1) == 1) {
                out.write(0);
            }
            return out.toByteArray();
        }

        /** Appends the {@code n} low bits of {@code value}, least significant first. */
        private void put(int value, int n) {
            bits |= ((long) value & ((1L << n) - 1)) << count;
            count += n;
            while (count >= 8) {
                data.write((int) (bits & 0xFF));
                bits >>>= 8;
                count -= 8;
            }
        }

        private byte[] finish() {
            if (count > 0) {
                data.write((int) (bits & 0xFF));
            }
            return data.toByteArray();
        }

        private static void le32(ByteArrayOutputStream out, int value) {
            for (int i = 0; i < 4; i++) {
                out.write((value >>> (8 * i)) & 0xFF);
            }
        }
    }
}
