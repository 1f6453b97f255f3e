package dev.discordoauth2.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test support for the emulator's own tests: a standard application on the demo data set, a plain JDK HTTP client
 * (redirects not followed), and the flows a browser and a client would run. Bodies are read with Parsson (JSON-P),
 * not with the emulator's own JSON code, so the tests check what is really on the wire.
 */
final class EmulatorFixture {
    static final String CLIENT_ID = "100000000000000001";
    static final String SECRET = "test-client-secret";
    static final String REDIRECT = "https://app.example/oauth2/callback";
    static final String OTHER_REDIRECT = "http://localhost:8080/oauth2/callback";
    static final String BOT_TOKEN = "test-bot-token";
    static final String NELLY = DemoData.NELLY;
    static final String WUMPUS = DemoData.WUMPUS;
    static final String CLYDE = DemoData.CLYDE;
    static final String TESTERS = DemoData.TESTERS;
    static final String FAN_CLUB = DemoData.FAN_CLUB;
    static final String API_GUILD = DemoData.API_GUILD;
    static final String LOUNGE = DemoData.LOUNGE;

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private EmulatorFixture() {
    }

    static EmulatedApplication.Builder appBuilder() {
        return EmulatedApplication.builder(CLIENT_ID).name("Test App").clientSecret(SECRET).redirectUri(REDIRECT)
                .redirectUri(OTHER_REDIRECT).botToken(BOT_TOKEN)
                .roleConnectionMetadata(new EmulatedMetadataField(2, "level", "Level", "Level on the platform"))
                .roleConnectionMetadata(new EmulatedMetadataField(7, "supporter", "Supporter", "Supports us"))
                .roleConnectionMetadata(new EmulatedMetadataField(6, "since", "Member since", "Days since joining"));
    }

    /** The demo data set with the standard test application. */
    static DiscordEmulator.Builder demo() {
        return DiscordEmulator.builder().demoData(appBuilder().build());
    }

    // ------------------------------------------------------------------------------------------- HTTP

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request with headers given as name, value, name, value... */
    static HttpResponse<String> request(String method, URI uri, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    static HttpResponse<String> get(URI uri, String... headers) {
        return request("GET", uri, null, null, headers);
    }

    static HttpResponse<String> postForm(URI uri, Map<String, String> form, String... headers) {
        return request("POST", uri, "application/x-www-form-urlencoded", form(form), headers);
    }

    static HttpResponse<String> sendJson(String method, URI uri, String json, String... headers) {
        return request(method, uri, "application/json", json, headers);
    }

    static URI api(DiscordEmulator discord, String path) {
        return URI.create(discord.apiBaseUri() + path);
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static String form(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    /** Alternating keys and values to an ordered map. */
    static Map<String, String> params(String... kv) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }

    static URI withQuery(URI base, Map<String, String> params) {
        return URI.create(base + "?" + form(params));
    }

    static JsonObject object(HttpResponse<String> response) {
        try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    static JsonArray array(HttpResponse<String> response) {
        try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(response.body()))) {
            return reader.readArray();
        }
    }

    /** The decoded query (or fragment) parameters of a redirect's Location. */
    static Map<String, String> locationParams(HttpResponse<String> response, boolean fragment) {
        String location = response.headers().firstValue("Location").orElseThrow();
        URI uri = URI.create(location);
        String raw = fragment ? uri.getRawFragment() : uri.getRawQuery();
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- flows

    /** The hidden inputs of the consent form, in order, as a browser would submit them. */
    static List<String[]> hiddenInputs(String html) {
        List<String[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">").matcher(html);
        while (m.find()) {
            out.add(new String[] {unescape(m.group(1)), unescape(m.group(2))});
        }
        return out;
    }

    static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    /**
     * Submits the consent form of the page served at {@code authorizeUri} as a browser would: the hidden inputs, the
     * chosen user and the decision (plus {@code extra} fields such as {@code selected_guild_id}).
     */
    static HttpResponse<String> submitConsent(URI authorizeUri, String userId, String decision, String... extra) {
        HttpResponse<String> page = get(authorizeUri);
        assertEquals(200, page.statusCode(), page.body());
        StringBuilder body = new StringBuilder();
        for (String[] input : hiddenInputs(page.body())) {
            append(body, input[0], input[1]);
        }
        append(body, "user_id", userId);
        for (int i = 0; i < extra.length; i += 2) {
            append(body, extra[i], extra[i + 1]);
        }
        append(body, "decision", decision);
        URI formTarget = URI.create(authorizeUri.getScheme() + "://" + authorizeUri.getRawAuthority()
                + authorizeUri.getRawPath());
        return request("POST", formTarget, "application/x-www-form-urlencoded", body.toString());
    }

    private static void append(StringBuilder body, String name, String value) {
        if (body.length() > 0) {
            body.append('&');
        }
        body.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** The authorize URI for the standard app with {@code response_type=code}, the scopes and extra params. */
    static URI authorizeUri(DiscordEmulator discord, String scopes, String... extra) {
        Map<String, String> p = params("response_type", "code", "client_id", CLIENT_ID, "scope", scopes,
                "state", "st4te", "redirect_uri", REDIRECT);
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return withQuery(discord.authorizeUri(), p);
    }

    /** Runs the consent flow as {@code userId} and returns the authorization code. */
    static String code(DiscordEmulator discord, String userId, String scopes, String... extra) {
        HttpResponse<String> approved = submitConsent(authorizeUri(discord, scopes, extra), userId, "approve");
        assertEquals(302, approved.statusCode(), approved.body());
        String code = locationParams(approved, false).get("code");
        assertNotNull(code, "no code in " + approved.headers().firstValue("Location"));
        return code;
    }

    /** Exchanges a code with HTTP Basic auth and returns the token response (asserting 200). */
    static JsonObject exchange(DiscordEmulator discord, String code, String... extra) {
        Map<String, String> p = params("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT);
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        HttpResponse<String> response = postForm(discord.tokenUri(), p, "Authorization", basic(CLIENT_ID, SECRET));
        assertEquals(200, response.statusCode(), response.body());
        return object(response);
    }

    /** A fresh access/refresh token pair for the user with the scopes, through the real flow. */
    static JsonObject tokens(DiscordEmulator discord, String userId, String scopes) {
        JsonObject tokens = exchange(discord, code(discord, userId, scopes));
        assertTrue(tokens.containsKey("access_token"));
        return tokens;
    }

    static String accessToken(DiscordEmulator discord, String userId, String scopes) {
        return tokens(discord, userId, scopes).getString("access_token");
    }
}
