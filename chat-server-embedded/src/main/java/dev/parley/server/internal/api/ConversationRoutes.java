package dev.parley.server.internal.api;

import static dev.parley.server.internal.api.Replies.created;
import static dev.parley.server.internal.api.Replies.object;
import static dev.parley.server.internal.api.Replies.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ConversationPage;
import dev.parley.core.HistoryPage;
import dev.parley.core.Message;
import dev.parley.core.SendOptions;
import dev.parley.core.protocol.Command;
import dev.parley.core.protocol.CommandType;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.server.internal.JsonServlet.JsonReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /v1/conversations…} for clients without a socket: the conversation list, members,
 * history and sending. Same rules and JSON shapes as the socket commands.
 */
final class ConversationRoutes {
    private final ApiContext context;
    private final ChatEngine engine;
    private final ProtocolCodec codec;

    ConversationRoutes(ApiContext context) {
        this.context = context;
        this.engine = context.engine();
        this.codec = context.codec();
    }

    void addTo(ApiRouter router) {
        router.get("/v1/conversations", this::list)
                .get("/v1/conversations/{conversationId}/members", this::members)
                .get("/v1/conversations/{conversationId}/messages", this::history)
                .post("/v1/conversations/{conversationId}/messages", this::send);
    }

    private JsonReply list(ApiCall call) {
        String callerId = call.userId();
        ConversationPage page = engine.conversations(callerId, call.intQuery("limit"), call.query("cursor"));
        ObjectNode reply = object();
        ArrayNode items = reply.putArray("conversations");
        page.conversations().forEach(summary -> items.add(codec.summary(summary)));
        if (page.nextCursor() != null) {
            reply.put("nextCursor", page.nextCursor());
        }
        return ok(reply);
    }

    private JsonReply members(ApiCall call) {
        String callerId = call.userId();
        ObjectNode reply = object();
        ArrayNode items = reply.putArray("members");
        engine.members(callerId, call.path("conversationId")).forEach(m -> items.add(codec.member(m)));
        return ok(reply);
    }

    private JsonReply history(ApiCall call) {
        String callerId = call.userId();
        HistoryPage page = engine.history(callerId, call.path("conversationId"), call.longQuery("beforeSeq"),
                call.longQuery("afterSeq"), call.intQuery("limit"));
        ObjectNode reply = object();
        ArrayNode messages = reply.putArray("messages");
        page.messages().forEach(m -> messages.add(codec.tree(m)));
        reply.put("hasMore", page.hasMore());
        return ok(reply);
    }

    /** Waits (on the HTTP thread) for the durable commit, at most {@link ApiContext#sendTimeout()}. */
    private JsonReply send(ApiCall call) {
        String callerId = call.userId();
        // The body is the socket's send command without type and conversationId: decode it with
        // the protocol codec, so both transports read every field (attachments, mentions,
        // ttlSeconds, threadRootId) the same way.
        ObjectNode command = call.body().node().deepCopy();
        command.put("type", CommandType.SEND.wire());
        command.put("conversationId", call.path("conversationId"));
        command.remove("id");
        Command.Send send = (Command.Send) codec.decodeCommand(codec.write(command));
        CompletableFuture<Message> sent = engine.sendWithOptions(callerId, send.conversationId(), send.clientMsgId(),
                send.body(), new SendOptions(send.replyTo(), send.ttlSeconds(), send.mentions(), send.threadRootId()));
        Message message;
        try {
            message = sent.get(context.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw ChatException.unavailable("the message was not stored within " + context.sendTimeout().toMillis()
                    + " ms; retry with the same clientMsgId", e);
        } catch (ExecutionException e) {
            throw ChatEngine.unwrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChatException.unavailable("interrupted while waiting for the store", e);
        }
        ObjectNode reply = object();
        reply.set("message", codec.tree(message));
        return created(reply);
    }
}
