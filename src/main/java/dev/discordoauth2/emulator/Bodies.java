package dev.discordoauth2.emulator;

import java.util.List;
import java.util.Map;

/** Reads JSON request bodies with Discord's errors for a wrong content type or invalid JSON. Stateless. */
final class Bodies {
    private Bodies() {
    }

    /** The body as a JSON value; 400 {@code 50035} for a content type other than JSON, 400 {@code 50109} for bad JSON. */
    static Object json(Call call) {
        if (!call.mediaType().equals("application/json")) {
            throw new FormErrors().add(List.of(), "CONTENT_TYPE_INVALID", "Expected \"Content-Type\" header to be one of {'application/json'}.")
                    .reply().stop();
        }
        try {
            return Json.parse(call.bodyText());
        } catch (Json.MalformedJsonException e) {
            throw Reply.discordError(400, 50109, "The request body contains invalid JSON.").stop();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> jsonObject(Call call) {
        Object value = json(call);
        if (!(value instanceof Map<?, ?>)) {
            throw new FormErrors().add(List.of(), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
                    .reply().stop();
        }
        return (Map<String, Object>) value;
    }
}
