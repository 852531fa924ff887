package dev.parley.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.SessionInfo;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.ConversationSummary;
import dev.parley.core.ErrorCode;
import dev.parley.core.HistoryPage;
import dev.parley.core.Message;
import dev.parley.core.MessageEdit;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.protocol.ProtocolCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the result fields of successful replies into model records. */
public final class Replies {
    private final ProtocolCodec codec;

    public Replies(ProtocolCodec codec) {
        this.codec = codec;
    }

    public SessionInfo session(JsonNode body) {
        JsonNode user = body.path("user");
        JsonNode limits = body.path("limits");
        String userId = user.path("id").asText(null);
        if (userId == null) {
            throw malformed("hello reply without user.id");
        }
        return new SessionInfo(body.path("session").asText(""), userId, user.path("name").asText(userId),
                Duration.ofMillis(body.path("pingIntervalMs").asLong(0)),
                limits.path("maxFrameBytes").asInt(0), limits.path("maxBodyChars").asInt(0));
    }

    public Message message(JsonNode body) {
        return codec.message(required(body, "message"));
    }

    public Conversation conversation(JsonNode body) {
        return codec.conversation(required(body, "conversation"));
    }

    public HistoryPage history(JsonNode body) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : required(body, "messages")) {
            messages.add(codec.message(m));
        }
        return new HistoryPage(messages, body.path("hasMore").asBoolean(false));
    }

    /** The {@code messages} array of a reply (e.g. {@code pins}). */
    public List<Message> messages(JsonNode body) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : required(body, "messages")) {
            messages.add(codec.message(m));
        }
        return messages;
    }

    /** The {@code edits} array of a {@code message.edits} reply. */
    public List<MessageEdit> edits(JsonNode body) {
        List<MessageEdit> edits = new ArrayList<>();
        for (JsonNode e : required(body, "edits")) {
            edits.add(codec.messageEdit(e));
        }
        return edits;
    }

    public ConversationPage conversations(JsonNode body) {
        List<ConversationSummary> out = new ArrayList<>();
        for (JsonNode c : required(body, "conversations")) {
            out.add(new ConversationSummary(codec.conversation(c), ProtocolCodec.stringList(c.path("memberIds")),
                    c.hasNonNull("lastMessage") ? codec.message(c.get("lastMessage")) : null,
                    c.path("unread").asLong(0), c.path("readSeq").asLong(0), c.path("deliveredSeq").asLong(0),
                    c.path("mentionsUnread").asLong(0)));
        }
        JsonNode next = body.get("nextCursor");
        return new ConversationPage(out, next == null || next.isNull() ? null : next.asText());
    }

    /** The presence entries of a {@code presence} reply (array field {@code presence}, or {@code users}). */
    public List<PresenceEvent> presence(JsonNode body) {
        JsonNode list = body.get("presence");
        if (list == null || !list.isArray()) {
            list = body.get("users");
        }
        if (list == null || !list.isArray()) {
            throw malformed("presence reply without a presence array");
        }
        List<PresenceEvent> out = new ArrayList<>();
        for (JsonNode p : list) {
            String status = p.path("status").asText();
            out.add(new PresenceEvent(p.path("userId").asText(),
                    "online".equals(status) ? PresenceStatus.ONLINE : PresenceStatus.OFFLINE,
                    p.hasNonNull("lastSeenAt") ? Instant.parse(p.get("lastSeenAt").asText()) : null));
        }
        return out;
    }

    /** {@code truncated} (or {@code forbidden}) conversation ids of a {@code resume} reply. */
    public static List<String> ids(JsonNode body, String field) {
        JsonNode list = body.get(field);
        return list == null || !list.isArray() ? List.of() : ProtocolCodec.stringList(list);
    }

    private static JsonNode required(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw malformed("reply without " + field);
        }
        return v;
    }

    private static ChatException malformed(String what) {
        return new ChatException(ErrorCode.INTERNAL, "malformed server reply: " + what);
    }
}
