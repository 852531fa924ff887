package dev.parley.core.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationSummary;
import dev.parley.core.CursorKind;
import dev.parley.core.DeleteScope;
import dev.parley.core.ErrorCode;
import dev.parley.core.GroupPermission;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.MessageEdit;
import dev.parley.core.Role;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.ConversationEvent;
import dev.parley.core.event.ChatEvent.MessageDeletedEvent;
import dev.parley.core.event.ChatEvent.MessageEditedEvent;
import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.ChatEvent.MessageHiddenEvent;
import dev.parley.core.event.ChatEvent.PinEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.ChatEvent.TypingEvent;
import dev.parley.core.event.EventType;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.event.ReactionAction;
import dev.parley.core.event.TypingState;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes protocol v1 frames (JSON text). Thread-safe; one instance per server
 * or client is enough. Both sides use it: the server decodes commands and encodes replies
 * and events; the client encodes commands and decodes server frames.
 *
 * <pre>{@code
 * ProtocolCodec codec = new ProtocolCodec();
 * Command c = codec.decodeCommand("{\"id\":1,\"type\":\"ping\"}");
 * String reply = codec.write(codec.ok(c.id()));   // {"re":1,"ok":true}
 * }</pre>
 */
public final class ProtocolCodec {
    /** RFC 3339, UTC, always with milliseconds. */
    public static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper;

