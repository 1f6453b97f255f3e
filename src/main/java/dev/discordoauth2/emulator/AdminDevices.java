package dev.discordoauth2.emulator;

import static dev.discordoauth2.emulator.AdminJson.badRequest;
import static dev.discordoauth2.emulator.AdminJson.known;
import static dev.discordoauth2.emulator.AdminJson.require;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin endpoints of the device authorization grant ({@link DeviceCodes}): the device authorizations not yet
 * expired, and approving or denying one by its user code, as the user would on the activation page. {@link AdminApi}
 * routes to them. Thread-safe, as {@link DeviceCodes} is.
 */
final class AdminDevices {
    private final DiscordEmulator emulator;

    AdminDevices(DiscordEmulator emulator) {
        this.emulator = emulator;
    }

    Reply list() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("verification_uri", emulator.deviceCodes().verificationUri().toString());
        out.put("device_codes", emulator.deviceCodes().list());
        return Reply.json(200, out);
    }

    Reply approve(Map<String, Object> body) {
        known(body, "user_code", "user_id");
        String userCode = text(body, "user_code");
        String userId = text(body, "user_id");
        decided(() -> emulator.deviceCodes().approve(userCode, userId));
        return answer(userCode, "approved", userId);
    }

    Reply deny(Map<String, Object> body) {
        known(body, "user_code");
        String userCode = text(body, "user_code");
        decided(() -> emulator.deviceCodes().deny(userCode));
        return answer(userCode, "denied", null);
    }

    private static void decided(Runnable decision) {
        try {
            decision.run();
        } catch (IllegalArgumentException e) {
            throw new AdminApi.Failure(404, "not_found", e.getMessage());
        }
    }

    private static Reply answer(String userCode, String state, String userId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_code", userCode);
        out.put("state", state);
        out.put("user_id", userId == null ? Json.NULL : userId);
        return Reply.json(200, out);
    }

    private static String text(Map<String, Object> body, String key) {
        if (!(require(body, key) instanceof String value) || value.isBlank()) {
            throw badRequest(key + " must be a non-empty string");
        }
        return value;
    }
}
