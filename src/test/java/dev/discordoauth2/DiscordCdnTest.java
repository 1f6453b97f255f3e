package dev.discordoauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.discordoauth2.DiscordCdn.Format;
import dev.discordoauth2.emulator.DiscordEmulator;
import dev.discordoauth2.model.Guild;
import dev.discordoauth2.model.PartialGuild;
import dev.discordoauth2.model.User;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Image URLs checked against Discord's documentation (discord-api-docs, developers/reference.mdx "Image
 * Formatting", at commit c98d64b): the CDN endpoints' paths, the formats each supports, sizes a power of two from 16
 * to 4096, animated hashes ({@code a_}) as {@code .webp?animated=true}, the default avatar's index. The ids and hashes
 * are those of the documentation's examples: the Example User of user.mdx ({@code user.json}), the Example Partial
 * Guild of Get Current User Guilds ({@code partial-guild.json}) and the footnote's animated hash
 * {@code a_1269e74af4df7417b13759eae50c83dc}.
 */
class DiscordCdnTest {
    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final DiscordCdn CDN = DiscordCdn.discord();
    private static final String NELLY = "80351110224678912";
    private static final String ANIMATED = "a_1269e74af4df7417b13759eae50c83dc";

    @AfterAll
    static void close() throws Exception {
        JSONB.close();
    }

    private static User documentedUser() {
        return JSONB.fromJson(Fixtures.read("user.json"), User.class);
    }

    private static User user(String json) {
        return JSONB.fromJson(json, User.class);
    }

    private static URI uri(String text) {
        return URI.create(text);
    }

    @Test
    void avatarWhenDocumentedUserThenAvatarsPathAsPngWithSize() {
        assertEquals(uri("https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png"
                + "?size=128"), CDN.avatar(documentedUser(), 128));
    }

    @Test
    void avatarWhenAnimatedHashThenAnimatedWebp() {
        assertEquals(uri("https://cdn.discordapp.com/avatars/80351110224678912/" + ANIMATED
                + ".webp?size=64&animated=true"), CDN.avatar(NELLY, ANIMATED, 64, null));
        assertEquals(uri("https://cdn.discordapp.com/avatars/80351110224678912/" + ANIMATED
                + ".webp?size=64&animated=true"), CDN.avatar(NELLY, ANIMATED, 64, Format.WEBP), "asked for WebP");
    }

    @Test
    void avatarWhenFormatChosenThenThatExtension() {
        String hash = "8342729096ea3675442027381ff50dfe";
        String base = "https://cdn.discordapp.com/avatars/80351110224678912/";
        assertEquals(uri(base + hash + ".jpg?size=256"), CDN.avatar(NELLY, hash, 256, Format.JPEG));
        assertEquals(uri(base + hash + ".webp?size=256"), CDN.avatar(NELLY, hash, 256, Format.WEBP),
                "a static hash's WebP is not animated");
        assertEquals(uri(base + ANIMATED + ".gif?size=256"), CDN.avatar(NELLY, ANIMATED, 256, Format.GIF));
        assertEquals(uri(base + ANIMATED + ".png?size=256"), CDN.avatar(NELLY, ANIMATED, 256, Format.PNG),
                "an animated hash's still image");
    }

