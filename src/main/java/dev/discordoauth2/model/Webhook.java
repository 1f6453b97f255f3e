package dev.discordoauth2.model;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Optional;

/**
 * The incoming webhook Discord creates in the {@code webhook.incoming} flow (token response). Its {@code token} and
 * {@code url} let anyone post to the channel: store them like a secret. {@link #toString()} leaves both out.
 * Immutable and thread-safe.
 *
 * @param id            snowflake
 * @param type          1 incoming
 * @param guildId       the guild
 * @param channelId     the channel
 * @param name          the webhook's name
 * @param avatar        avatar hash, if set
 * @param applicationId the application that created it
 * @param token         the webhook's secret token
 * @param url           the execute URL (contains the token)
 */
public record Webhook(String id, int type, @JsonbProperty("guild_id") Optional<String> guildId,
        @JsonbProperty("channel_id") Optional<String> channelId, Optional<String> name, Optional<String> avatar,
        @JsonbProperty("application_id") Optional<String> applicationId, Optional<String> token,
        Optional<String> url) {

    /**
     * Checks the id and normalises absent optionals to empty.
     *
     * @param id            snowflake
     * @param type          1 incoming
     * @param guildId       the guild
     * @param channelId     the channel
     * @param name          the webhook's name
     * @param avatar        avatar hash, if set
     * @param applicationId the application that created it
     * @param token         the webhook's secret token
     * @param url           the execute URL (contains the token)
     * @throws InvalidWireObjectException when {@code id} is not a snowflake
     */
    public Webhook {
        Models.snowflake(id, "webhook", "id");
        guildId = Models.orEmpty(guildId);
        channelId = Models.orEmpty(channelId);
        name = Models.orEmpty(name);
        avatar = Models.orEmpty(avatar);
        applicationId = Models.orEmpty(applicationId);
        token = Models.orEmpty(token);
        url = Models.orEmpty(url);
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", type=" + type + ", guildId=" + guildId.orElse(null) + ", channelId="
                + channelId.orElse(null) + ", name=" + name.orElse(null) + ", token=(redacted)]";
    }
}
