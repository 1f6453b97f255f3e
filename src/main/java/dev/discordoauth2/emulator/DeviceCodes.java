package dev.discordoauth2.emulator;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The emulator's device authorization grant, seen from the user's side ({@link DiscordEmulator#deviceCodes()}): the
 * activation page a device sends its user to, the user codes waiting there, and approving or denying one by hand, as
 * the user would on the page, for tests and unattended demos. The device's side is the API:
 * {@code POST /api/v10/oauth2/device/authorize}, then the token endpoint's
 * {@code urn:ietf:params:oauth:grant-type:device_code} grant. Thread-safe.
 */
public final class DeviceCodes {
    private final DeviceRoutes routes;
    private final URI verificationUri;

    DeviceCodes(DeviceRoutes routes, URI verificationUri) {
        this.routes = routes;
        this.verificationUri = verificationUri;
    }

    /** The activation page, {@code <base>/activate}: the {@code verification_uri} of this emulator's answers. */
    public URI verificationUri() {
        return verificationUri;
    }

    /** The user codes waiting for a decision (not expired, neither approved nor denied), oldest first. */
    public List<String> pending() {
        return routes.list().stream().filter(code -> "pending".equals(code.get("state")))
                .map(code -> (String) code.get("user_code")).toList();
    }

    /**
     * The least time the emulator now requires between two polls of the device authorization with this user code:
     * the announced interval, plus 5 s for every {@code slow_down} it answered (a test's check that a client never
     * polled too soon).
     *
     * @throws IllegalArgumentException when no device authorization not yet expired has the code
     */
    public java.time.Duration interval(String userCode) {
        String wanted = DeviceRoutes.normalise(userCode == null ? "" : userCode);
        return routes.list().stream().filter(code -> DeviceRoutes.normalise((String) code.get("user_code"))
                .equals(wanted)).findFirst().map(code -> java.time.Duration.ofSeconds((Long) code.get("interval")))
                .orElseThrow(() -> new IllegalArgumentException("no device authorization has the user code "
                        + userCode));
    }

    /** Every device authorization not yet expired, as {@code GET /__admin/device-codes} lists it (no device code). */
    List<Map<String, Object>> list() {
        return routes.list();
    }

    /**
     * Approves the device authorization with this user code as {@code userId}, as the user would on the activation
     * page: the device's next poll (no sooner than its interval) gets the tokens. The code is compared as RFC 8628
     * §6.1 suggests, without case, dashes or spaces.
     *
     * @throws IllegalArgumentException when no pending device authorization has the code (unknown, expired or
     *                                  already decided), or the user is unknown
     */
    public void approve(String userCode, String userId) {
        if (userId == null) {
            throw new IllegalArgumentException("userId must not be null");
        }
        routes.decide(userCode, userId);
    }

    /**
     * Denies the device authorization with this user code: the device's next poll gets {@code access_denied}.
     *
     * @throws IllegalArgumentException when no pending device authorization has the code
     */
    public void deny(String userCode) {
        routes.decide(userCode, null);
    }

    @Override
    public String toString() {
        return "DeviceCodes[" + verificationUri + "]";
    }
}
