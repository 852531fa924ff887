package dev.parley.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatException;

/** Typed access to a request body's fields; a field of the wrong type is a {@code bad_request} naming it. */
final class JsonFields {
    private final ObjectNode node;
    private final String prefix;

    JsonFields(ObjectNode node) {
        this(node, "");
    }

    private JsonFields(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    private JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** Whether the field is present and not {@code null}. */
    /** The JSON object these fields are read from. */
    ObjectNode node() {
        return node;
    }

    boolean has(String field) {
        return get(field) != null;
    }

    String string(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw ChatException.badRequest(prefix + field + " must be a string");
        }
        return v.asText();
    }

    String requiredString(String field) {
        String v = string(field);
        if (v == null || v.isEmpty()) {
            throw ChatException.badRequest(prefix + field + " is required");
        }
        return v;
    }

    Boolean bool(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ChatException.badRequest(prefix + field + " must be true or false");
        }
        return v.asBoolean();
    }

    boolean requiredBool(String field) {
        Boolean v = bool(field);
        if (v == null) {
            throw ChatException.badRequest(prefix + field + " is required (true or false)");
        }
        return v;
    }

    /** A nested object, or {@code null} when absent. */
    JsonFields object(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw ChatException.badRequest(prefix + field + " must be an object");
        }
        return new JsonFields((ObjectNode) v, prefix + field + ".");
    }
}
