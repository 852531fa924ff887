package dev.parley.server.internal.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.internal.JsonServlet.JsonReply;

/** The few reply shapes the handlers use. */
final class Replies {
    private Replies() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static JsonReply ok(ObjectNode body) {
        return new JsonReply(200, body);
    }

    static JsonReply created(ObjectNode body) {
        return new JsonReply(201, body);
    }

    static JsonReply noContent() {
        return new JsonReply(204, null);
    }
}
