package dev.discordoauth2.emulator;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Discord's device authorization grant (RFC 8628; account-linking-on-consoles.mdx): {@code POST
 * /oauth2/device/authorize} hands out a device code and a user code, the activation page {@code /activate} (Discord's
 * {@code https://discord.com/activate}) lets a user enter the code and approve or deny, and the token endpoint's
 * {@code urn:ietf:params:oauth:grant-type:device_code} grant answers the polling device. Not thread-safe: the routes
 * run under the store's monitor; {@link #decide} takes it itself.
 */
final class DeviceRoutes {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    static final String ACTIVATE_PATH = "/activate";
    /** RFC 8628 §6.1's example alphabet: 20 consonants, so no words and no look-alikes such as 0/O, 1/I. */
    private static final String USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    /** What a poll may come early by and still count as on time: the two clocks' granularity. */
    private static final Duration EARLY_POLL_TOLERANCE = Duration.ofMillis(50);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final AutoApproval autoApproval;
    private final WebhookEvents webhooks;

    DeviceRoutes(Store store, AutoApproval autoApproval, WebhookEvents webhooks) {
        this.store = store;
        this.autoApproval = autoApproval;
        this.webhooks = webhooks;
    }

    // ------------------------------------------------------------------------------------ device authorize

    /** {@code POST /oauth2/device/authorize}: client auth as at the token endpoint, form field {@code scope}. */
    Reply authorize(Call call) {
        if (!call.isForm()) {
            return Reply.oauthError(400, "invalid_request", null);
        }
        TokenRoutes.ClientAuth auth = TokenRoutes.authenticate(store, call);
        if (auth == null) {
            return Reply.oauthError(401, "invalid_client", null);
        }
        String scopeParam = call.formParam("scope");
        if (scopeParam == null || scopeParam.isBlank()) {
            return Reply.oauthError(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.");
        }
        Set<String> scopes = new LinkedHashSet<>(List.of(scopeParam.trim().split(" +")));
        for (String scope : scopes) {
            // the passthrough scopes need a server picked in a browser; the command scope is client credentials only
            if (!Scopes.KNOWN.contains(scope) || Scopes.PASSTHROUGH.contains(scope)
                    || scope.equals("applications.commands.update")) {
                return Reply.oauthError(400, "invalid_scope", "Invalid scope: " + scope);
            }
        }
        Instant now = store.clock.now();
        String userCode = newUserCode();
        Store.DeviceCode code = new Store.DeviceCode(Snowflakes.opaque(40), userCode, auth.app().id(),
                Collections.unmodifiableSet(scopes), now.plus(store.deviceCodeLifetime), store.deviceInterval);
        store.deviceCodes.put(code.value, code);
        store.deviceCodesByUserCode.put(normalise(userCode), code);
        String page = "http://" + (call.header("Host") != null ? call.header("Host") : "127.0.0.1") + ACTIVATE_PATH;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", code.value);
        body.put("user_code", userCode);
        body.put("verification_uri", page);
        body.put("verification_uri_complete", page + "?user_code=" + userCode);
        body.put("expires_in", store.deviceCodeLifetime.toSeconds());
        body.put("interval", store.deviceInterval.toSeconds());
        return Reply.json(200, body);
    }

    /** {@code XXXX-XXXX} from {@link #USER_CODE_ALPHABET}, unused by any live device authorization. */
    private String newUserCode() {
        while (true) {
            StringBuilder code = new StringBuilder(9);
            for (int i = 0; i < 8; i++) {
                if (i == 4) {
                    code.append('-');
                }
                code.append(USER_CODE_ALPHABET.charAt(RANDOM.nextInt(USER_CODE_ALPHABET.length())));
            }
            Store.DeviceCode taken = store.deviceCodesByUserCode.get(normalise(code.toString()));
            if (taken == null || !store.clock.now().isBefore(taken.expiresAt)) {
                return code.toString();
            }
        }
    }

    /** RFC 8628 §6.1: the user code compared without case, dashes or spaces. */
    static String normalise(String userCode) {
        return userCode.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    }

    // ------------------------------------------------------------------------------------ token endpoint

    /** The token endpoint's device code grant (the client already authenticated). */
    Reply token(Call call, TokenRoutes.ClientAuth auth) {
        String value = call.formParam("device_code");
        if (value == null) {
            return Reply.oauthError(400, "invalid_request", "Missing \"device_code\" in request.");
        }
        Store.DeviceCode code = store.deviceCodes.get(value);
        if (code == null || code.used || !code.clientId.equals(auth.app().id())) {
            return Reply.oauthError(400, "invalid_grant", "Invalid \"device_code\" in request.");
        }
        Instant now = store.clock.now();
        if (!now.isBefore(code.expiresAt)) {
            return Reply.oauthError(400, "expired_token", null);
        }
        Instant last = code.lastPoll;
        code.lastPoll = now;
        if (last != null && now.isBefore(last.plus(code.interval).minus(EARLY_POLL_TOLERANCE))) {
            // RFC 8628 §3.5: the client adds 5 s "for this and all subsequent requests"; so does the check
            code.interval = code.interval.plusSeconds(5);
            return Reply.oauthError(400, "slow_down", null);
        }
        if (code.denied) {
            return Reply.oauthError(400, "access_denied", null);
        }
        if (code.approvedBy == null) {
            return Reply.oauthError(400, "authorization_pending", null);
        }
        code.used = true;
        Store.Grant grant = store.issue(code.clientId, code.approvedBy, code.scopes, true, "device_code");
        return Reply.json(200, TokenRoutes.tokenResponse(store, grant));
    }

    // ------------------------------------------------------------------------------------ activation page

    /**
     * {@code GET /activate[?user_code=...]}: the code entry form, or for a live code the consent form (or, with
     * auto-approval, the approval at once); {@code POST /activate}: the user's decision.
     */
    Reply activate(Call call) {
        boolean post = call.method.equals("POST");
        String entered = post ? call.formParam("user_code") : call.queryParam("user_code");
        if (entered == null || entered.isBlank()) {
            return Reply.html(200, Pages.activation(null, ""));
        }
        Store.DeviceCode code = live(entered);
        if (code == null) {
            return Reply.html(400, Pages.activation("That code is not valid or has expired. Check the code on "
                    + "your device.", entered));
        }
        Store.App app = store.apps.get(code.clientId);
        if (!post) {
            if (autoApproval.isOn()) {
                String approver = autoApproval.nextUser();
                if (store.users.containsKey(approver)) {
                    return approved(code, app, approver);
                }
            }
            Map<String, List<String>> hidden = new LinkedHashMap<>();
            hidden.put("user_code", List.of(code.userCode));
            return Reply.html(200, Pages.consent(app.config, code.scopes, hidden, store.users.values(), null,
                    call.cookie(AuthorizeRoutes.USER_COOKIE)));
        }
        String decision = call.formParam("decision");
        if ("deny".equals(decision)) {
            code.denied = true;
            return Reply.html(200, Pages.message("Cancelled", "You denied " + app.config.name()
                    + " access to your account. The device will not be logged in."));
        }
        if (!"approve".equals(decision)) {
            return Reply.html(400, Pages.error("Invalid form", "The form must say decision=approve or deny."));
        }
        String userId = call.formParam("user_id");
        if (userId == null || !store.users.containsKey(userId)) {
            return Reply.html(400, Pages.error("Unknown user", "Choose one of the emulator's users."));
        }
        return approved(code, app, userId).header("Set-Cookie", AuthorizeRoutes.USER_COOKIE + "=" + userId
                + "; Path=/; HttpOnly; SameSite=Lax");
    }

    /** The live, undecided device authorization with this user code, or {@code null}. */
    private Store.DeviceCode live(String userCode) {
        Store.DeviceCode code = store.deviceCodesByUserCode.get(normalise(userCode));
        return code == null || code.decided() || code.used || !store.clock.now().isBefore(code.expiresAt) ? null
                : code;
    }

    private Reply approved(Store.DeviceCode code, Store.App app, String userId) {
        approve(code, userId);
        EmulatedUser user = store.users.get(userId);
        return Reply.html(200, Pages.message("Device connected", app.config.name() + " is now logged in as "
                + (user.globalName() != null ? user.globalName() : user.username()) + ". You can return to your "
                + "device."));
    }

    private void approve(Store.DeviceCode code, String userId) {
        code.approvedBy = userId;
        store.approvals.computeIfAbsent(Store.pair(code.clientId, userId), k -> new LinkedHashSet<>())
                .addAll(code.scopes);
        webhooks.authorized(code.clientId, userId, code.scopes, null, null);
    }

    // ------------------------------------------------------------------------------------ controls

    /**
     * Decides a live device authorization as its user would on the activation page: approves it as {@code userId},
     * or denies it when {@code userId} is {@code null}. Takes the store's monitor.
     *
     * @throws IllegalArgumentException when no live, undecided device authorization has the code, or the user is
     *                                  unknown
     */
    void decide(String userCode, String userId) {
        if (userCode == null || userCode.isBlank()) {
            throw new IllegalArgumentException("userCode must not be empty");
        }
        synchronized (store) {
            Store.DeviceCode code = live(userCode);
            if (code == null) {
                throw new IllegalArgumentException("no pending device authorization has the user code " + userCode
                        + " (unknown, expired, or already decided)");
            }
            if (userId == null) {
                code.denied = true;
                return;
            }
            SeedData.requireUser(store, userId);
            approve(code, userId);
        }
    }

    /** The device authorizations not yet expired, oldest first, as the admin API lists them (no device code). */
    List<Map<String, Object>> list() {
        synchronized (store) {
            Instant now = store.clock.now();
            List<Map<String, Object>> out = new ArrayList<>();
            for (Store.DeviceCode code : store.deviceCodesByUserCode.values()) {
                if (!now.isBefore(code.expiresAt)) {
                    continue;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("user_code", code.userCode);
                entry.put("client_id", code.clientId);
                entry.put("scopes", new ArrayList<>(code.scopes));
                entry.put("state", code.state());
                entry.put("user_id", code.approvedBy == null ? Json.NULL : code.approvedBy);
                entry.put("expires_at", code.expiresAt.toString());
                entry.put("interval", code.interval.toSeconds());
                out.add(entry);
            }
            return out;
        }
    }
}
