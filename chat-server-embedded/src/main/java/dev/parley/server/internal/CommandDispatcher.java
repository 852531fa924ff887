package dev.parley.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.AttachmentKind;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationKind;
import dev.parley.core.ConversationPage;
import dev.parley.core.ConversationSummary;
import dev.parley.core.ErrorCode;
import dev.parley.core.HistoryPage;
import dev.parley.core.SendOptions;
import dev.parley.core.ThreadPage;
import dev.parley.core.Member;
import dev.parley.core.Message;
import dev.parley.core.ResumeResult;
import dev.parley.core.SearchPage;
import dev.parley.core.SearchRequest;
import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.protocol.Command;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.Principal;
import dev.parley.server.ChatServerConfig;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps each decoded command to one {@link ChatEngine} call and encodes the result. Holds no
 * chat rule: authorization, validation and fan-out decisions are the engine's. Runs on a
 * connection's lane (a worker thread), so engine calls may block on the store.
 */
public final class CommandDispatcher {
    /** The gallery kind that lists web links rather than attachments. */
    private static final String LINK_KIND = "link";

    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

    private final ChatEngine engine;
    private final Authenticator authenticator;
    private final ProtocolCodec codec;
    private final ChatServerConfig config;
    private final GroupCommands groupCommands;

    CommandDispatcher(ChatEngine engine, Authenticator authenticator, ProtocolCodec codec, ChatServerConfig config) {
        this.engine = engine;
        this.authenticator = authenticator;
        this.codec = codec;
        this.config = config;
        this.groupCommands = new GroupCommands(engine, codec);
    }

    /**
     * Runs one command for an authenticated connection (or a hello).
     *
     * @return the reply to send, {@code null} for none; failed with the engine's {@link ChatException}
     * @throws ChatException when the engine refuses synchronously
     */
    CompletableFuture<ObjectNode> dispatch(Connection connection, Command command) {
        String caller = connection.userId();
        Object id = command.id();
        return switch (command.type()) {
            case HELLO -> hello(connection, (Command.Hello) command);
            case PING -> done(codec.ok(id));
            case PONG -> done(null);
            case CONVERSATION_CREATE -> done(createConversation(caller, (Command.CreateConversation) command));
            case CONVERSATION_ADD_MEMBER -> {
                Command.AddMember add = (Command.AddMember) command;
                engine.addMember(caller, add.conversationId(), add.userId());
                yield done(codec.ok(id));
            }
            case CONVERSATION_MEMBERS -> done(members(caller, (Command.Members) command));
            case CONVERSATIONS -> done(conversations(caller, (Command.ListConversations) command));
            case SEND -> {
                Command.Send send = (Command.Send) command;
                yield engine.sendWithOptions(caller, send.conversationId(), send.clientMsgId(), send.body(),
                                new SendOptions(send.replyTo(), send.ttlSeconds(), send.mentions(), send.threadRootId()))
                        .thenApply(message -> withField(codec.ok(id), "message", message));
            }
            case HISTORY -> done(history(caller, (Command.History) command));
            case TYPING -> {
                Command.Typing typing = (Command.Typing) command;
                engine.typing(caller, typing.conversationId(), typing.state());
                yield done(codec.ok(id));
            }
            case RECEIPT -> {
                Command.Receipt receipt = (Command.Receipt) command;
                engine.receipt(caller, receipt.conversationId(), receipt.kind(), receipt.seq());
                yield done(codec.ok(id));
            }
            case RESUME -> resume(connection, (Command.Resume) command);
            case PRESENCE -> done(presence(caller, (Command.Presence) command));
            case MESSAGE_EDIT -> {
                Command.EditMessage edit = (Command.EditMessage) command;
                Message edited = engine.edit(caller, edit.conversationId(), edit.messageId(), edit.body());
                yield done(withField(codec.ok(id), "message", edited));
            }
            case MESSAGE_EDITS -> done(edits(caller, (Command.MessageEdits) command));
            case MESSAGE_DELETE -> {
                Command.DeleteMessage delete = (Command.DeleteMessage) command;
                engine.delete(caller, delete.conversationId(), delete.messageId(), delete.scope());
                yield done(codec.ok(id));
            }
            case REACTION_ADD -> {
                Command.AddReaction add = (Command.AddReaction) command;
                engine.react(caller, add.conversationId(), add.messageId(), add.emoji());
                yield done(codec.ok(id));
            }
            case REACTION_REMOVE -> {
                Command.RemoveReaction remove = (Command.RemoveReaction) command;
                engine.unreact(caller, remove.conversationId(), remove.messageId(), remove.emoji());
                yield done(codec.ok(id));
            }
            case MESSAGE_PIN -> {
                Command.PinMessage pin = (Command.PinMessage) command;
                engine.pin(caller, pin.conversationId(), pin.messageId());
                yield done(codec.ok(id));
            }
            case MESSAGE_UNPIN -> {
                Command.UnpinMessage unpin = (Command.UnpinMessage) command;
                engine.unpin(caller, unpin.conversationId(), unpin.messageId());
                yield done(codec.ok(id));
            }
            case GROUP_SET_ROLE, GROUP_TRANSFER_OWNERSHIP, GROUP_REMOVE_MEMBER, GROUP_LEAVE, GROUP_UPDATE,
                    GROUP_SET_PERMISSIONS, GROUP_MUTE, GROUP_UNMUTE, GROUP_BAN, GROUP_UNBAN, GROUP_INVITE_CREATE,
                    GROUP_INVITE_REVOKE, GROUP_JOIN -> done(groupCommands.dispatch(caller, command));
            case PINS -> done(pins(caller, (Command.Pins) command));
            case SEARCH -> done(search(caller, (Command.Search) command));
            case CONVERSATION_SET_EXPIRY -> {
                Command.SetExpiry expiry = (Command.SetExpiry) command;
                engine.setExpiry(caller, expiry.conversationId(), expiry.seconds());
                yield done(codec.ok(id).put("seconds", expiry.seconds()));
            }
            case GALLERY -> {
                Command.Gallery gallery = (Command.Gallery) command;
                ObjectNode reply = codec.ok(id);
                ArrayNode items = reply.putArray("items");
                if (LINK_KIND.equals(gallery.kind())) {
                    engine.links(caller, gallery.conversationId(), gallery.beforeSeq(), gallery.limit())
                            .forEach(item -> items.add(codec.tree(item)));
                } else {
                    engine.gallery(caller, gallery.conversationId(), AttachmentKind.fromWire(gallery.kind()),
                            gallery.beforeSeq(), gallery.limit()).forEach(item -> items.add(codec.galleryItem(item)));
                }
                yield done(reply);
            }
            case THREAD_HISTORY -> done(threadHistory(caller, (Command.ThreadHistory) command));
            case THREADS -> done(threads(caller, (Command.Threads) command));
            case THREAD_READ -> {
                Command.ThreadRead read = (Command.ThreadRead) command;
                long readSeq = engine.markThreadRead(caller, read.conversationId(), read.rootId(), read.seq());
                yield done(codec.ok(id).put("readSeq", readSeq));
            }
        };
    }

