package dev.parley.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatException;

/** A frame from the server, as the client decodes it. */
public sealed interface ServerFrame {

    /** A successful reply; {@code body} holds its result fields. */
    record Reply(Object re, ObjectNode body) implements ServerFrame {
    }

    /** An error reply; {@code re} is {@code null} when the server could not read the command id. */
    record ErrorReply(Object re, ChatException error) implements ServerFrame {
    }

    /** A server push: {@code type} is its wire name, {@code body} the whole frame. */
    record Event(String type, JsonNode body) implements ServerFrame {
    }
}
