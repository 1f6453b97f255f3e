package dev.discordoauth2.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Discord's "Invalid Form Body" error ({@code 400}, JSON code {@code 50035}) with its {@code errors} tree:
 * nested by JSON path, array indices as string keys, each leaf an {@code _errors} list of
 * {@code {code, message}}. Not thread-safe.
 */
final class FormErrors {
    private final Map<String, Object> tree = new LinkedHashMap<>();
    private int size;

    /** Adds an error at the given path; an empty path is a request-level error. */
    @SuppressWarnings("unchecked")
    FormErrors add(List<String> path, String code, String message) {
        Map<String, Object> node = tree;
        for (String segment : path) {
            node = (Map<String, Object>) node.computeIfAbsent(segment, k -> new LinkedHashMap<String, Object>());
        }
        List<Object> errors = (List<Object>) node.computeIfAbsent("_errors", k -> new ArrayList<>());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        errors.add(error);
        size++;
        return this;
    }

    FormErrors add(String field, String code, String message) {
        return add(List.of(field), code, message);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** How many errors were added. */
    int size() {
        return size;
    }

    Reply reply() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 50035);
        body.put("errors", tree);
        body.put("message", "Invalid Form Body");
        return Reply.json(400, body);
    }

    /** Throws the reply when any error was added. */
    void throwIfAny() {
        if (!isEmpty()) {
            throw reply().stop();
        }
    }
}