    private ObjectNode threadHistory(String caller, Command.ThreadHistory command) {
        ThreadPage page = engine.threadHistory(caller, command.conversationId(), command.rootId(), command.beforeSeq(),
                command.afterSeq(), command.limit());
        ObjectNode reply = codec.ok(command.id());
        reply.setAll(codec.thread(page.thread()));
        ArrayNode messages = reply.putArray("messages");
        page.messages().forEach(m -> messages.add(codec.tree(m)));
        reply.put("hasMore", page.hasMore());
        return reply;
    }

    private ObjectNode threads(String caller, Command.Threads command) {
        ObjectNode reply = codec.ok(command.id());
        ArrayNode threads = reply.putArray("threads");
        engine.threads(caller, command.conversationId(), command.beforeLastReplySeq(), command.limit())
                .forEach(t -> threads.add(codec.thread(t)));
        return reply;
    }

    private CompletableFuture<ObjectNode> hello(Connection connection, Command.Hello hello) {
        if (connection.isAuthenticated()) {
            throw ChatException.conflict("hello was already accepted on this connection");
        }
        if (hello.token() == null || hello.token().isEmpty()) {
            connection.rejectHello(hello.id(), ChatException.unauthenticated("token is required"));
            return done(null);
        }
        Optional<Principal> principal;
        try {
            principal = authenticator.authenticate(hello.token());
        } catch (ChatException e) {
            if (e.code() != ErrorCode.UNAUTHENTICATED) {
                throw e;
            }
            principal = Optional.empty();
        } catch (RuntimeException e) {
            // A plugin that throws must not look like a bug of ours nor kill the socket.
            log.warn("authenticator {} failed", authenticator.getClass().getName(), e);
            throw ChatException.unavailable("authentication is unavailable", e);
        }
        if (principal == null || principal.isEmpty()) {
            connection.rejectHello(hello.id(), ChatException.unauthenticated("invalid or expired token"));
            return done(null);
        }
        Principal user = principal.get();
        String session = engine.ids().next();
        ObjectNode reply = codec.ok(hello.id());
        reply.put("session", session);
        ObjectNode userNode = reply.putObject("user");
        userNode.put("id", user.userId());
        userNode.put("name", user.name());
        reply.put("pingIntervalMs", config.pingInterval().toMillis());
        ObjectNode limits = reply.putObject("limits");
        limits.put("maxFrameBytes", config.maxFrameBytes());
        limits.put("maxBodyChars", engine.limits().maxBodyChars());
        if (connection.authenticate(user, session, codec.write(reply))) {
            try {
                engine.deviceConnected(user.userId());
            } catch (RuntimeException | LinkageError e) {
                // The hello is already answered: a presence failure must not add a second reply.
                log.error("presence update for {} failed", user.userId(), e);
            }
        }
        return done(null); // the reply is already queued, ahead of any event for this user
    }

