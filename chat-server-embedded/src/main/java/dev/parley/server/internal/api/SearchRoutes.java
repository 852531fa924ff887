package dev.parley.server.internal.api;

import static dev.parley.server.internal.api.Replies.object;
import static dev.parley.server.internal.api.Replies.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.SearchPage;
import dev.parley.core.SearchRequest;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.server.internal.JsonServlet.JsonReply;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /v1/search?query=…}: full-text search, the same rules and reply as the socket's
 * {@code search} command. Optional parameters: {@code conversationId, senderId, after, before}
 * (RFC 3339), {@code hasAttachment} ({@code true}/{@code false}), {@code limit, cursor}.
 */
final class SearchRoutes {
    private final ChatEngine engine;
    private final ProtocolCodec codec;

    SearchRoutes(ApiContext context) {
        this.engine = context.engine();
        this.codec = context.codec();
    }

    void addTo(ApiRouter router) {
        router.get("/v1/search", this::search);
    }

    private JsonReply search(ApiCall call) {
        String callerId = call.userId();
        SearchPage page = engine.search(callerId, new SearchRequest(call.query("query"), empty(call.query("conversationId")),
                empty(call.query("senderId")), time(call, "after"), time(call, "before"), bool(call, "hasAttachment"),
                call.intQuery("limit"), empty(call.query("cursor"))));
        ObjectNode reply = object();
        ArrayNode results = reply.putArray("results");
        page.results().forEach(hit -> results.add(codec.searchHit(hit)));
        if (page.nextCursor() != null) {
            reply.put("nextCursor", page.nextCursor());
        }
        return ok(reply);
    }

    private static String empty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Instant time(ApiCall call, String name) {
        String v = empty(call.query(name));
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ChatException.badRequest(name + " must be an RFC 3339 time");
        }
    }

    private static Boolean bool(ApiCall call, String name) {
        String v = empty(call.query(name));
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw ChatException.badRequest(name + " must be true or false");
        }
        return Boolean.valueOf(v);
    }
}