    @Test
    void avatarWhenGifForStaticHashThenRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CDN.avatar(NELLY, "8342729096ea3675442027381ff50dfe", 64, Format.GIF));
        assertEquals("GIF needs an animated hash (a_...); Discord serves avatarHash 8342729096ea3675442027381ff50dfe "
                + "as PNG, JPEG or WEBP", e.getMessage());
    }

    @Test
    void avatarWhenEverySizeThenOnlyPowersOfTwoFrom16To4096() {
        User nelly = documentedUser();
        for (int size = 1; size <= 8192; size++) {
            boolean documented = List.of(16, 32, 64, 128, 256, 512, 1024, 2048, 4096).contains(size);
            int s = size;
            if (documented) {
                assertEquals("size=" + size, CDN.avatar(nelly, size).getQuery());
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> CDN.avatar(nelly, s), "size " + s);
                assertEquals("size must be a power of two from 16 to 4096: " + s, e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> CDN.avatar(nelly, 0));
        assertThrows(IllegalArgumentException.class, () -> CDN.avatar(nelly, -16));
        assertThrows(IllegalArgumentException.class, () -> CDN.guildIcon(NELLY, "abc", 100, null));
        assertThrows(IllegalArgumentException.class, () -> CDN.avatarDecoration("abc", 8));
    }

    @Test
    void defaultAvatarWhenLegacyDiscriminatorThenDiscriminatorModulo5() {
        // the documented user is Nelly#1337: 1337 % 5 = 2
        assertEquals(uri("https://cdn.discordapp.com/embed/avatars/2.png"), CDN.defaultAvatar(documentedUser()));
        assertEquals(uri("https://cdn.discordapp.com/embed/avatars/0.png"), CDN.defaultAvatar(NELLY, "0005"));
        assertEquals(uri("https://cdn.discordapp.com/embed/avatars/4.png"), CDN.defaultAvatar(NELLY, "9999"));
    }

    @Test
    void defaultAvatarWhenMigratedUserThenIdShifted22Modulo6() {
        // (80351110224678912 >> 22) % 6 = 19157197529 % 6 = 5
        User migrated = user("{\"id\":\"80351110224678912\",\"username\":\"nelly\",\"discriminator\":\"0\"}");
        assertEquals(uri("https://cdn.discordapp.com/embed/avatars/5.png"), CDN.defaultAvatar(migrated));
        User absent = user("{\"id\":\"268473310986240001\",\"username\":\"wumpus\"}");
        assertEquals(uri("https://cdn.discordapp.com/embed/avatars/4.png"), CDN.defaultAvatar(absent),
                "no discriminator at all: (268473310986240001 >> 22) % 6 = 4");
        // the largest id: the shift is unsigned
        assertEquals(uri("https://cdn.discordapp.com/embed/avatars/" + ((-1L >>> 22) % 6) + ".png"),
                CDN.defaultAvatar("18446744073709551615", null));
    }

    @Test
    void avatarWhenUserHasNoAvatarThenDefaultAvatarWithoutSize() {
        User migrated = user("{\"id\":\"80351110224678912\",\"username\":\"nelly\",\"discriminator\":\"0\","
                + "\"avatar\":null}");
        assertEquals(uri("https://cdn.discordapp.com/embed/avatars/5.png"), CDN.avatar(migrated, 128),
                "PNG only, and Discord ignores the size");
        assertEquals(uri("https://cdn.discordapp.com/embed/avatars/5.png"), CDN.avatar(NELLY, null, 128, Format.JPEG),
                "a stored user without a hash: the new username system's default avatar");
        assertThrows(IllegalArgumentException.class, () -> CDN.avatar(migrated, 100), "the size is still checked");
        assertThrows(IllegalArgumentException.class, () -> CDN.avatar(NELLY, null, 100, null));
    }

    @Test
    void avatarDecorationWhenDocumentedUserThenPresetPathAsPng() {
        assertEquals(Optional.of(uri("https://cdn.discordapp.com/avatar-decoration-presets/"
                + "a_fed43ab12698df65902ba06727e20c0e.png?size=64")),
                CDN.avatarDecoration(documentedUser(), 64));
        assertEquals(Optional.empty(), CDN.avatarDecoration(user("{\"id\":\"1\",\"username\":\"no\"}"), 64));
    }

    @Test
    void bannerWhenDocumentedUserAndGuildThenBannersPath() {
        assertEquals(Optional.of(uri("https://cdn.discordapp.com/banners/80351110224678912/"
                + "06c16474723fe537c283b8efa61a30c8.png?size=512")), CDN.banner(documentedUser(), 512));
        PartialGuild guild = JSONB.fromJson(Fixtures.read("partial-guild.json"), PartialGuild.class);
        assertEquals(Optional.of(uri("https://cdn.discordapp.com/banners/80351110224678912/"
                + "bb42bdc37653b7cf58c4c8cc622e76cb.png?size=1024")), CDN.banner(guild, 1024));
        assertEquals(uri("https://cdn.discordapp.com/banners/80351110224678912/" + ANIMATED
                + ".webp?size=1024&animated=true"), CDN.banner(NELLY, ANIMATED, 1024, null));
        assertEquals(Optional.empty(), CDN.banner(user("{\"id\":\"1\",\"username\":\"no\",\"banner\":null}"), 64));
    }

    @Test
    void guildIconWhenDocumentedPartialGuildThenIconsPath() {
        PartialGuild guild = JSONB.fromJson(Fixtures.read("partial-guild.json"), PartialGuild.class);
        assertEquals(Optional.of(uri("https://cdn.discordapp.com/icons/80351110224678912/"
                + "8342729096ea3675442027381ff50dfe.png?size=64")), CDN.guildIcon(guild, 64));
        assertEquals(uri("https://cdn.discordapp.com/icons/80351110224678912/" + ANIMATED
                + ".webp?size=64&animated=true"), CDN.guildIcon("80351110224678912", ANIMATED, 64, null));
        PartialGuild iconless = JSONB.fromJson("{\"id\":\"1\",\"name\":\"x\",\"icon\":null}", PartialGuild.class);
        assertEquals(Optional.empty(), CDN.guildIcon(iconless, 64));
    }

    @Test
    void guildIconWhenBotFlowGuildThenIconsPath() {
        Guild guild = JSONB.fromJson("{\"id\":\"290926792226357250\",\"name\":\"Wumpus Fan Club\","
                + "\"icon\":\"389030ec9db118cb5b85a732333b7c98\",\"banner\":null,\"roles\":[]}", Guild.class);
        assertEquals(Optional.of(uri("https://cdn.discordapp.com/icons/290926792226357250/"
                + "389030ec9db118cb5b85a732333b7c98.png?size=32")), CDN.guildIcon(guild, 32));
        assertEquals(Optional.empty(), CDN.banner(guild, 32));
    }

    @Test
    void memberAvatarWhenMemberHasGuildAvatarThenGuildUsersAvatarsPath() {
        Guild.Member member = JSONB.fromJson("{\"user\":{\"id\":\"80351110224678912\",\"username\":\"nelly\"},"
                + "\"avatar\":\"" + ANIMATED + "\",\"roles\":[]}", Guild.Member.class);
        assertEquals(Optional.of(uri("https://cdn.discordapp.com/guilds/197038439483310086/users/80351110224678912/"
                + "avatars/" + ANIMATED + ".webp?size=128&animated=true")),
                CDN.memberAvatar("197038439483310086", member, 128));
        assertEquals(uri("https://cdn.discordapp.com/guilds/197038439483310086/users/80351110224678912/avatars/"
                + "8342729096ea3675442027381ff50dfe.jpg?size=128"), CDN.memberAvatar("197038439483310086",
                NELLY, "8342729096ea3675442027381ff50dfe", 128, Format.JPEG));
    }

    @Test
    void memberAvatarWhenNoGuildAvatarOrNoUserThenEmpty() {
        // Discord's documented guild member: "user": {} and "avatar": null
        Guild.Member documented = JSONB.fromJson(Fixtures.read("guild-member-example.json"), Guild.Member.class);
        assertEquals(Optional.empty(), CDN.memberAvatar("197038439483310086", documented, 128));
        Guild.Member noUser = JSONB.fromJson("{\"avatar\":\"" + ANIMATED + "\"}", Guild.Member.class);
        assertEquals(Optional.empty(), CDN.memberAvatar("197038439483310086", noUser, 128));
    }

    @Test
    void atWhenOtherBaseThenSamePathsBelowIt() {
        DiscordCdn emulator = DiscordCdn.at(uri("http://127.0.0.1:8090/"));
        assertEquals(uri("http://127.0.0.1:8090"), emulator.baseUri(), "the trailing slash dropped");
        assertEquals(uri("http://127.0.0.1:8090/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png"
                + "?size=64"), emulator.avatar(documentedUser(), 64));
        DiscordCdn proxy = DiscordCdn.at(uri("https://images.example/discord"));
        assertEquals(uri("https://images.example/discord/embed/avatars/2.png"), proxy.defaultAvatar(documentedUser()));
        assertEquals(DiscordCdn.discord(), DiscordCdn.at(uri("https://cdn.discordapp.com/")));
        assertEquals(uri("https://cdn.discordapp.com"), DiscordCdn.discord().baseUri());
    }

    @Test
    void atWhenNotAnHttpBaseThenRefusedNamingIt() {
        for (String bad : List.of("cdn.discordapp.com", "ftp://cdn.example", "https://cdn.example/?x=1",
                "https://cdn.example/#top", "mailto:cdn@example.com")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiscordCdn.at(uri(bad)));
            assertEquals("baseUri must be an absolute http(s) URI without query or fragment: " + bad, e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DiscordCdn.at(null));
    }

    @Test
    void avatarWhenIdOrHashIsNoImageReferenceThenRefusedNamingIt() {
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> CDN.avatar("../icons", "8342729096ea3675442027381ff50dfe", 64, null));
        assertEquals("userId must be a snowflake: ../icons", id.getMessage());
        IllegalArgumentException hash = assertThrows(IllegalArgumentException.class,
                () -> CDN.guildIcon(NELLY, "x.png?size=16#", 64, null));
        assertEquals("iconHash must be an image hash (letters, digits, _ and -): x.png?size=16#", hash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CDN.avatarDecoration("a/../b", 64));
        assertThrows(IllegalArgumentException.class, () -> CDN.defaultAvatar(NELLY, "12345"));
        NullPointerException none = assertThrows(NullPointerException.class,
                () -> CDN.memberAvatar(NELLY, null, "abc", 64, null));
        assertEquals("userId must not be null", none.getMessage());
    }

    @Test
    void urlsWhenFetchedFromTheEmulatorsCdnThenEveryOneIsAnImage() throws Exception {
        try (DiscordEmulator emulator = DiscordEmulator.builder().start()) {
            DiscordCdn cdn = DiscordCdn.at(emulator.cdnBaseUri());
            User nelly = documentedUser();
            PartialGuild guild = JSONB.fromJson(Fixtures.read("partial-guild.json"), PartialGuild.class);
            List<URI> urls = new java.util.ArrayList<>(List.of(cdn.avatar(nelly, 128), cdn.defaultAvatar(nelly),
                    cdn.avatarDecoration(nelly, 64).orElseThrow(), cdn.banner(nelly, 512).orElseThrow(),
                    cdn.banner(guild, 1024).orElseThrow(), cdn.guildIcon(guild, 64).orElseThrow(),
                    cdn.memberAvatar(guild.id(), NELLY, ANIMATED, 32, null)));
            for (Format format : Format.values()) {
                urls.add(cdn.avatar(NELLY, ANIMATED, 16, format));
                urls.add(cdn.guildIcon(guild.id(), ANIMATED, 4096, format));
            }
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (URI url : urls) {
                java.net.http.HttpResponse<byte[]> image = http.send(java.net.http.HttpRequest.newBuilder(url).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, image.statusCode(), url.toString());
                String extension = url.getPath().substring(url.getPath().lastIndexOf('.') + 1);
                assertEquals("image/" + (extension.equals("jpg") ? "jpeg" : extension),
                        image.headers().firstValue("Content-Type").orElse(null), url.toString());
            }
        }
    }

    @Test
    void formatWhenListedThenDiscordsExtensionsWithoutAvif() {
        assertEquals(List.of("png", "jpg", "webp", "gif"),
                java.util.Arrays.stream(Format.values()).map(Format::extension).toList());
    }

    @Test
    void cdnWhenClientBuiltThenConfiguredBaseOrDiscords() {
        try (DiscordOAuth2Client plain = DiscordOAuth2Client.builder().clientId("100000000000000001").build();
                DiscordOAuth2Client emulated = DiscordOAuth2Client.builder().clientId("100000000000000001")
                        .cdnBaseUri(uri("http://127.0.0.1:8090")).build()) {
            assertEquals(DiscordCdn.discord(), plain.cdn());
            assertEquals(uri("http://127.0.0.1:8090/icons/1/abc.png?size=16"), emulated.cdn().guildIcon("1", "abc",
                    16, null));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DiscordOAuth2Client.builder()
                .clientId("100000000000000001").cdnBaseUri(uri("https://cdn.example/?q")).build());
        assertEquals("cdnBaseUri must have no query or fragment: https://cdn.example/?q", e.getMessage());
        IllegalStateException relative = assertThrows(IllegalStateException.class, () -> DiscordOAuth2Client
                .builder().clientId("100000000000000001").cdnBaseUri(uri("/cdn")).build());
        assertEquals("cdnBaseUri must be an absolute http(s) URI: /cdn", relative.getMessage());
    }
}