    private ObjectNode createConversation(String caller, Command.CreateConversation create) {
        Conversation conversation = switch (kind(create.kind())) {
            case DIRECT -> engine.createDirect(caller, create.userId());
            case GROUP -> engine.createGroup(caller, create.name(), create.memberIds());
        };
        List<String> memberIds = engine.members(caller, conversation.id()).stream().map(Member::userId).toList();
        ObjectNode reply = codec.ok(create.id());
        reply.set("conversation", codec.conversation(conversation, memberIds));
        return reply;
    }

    private static ConversationKind kind(String wire) {
        for (ConversationKind kind : ConversationKind.values()) {
            if (kind.wire().equals(wire)) {
                return kind;
            }
        }
        throw ChatException.badRequest("kind must be direct or group");
    }

    private ObjectNode members(String caller, Command.Members members) {
        ObjectNode reply = codec.ok(members.id());
        ArrayNode items = reply.putArray("members");
        engine.members(caller, members.conversationId()).forEach(m -> items.add(codec.member(m)));
        return reply;
    }

    private ObjectNode conversations(String caller, Command.ListConversations list) {
        ConversationPage page = engine.conversations(caller, list.limit(), list.cursor());
        ObjectNode reply = codec.ok(list.id());
        ArrayNode items = reply.putArray("conversations");
        for (ConversationSummary summary : page.conversations()) {
            items.add(codec.summary(summary));
        }
        if (page.nextCursor() != null) {
            reply.put("nextCursor", page.nextCursor());
        }
        return reply;
    }

    private ObjectNode history(String caller, Command.History history) {
        HistoryPage page = engine.history(caller, history.conversationId(), history.beforeSeq(), history.afterSeq(),
                history.limit());
        ObjectNode reply = codec.ok(history.id());
        ArrayNode messages = reply.putArray("messages");
        page.messages().forEach(m -> messages.add(codec.tree(m)));
        reply.put("hasMore", page.hasMore());
        return reply;
    }

    /** Pushes the missed messages as {@code message} events (with back-pressure), then replies. */
    private CompletableFuture<ObjectNode> resume(Connection connection, Command.Resume resume) {
        ResumeResult result = engine.resume(connection.userId(), resume.conversations(), resume.maxPerConversation());
        ObjectNode reply = codec.ok(resume.id());
        reply.put("replayed", result.missed().size());
        ArrayNode truncated = reply.putArray("truncated");
        result.truncated().forEach(truncated::add);
        ArrayNode forbidden = reply.putArray("forbidden");
        result.forbidden().forEach(forbidden::add);
        CompletableFuture<ObjectNode> done = new CompletableFuture<>();
        Iterator<Message> missed = result.missed().iterator();
        connection.pushAll(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return missed.hasNext();
            }

            @Override
            public String next() {
                return codec.event(new MessageEvent(missed.next()));
            }
        }, () -> done.complete(reply));
        return done;
    }

    private ObjectNode edits(String caller, Command.MessageEdits command) {
        ObjectNode reply = codec.ok(command.id());
        ArrayNode items = reply.putArray("edits");
        engine.edits(caller, command.conversationId(), command.messageId()).forEach(e -> items.add(codec.edit(e)));
        return reply;
    }

    private ObjectNode search(String caller, Command.Search command) {
        SearchPage page = engine.search(caller, new SearchRequest(command.query(), command.conversationId(),
                command.senderId(), command.after(), command.before(), command.hasAttachment(), command.limit(),
                command.cursor()));
        ObjectNode reply = codec.ok(command.id());
        ArrayNode results = reply.putArray("results");
        page.results().forEach(hit -> results.add(codec.searchHit(hit)));
        if (page.nextCursor() != null) {
            reply.put("nextCursor", page.nextCursor());
        }
        return reply;
    }

    private ObjectNode pins(String caller, Command.Pins command) {
        ObjectNode reply = codec.ok(command.id());
        ArrayNode messages = reply.putArray("messages");
        engine.pins(caller, command.conversationId()).forEach(m -> messages.add(codec.tree(m)));
        return reply;
    }

    private ObjectNode presence(String caller, Command.Presence presence) {
        List<PresenceEvent> statuses = engine.presence(caller, presence.userIds());
        ObjectNode reply = codec.ok(presence.id());
        ArrayNode items = reply.putArray("presence");
        statuses.forEach(p -> items.add(codec.presence(p)));
        return reply;
    }

    private ObjectNode withField(ObjectNode reply, String field, Object value) {
        reply.set(field, codec.tree(value));
        return reply;
    }

    private static CompletableFuture<ObjectNode> done(ObjectNode reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
