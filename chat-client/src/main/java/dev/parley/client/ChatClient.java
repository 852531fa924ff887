package dev.parley.client;

import dev.parley.client.internal.ClientCore;
import dev.parley.client.internal.ClientSettings;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.CursorKind;
import dev.parley.core.DeleteScope;
import dev.parley.core.ErrorCode;
import dev.parley.core.HistoryPage;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.AttachmentKind;
import dev.parley.core.GalleryItem;
import dev.parley.core.LinkItem;
import dev.parley.core.SendOptions;
import dev.parley.core.ThreadPage;
import dev.parley.core.ThreadView;
import dev.parley.core.MessageEdit;
import dev.parley.core.SearchPage;
import dev.parley.core.SearchRequest;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.ConversationEvent;
import dev.parley.core.event.ChatEvent.MessageDeletedEvent;
import dev.parley.core.event.ChatEvent.MessageHiddenEvent;
import dev.parley.core.event.ChatEvent.PinEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.ChatEvent.TypingEvent;
import dev.parley.core.event.TypingState;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A Parley client: one user's WebSocket session (protocol {@code parley.v1}) with commands as
 * futures, server pushes delivered to {@link Listener}s, automatic reconnect, gap-free resume
 * and an offline outbox.
 *
 * <pre>{@code
 * try (ChatClient client = ChatClient.builder()
 *         .uri(URI.create("ws://localhost:8080/ws"))
 *         .token(token)
 *         .listener(new ChatClient.Listener() {
 *             public void onMessage(Message m) { System.out.println(m.senderId() + ": " + m.body().text()); }
 *         })
 *         .build()) {
 *     client.connect().join();
 *     Conversation dm = client.createDirect("bob").join();
 *     client.send(dm.id(), "hi Bob").join();
 * }
 * }</pre>
 *
 * <h2>Futures</h2>
 * Every command returns a {@link CompletableFuture} that completes with the reply, or
 * exceptionally with a {@link ChatException} whose {@link ChatException#code() code} is the
 * server's error code. A command without a reply within {@link Builder#requestTimeout} fails
 * with {@link ErrorCode#UNAVAILABLE} (retryable). Futures complete on the client's callback
 * executor, never on a socket thread; do not block in a non-{@code Async} dependent stage
 * (completions run one after the other), use the {@code *Async} variants for that.
 *
 * <h2>Sends and the outbox</h2>
 * Every send goes through the outbox: at most {@link Builder#outboxMax} unacknowledged sends,
 * queued or in flight (beyond that a send fails at once with {@code unavailable}). They are
 * written in the order issued, a few at a time (at most 8 awaiting their reply). Sends issued
 * while disconnected wait and go out once a session is established. A send written on a
 * connection that dropped before its reply is sent again with the same {@code clientMsgId},
 * so the server stores it once and the future completes once. A send answered
 * {@code rate_limited} is retried after the advised delay, not failed; sends that were in
 * flight together when the limit hit may then be stored in a different order. A send that
 * gets no reply within the request timeout fails with {@code unavailable} and leaves the
 * outbox: it may or may not have been stored (if it was, it arrives through
 * {@link Listener#onMessage}); retry it with the same {@code clientMsgId} to be sure.
 *
 * <h2>Other commands while disconnected</h2>
 * Every command other than {@link #send} fails at once with {@code unavailable} when there is
 * no session (they are not all idempotent, so none is queued), and a command in flight when
 * the connection drops fails with {@code unavailable}: it may or may not have taken effect.
 *
 * <h2>Delivery</h2>
 * {@link Listener#onMessage} sees each message of a tracked conversation exactly once and in
 * {@code seq} order, whether it came as a push, as the reply to an own send, from a resume
 * replay or from history read to close a gap. A conversation is tracked from its first
 * message this client sees, from creation (when empty) or from {@link #track}. Listener
 * callbacks run one at a time, in order, on the callback executor: never on the socket
 * thread. A listener that throws is logged and ignored.
 *
 * <h2>Updates of messages</h2>
 * Edits, deletions, hides and reactions change a message in place: they keep its seq and
 * are told through {@link Listener#onMessageEdited}, {@link Listener#onMessageDeleted},
 * {@link Listener#onMessageHidden} and {@link Listener#onReaction} only for messages already
 * delivered through {@link Listener#onMessage}. An update of a message still held back
 * above a gap is applied to it before it is delivered; an update of a message this client
 * has not received yet makes it read the gap from history, which has the current state.
 *
 * <h2>Connection</h2>
 * {@link #connect()} makes one attempt: it fails with {@code unavailable} if the server
 * cannot be reached, with {@code unauthenticated} if the token is refused. Once a session was
 * established, a lost connection (abnormal close, socket error, server close other than 4401,
 * no frame for twice the server's ping interval) is re-established with exponential backoff
 * and full jitter; then the client says {@code hello}, {@code resume}s every tracked
 * conversation, pages history for truncated ones and flushes the outbox. It never reconnects
 * after {@link #close()} nor after the server refused the token ({@code unauthenticated} reply
 * or close code 4401): the state becomes {@link ConnectionState#DISCONNECTED} with that cause,
 * waiting sends fail with {@code unauthenticated}, and a later {@link #connect()} asks the
 * token provider again.
 *
 * <p>Thread-safe. Threads are named {@code parley-client-<id>-...} and are daemons.
 */
public final class ChatClient implements AutoCloseable {
    private final ClientCore core;
    private final FileTransfers files;

    private ChatClient(ClientSettings settings) {
        this.core = new ClientCore(settings, "parley-client-" + Integer.toHexString(System.identityHashCode(this)));
        this.files = new FileTransfers(FileTransfers.httpBase(settings.uri()), settings.token(),
                settings.requestTimeout());
    }

    /**
     * Uploads and downloads of attachments over HTTP, with this client's token, at the same
     * host and port as the socket.
     *
     * @since 0.1.0
     */
    public FileTransfers files() {
        return files;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the socket and says {@code hello}. Returns the pending attempt when one runs, or
     * the current session when connected.
     *
     * @return the session, or a failure: {@code unavailable} (cannot connect), {@code unauthenticated}
     *         (token refused); {@link IllegalStateException} after {@link #close()}
     */
    public CompletableFuture<SessionInfo> connect() {
        return core.connect();
    }

    public ConnectionState state() {
        return core.state();
    }

    /** The current session, empty while not connected. */
    public Optional<SessionInfo> session() {
        return Optional.ofNullable(core.session());
    }

    public void addListener(Listener listener) {
        core.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        core.removeListener(listener);
    }

    // ------------------------------------------------------------------ conversations

    /** Opens (or returns the existing) direct conversation with {@code userId}. */
    public CompletableFuture<Conversation> createDirect(String userId) {
        Objects.requireNonNull(userId, "userId");
        return core.createDirect(userId);
    }

    /** Creates a group; the caller becomes its owner. */
    public CompletableFuture<Conversation> createGroup(String name, Collection<String> memberIds) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(memberIds, "memberIds");
        return core.createGroup(name, memberIds);
    }

    public CompletableFuture<Void> addMember(String conversationId, String userId) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(userId, "userId");
        return core.addMember(conversationId, userId);
    }

    /** The caller's conversations, most recently active first. */
    public CompletableFuture<ConversationPage> conversations() {
        return core.conversations(null, null);
    }

    /**
     * A page of the caller's conversations.
     *
     * @param limit  page size (the server caps it)
     * @param cursor {@link ConversationPage#nextCursor()} of the previous page, or {@code null}
     */
    public CompletableFuture<ConversationPage> conversations(int limit, String cursor) {
        return core.conversations(limit, cursor);
    }

    // ------------------------------------------------------------------ messages

    /** Sends a text with a fresh {@code clientMsgId}; completes once the message is stored. */
    public CompletableFuture<Message> send(String conversationId, String text) {
        return send(conversationId, new MessageBody(text), null, null);
    }

    /** Sends a reply to message {@code replyTo} (a message id). */
    public CompletableFuture<Message> send(String conversationId, String text, String replyTo) {
        return send(conversationId, new MessageBody(text), replyTo, null);
    }

    /**
     * Sends a message with an explicit idempotency key. Sending the same {@code clientMsgId}
     * again in the same conversation, from any device or after a restart, yields the
     * originally stored message and delivers nothing new.
     *
     * @param replyTo     id of the message replied to, or {@code null}
     * @param clientMsgId 1 to 64 characters, or {@code null} for a fresh one (see {@link #newClientMsgId()})
     */
    public CompletableFuture<Message> send(String conversationId, MessageBody body, String replyTo, String clientMsgId) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(body, "body");
        return core.send(conversationId, body, replyTo, clientMsgId);
    }

    /**
     * Sends a message that mentions members of the conversation (at most 50; duplicates are
     * dropped). A mentioned member's conversation list counts it in {@code mentionsUnread}.
     *
     * <pre>{@code
     * client.send(groupId, new MessageBody("@bob lunch?"), null, null, List.of("bob"));
     * }</pre>
     *
     * @since 0.1.0
     */
    public CompletableFuture<Message> send(String conversationId, MessageBody body, String replyTo, String clientMsgId,
                                           List<String> mentions) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(body, "body");
        return core.send(conversationId, body, replyTo, clientMsgId, null, mentions);
    }

    /**
     * Sends a message with any of the optional parts of {@link SendOptions}: a quoted message,
     * a time to live, mentions, a thread.
     *
     * <pre>{@code
     * client.sendWithOptions(groupId, new MessageBody("agreed"), null, SendOptions.NONE.inThread(root.id()));
     * }</pre>
     *
     * @param clientMsgId 1 to 64 characters, or {@code null} for a fresh one
     * @since 0.1.0
     */
    public CompletableFuture<Message> sendWithOptions(String conversationId, MessageBody body, String clientMsgId,
                                                      SendOptions options) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(options, "options");
        return core.send(conversationId, body, clientMsgId, options);
    }

    /**
     * Replies in the thread of {@code rootId} (a message of the conversation that is not itself
     * a thread reply). Members get the reply through {@link Listener#onMessage} and the root's
     * new summary through {@link Listener#onThread}.
     *
     * @since 0.1.0
     */
    public CompletableFuture<Message> replyInThread(String conversationId, String rootId, String text) {
        Objects.requireNonNull(rootId, "rootId");
        return sendWithOptions(conversationId, new MessageBody(text), null, SendOptions.NONE.inThread(rootId));
    }

    /**
     * A page of a thread's replies in ascending seq (before {@code beforeSeq}, after
     * {@code afterSeq}, or the newest when both are {@code null}), with the root and this user's
     * thread read cursor and unread count.
     *
     * @since 0.1.0
     */
    public CompletableFuture<ThreadPage> threadHistory(String conversationId, String rootId, Long beforeSeq,
                                                       Long afterSeq, int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(rootId, "rootId");
        return core.threadHistory(conversationId, rootId, beforeSeq, afterSeq, limit);
    }

    /**
     * The conversation's threads, the one with the newest reply first. For the next page pass
     * the last thread's {@code root().thread().lastReplySeq()} as {@code beforeLastReplySeq}.
     *
     * @since 0.1.0
     */
    public CompletableFuture<List<ThreadView>> threads(String conversationId, Long beforeLastReplySeq, int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        return core.threads(conversationId, beforeLastReplySeq, limit);
    }

    /**
     * Moves this user's read cursor of a thread forward to {@code seq} (the seq of a reply).
     * This user's other devices get {@link Listener#onThreadRead}.
     *
     * @return the thread read cursor after the call
     * @since 0.1.0
     */
    public CompletableFuture<Long> markThreadRead(String conversationId, String rootId, long seq) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(rootId, "rootId");
        return core.markThreadRead(conversationId, rootId, seq);
    }

    /**
     * A conversation's media gallery: attachments of one kind from messages that are not
     * deleted, newest first. For the next page pass the last item's {@code seq}.
     *
     * @since 0.1.0
     */
    public CompletableFuture<List<GalleryItem>> gallery(String conversationId, AttachmentKind kind, Long beforeSeq,
                                                        int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(kind, "kind");
        return core.gallery(conversationId, kind, beforeSeq, limit);
    }

    /**
     * A conversation's links gallery: the web links in messages that are not deleted, newest
     * message first ({@code limit} counts messages). For the next page pass the last item's {@code seq}.
     *
     * @since 0.1.0
     */
    public CompletableFuture<List<LinkItem>> links(String conversationId, Long beforeSeq, int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        return core.links(conversationId, beforeSeq, limit);
    }

    /** A fresh {@code clientMsgId} (a ULID), for applications that keep it to retry a send later. */
    public String newClientMsgId() {
        return core.newClientMsgId();
    }

    /**
     * A page of history in ascending seq: before {@code beforeSeq}, after {@code afterSeq}, or
     * the newest when both are {@code null}.
     */
    public CompletableFuture<HistoryPage> history(String conversationId, Long beforeSeq, Long afterSeq, int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        return core.history(conversationId, beforeSeq, afterSeq, limit);
    }

    /** The {@code limit} messages before {@code beforeSeq}, ascending. */
    public CompletableFuture<HistoryPage> historyBefore(String conversationId, long beforeSeq, int limit) {
        return history(conversationId, beforeSeq, null, limit);
    }

    /** The first {@code limit} messages after {@code afterSeq}, ascending. */
    public CompletableFuture<HistoryPage> historyAfter(String conversationId, long afterSeq, int limit) {
        return history(conversationId, null, afterSeq, limit);
    }

    /**
     * Edits an own message (within the server's edit window, 48 hours by default). Members get
     * the new state through {@link Listener#onMessageEdited}; the seq does not change.
     *
     * @return the message as edited; {@code forbidden} (not the author, window passed),
     *         {@code conflict} (deleted), {@code not_found}
     */
    public CompletableFuture<Message> edit(String conversationId, String messageId, String text) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(text, "text");
        return core.edit(conversationId, messageId, new MessageBody(text));
    }

    /** The earlier texts of an edited message, oldest first, each with the time an edit replaced it. */
    public CompletableFuture<List<MessageEdit>> edits(String conversationId, String messageId) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        return core.edits(conversationId, messageId);
    }

    /**
     * Deletes a message: for {@link DeleteScope#EVERYONE} (its author, or a group's owner or
     * admin; it becomes a tombstone for all) or for {@link DeleteScope#ME} (hidden from this
     * user's history on every device).
     */
    public CompletableFuture<Void> delete(String conversationId, String messageId, DeleteScope scope) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(scope, "scope");
        return core.delete(conversationId, messageId, scope);
    }

    /** Reacts to a message with an emoji; reacting twice with the same emoji changes nothing. */
    public CompletableFuture<Void> react(String conversationId, String messageId, String emoji) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(emoji, "emoji");
        return core.react(conversationId, messageId, emoji);
    }

    /** Takes back this user's reaction; taking back one that is not there changes nothing. */
    public CompletableFuture<Void> unreact(String conversationId, String messageId, String emoji) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(emoji, "emoji");
        return core.unreact(conversationId, messageId, emoji);
    }

    /** Pins a message (in a group: owners and admins only). */
    public CompletableFuture<Void> pin(String conversationId, String messageId) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        return core.pin(conversationId, messageId);
    }

    /** Unpins a message (in a group: owners and admins only). */
    public CompletableFuture<Void> unpin(String conversationId, String messageId) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        return core.unpin(conversationId, messageId);
    }

    /** The group administration commands (roles, removal, settings, mutes, bans, invites). */
    public GroupAdmin groups() {
        return new GroupAdmin(core);
    }

    /** The pinned messages of a conversation, most recently pinned first. */
    public CompletableFuture<List<Message>> pins(String conversationId) {
        Objects.requireNonNull(conversationId, "conversationId");
        return core.pins(conversationId);
    }

    /**
     * Full-text search over this user's conversations, most relevant first. Snippets mark each
     * matched word with {@code «} and {@code »} (plain text: escape it before showing it as HTML).
     *
     * <pre>{@code
     * SearchPage page = client.search(SearchRequest.of("lunch friday")).join();
     * }</pre>
     *
     * @since 0.1.0
     */
    public CompletableFuture<SearchPage> search(SearchRequest request) {
        Objects.requireNonNull(request, "request");
        return core.search(request);
    }

    /** {@link #search(SearchRequest)} for {@code query} over all conversations, first page. */
    public CompletableFuture<SearchPage> search(String query) {
        return search(SearchRequest.of(query));
    }

    /**
     * Sends a message that expires {@code ttlSeconds} (5 to 31,536,000) after it was sent, or
     * earlier when the conversation's timer is shorter; members then get
     * {@link Listener#onMessagesExpired}.
     *
     * @since 0.1.0
     */
    public CompletableFuture<Message> send(String conversationId, String text, int ttlSeconds) {
        Objects.requireNonNull(conversationId, "conversationId");
        return core.send(conversationId, new MessageBody(text), null, null, ttlSeconds);
    }

    /**
     * Sets the conversation's disappearing-messages timer (0 turns it off; otherwise 5 to
     * 31,536,000 seconds). In a group only owners and admins may.
     *
     * @since 0.1.0
     */
    public CompletableFuture<Void> setExpiry(String conversationId, long seconds) {
        Objects.requireNonNull(conversationId, "conversationId");
        return core.setExpiry(conversationId, seconds);
    }

    /** Shows or clears this user's typing indicator; the server clears it by itself after 5 s. */
    public CompletableFuture<Void> typing(String conversationId, TypingState state) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(state, "state");
        return core.typing(conversationId, state);
    }

    /** Moves this user's delivered cursor to {@code seq} (cursors only move forward). */
    public CompletableFuture<Void> markDelivered(String conversationId, long seq) {
        Objects.requireNonNull(conversationId, "conversationId");
        return core.receipt(conversationId, CursorKind.DELIVERED, seq);
    }

    /** Moves this user's read cursor to {@code seq} (reading implies delivery). */
    public CompletableFuture<Void> markRead(String conversationId, long seq) {
        Objects.requireNonNull(conversationId, "conversationId");
        return core.receipt(conversationId, CursorKind.READ, seq);
    }

    /** Current presence of the given users, as far as the caller may see it. */
    public CompletableFuture<List<PresenceEvent>> presence(Collection<String> userIds) {
        Objects.requireNonNull(userIds, "userIds");
        return core.presence(userIds);
    }

    /** An application-level ping; completes with the round-trip time. */
    public CompletableFuture<Duration> ping() {
        return core.ping();
    }

    // ------------------------------------------------------------------ delivery positions

    /**
     * Tells the client that the application already has every message of the conversation up
     * to {@code lastSeq} (e.g. restored from local storage): messages from {@code lastSeq + 1}
     * on are delivered, and a reconnect resumes from there. A position only moves forward.
     */
    public void track(String conversationId, long lastSeq) {
        Objects.requireNonNull(conversationId, "conversationId");
        core.track(conversationId, lastSeq);
    }

    /** The highest seq delivered to listeners with no gap below it, if the conversation is tracked. */
    public OptionalLong lastSeq(String conversationId) {
        return core.lastSeq(conversationId);
    }

    /**
     * Closes the session with 1000, stops reconnecting and fails whatever is pending (sends in
     * the outbox included) with {@code unavailable}. Idempotent.
     */
    @Override
    public void close() {
        core.close();
    }

    // ------------------------------------------------------------------ listener

    /**
     * Receives server pushes and connection changes. Callbacks run one at a time, in order, on
     * the client's callback executor; implement only what you need.
     */
    public interface Listener {
        /** A new message, exactly once per message, in seq order per conversation (own messages included). */
        default void onMessage(Message message) {
        }

        default void onTyping(TypingEvent event) {
        }

        default void onPresence(PresenceEvent event) {
        }

        /** Another member's delivered or read cursor moved. */
        default void onReceipt(ReceiptEvent event) {
        }

        /**
         * A delivered message was edited: {@code message} is its new state (same id and seq).
         * Its reaction summaries carry no {@code me} flag; keep the ones you have.
         */
        default void onMessageEdited(Message message) {
        }

        /** A delivered message was deleted for everyone: it is now a tombstone (empty text, no reactions). */
        default void onMessageDeleted(MessageDeletedEvent event) {
        }

        /** This user deleted a delivered message for themselves, on this or another device. */
        default void onMessageHidden(MessageHiddenEvent event) {
        }

        /** A reaction on a delivered message was added or removed. */
        default void onReaction(ReactionEvent event) {
        }

        /** A message was pinned or unpinned. */
        default void onPin(PinEvent event) {
        }

        /** Messages expired: each is now a tombstone with {@code expired} set. */
        default void onMessagesExpired(ChatEvent.MessageExpiredEvent event) {
        }

        /** A conversation's disappearing-messages timer changed. */
        default void onConversationExpiry(ChatEvent.ConversationExpiryEvent event) {
        }

        /** A thread got a reply: the root's new summary (after the reply's {@link #onMessage}). */
        default void onThread(ChatEvent.ThreadEvent event) {
        }

        /** This user's read cursor of a thread moved (on another device, or by this one). */
        default void onThreadRead(ChatEvent.ThreadReadEvent event) {
        }

        /** A conversation was created with this user in it, or its membership changed. */
        default void onConversation(ConversationEvent event) {
        }

        /**
         * The connection state changed.
         *
         * @param cause why the connection is {@link ConnectionState#DISCONNECTED} (a {@link ChatException}),
         *              or {@code null}
         */
        default void onConnectionState(ConnectionState state, Throwable cause) {
        }
    }

    // ------------------------------------------------------------------ builder

    /**
     * Configures a client. Each option may be set once (a second call fails); {@link #build()}
     * names the first missing or invalid option. {@link #uri} and a token are required.
     */
    public static final class Builder {
        private URI uri;
        private Supplier<String> token;
        private String clientName;
        private String clientVersion;
        private Boolean autoReconnect;
        private Duration backoffMin;
        private Duration backoffMax;
        private Double jitter;
        private Duration requestTimeout;
        private Duration connectTimeout;
        private Integer outboxMax;
        private Executor executor;
        private final List<Listener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** The server's WebSocket endpoint, e.g. {@code ws://localhost:8080/ws}. */
        public Builder uri(URI uri) {
            once("uri", this.uri);
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /** A fixed token for {@code hello}. */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            return token(() -> token);
        }

        /**
         * A token provider, asked before every connection attempt (on a connection thread, so it
         * may block, e.g. to refresh the token over HTTP). Throwing a {@link ChatException} with
         * {@code unauthenticated} stops the client like a refused token.
         */
        public Builder token(Supplier<String> provider) {
            once("token", this.token);
            this.token = Objects.requireNonNull(provider, "token");
            return this;
        }

        /** Sent in {@code hello} ({@code client.name}); default {@code parley-java}. */
        public Builder clientName(String name) {
            once("clientName", this.clientName);
            this.clientName = Objects.requireNonNull(name, "clientName");
            return this;
        }

        /** Sent in {@code hello} ({@code client.version}); default this library's version. */
        public Builder clientVersion(String version) {
            once("clientVersion", this.clientVersion);
            this.clientVersion = Objects.requireNonNull(version, "clientVersion");
            return this;
        }

        /**
         * Backoff between reconnect attempts: the n-th waits up to {@code min·2^(n−1)}, capped at
         * {@code max}, minus a random part of {@code jitter} (0 to 1; 1 is full jitter).
         * Default 250 ms, 30 s, 1.0.
         */
        public Builder reconnect(Duration min, Duration max, double jitter) {
            once("reconnect", this.backoffMin);
            this.backoffMin = Objects.requireNonNull(min, "min");
            this.backoffMax = Objects.requireNonNull(max, "max");
            this.jitter = jitter;
            return this;
        }

        /** Whether a lost connection is re-established by itself; default true. */
        public Builder autoReconnect(boolean enabled) {
            once("autoReconnect", this.autoReconnect);
            this.autoReconnect = enabled;
            return this;
        }

        /** How long a command waits for its reply once written; default 30 s. */
        public Builder requestTimeout(Duration timeout) {
            once("requestTimeout", this.requestTimeout);
            this.requestTimeout = Objects.requireNonNull(timeout, "requestTimeout");
            return this;
        }

        /** Limit for the WebSocket handshake and, separately, for the {@code hello} reply; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            once("connectTimeout", this.connectTimeout);
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /** Most unacknowledged sends (queued offline or in flight); default 10,000. */
        public Builder outboxMax(int max) {
            once("outboxMax", this.outboxMax);
            this.outboxMax = max;
            return this;
        }

        /**
         * Where listener callbacks and future completions run (each kind in order, one at a time).
         * Default: a client-owned pool of daemon threads, shut down by {@link ChatClient#close()}.
         * A supplied executor is never shut down by the client.
         */
        public Builder executor(Executor executor) {
            once("executor", this.executor);
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Adds a listener (may be called several times; more can be added later). */
        public Builder listener(Listener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public ChatClient build() {
            if (uri == null) {
                throw new IllegalArgumentException("uri is required");
            }
            String scheme = uri.getScheme();
            if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("uri must be ws:// or wss://: " + uri);
            }
            if (token == null) {
                throw new IllegalArgumentException("token is required");
            }
            Duration min = backoffMin == null ? Duration.ofMillis(250) : backoffMin;
            Duration max = backoffMax == null ? Duration.ofSeconds(30) : backoffMax;
            double j = jitter == null ? 1.0 : jitter;
            if (min.isNegative() || min.isZero()) {
                throw new IllegalArgumentException("reconnect min must be positive");
            }
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnect max must not be below min");
            }
            if (!(j >= 0 && j <= 1)) {
                throw new IllegalArgumentException("reconnect jitter must be 0 to 1: " + j);
            }
            Duration request = positive("requestTimeout", requestTimeout, Duration.ofSeconds(30));
            Duration connect = positive("connectTimeout", connectTimeout, Duration.ofSeconds(10));
            int outbox = outboxMax == null ? 10_000 : outboxMax;
            if (outbox < 1) {
                throw new IllegalArgumentException("outboxMax must be positive: " + outbox);
            }
            String version = clientVersion != null ? clientVersion
                    : Objects.requireNonNullElse(ChatClient.class.getPackage().getImplementationVersion(), "dev");
            return new ChatClient(new ClientSettings(uri, token, clientName == null ? "parley-java" : clientName,
                    version, autoReconnect == null || autoReconnect, min, max, j, request, connect, outbox,
                    executor, listeners));
        }

        private static Duration positive(String option, Duration value, Duration fallback) {
            Duration d = value == null ? fallback : value;
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " must be positive: " + d);
            }
            return d;
        }

        private static void once(String option, Object current) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set");
            }
        }
    }
}
