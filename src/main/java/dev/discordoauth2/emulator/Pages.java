package dev.discordoauth2.emulator;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The emulator's HTML: the consent page, the device activation page, error pages and plain messages. Stateless.
 */
final class Pages {
    private static final String STYLE = """
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#313338;color:#dbdee1;
              display:flex;justify-content:center;padding:48px 16px;margin:0}
            main{background:#2b2d31;border-radius:8px;padding:32px;max-width:440px;width:100%;
              box-shadow:0 8px 24px rgba(0,0,0,.35)}
            h1{font-size:20px;color:#f2f3f5;margin:0 0 8px}
            .badge{display:inline-block;background:#5865f2;color:#fff;border-radius:4px;padding:2px 6px;
              font-size:11px;font-weight:600;letter-spacing:.04em;margin-bottom:16px}
            ul{padding-left:20px} li{margin:6px 0}
            label{display:block;margin:16px 0 6px;font-size:12px;font-weight:700;text-transform:uppercase}
            select,input[type=text]{width:100%;padding:10px;background:#1e1f22;color:#dbdee1;border:0;
              border-radius:4px;box-sizing:border-box;font-size:16px;letter-spacing:.08em}
            .buttons{display:flex;gap:12px;justify-content:flex-end;margin-top:24px}
            button{border:0;border-radius:4px;padding:10px 20px;font-size:14px;cursor:pointer}
            button[value=approve]{background:#5865f2;color:#fff} button[value=deny]{background:#4e5058;color:#fff}
            .note{font-size:12px;color:#949ba4;margin-top:20px}
            </style>
            """;

    private Pages() {
    }

    /**
     * The consent page: a plain form posting back to the same path with every original query parameter as a hidden
     * input, the user to act as, an optional guild choice, and approve/deny buttons named {@code decision}.
     */
    static String consent(EmulatedApplication app, Set<String> scopes, Map<String, List<String>> params,
            Collection<EmulatedUser> users, List<EmulatedGuild> guildChoice, String preselectedUser) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>Authorize ").append(escape(app.name())).append(" | Discord emulator</title>")
                .append(STYLE).append("</head><body><main>")
                .append("<span class=\"badge\">DISCORD EMULATOR</span>")
                .append("<h1 id=\"app-name\">").append(escape(app.name())).append("</h1>")
                .append("<p>wants to access your Discord account. This will allow it to:</p><ul id=\"scopes\">");
        for (String scope : scopes) {
            html.append("<li data-scope=\"").append(escape(scope)).append("\">").append(describe(scope))
                    .append("</li>");
        }
        html.append("</ul><form method=\"post\" id=\"consent\">");
        params.forEach((name, values) -> {
            for (String value : values) {
                html.append("<input type=\"hidden\" name=\"").append(escape(name)).append("\" value=\"")
                        .append(escape(value)).append("\">");
            }
        });
        html.append("<label for=\"user_id\">Logged in as</label><select name=\"user_id\" id=\"user_id\">");
        for (EmulatedUser user : users) {
            html.append("<option value=\"").append(user.id()).append('"')
                    .append(user.id().equals(preselectedUser) ? " selected" : "").append('>')
                    .append(escape(user.globalName() != null ? user.globalName() : user.username()))
                    .append(" (@").append(escape(user.username())).append(")</option>");
        }
        html.append("</select>");
        if (guildChoice != null) {
            String pre = params.containsKey("guild_id") ? params.get("guild_id").get(0) : null;
            html.append("<label for=\"selected_guild_id\">Add to server</label>")
                    .append("<select name=\"selected_guild_id\" id=\"selected_guild_id\">");
            for (EmulatedGuild guild : guildChoice) {
                html.append("<option value=\"").append(guild.id()).append('"')
                        .append(guild.id().equals(pre) ? " selected" : "").append('>').append(escape(guild.name()))
                        .append("</option>");
            }
            html.append("</select>");
        }
        html.append("<div class=\"buttons\">")
                .append("<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Cancel</button>")
                .append("<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Authorize</button>")
                .append("</div></form><p class=\"note\">This is a local emulator of Discord for development and ")
                .append("tests. No data leaves this machine.</p></main></body></html>");
        return html.toString();
    }

    /**
     * The device activation page ({@code /activate}, Discord's {@code discord.com/activate}): a form that sends the
     * code the device shows as {@code user_code} back to the same page (a GET), with {@code error} above it if any.
     */
    static String activation(String error, String entered) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<title>Activate a device | Discord emulator</title>" + STYLE + "</head><body><main>"
                + "<span class=\"badge\">DISCORD EMULATOR</span><h1>Activate a device</h1>"
                + (error == null ? "" : "<p id=\"error\">" + escape(error) + "</p>")
                + "<p>Enter the code shown on your device (a console, a TV, a command-line tool).</p>"
                + "<form method=\"get\" id=\"activate\"><label for=\"user_code\">Code</label>"
                + "<input type=\"text\" name=\"user_code\" id=\"user_code\" autocomplete=\"off\" "
                + "autocapitalize=\"characters\" placeholder=\"XXXX-XXXX\" value=\"" + escape(entered) + "\">"
                + "<div class=\"buttons\"><button type=\"submit\" value=\"approve\" id=\"continue\">Continue</button>"
                + "</div></form><p class=\"note\">This is a local emulator of Discord for development and tests. No "
                + "data leaves this machine.</p></main></body></html>";
    }

    /**
     * The front end's page for a body without a declared length: nginx's status page with Cloudflare's footer, as
     * Discord's edge sends it (not an emulator page, and not Discord's JSON).
     */
    static final String LENGTH_REQUIRED = "<html>\r\n<head><title>411 Length Required</title></head>\r\n<body>\r\n"
            + "<center><h1>411 Length Required</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n"
            + "</html>\r\n";

    static String error(String title, String detail) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + " | Discord emulator</title>" + STYLE + "</head><body><main><span class=\"badge\">DISCORD EMULATOR"
                + "</span><h1 id=\"error\">" + escape(title) + "</h1><p>" + escape(detail) + "</p></main></body></html>";
    }

    static String message(String title, String detail) {
        return error(title, detail).replace("id=\"error\"", "id=\"message\"");
    }

    private static String describe(String scope) {
        return switch (scope) {
            case "identify" -> "Access your username, avatar, and banner";
            case "email" -> "Access your email address";
            case "guilds" -> "Know what servers you're in";
            case "guilds.join" -> "Join servers for you";
            case "guilds.members.read" -> "Read your member info (nickname, avatar, roles) for servers you belong to";
            case "connections" -> "Access your third-party connections";
            case "role_connections.write" -> "Update your connection and metadata for this app";
            case "bot" -> "Add a bot to a server";
            case "webhook.incoming" -> "Create a webhook in a channel";
            default -> escape(scope);
        };
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