    public ProtocolCodec() {
        SimpleModule times = new SimpleModule("parley-times");
        times.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(TIME.format(value));
            }
        });
        times.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                try {
                    return Instant.parse(p.getValueAsString());
                } catch (DateTimeParseException e) {
                    throw new com.fasterxml.jackson.databind.JsonMappingException(p, "not an RFC 3339 time", e);
                }
            }
        });
        this.mapper = new ObjectMapper()
                .registerModule(times)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        // Frames are bounded by the transport; keep nesting shallow against stack abuse.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    /** The configured mapper (times as RFC 3339 with millis, nulls omitted, unknown fields ignored). */
    public ObjectMapper mapper() {
        return mapper;
    }

    // ------------------------------------------------------------------ server side: decode

    /**
     * Decodes one client frame.
     *
     * @throws ProtocolException {@code bad_request} for malformed JSON, a non-object, a missing
     *                           or non-string {@code type}, an invalid id or field;
     *                           {@code unsupported} for an unknown type
     */
    public Command decodeCommand(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "frame is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "frame must be a JSON object");
        }
        Fields f = new Fields((ObjectNode) root, readId(root));
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw f.bad("type must be a string");
        }
        CommandType type = CommandType.fromWire(typeNode.asText())
                .orElseThrow(() -> new ProtocolException(f.id, ErrorCode.UNSUPPORTED,
                        "unknown command type: " + abbreviate(typeNode.asText())));
        Object id = f.id;
        return switch (type) {
            case HELLO -> {
                JsonNode client = f.object("client");
                yield new Command.Hello(id, f.string("token"),
                        client == null ? null : new Fields((ObjectNode) client, id, "client.").string("name"),
                        client == null ? null : new Fields((ObjectNode) client, id, "client.").string("version"));
            }
            case PING -> new Command.Ping(id);
            case PONG -> new Command.Pong(id);
            case CONVERSATION_CREATE -> new Command.CreateConversation(id, f.requiredString("kind"),
                    f.string("userId"), f.string("name"), f.stringList("memberIds"));
            case CONVERSATION_ADD_MEMBER -> new Command.AddMember(id, f.requiredString("conversationId"),
                    f.requiredString("userId"));
            case CONVERSATION_MEMBERS -> new Command.Members(id, f.requiredString("conversationId"));
            case CONVERSATIONS -> new Command.ListConversations(id, f.integer("limit"), f.string("cursor"));
            case SEND -> new Command.Send(id, f.requiredString("conversationId"), f.requiredString("clientMsgId"),
                    f.body(), f.string("replyTo"), f.integer("ttlSeconds"), f.stringList("mentions"),
                    f.string("threadRootId"));
            case HISTORY -> new Command.History(id, f.requiredString("conversationId"), f.longValue("beforeSeq"),
                    f.longValue("afterSeq"), f.integer("limit"));
            case TYPING -> new Command.Typing(id, f.requiredString("conversationId"),
                    f.choice("state", TypingState.class));
            case RECEIPT -> {
                Long seq = f.longValue("seq");
                if (seq == null) {
                    throw f.bad("seq is required");
                }
                yield new Command.Receipt(id, f.requiredString("conversationId"), f.choice("kind", CursorKind.class), seq);
            }
            case RESUME -> new Command.Resume(id, f.seqMap("conversations"), f.integer("maxPerConversation"));
            case PRESENCE -> {
                List<String> userIds = f.stringList("userIds");
                if (userIds == null) {
                    throw f.bad("userIds is required");
                }
                yield new Command.Presence(id, userIds);
            }
            case MESSAGE_EDIT -> new Command.EditMessage(id, f.requiredString("conversationId"),
                    f.requiredString("messageId"), f.body());
            case MESSAGE_EDITS -> new Command.MessageEdits(id, f.requiredString("conversationId"),
                    f.requiredString("messageId"));
            case MESSAGE_DELETE -> new Command.DeleteMessage(id, f.requiredString("conversationId"),
                    f.requiredString("messageId"), f.choice("scope", DeleteScope.class));
            case REACTION_ADD -> new Command.AddReaction(id, f.requiredString("conversationId"),
                    f.requiredString("messageId"), f.requiredString("emoji"));
            case REACTION_REMOVE -> new Command.RemoveReaction(id, f.requiredString("conversationId"),
                    f.requiredString("messageId"), f.requiredString("emoji"));
            case MESSAGE_PIN -> new Command.PinMessage(id, f.requiredString("conversationId"),
                    f.requiredString("messageId"));
            case MESSAGE_UNPIN -> new Command.UnpinMessage(id, f.requiredString("conversationId"),
                    f.requiredString("messageId"));
            case GROUP_SET_ROLE -> new Command.SetRole(id, f.requiredString("conversationId"),
                    f.requiredString("userId"), f.choice("role", Role.class));
            case GROUP_TRANSFER_OWNERSHIP -> new Command.TransferOwnership(id, f.requiredString("conversationId"),
                    f.requiredString("userId"));
            case GROUP_REMOVE_MEMBER -> new Command.RemoveMember(id, f.requiredString("conversationId"),
                    f.requiredString("userId"));
            case GROUP_LEAVE -> new Command.LeaveGroup(id, f.requiredString("conversationId"));
            case GROUP_UPDATE -> new Command.UpdateGroup(id, f.requiredString("conversationId"), f.string("name"),
                    f.string("description"), f.string("avatar"));
            case GROUP_SET_PERMISSIONS -> new Command.SetGroupPermissions(id, f.requiredString("conversationId"),
                    f.optionalChoice("whoCanPost", GroupPermission.class),
                    f.optionalChoice("whoCanAdd", GroupPermission.class),
                    f.optionalChoice("infoEditors", GroupPermission.class), f.integer("slowModeSeconds"));
            case GROUP_MUTE -> {
                Long seconds = f.longValue("seconds");
                if (seconds == null) {
                    throw f.bad("seconds is required");
                }
                yield new Command.Mute(id, f.requiredString("conversationId"), f.requiredString("userId"), seconds);
            }
            case GROUP_UNMUTE -> new Command.Unmute(id, f.requiredString("conversationId"), f.requiredString("userId"));
            case GROUP_BAN -> new Command.Ban(id, f.requiredString("conversationId"), f.requiredString("userId"));
            case GROUP_UNBAN -> new Command.Unban(id, f.requiredString("conversationId"), f.requiredString("userId"));
            case GROUP_INVITE_CREATE -> new Command.CreateInvite(id, f.requiredString("conversationId"),
                    f.longValue("expiresInSeconds"), f.integer("maxUses"));
            case GROUP_INVITE_REVOKE -> new Command.RevokeInvite(id, f.requiredString("conversationId"),
                    f.requiredString("code"));
            case GROUP_JOIN -> new Command.JoinGroup(id, f.requiredString("code"));
            case PINS -> new Command.Pins(id, f.requiredString("conversationId"));
            case SEARCH -> new Command.Search(id, f.string("query"), f.string("conversationId"), f.string("senderId"),
                    f.time("after"), f.time("before"), f.bool("hasAttachment"), f.integer("limit"), f.string("cursor"));
            case CONVERSATION_SET_EXPIRY -> {
                Long seconds = f.longValue("seconds");
                if (seconds == null) {
                    throw f.bad("seconds is required");
                }
                yield new Command.SetExpiry(id, f.requiredString("conversationId"), seconds);
            }
            case THREAD_HISTORY -> new Command.ThreadHistory(id, f.requiredString("conversationId"),
                    f.requiredString("rootId"), f.longValue("beforeSeq"), f.longValue("afterSeq"), f.integer("limit"));
            case THREADS -> new Command.Threads(id, f.requiredString("conversationId"),
                    f.longValue("beforeLastReplySeq"), f.integer("limit"));
            case THREAD_READ -> {
                Long seq = f.longValue("seq");
                if (seq == null) {
                    throw f.bad("seq is required");
                }
                yield new Command.ThreadRead(id, f.requiredString("conversationId"), f.requiredString("rootId"), seq);
            }
            case GALLERY -> new Command.Gallery(id, f.requiredString("conversationId"), f.requiredString("kind"),
                    f.longValue("beforeSeq"), f.integer("limit"));
        };
    }

    /** Whether {@code type} may be sent without an id (no reply): {@code pong}, {@code typing}, {@code receipt}. */
    public static boolean fireAndForgetAllowed(CommandType type) {
        return type == CommandType.PONG || type == CommandType.TYPING || type == CommandType.RECEIPT;
    }

    // ------------------------------------------------------------------ server side: encode

    /** A reply object {@code {"re":id,"ok":true}} to add result fields to. */
    public ObjectNode ok(Object id) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putId(node, "re", id);
        node.put("ok", true);
        return node;
    }

    /** The error reply for a command (id may be {@code null}). */
    public String error(Object id, ChatException e) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putId(node, "re", id);
        ObjectNode error = node.putObject("error");
        error.put("code", e.code().wire());
        error.put("message", e.getMessage() == null ? e.code().wire() : e.getMessage());
        error.put("retryable", e.code().retryable());
        if (e.retryAfterMs() != null) {
            error.put("retryAfterMs", e.retryAfterMs());
        }
        return write(node);
    }

    /** The HTTP error body {@code {"error":{code,message,retryable}}}. */
    public String httpError(ChatException e) {
        ObjectNode node = (ObjectNode) read(error(null, e));
        node.remove("re");
        return write(node);
    }

    /** Encodes a server push. */
    public String event(ChatEvent event) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", event.type().wire());
        switch (event.type()) {
            case MESSAGE -> node.set("message", tree(((MessageEvent) event).message()));
            case TYPING -> {
                TypingEvent t = (TypingEvent) event;
                node.put("conversationId", t.conversationId());
                node.put("userId", t.userId());
                node.put("state", t.state() == TypingState.START ? "start" : "stop");
            }
            case PRESENCE -> node.setAll(presence((PresenceEvent) event));
            case RECEIPT -> {
                ReceiptEvent r = (ReceiptEvent) event;
                node.put("conversationId", r.conversationId());
                node.put("userId", r.userId());
                node.put("kind", r.kind().wire());
                node.put("seq", r.seq());
            }
            case CONVERSATION -> {
                ConversationEvent c = (ConversationEvent) event;
                node.set("conversation", conversation(c.conversation(), c.memberIds()));
            }
            case FRIEND -> {
                ChatEvent.FriendEvent f = (ChatEvent.FriendEvent) event;
                node.put("userId", f.userId());
                node.put("state", f.state().name().toLowerCase(java.util.Locale.ROOT));
            }
            case MESSAGE_EDITED -> node.set("message", tree(((MessageEditedEvent) event).message()));
            case MESSAGE_DELETED -> {
                MessageDeletedEvent d = (MessageDeletedEvent) event;
                node.put("conversationId", d.conversationId());
                node.put("messageId", d.messageId());
                node.put("seq", d.seq());
            }
            case MESSAGE_HIDDEN -> {
                MessageHiddenEvent h = (MessageHiddenEvent) event;
                node.put("conversationId", h.conversationId());
                node.put("messageId", h.messageId());
                node.put("seq", h.seq());
            }
            case REACTION -> {
                ReactionEvent r = (ReactionEvent) event;
                node.put("conversationId", r.conversationId());
                node.put("messageId", r.messageId());
                node.put("seq", r.seq());
                node.put("userId", r.userId());
                node.put("emoji", r.emoji());
                node.put("action", r.action().wire());
            }
            case PIN -> {
                PinEvent p = (PinEvent) event;
                node.put("conversationId", p.conversationId());
                node.put("messageId", p.messageId());
                node.put("pinned", p.pinned());
                node.put("userId", p.userId());
            }
            case MESSAGE_EXPIRED -> {
                ChatEvent.MessageExpiredEvent x = (ChatEvent.MessageExpiredEvent) event;
                node.put("conversationId", x.conversationId());
                x.messageIds().forEach(node.putArray("messageIds")::add);
                x.seqs().forEach(node.putArray("seqs")::add);
            }
            case CONVERSATION_EXPIRY -> {
                ChatEvent.ConversationExpiryEvent x = (ChatEvent.ConversationExpiryEvent) event;
                node.put("conversationId", x.conversationId());
                node.put("seconds", x.seconds());
                node.put("userId", x.userId());
            }
            case THREAD -> {
                ChatEvent.ThreadEvent t = (ChatEvent.ThreadEvent) event;
                node.put("conversationId", t.conversationId());
                node.put("rootId", t.rootId());
                node.put("rootSeq", t.rootSeq());
                node.set("thread", tree(t.thread()));
            }
            case THREAD_READ -> {
                ChatEvent.ThreadReadEvent r = (ChatEvent.ThreadReadEvent) event;
                node.put("conversationId", r.conversationId());
                node.put("rootId", r.rootId());
                node.put("userId", r.userId());
                node.put("seq", r.seq());
            }
            case PING -> throw new IllegalArgumentException("ping is not a chat event");
        }
        return write(node);
    }

    /** The server's heartbeat frame. */
    public String ping() {
        return "{\"type\":\"ping\"}";
    }

    /** A presence entry {@code {userId, status, lastSeenAt?}}. */
    public ObjectNode presence(PresenceEvent p) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("userId", p.userId());
        node.put("status", p.status() == PresenceStatus.ONLINE ? "online" : "offline");
        if (p.lastSeenAt() != null) {
            node.put("lastSeenAt", TIME.format(p.lastSeenAt()));
        }
        return node;
    }

    /** A member entry {@code {userId, role, joinedAt, deliveredSeq, readSeq}}. */
    public ObjectNode member(dev.parley.core.Member m) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("userId", m.userId());
        node.put("role", m.role().wire());
        node.put("joinedAt", TIME.format(m.joinedAt()));
        node.put("deliveredSeq", m.deliveredSeq());
        node.put("readSeq", m.readSeq());
        return node;
    }

    /** A user entry {@code {id, name, avatar?, bio?, createdAt}}. */
    public ObjectNode user(dev.parley.core.User u) {
        return (ObjectNode) tree(u);
    }

    /** A conversation object: the conversation's fields plus {@code memberIds}. */
    public ObjectNode conversation(Conversation c, List<String> memberIds) {
        ObjectNode node = (ObjectNode) tree(c);
        ArrayNode ids = node.putArray("memberIds");
        memberIds.forEach(ids::add);
        return node;
    }

    /** A conversation-list entry: the conversation object plus lastMessage, unread, readSeq, deliveredSeq. */
    public ObjectNode summary(ConversationSummary s) {
        ObjectNode node = conversation(s.conversation(), s.memberIds());
        if (s.lastMessage() != null) {
            node.set("lastMessage", tree(s.lastMessage()));
        }
        node.put("unread", s.unread());
        node.put("readSeq", s.readSeq());
        node.put("deliveredSeq", s.deliveredSeq());
        node.put("mentionsUnread", s.mentionsUnread());
        return node;
    }

    public JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    public String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode frame", e);
        }
    }

    // ------------------------------------------------------------------ client side

    /** Encodes a command as the client sends it. */
    public String encodeCommand(Command command) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putId(node, "id", command.id());
        node.put("type", command.type().wire());
        switch (command.type()) {
            case HELLO -> {
                Command.Hello h = (Command.Hello) command;
                node.put("token", h.token());
                ObjectNode client = node.putObject("client");
                client.put("name", h.clientName());
                client.put("version", h.clientVersion());
            }
            case PING, PONG -> {
            }
            case CONVERSATION_CREATE -> {
                Command.CreateConversation c = (Command.CreateConversation) command;
                node.put("kind", c.kind());
                putIfSet(node, "userId", c.userId());
                putIfSet(node, "name", c.name());
                if (c.memberIds() != null) {
                    ArrayNode ids = node.putArray("memberIds");
                    c.memberIds().forEach(ids::add);
                }
            }
            case CONVERSATION_ADD_MEMBER -> {
                Command.AddMember a = (Command.AddMember) command;
                node.put("conversationId", a.conversationId());
                node.put("userId", a.userId());
            }
            case CONVERSATION_MEMBERS -> node.put("conversationId", ((Command.Members) command).conversationId());
            case CONVERSATIONS -> {
                Command.ListConversations l = (Command.ListConversations) command;
                if (l.limit() != null) {
                    node.put("limit", l.limit());
                }
                putIfSet(node, "cursor", l.cursor());
            }
            case SEND -> {
                Command.Send s = (Command.Send) command;
                node.put("conversationId", s.conversationId());
                node.put("clientMsgId", s.clientMsgId());
                node.set("body", tree(s.body()));
                putIfSet(node, "replyTo", s.replyTo());
                if (s.ttlSeconds() != null) {
                    node.put("ttlSeconds", s.ttlSeconds());
                }
                if (s.mentions() != null && !s.mentions().isEmpty()) {
                    ArrayNode mentions = node.putArray("mentions");
                    s.mentions().forEach(mentions::add);
                }
                putIfSet(node, "threadRootId", s.threadRootId());
            }
            case HISTORY -> {
                Command.History h = (Command.History) command;
                node.put("conversationId", h.conversationId());
                if (h.beforeSeq() != null) {
                    node.put("beforeSeq", h.beforeSeq());
                }
                if (h.afterSeq() != null) {
                    node.put("afterSeq", h.afterSeq());
                }
                if (h.limit() != null) {
                    node.put("limit", h.limit());
                }
            }
            case TYPING -> {
                Command.Typing t = (Command.Typing) command;
                node.put("conversationId", t.conversationId());
                node.put("state", t.state() == TypingState.START ? "start" : "stop");
            }
            case RECEIPT -> {
                Command.Receipt r = (Command.Receipt) command;
                node.put("conversationId", r.conversationId());
                node.put("kind", r.kind().wire());
                node.put("seq", r.seq());
            }
            case RESUME -> {
                Command.Resume r = (Command.Resume) command;
                ObjectNode seqs = node.putObject("conversations");
                r.conversations().forEach(seqs::put);
                if (r.maxPerConversation() != null) {
                    node.put("maxPerConversation", r.maxPerConversation());
                }
            }
            case PRESENCE -> {
                ArrayNode ids = node.putArray("userIds");
                ((Command.Presence) command).userIds().forEach(ids::add);
            }
            case MESSAGE_EDIT -> {
                Command.EditMessage e = (Command.EditMessage) command;
                putTarget(node, e.conversationId(), e.messageId());
                node.set("body", tree(e.body()));
            }
            case MESSAGE_EDITS -> {
                Command.MessageEdits e = (Command.MessageEdits) command;
                putTarget(node, e.conversationId(), e.messageId());
            }
            case MESSAGE_DELETE -> {
                Command.DeleteMessage d = (Command.DeleteMessage) command;
                putTarget(node, d.conversationId(), d.messageId());
                node.put("scope", d.scope().wire());
            }
            case REACTION_ADD -> {
                Command.AddReaction r = (Command.AddReaction) command;
                putTarget(node, r.conversationId(), r.messageId());
                node.put("emoji", r.emoji());
            }
            case REACTION_REMOVE -> {
                Command.RemoveReaction r = (Command.RemoveReaction) command;
                putTarget(node, r.conversationId(), r.messageId());
                node.put("emoji", r.emoji());
            }
            case MESSAGE_PIN -> {
                Command.PinMessage p = (Command.PinMessage) command;
                putTarget(node, p.conversationId(), p.messageId());
            }
            case MESSAGE_UNPIN -> {
                Command.UnpinMessage p = (Command.UnpinMessage) command;
                putTarget(node, p.conversationId(), p.messageId());
            }
            case GROUP_SET_ROLE, GROUP_TRANSFER_OWNERSHIP, GROUP_REMOVE_MEMBER, GROUP_LEAVE, GROUP_UPDATE,
                    GROUP_SET_PERMISSIONS, GROUP_MUTE, GROUP_UNMUTE, GROUP_BAN, GROUP_UNBAN, GROUP_INVITE_CREATE,
                    GROUP_INVITE_REVOKE, GROUP_JOIN -> {
                // these records' components are exactly their wire fields (null ones left out)
                ObjectNode fields = (ObjectNode) tree(command);
                fields.remove("id");
                node.setAll(fields);
            }
            case PINS -> node.put("conversationId", ((Command.Pins) command).conversationId());
            case SEARCH -> {
                Command.Search q = (Command.Search) command;
                putIfSet(node, "query", q.query());
                putIfSet(node, "conversationId", q.conversationId());
                putIfSet(node, "senderId", q.senderId());
                putIfSet(node, "after", q.after() == null ? null : TIME.format(q.after()));
                putIfSet(node, "before", q.before() == null ? null : TIME.format(q.before()));
                if (q.hasAttachment() != null) {
                    node.put("hasAttachment", q.hasAttachment());
                }
                if (q.limit() != null) {
                    node.put("limit", q.limit());
                }
                putIfSet(node, "cursor", q.cursor());
            }
            case CONVERSATION_SET_EXPIRY -> {
                Command.SetExpiry x = (Command.SetExpiry) command;
                node.put("conversationId", x.conversationId());
                node.put("seconds", x.seconds());
            }
            case THREAD_HISTORY, THREADS, THREAD_READ, GALLERY -> {
                // these records' components are exactly their wire fields (null ones left out)
                ObjectNode fields = (ObjectNode) tree(command);
                fields.remove("id");
                node.setAll(fields);
            }
        }
        return write(node);
    }

    /**
     * Decodes a frame from the server into a reply, an error reply or an event.
     *
     * @throws ProtocolException when the frame is not a protocol v1 server frame
     */
    public ServerFrame decodeServerFrame(String text) {
        JsonNode root = read(text);
        if (!root.isObject()) {
            throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "server frame is not a JSON object");
        }
        ObjectNode node = (ObjectNode) root;
        if (node.has("re")) {
            Object re = idValue(node.get("re"));
            JsonNode error = node.get("error");
            if (error != null && error.isObject()) {
                ErrorCode code = ErrorCode.fromWire(error.path("code").asText());
                JsonNode retry = error.get("retryAfterMs");
                return new ServerFrame.ErrorReply(re, new ChatException(code, error.path("message").asText(),
                        retry == null ? null : retry.asLong(), null));
            }
            return new ServerFrame.Reply(re, node);
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "server frame has neither re nor type");
        }
        return new ServerFrame.Event(type.asText(), node);
    }

    /**
     * Decodes an event frame into a {@link ChatEvent}.
     *
     * @throws ProtocolException for an event type this version does not know, or a malformed event
     */
    public ChatEvent decodeEvent(ServerFrame.Event frame) {
        JsonNode n = frame.body();
        EventType type = EventType.fromWire(frame.type())
                .orElseThrow(() -> new ProtocolException(null, ErrorCode.UNSUPPORTED, "unknown event " + frame.type()));
        try {
            return switch (type) {
                case MESSAGE -> new MessageEvent(message(n.get("message")));
                case TYPING -> new TypingEvent(n.path("conversationId").asText(), n.path("userId").asText(),
                        mapper.treeToValue(n.get("state"), TypingState.class));
                case PRESENCE -> new PresenceEvent(n.path("userId").asText(),
                        mapper.treeToValue(n.get("status"), PresenceStatus.class),
                        n.hasNonNull("lastSeenAt") ? Instant.parse(n.get("lastSeenAt").asText()) : null);
                case RECEIPT -> new ReceiptEvent(n.path("conversationId").asText(), n.path("userId").asText(),
                        mapper.treeToValue(n.get("kind"), CursorKind.class), n.path("seq").asLong());
                case CONVERSATION -> new ConversationEvent(conversation(n.get("conversation")),
                        stringList(n.path("conversation").path("memberIds")));
                case FRIEND -> new ChatEvent.FriendEvent(n.path("userId").asText(),
                        mapper.treeToValue(n.get("state"), dev.parley.core.event.FriendChange.class));
                case MESSAGE_EDITED -> new MessageEditedEvent(message(n.get("message")));
                case MESSAGE_DELETED -> new MessageDeletedEvent(requiredText(n, "conversationId"),
                        requiredText(n, "messageId"), n.path("seq").asLong());
                case MESSAGE_HIDDEN -> new MessageHiddenEvent(requiredText(n, "conversationId"),
                        requiredText(n, "messageId"), n.path("seq").asLong());
                case REACTION -> new ReactionEvent(requiredText(n, "conversationId"), requiredText(n, "messageId"),
                        n.path("seq").asLong(), requiredText(n, "userId"), requiredText(n, "emoji"),
                        mapper.treeToValue(n.get("action"), ReactionAction.class));
                case PIN -> new PinEvent(requiredText(n, "conversationId"), requiredText(n, "messageId"),
                        n.path("pinned").asBoolean(), requiredText(n, "userId"));
                case MESSAGE_EXPIRED -> {
                    List<Long> seqs = new ArrayList<>();
                    n.path("seqs").forEach(x -> seqs.add(x.asLong()));
                    yield new ChatEvent.MessageExpiredEvent(requiredText(n, "conversationId"),
                            stringList(n.path("messageIds")), seqs);
                }
                case CONVERSATION_EXPIRY -> new ChatEvent.ConversationExpiryEvent(requiredText(n, "conversationId"),
                        n.path("seconds").asLong(), requiredText(n, "userId"));
                case THREAD -> new ChatEvent.ThreadEvent(requiredText(n, "conversationId"), requiredText(n, "rootId"),
                        n.path("rootSeq").asLong(), convert(n.get("thread"), dev.parley.core.ThreadSummary.class));
                case THREAD_READ -> new ChatEvent.ThreadReadEvent(requiredText(n, "conversationId"),
                        requiredText(n, "rootId"), requiredText(n, "userId"), n.path("seq").asLong());
                case PING -> throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "ping is not a chat event");
            };
        } catch (JsonProcessingException | RuntimeException e) {
            if (e instanceof ProtocolException pe) {
                throw pe;
            }
            throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "malformed " + frame.type() + " event: " + e.getMessage());
        }
    }

    /** A thread entry {@code {root, readSeq, unread}}; the root carries the {@code thread} summary. */
    public ObjectNode thread(dev.parley.core.ThreadView t) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("root", tree(t.root()));
        node.put("readSeq", t.readSeq());
        node.put("unread", t.unread());
        return node;
    }

    public dev.parley.core.ThreadView thread(JsonNode node) {
        return new dev.parley.core.ThreadView(message(node.get("root")), node.path("readSeq").asLong(),
                node.path("unread").asLong());
    }

    /** A gallery entry {@code {attachment, messageId, seq, senderId, sentAt}}. */
    public ObjectNode galleryItem(dev.parley.core.GalleryItem item) {
        return (ObjectNode) tree(item);
    }

    public dev.parley.core.GalleryItem galleryItem(JsonNode node) {
        return convert(node, dev.parley.core.GalleryItem.class);
    }

    /** A search result {@code {message, snippet, rank}}. */
    public ObjectNode searchHit(dev.parley.core.SearchHit hit) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("message", tree(hit.message()));
        node.put("snippet", hit.snippet());
        node.put("rank", hit.rank());
        return node;
    }

    public dev.parley.core.SearchHit searchHit(JsonNode node) {
        return new dev.parley.core.SearchHit(message(node.get("message")), node.path("snippet").asText(),
                node.path("rank").asDouble());
    }

    /** An edit-history entry {@code {body:{text}, editedAt}}. */
    public ObjectNode edit(MessageEdit edit) {
        return (ObjectNode) tree(edit);
    }

    public MessageEdit messageEdit(JsonNode node) {
        return convert(node, MessageEdit.class);
    }

    public Message message(JsonNode node) {
        return convert(node, Message.class);
    }

    public Conversation conversation(JsonNode node) {
        return convert(node, Conversation.class);
    }

    public <T> T convert(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "malformed " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    public static List<String> stringList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    public JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "not valid JSON");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Object readId(JsonNode root) {
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (id.isTextual()) {
            if (id.asText().length() > 64) {
                throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "id is longer than 64 characters");
            }
            return id.asText();
        }
        if (id.isIntegralNumber() && id.canConvertToLong()) {
            return id.asLong();
        }
        throw new ProtocolException(null, ErrorCode.BAD_REQUEST, "id must be a string or an integer");
    }

    private static Object idValue(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        return id.isIntegralNumber() ? (Object) id.asLong() : id.asText();
    }

    private static void putId(ObjectNode node, String field, Object id) {
        if (id == null) {
            node.putNull(field);
        } else if (id instanceof Number n) {
            node.put(field, n.longValue());
        } else {
            node.put(field, id.toString());
        }
    }

    private static void putTarget(ObjectNode node, String conversationId, String messageId) {
        node.put("conversationId", conversationId);
        node.put("messageId", messageId);
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return v.asText();
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** Typed, validating access to a command's fields; errors name the field. */
    private static final class Fields {
        private final ObjectNode node;
        private final Object id;
        private final String prefix;

        Fields(ObjectNode node, Object id) {
            this(node, id, "");
        }

        Fields(ObjectNode node, Object id, String prefix) {
            this.node = node;
            this.id = id;
            this.prefix = prefix;
        }

        ProtocolException bad(String message) {
            return new ProtocolException(id, ErrorCode.BAD_REQUEST, message);
        }

        private JsonNode get(String field) {
            JsonNode v = node.get(field);
            return v == null || v.isNull() ? null : v;
        }

        String string(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isTextual()) {
                throw bad(prefix + field + " must be a string");
            }
            return v.asText();
        }

        String requiredString(String field) {
            String v = string(field);
            if (v == null || v.isEmpty()) {
                throw bad(prefix + field + " is required");
            }
            return v;
        }

        Long longValue(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad(prefix + field + " must be an integer");
            }
            return v.asLong();
        }

        Integer integer(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw bad(prefix + field + " must be an integer");
            }
            return v.asInt();
        }

        /** An optional RFC 3339 time. */
        Instant time(String field) {
            String v = string(field);
            if (v == null) {
                return null;
            }
            try {
                return java.time.OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw bad(prefix + field + " must be an RFC 3339 time");
            }
        }

        Boolean bool(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isBoolean()) {
                throw bad(prefix + field + " must be true or false");
            }
            return v.asBoolean();
        }

        /** The optional {@code body:{text}} of a send or edit; {@code null} when absent. */
        /**
         * {@code body:{text, attachments?:[{id}]}}. Of an attachment only its {@code id} is read:
         * everything else about a file is the server's word. {@code text} may be left out when
         * there are attachments.
         */
        MessageBody body() {
            JsonNode body = object("body");
            if (body == null) {
                return null;
            }
            Fields fields = new Fields((ObjectNode) body, id, prefix + "body.");
            String text = fields.string("text");
            JsonNode attachments = fields.get("attachments");
            if (attachments == null || attachments.isNull()) {
                return text == null ? null : new MessageBody(text);
            }
            if (!attachments.isArray()) {
                throw bad(prefix + "body.attachments must be an array of {id}");
            }
            List<dev.parley.core.Attachment> refs = new ArrayList<>(attachments.size());
            for (JsonNode a : attachments) {
                JsonNode attachmentId = a.isObject() ? a.get("id") : null;
                if (attachmentId == null || !attachmentId.isTextual() || attachmentId.asText().isEmpty()) {
                    throw bad(prefix + "body.attachments[].id must be a non-empty string");
                }
                refs.add(dev.parley.core.Attachment.ref(attachmentId.asText()));
            }
            return new MessageBody(text == null ? "" : text, refs);
        }

        JsonNode object(String field) {
            JsonNode v = get(field);
            if (v != null && !v.isObject()) {
                throw bad(prefix + field + " must be an object");
            }
            return v;
        }

        List<String> stringList(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isArray()) {
                throw bad(prefix + field + " must be an array of strings");
            }
            List<String> out = new ArrayList<>(v.size());
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw bad(prefix + field + " must be an array of strings");
                }
                out.add(item.asText());
            }
            return out;
        }

        Map<String, Long> seqMap(String field) {
            JsonNode v = object(field);
            if (v == null) {
                throw bad(prefix + field + " is required");
            }
            Map<String, Long> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()) {
                    throw bad(prefix + field + "." + e.getKey() + " must be an integer seq");
                }
                out.put(e.getKey(), e.getValue().asLong());
            }
            return out;
        }

        /** A {@link #choice} that may be absent ({@code null}). */
        <E extends Enum<E>> E optionalChoice(String field, Class<E> type) {
            return get(field) == null ? null : choice(field, type);
        }

        <E extends Enum<E>> E choice(String field, Class<E> type) {
            String v = requiredString(field);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(v)) {
                    return constant;
                }
            }
            StringBuilder allowed = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : " or ").append(constant.name().toLowerCase(java.util.Locale.ROOT));
            }
            throw bad(prefix + field + " must be " + allowed);
        }
    }
}
