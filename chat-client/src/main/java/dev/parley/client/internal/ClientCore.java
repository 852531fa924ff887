package dev.parley.client.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ChatClient;
import dev.parley.client.ConnectionState;
import dev.parley.client.SessionInfo;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.CursorKind;
import dev.parley.core.DeleteScope;
import dev.parley.core.ErrorCode;
import dev.parley.core.HistoryPage;
import dev.parley.core.IdGenerator;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.AttachmentKind;
import dev.parley.core.GalleryItem;
import dev.parley.core.LinkItem;
import dev.parley.core.SendOptions;
import dev.parley.core.ThreadPage;
import dev.parley.core.ThreadView;
import dev.parley.core.MessageEdit;
import dev.parley.core.SearchHit;
import dev.parley.core.SearchPage;
import dev.parley.core.SearchRequest;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.ConversationEvent;
import dev.parley.core.event.ChatEvent.MessageDeletedEvent;
import dev.parley.core.event.ChatEvent.MessageEditedEvent;
import dev.parley.core.event.ChatEvent.MessageHiddenEvent;
import dev.parley.core.event.ChatEvent.PinEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.ChatEvent.TypingEvent;
import dev.parley.core.event.TypingState;
import dev.parley.core.protocol.Command;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.protocol.ServerFrame;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.ThreadPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's machinery behind {@link ChatClient}.
 *
 * <p><b>Threads.</b> All state lives on one loop thread ({@code parley-client-<id>-loop}):
 * public methods hop onto it, socket callbacks (Tyrus/Grizzly threads, {@code -io}) only
 * hand the frame text over, timers run on it. Listener callbacks run in order on one lane,
 * and futures complete on a second lane, both over the callback executor (the user's, or a
 * small client-owned pool, {@code -callback}), so that a listener may block on a future of
 * this client. Each connection attempt opens its socket on a short-lived {@code -connect}
 * thread, because the WebSocket handshake blocks.
 *
 * <p><b>Connections.</b> Each attempt is a {@link Connection}; a callback from anything but
 * the current one is ignored, so a late frame from a dropped socket can never be mistaken
 * for a frame of the new one.
 */
public final class ClientCore {
    private static final Logger log = LoggerFactory.getLogger(ChatClient.class);

    static final String SUBPROTOCOL = "parley.v1";
    private static final String PONG = "{\"type\":\"pong\"}";
    private static final int RESUME_BATCH = 500;
    private static final int PAGE = 100;
    private static final int MAX_BUFFERED = 10_000;
    private static final int MAX_INBOUND_FRAME = 16 * 1024 * 1024;
    /**
     * Most sends written and not yet answered. The server rate-limits frames as they arrive and
     * closes the socket (4429) after 10 consecutive {@code rate_limited} answers; the sends in
     * flight when the limit is hit are all answered {@code rate_limited}, so the window stays
     * below that count. It shrinks to 1 on {@code rate_limited} and grows by one per accepted
     * send (additive increase, multiplicative decrease).
     */
    private static final int MAX_SENDS_IN_FLIGHT = 8;
    private static final long DEFAULT_RETRY_AFTER_MS = 1_000;
    private static final long MIN_RETRY_AFTER_MS = 50;
    private static final long CLOSE_WAIT_SECONDS = 5;

    private enum Phase { IDLE, CONNECTING, CONNECTED, WAITING, CLOSED }

    /**
     * Tyrus sends an {@code Origin} header by default; a server that checks origins would
     * then treat this client as a browser from an unlisted origin. Non-browser clients send none.
     */
    private static final ClientEndpointConfig.Configurator NO_ORIGIN = new ClientEndpointConfig.Configurator() {
        @Override
        public void beforeRequest(Map<String, List<String>> headers) {
            headers.keySet().removeIf(h -> h.equalsIgnoreCase("Origin"));
        }
    };

    private final ClientSettings settings;
    private final String name;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final Replies replies = new Replies(codec);
    private final MessageSequencer sequencer = new MessageSequencer(MAX_BUFFERED);
    private final Backoff backoff;
    private final IdGenerator clientMsgIds = IdGenerator.ulid(Clock.systemUTC());
    private final ScheduledThreadPoolExecutor loop;
    private final ExecutorService ownedCallbacks;
    private final SerialExecutor listenerLane;
    private final SerialExecutor completionLane;
    private final ClientManager websockets;
    private final List<ChatClient.Listener> listeners;
    private volatile boolean closing;
    private volatile Thread loopThread;
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile SessionInfo session;

    // ------------------------------------------------------------ loop-confined state
    private Phase phase = Phase.IDLE;
    private Connection current;
    private long generation;
    private long nextCommandId;
    private final Map<Long, Request> inflight = new HashMap<>();
    /** Sends not yet acknowledged, queued or written, by conversation and clientMsgId. */
    private final Map<String, PendingSend> unacked = new HashMap<>();
    /** Sends waiting to be written, in the order the application issued them. */
    private final TreeMap<Long, PendingSend> queued = new TreeMap<>();
    private long sendOrder;
    private int sendsInFlight;
    private int sendWindow = MAX_SENDS_IN_FLIGHT;
    /** While set, no send is written (the server answered rate_limited); the task resumes them. */
    private ScheduledFuture<?> sendPause;
    private final List<CompletableFuture<SessionInfo>> connectWaiters = new ArrayList<>();
    /** Whether a lost connection is re-established by itself (armed by a successful hello). */
    private boolean reconnecting;
    private int failedAttempts;
    private ScheduledFuture<?> reconnectTask;
    private int resumesInFlight;

    public ClientCore(ClientSettings settings, String name) {
        this.settings = settings;
        this.name = name;
        this.listeners = new CopyOnWriteArrayList<>(settings.listeners());
        this.backoff = new Backoff(settings.backoffMin(), settings.backoffMax(), settings.jitter(),
                () -> ThreadLocalRandom.current().nextDouble());
        NamedThreadFactory loopThreads = new NamedThreadFactory(name + "-loop");
        this.loop = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = loopThreads.newThread(task);
            loopThread = t;
            return t;
        });
        loop.setRemoveOnCancelPolicy(true);
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Executor callbacks = settings.executor();
        if (callbacks == null) {
            ownedCallbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), new NamedThreadFactory(name + "-callback"));
            callbacks = ownedCallbacks;
        } else {
            ownedCallbacks = null;
        }
        this.listenerLane = new SerialExecutor(callbacks, name + " listeners");
        this.completionLane = new SerialExecutor(callbacks, name + " futures");
        this.websockets = ClientManager.createClient();
        // Tyrus reads this property only as an Integer (milliseconds).
        websockets.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT,
                (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        websockets.getProperties().put(ClientProperties.WORKER_THREAD_POOL_CONFIG,
                ThreadPoolConfig.defaultConfig().setPoolName(name + "-io").setDaemon(true)
                        .setCorePoolSize(1).setMaxPoolSize(3));
    }

    // ================================================================ public operations

    public ConnectionState state() {
        return state;
    }

    public SessionInfo session() {
        return session;
    }

    public void addListener(ChatClient.Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(ChatClient.Listener listener) {
        listeners.remove(listener);
    }

    public String newClientMsgId() {
        return clientMsgIds.next();
    }

    public OptionalLong lastSeq(String conversationId) {
        return sequencer.lastSeq(conversationId);
    }

    public void track(String conversationId, long lastSeq) {
        if (lastSeq < 0) {
            throw new IllegalArgumentException("lastSeq must be >= 0");
        }
        post(() -> deliver(sequencer.track(conversationId, lastSeq)));
    }

    public CompletableFuture<SessionInfo> connect() {
        CompletableFuture<SessionInfo> f = new CompletableFuture<>();
        if (closing) {
            f.completeExceptionally(new IllegalStateException("client is closed"));
            return f;
        }
        submit(f, () -> {
            switch (phase) {
                case CLOSED -> fail(f, new IllegalStateException("client is closed"));
                case CONNECTED -> succeed(f, current.info);
                case CONNECTING -> connectWaiters.add(f);
                case WAITING -> {
                    connectWaiters.add(f);
                    cancelReconnect();
                    startAttempt();
                }
                case IDLE -> {
                    connectWaiters.add(f);
                    startAttempt();
                }
            }
        });
        return f;
    }

    public CompletableFuture<Conversation> createDirect(String userId) {
        return call(id -> new Command.CreateConversation(id, "direct", userId, null, null), this::createdConversation);
    }

    public CompletableFuture<Conversation> createGroup(String groupName, Collection<String> memberIds) {
        List<String> members = List.copyOf(memberIds);
        return call(id -> new Command.CreateConversation(id, "group", null, groupName, members),
                this::createdConversation);
    }

    public CompletableFuture<Void> addMember(String conversationId, String userId) {
        return call(id -> new Command.AddMember(id, conversationId, userId), body -> null);
    }

    public CompletableFuture<ConversationPage> conversations(Integer limit, String cursor) {
        return call(id -> new Command.ListConversations(id, limit, cursor), replies::conversations);
    }

    public CompletableFuture<HistoryPage> history(String conversationId, Long beforeSeq, Long afterSeq, Integer limit) {
        return call(id -> new Command.History(id, conversationId, beforeSeq, afterSeq, limit), replies::history);
    }

    public CompletableFuture<Void> typing(String conversationId, TypingState typingState) {
        return call(id -> new Command.Typing(id, conversationId, typingState), body -> null);
    }

    public CompletableFuture<Void> receipt(String conversationId, CursorKind kind, long seq) {
        return call(id -> new Command.Receipt(id, conversationId, kind, seq), body -> null);
    }

    public CompletableFuture<List<PresenceEvent>> presence(Collection<String> userIds) {
        List<String> ids = List.copyOf(userIds);
        return call(id -> new Command.Presence(id, ids), replies::presence);
    }

    public CompletableFuture<Message> edit(String conversationId, String messageId, MessageBody body) {
        return call(id -> new Command.EditMessage(id, conversationId, messageId, body), replies::message);
    }

    public CompletableFuture<List<MessageEdit>> edits(String conversationId, String messageId) {
        return call(id -> new Command.MessageEdits(id, conversationId, messageId), replies::edits);
    }

    public CompletableFuture<Void> delete(String conversationId, String messageId, DeleteScope scope) {
        return call(id -> new Command.DeleteMessage(id, conversationId, messageId, scope), body -> null);
    }

    public CompletableFuture<Void> react(String conversationId, String messageId, String emoji) {
        return call(id -> new Command.AddReaction(id, conversationId, messageId, emoji), body -> null);
    }

    public CompletableFuture<Void> unreact(String conversationId, String messageId, String emoji) {
        return call(id -> new Command.RemoveReaction(id, conversationId, messageId, emoji), body -> null);
    }

    public CompletableFuture<Void> pin(String conversationId, String messageId) {
        return call(id -> new Command.PinMessage(id, conversationId, messageId), body -> null);
    }

    public CompletableFuture<Void> unpin(String conversationId, String messageId) {
        return call(id -> new Command.UnpinMessage(id, conversationId, messageId), body -> null);
    }

    /** A {@code group.*} command; {@code result} reads the reply. */
    public <T> CompletableFuture<T> group(LongFunction<Command> command, Function<ObjectNode, T> result) {
        return call(command, result);
    }

    public CompletableFuture<List<Message>> pins(String conversationId) {
        return call(id -> new Command.Pins(id, conversationId), replies::messages);
    }

    public CompletableFuture<SearchPage> search(SearchRequest r) {
        return call(id -> new Command.Search(id, r.query(), r.conversationId(), r.senderId(), r.after(), r.before(),
                r.hasAttachment(), r.limit(), r.cursor()), body -> {
                    List<SearchHit> hits = new ArrayList<>();
                    body.path("results").forEach(n -> hits.add(codec.searchHit(n)));
                    return new SearchPage(hits, body.hasNonNull("nextCursor") ? body.get("nextCursor").asText() : null);
                });
    }

    public CompletableFuture<ThreadPage> threadHistory(String conversationId, String rootId, Long beforeSeq,
                                                       Long afterSeq, int limit) {
        return call(id -> new Command.ThreadHistory(id, conversationId, rootId, beforeSeq, afterSeq, limit),
                body -> new ThreadPage(codec.thread(body), replies.messages(body), body.path("hasMore").asBoolean(false)));
    }

    public CompletableFuture<List<ThreadView>> threads(String conversationId, Long beforeLastReplySeq, int limit) {
        return call(id -> new Command.Threads(id, conversationId, beforeLastReplySeq, limit), body -> {
            List<ThreadView> threads = new ArrayList<>();
            body.path("threads").forEach(n -> threads.add(codec.thread(n)));
            return threads;
        });
    }

    public CompletableFuture<List<GalleryItem>> gallery(String conversationId, AttachmentKind kind, Long beforeSeq,
                                                        int limit) {
        return call(id -> new Command.Gallery(id, conversationId, kind.wire(), beforeSeq, limit), body -> {
            List<GalleryItem> items = new ArrayList<>();
            body.path("items").forEach(n -> items.add(codec.galleryItem(n)));
            return items;
        });
    }

    public CompletableFuture<List<LinkItem>> links(String conversationId, Long beforeSeq, int limit) {
        return call(id -> new Command.Gallery(id, conversationId, "link", beforeSeq, limit), body -> {
            List<LinkItem> items = new ArrayList<>();
            body.path("items").forEach(n -> items.add(codec.convert(n, LinkItem.class)));
            return items;
        });
    }

    public CompletableFuture<Long> markThreadRead(String conversationId, String rootId, long seq) {
        return call(id -> new Command.ThreadRead(id, conversationId, rootId, seq), body -> body.path("readSeq").asLong());
    }

    public CompletableFuture<Void> setExpiry(String conversationId, long seconds) {
        return call(id -> new Command.SetExpiry(id, conversationId, seconds), body -> null);
    }

    public CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return call(Command.Ping::new, body -> Duration.ofNanos(System.nanoTime() - start));
    }

    public CompletableFuture<Message> send(String conversationId, MessageBody body, String replyTo, String clientMsgId) {
        return send(conversationId, body, replyTo, clientMsgId, null);
    }

    public CompletableFuture<Message> send(String conversationId, MessageBody body, String replyTo, String clientMsgId,
                                           Integer ttlSeconds) {
        return send(conversationId, body, replyTo, clientMsgId, ttlSeconds, null);
    }

    public CompletableFuture<Message> send(String conversationId, MessageBody body, String replyTo, String clientMsgId,
                                           Integer ttlSeconds, List<String> mentions) {
        return send(conversationId, body, clientMsgId, new SendOptions(replyTo, ttlSeconds, mentions, null));
    }

    public CompletableFuture<Message> send(String conversationId, MessageBody body, String clientMsgId,
                                           SendOptions options) {
        CompletableFuture<Message> f = new CompletableFuture<>();
        String msgId = clientMsgId != null ? clientMsgId : clientMsgIds.next();
        submit(f, () -> {
            String key = conversationId + '\n' + msgId;
            PendingSend existing = unacked.get(key);
            if (existing != null) {
                // The same send issued twice while the first is unacknowledged: one wire send, two futures.
                existing.future.whenComplete((m, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(m);
                    }
                });
                return;
            }
            if (unacked.size() >= settings.outboxMax()) {
                fail(f, new ChatException(ErrorCode.UNAVAILABLE,
                        "outbox full: " + settings.outboxMax() + " sends await acknowledgement"));
                return;
            }
            PendingSend ps = new PendingSend(++sendOrder, key, conversationId, msgId, body, options.replyTo(), f);
            ps.ttlSeconds = options.ttlSeconds();
            ps.mentions = options.mentions().isEmpty() ? null : options.mentions();
            ps.threadRootId = options.threadRootId();
            unacked.put(key, ps);
            queued.put(ps.order, ps);
            pumpSends();
        });
        return f;
    }

    /** Closes with 1000 and stops reconnecting; fails what is still pending with {@code unavailable}. Idempotent. */
    public void close() {
        closing = true;
        if (Thread.currentThread() == loopThread) {
            // Called from a callback running on the loop (a direct callback executor): no waiting on ourselves.
            shutdownOnLoop();
            loop.shutdown();
            websockets.shutdown();
            if (ownedCallbacks != null) {
                ownedCallbacks.shutdown();
            }
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    shutdownOnLoop();
                } catch (RuntimeException e) {
                    log.warn("{}: error while closing", name, e);
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            return; // closed before
        }
        try {
            done.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            loop.shutdown();
            loop.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("{}: close did not finish in time", name, e);
        } finally {
            loop.shutdownNow();
            websockets.shutdown();
            if (ownedCallbacks != null) {
                ownedCallbacks.shutdown();
            }
        }
    }

    // ================================================================ connection lifecycle

    private void startAttempt() {
        phase = Phase.CONNECTING;
        publish(ConnectionState.CONNECTING, null);
        Connection c = new Connection(++generation);
        current = c;
        NamedThreadFactory.named(name + "-connect-" + c.generation, () -> open(c)).start();
        // Tyrus can miss a connection reset during the handshake and wait for its own timeout;
        // this bound holds whatever the transport does (a socket opening later is closed as stale).
        long limit = settings.connectTimeout().toMillis();
        c.watchdog = loop.schedule(guard(() -> {
            if (c == current && c.session == null) {
                connectionLost(c, new ChatException(ErrorCode.UNAVAILABLE,
                        "no WebSocket handshake with " + settings.uri() + " within " + limit + " ms"));
            }
        }), limit, TimeUnit.MILLISECONDS);
    }

    /** On the connect thread: obtain a token and open the socket; the rest happens on the loop. */
    private void open(Connection c) {
        try {
            String token = settings.token().get();
            if (token == null || token.isEmpty()) {
                throw new ChatException(ErrorCode.UNAUTHENTICATED, "the token provider returned no token");
            }
            ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                    .preferredSubprotocols(List.of(SUBPROTOCOL))
                    .configurator(NO_ORIGIN)
                    .build();
            websockets.connectToServer(new SocketEndpoint(c, token), config, settings.uri());
        } catch (ChatException e) {
            post(() -> attemptFailed(c, e));
        } catch (Exception e) {
            ChatException failure = new ChatException(ErrorCode.UNAVAILABLE,
                    "cannot connect to " + settings.uri() + ": " + e.getMessage(), e);
            post(() -> attemptFailed(c, failure));
        }
    }

    private void opened(Connection c, Session s, String token) {
        if (c != current || phase == Phase.CLOSED) {
            closeInBackground(s, CloseReason.CloseCodes.NORMAL_CLOSURE, "superseded");
            return;
        }
        c.session = s;
        c.watchdog.cancel(false);
        c.lastFrameNanos = System.nanoTime();
        request(c, id -> new Command.Hello(id, token, settings.clientName(), settings.clientVersion()),
                body -> helloAccepted(c, body), e -> helloFailed(c, e), settings.connectTimeout(), null);
    }

    private void helloAccepted(Connection c, ObjectNode body) {
        if (c != current) {
            return;
        }
        SessionInfo info;
        try {
            info = replies.session(body);
        } catch (ChatException e) {
            connectionLost(c, e);
            return;
        }
        c.info = info;
        c.ready = true;
        session = info;
        phase = Phase.CONNECTED;
        failedAttempts = 0;
        sendWindow = MAX_SENDS_IN_FLIGHT;
        reconnecting = settings.autoReconnect();
        log.debug("{}: connected as {} (session {})", name, info.userId(), info.sessionId());
        publish(ConnectionState.CONNECTED, null);
        for (CompletableFuture<SessionInfo> w : connectWaiters) {
            succeed(w, info);
        }
        connectWaiters.clear();
        startHeartbeat(c, info.pingInterval());
        resume(c);
        pumpSends();
    }

    private void helloFailed(Connection c, ChatException e) {
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            authFailed(c, e);
        } else {
            connectionLost(c, e);
        }
    }

    private void attemptFailed(Connection c, ChatException e) {
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            authFailed(c, e);
        } else {
            connectionLost(c, e);
        }
    }

    private void closed(Connection c, CloseReason reason) {
        if (c != current) {
            return;
        }
        int code = reason.getCloseCode().getCode();
        String text = "server closed the connection (" + code
                + (reason.getReasonPhrase() == null || reason.getReasonPhrase().isEmpty() ? "" : " " + reason.getReasonPhrase())
                + ")";
        if (code == 4401) {
            authFailed(c, new ChatException(ErrorCode.UNAUTHENTICATED, text));
        } else {
            connectionLost(c, new ChatException(ErrorCode.UNAVAILABLE, text));
        }
    }

    private void startHeartbeat(Connection c, Duration pingInterval) {
        if (pingInterval.isZero() || pingInterval.isNegative()) {
            return;
        }
        long limit = pingInterval.multipliedBy(2).toNanos();
        long period = Math.max(pingInterval.toMillis() / 4, 10);
        c.heartbeat = loop.scheduleAtFixedRate(guard(() -> {
            if (c == current && System.nanoTime() - c.lastFrameNanos > limit) {
                connectionLost(c, new ChatException(ErrorCode.UNAVAILABLE,
                        "no frame from the server for " + pingInterval.multipliedBy(2).toMillis() + " ms"));
            }
        }), period, period, TimeUnit.MILLISECONDS);
    }

    /** The socket is gone (or judged dead): drop it, keep unacknowledged sends, reconnect if armed. */
    private void connectionLost(Connection c, ChatException cause) {
        if (c != current) {
            return;
        }
        log.debug("{}: connection lost: {}", name, cause.getMessage());
        detach(c, CloseReason.CloseCodes.GOING_AWAY, "connection lost");
        ChatException lost = cause.code() == ErrorCode.UNAVAILABLE ? cause
                : new ChatException(ErrorCode.UNAVAILABLE, "connection lost: " + cause.getMessage(), cause);
        abandonRequests(lost, false);
        if (reconnecting) {
            phase = Phase.WAITING;
            publish(ConnectionState.DISCONNECTED, cause);
            failedAttempts++;
            Duration delay = backoff.delay(failedAttempts);
            log.debug("{}: reconnect attempt {} in {} ms", name, failedAttempts, delay.toMillis());
            reconnectTask = loop.schedule(guard(() -> {
                reconnectTask = null;
                if (phase == Phase.WAITING) {
                    startAttempt();
                }
            }), delay.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            phase = Phase.IDLE;
            publish(ConnectionState.DISCONNECTED, cause);
        }
        failConnectWaiters(cause);
    }

    /** After the state is published, so that a failed {@code connect()} sees the new state. */
    private void failConnectWaiters(Throwable cause) {
        for (CompletableFuture<SessionInfo> w : connectWaiters) {
            fail(w, cause);
        }
        connectWaiters.clear();
    }

    /** The server refused the token: no reconnect; sends waiting for a session fail too. */
    private void authFailed(Connection c, ChatException cause) {
        if (c != current) {
            return;
        }
        log.debug("{}: not authenticated: {}", name, cause.getMessage());
        detach(c, CloseReason.CloseCodes.NORMAL_CLOSURE, "unauthenticated");
        abandonRequests(cause, true);
        reconnecting = false;
        cancelReconnect();
        phase = Phase.IDLE;
        publish(ConnectionState.DISCONNECTED, cause);
        failConnectWaiters(cause);
    }

    private void detach(Connection c, CloseReason.CloseCode code, String reason) {
        current = null;
        session = null;
        c.watchdog.cancel(false);
        if (c.heartbeat != null) {
            c.heartbeat.cancel(false);
        }
        if (c.session != null) {
            closeInBackground(c.session, code, reason);
        }
    }

    /**
     * Ends every in-flight request of the lost connection. Sends go back to the outbox
     * (unless {@code failSends}), everything else fails with {@code error}.
     */
    private void abandonRequests(ChatException error, boolean failSends) {
        List<Request> requests = new ArrayList<>(inflight.values());
        inflight.clear();
        resumesInFlight = 0;
        sendsInFlight = 0;
        if (sendPause != null) {
            sendPause.cancel(false);
            sendPause = null;
        }
        sequencer.endAllFills();
        for (Request r : requests) {
            r.timeout.cancel(false);
            if (r.send == null) {
                runHandler(() -> r.onError.accept(error));
            } else {
                requeue(r.send);
            }
        }
        if (failSends) {
            for (PendingSend ps : unacked.values()) {
                fail(ps.future, error);
            }
            unacked.clear();
            queued.clear();
        }
    }

    private void shutdownOnLoop() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        reconnecting = false;
        cancelReconnect();
        Connection c = current;
        current = null;
        session = null;
        if (c != null) {
            if (c.heartbeat != null) {
                c.heartbeat.cancel(false);
            }
            if (c.session != null) {
                try {
                    c.session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "client closed"));
                } catch (Exception e) {
                    log.debug("{}: close: {}", name, e.toString());
                }
            }
        }
        ChatException closedError = new ChatException(ErrorCode.UNAVAILABLE, "client closed");
        abandonRequests(closedError, true);
        publish(ConnectionState.CLOSED, null);
        failConnectWaiters(closedError);
    }

    private void cancelReconnect() {
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
    }

    private Connection readyConnection() {
        Connection c = current;
        return c != null && c.ready ? c : null;
    }

    // ================================================================ frames in

    private void onText(Connection c, String text) {
        if (c != current) {
            return;
        }
        c.lastFrameNanos = System.nanoTime();
        ServerFrame frame;
        try {
            frame = codec.decodeServerFrame(text);
        } catch (ProtocolException e) {
            log.warn("{}: ignored a frame the client cannot read: {}", name, e.getMessage());
            return;
        }
        if (frame instanceof ServerFrame.Event event) {
            onEvent(c, event);
        } else if (frame instanceof ServerFrame.Reply reply) {
            Request r = takeRequest(c, reply.re());
            if (r != null) {
                runHandler(() -> r.onOk.accept(reply.body()));
            }
        } else if (frame instanceof ServerFrame.ErrorReply error) {
            if (error.re() == null) {
                log.warn("{}: the server could not read a command: {} {}", name, error.error().code().wire(),
                        error.error().getMessage());
                return;
            }
            Request r = takeRequest(c, error.re());
            if (r != null) {
                runHandler(() -> r.onError.accept(error.error()));
            }
        }
    }

    private Request takeRequest(Connection c, Object re) {
        Long id = re instanceof Long l ? l : parseId(re);
        Request r = id == null ? null : inflight.get(id);
        if (r == null || r.connection != c) {
            log.debug("{}: reply to no pending command (re={})", name, re);
            return null;
        }
        inflight.remove(id);
        r.timeout.cancel(false);
        return r;
    }

    private static Long parseId(Object re) {
        try {
            return re == null ? null : Long.valueOf(re.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void onEvent(Connection c, ServerFrame.Event frame) {
        if ("ping".equals(frame.type())) {
            write(c, PONG);
            return;
        }
        ChatEvent event;
        try {
            event = codec.decodeEvent(frame);
        } catch (ProtocolException e) {
            log.debug("{}: ignored event {}: {}", name, frame.type(), e.getMessage());
            return;
        }
        switch (event.type()) {
            case MESSAGE -> accept(((ChatEvent.MessageEvent) event).message());
            case TYPING -> dispatch(l -> l.onTyping((TypingEvent) event));
            case PRESENCE -> dispatch(l -> l.onPresence((PresenceEvent) event));
            case RECEIPT -> dispatch(l -> l.onReceipt((ReceiptEvent) event));
            case CONVERSATION -> {
                ConversationEvent ce = (ConversationEvent) event;
                trackIfEmpty(ce.conversation());
                dispatch(l -> l.onConversation(ce));
            }
            case MESSAGE_EDITED -> {
                Message edited = ((MessageEditedEvent) event).message();
                // A copy held back as a hidden stub stays a stub.
                updateMessage(edited.conversationId(), edited.seq(), held -> held.hidden() ? held : edited,
                        () -> dispatch(l -> l.onMessageEdited(edited)));
            }
            case MESSAGE_DELETED -> {
                MessageDeletedEvent deleted = (MessageDeletedEvent) event;
                updateMessage(deleted.conversationId(), deleted.seq(), Message::tombstone,
                        () -> dispatch(l -> l.onMessageDeleted(deleted)));
            }
            case MESSAGE_HIDDEN -> {
                MessageHiddenEvent hidden = (MessageHiddenEvent) event;
                updateMessage(hidden.conversationId(), hidden.seq(), Message::hiddenStub,
                        () -> dispatch(l -> l.onMessageHidden(hidden)));
            }
            case REACTION -> {
                ReactionEvent reaction = (ReactionEvent) event;
                SessionInfo me = session;
                updateMessage(reaction.conversationId(), reaction.seq(),
                        held -> ReactionUpdates.apply(held, reaction, me == null ? null : me.userId()),
                        () -> dispatch(l -> l.onReaction(reaction)));
            }
            case PIN -> dispatch(l -> l.onPin((PinEvent) event));
            case MESSAGE_EXPIRED -> {
                ChatEvent.MessageExpiredEvent expired = (ChatEvent.MessageExpiredEvent) event;
                for (long seq : expired.seqs()) {
                    updateMessage(expired.conversationId(), seq, Message::expiredTombstone, () -> {
                    });
                }
                dispatch(l -> l.onMessagesExpired(expired));
            }
            case CONVERSATION_EXPIRY -> dispatch(l -> l.onConversationExpiry((ChatEvent.ConversationExpiryEvent) event));
            case THREAD -> {
                ChatEvent.ThreadEvent thread = (ChatEvent.ThreadEvent) event;
                updateMessage(thread.conversationId(), thread.rootSeq(), held -> held.withThread(thread.thread()),
                        () -> dispatch(l -> l.onThread(thread)));
            }
            case THREAD_READ -> dispatch(l -> l.onThreadRead((ChatEvent.ThreadReadEvent) event));
            case PING -> write(c, PONG);
        }
    }

    /**
     * An update of the message at {@code seq}: told to the application if it has the message,
     * applied to the held-back copy if it waits above a gap, and a reason to fill the gap if
     * it was never received. Updates never take a seq.
     */
    private void updateMessage(String conversationId, long seq, UnaryOperator<Message> change, Runnable tell) {
        switch (sequencer.update(conversationId, seq, change)) {
            case DELIVER -> tell.run();
            case APPLIED_TO_BUFFERED -> {
            }
            case NOT_YET_RECEIVED -> {
                if (resumesInFlight == 0) {
                    fill(conversationId);
                }
            }
        }
    }

    // ================================================================ ordered, gap-free delivery

    /** A message from a push or a send reply: deliver what is now in order, repair a gap. */
    private void accept(Message m) {
        deliver(sequencer.offer(m));
        if (resumesInFlight == 0 && sequencer.hasGap(m.conversationId())) {
            fill(m.conversationId());
        }
    }

    private void deliver(List<Message> messages) {
        for (Message m : messages) {
            dispatch(l -> l.onMessage(m));
        }
    }

    /** A conversation known to have no message yet is tracked from 0: nothing of it can be missed. */
    private void trackIfEmpty(Conversation conversation) {
        if (conversation.lastSeq() == 0 && !sequencer.isTracked(conversation.id())) {
            sequencer.track(conversation.id(), 0);
        }
    }

    private Conversation createdConversation(ObjectNode body) {
        Conversation conversation = replies.conversation(body);
        trackIfEmpty(conversation);
        return conversation;
    }

    /** After a hello on a new connection: ask the server to replay what each tracked conversation missed. */
    private void resume(Connection c) {
        Map<String, Long> positions = sequencer.positions();
        if (positions.isEmpty()) {
            return;
        }
        List<Map<String, Long>> batches = new ArrayList<>();
        Map<String, Long> batch = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : positions.entrySet()) {
            batch.put(e.getKey(), e.getValue());
            if (batch.size() == RESUME_BATCH) {
                batches.add(batch);
                batch = new LinkedHashMap<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        for (Map<String, Long> b : batches) {
            resumesInFlight++;
            request(c, id -> new Command.Resume(id, b, null), body -> {
                resumesInFlight--;
                List<String> truncated = Replies.ids(body, "truncated");
                log.debug("{}: resumed {} conversation(s): {} replayed, truncated {}", name, b.size(),
                        body.path("replayed").asInt(), truncated);
                Replies.ids(body, "forbidden").forEach(sequencer::forget);
                truncated.forEach(this::fill);
                afterResume();
            }, e -> {
                resumesInFlight = Math.max(0, resumesInFlight - 1);
                if (c == current) {
                    log.warn("{}: resume failed ({} {}); reading history instead", name, e.code().wire(), e.getMessage());
                    b.keySet().forEach(this::fill);
                    afterResume();
                }
            }, settings.requestTimeout(), null);
        }
    }

    private void afterResume() {
        if (resumesInFlight == 0) {
            sequencer.conversationsWithGap().forEach(this::fill);
        }
    }

    /** Pages history after the conversation's lastSeq until nothing is missing. One fill per conversation at a time. */
    private void fill(String conversationId) {
        Connection c = readyConnection();
        if (c == null || !sequencer.startFill(conversationId)) {
            return;
        }
        requestPage(c, conversationId);
    }

    private void requestPage(Connection c, String conversationId) {
        long after = sequencer.lastSeq(conversationId).orElse(0);
        long mark = sequencer.arrivalMark(conversationId);
        long dropped = sequencer.dropped(conversationId);
        request(c, id -> new Command.History(id, conversationId, null, after, PAGE), body -> {
            HistoryPage page;
            try {
                page = replies.history(body);
            } catch (RuntimeException e) {
                log.warn("{}: unreadable history page for {}: {}", name, conversationId, e.getMessage());
                sequencer.endFill(conversationId);
                return;
            }
            deliver(sequencer.acceptPage(conversationId, after, mark, page.messages(), page.hasMore()));
            boolean more = (page.hasMore() && !page.messages().isEmpty())
                    || sequencer.hasGap(conversationId)
                    || sequencer.dropped(conversationId) != dropped;
            if (more && c == current) {
                requestPage(c, conversationId);
            } else {
                sequencer.endFill(conversationId);
            }
        }, e -> {
            sequencer.endFill(conversationId);
            if (e.code() == ErrorCode.FORBIDDEN || e.code() == ErrorCode.NOT_FOUND) {
                log.info("{}: no longer reading {} ({})", name, conversationId, e.code().wire());
                sequencer.forget(conversationId);
            } else if (c == current) {
                if (e.code().retryable()) {
                    long delay = Math.max(MIN_RETRY_AFTER_MS,
                            e.retryAfterMs() == null ? DEFAULT_RETRY_AFTER_MS : e.retryAfterMs());
                    log.debug("{}: history for {} failed ({}); retrying in {} ms", name, conversationId,
                            e.code().wire(), delay);
                    loop.schedule(guard(() -> {
                        if (c == current) {
                            fill(conversationId);
                        }
                    }), delay, TimeUnit.MILLISECONDS);
                } else {
                    log.warn("{}: history for {} failed: {} {}", name, conversationId, e.code().wire(), e.getMessage());
                }
            }
        }, settings.requestTimeout(), null);
    }

    // ================================================================ requests

    private <T> CompletableFuture<T> call(LongFunction<Command> command, Function<ObjectNode, T> result) {
        CompletableFuture<T> f = new CompletableFuture<>();
        submit(f, () -> {
            Connection c = readyConnection();
            if (c == null) {
                fail(f, new ChatException(ErrorCode.UNAVAILABLE, "not connected (" + state + ")"));
                return;
            }
            request(c, command, body -> {
                T value;
                try {
                    value = result.apply(body);
                } catch (RuntimeException e) {
                    fail(f, e instanceof ChatException ce ? ce
                            : new ChatException(ErrorCode.INTERNAL, "unreadable reply: " + e.getMessage(), e));
                    return;
                }
                succeed(f, value);
            }, e -> fail(f, e), settings.requestTimeout(), null);
        });
        return f;
    }

    /** Writes queued sends, oldest first, while the connection is ready, not paused and the window has room. */
    private void pumpSends() {
        Connection c = readyConnection();
        if (c == null || sendPause != null) {
            return;
        }
        while (sendsInFlight < sendWindow && c == current && !queued.isEmpty()) {
            writeSend(c, queued.pollFirstEntry().getValue());
        }
    }

    private void requeue(PendingSend ps) {
        queued.put(ps.order, ps);
    }

    /** The server answered rate_limited: retry this send (same clientMsgId) after the advised pause. */
    private void pauseSends(Connection c, PendingSend ps, ChatException e) {
        requeue(ps);
        sendWindow = 1;
        if (sendPause == null && c == current) {
            long delay = Math.max(MIN_RETRY_AFTER_MS, e.retryAfterMs() == null ? DEFAULT_RETRY_AFTER_MS : e.retryAfterMs());
            log.debug("{}: sends rate limited; retrying in {} ms", name, delay);
            sendPause = loop.schedule(guard(() -> {
                sendPause = null;
                pumpSends();
            }), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void writeSend(Connection c, PendingSend ps) {
        sendsInFlight++;
        request(c, id -> new Command.Send(id, ps.conversationId, ps.clientMsgId, ps.body, ps.replyTo, ps.ttlSeconds,
                ps.mentions, ps.threadRootId),
                body -> {
            sendsInFlight--;
            sendWindow = Math.min(MAX_SENDS_IN_FLIGHT, sendWindow + 1);
            unacked.remove(ps.key);
            pumpSends();
            Message m;
            try {
                m = replies.message(body);
            } catch (RuntimeException e) {
                fail(ps.future, e instanceof ChatException ce ? ce
                        : new ChatException(ErrorCode.INTERNAL, "unreadable send reply: " + e.getMessage(), e));
                return;
            }
            accept(m);
            succeed(ps.future, m);
        }, e -> {
            sendsInFlight--;
            if (e.code() == ErrorCode.RATE_LIMITED) {
                pauseSends(c, ps, e);
            } else {
                unacked.remove(ps.key);
                fail(ps.future, e);
                pumpSends();
            }
        }, settings.requestTimeout(), ps);
    }

    private void request(Connection c, LongFunction<Command> make, Consumer<ObjectNode> onOk,
                         Consumer<ChatException> onError, Duration timeout, PendingSend send) {
        long id = ++nextCommandId;
        String frame;
        Command command;
        try {
            command = make.apply(id);
            frame = codec.encodeCommand(command);
        } catch (RuntimeException e) {
            runHandler(() -> onError.accept(new ChatException(ErrorCode.BAD_REQUEST, "cannot encode command: " + e.getMessage(), e)));
            return;
        }
        Request r = new Request(id, c, onOk, onError, send);
        inflight.put(id, r);
        String type = command.type().wire();
        r.timeout = loop.schedule(guard(() -> {
            if (inflight.remove(id, r)) {
                runHandler(() -> r.onError.accept(new ChatException(ErrorCode.UNAVAILABLE,
                        "no reply to " + type + " within " + timeout.toMillis() + " ms")));
            }
        }), timeout.toMillis(), TimeUnit.MILLISECONDS);
        write(c, frame);
    }

    private void write(Connection c, String frame) {
        try {
            c.session.getAsyncRemote().sendText(frame, result -> {
                if (!result.isOK()) {
                    Throwable t = result.getException();
                    post(() -> connectionLost(c, new ChatException(ErrorCode.UNAVAILABLE,
                            "write failed: " + (t == null ? "unknown" : t.getMessage()), t)));
                }
            });
        } catch (RuntimeException e) {
            post(() -> connectionLost(c, new ChatException(ErrorCode.UNAVAILABLE, "write failed: " + e.getMessage(), e)));
        }
    }

    // ================================================================ plumbing

    private void publish(ConnectionState next, Throwable cause) {
        if (state == next) {
            return;
        }
        state = next;
        dispatch(l -> l.onConnectionState(next, cause));
    }

    private void dispatch(Consumer<ChatClient.Listener> call) {
        listenerLane.execute(() -> {
            for (ChatClient.Listener l : listeners) {
                try {
                    call.accept(l);
                } catch (Throwable t) {
                    log.warn("{}: listener {} threw; ignored", name, l, t);
                }
            }
        });
    }

    private <T> void succeed(CompletableFuture<T> f, T value) {
        completionLane.execute(() -> f.complete(value));
    }

    private void fail(CompletableFuture<?> f, Throwable error) {
        completionLane.execute(() -> f.completeExceptionally(error));
    }

    private void submit(CompletableFuture<?> f, Runnable task) {
        try {
            loop.execute(guard(task));
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new ChatException(ErrorCode.UNAVAILABLE, "client closed"));
        }
    }

    private void post(Runnable task) {
        try {
            loop.execute(guard(task));
        } catch (RejectedExecutionException e) {
            log.trace("{}: closed; event dropped", name);
        }
    }

    private Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                log.error("{}: internal error", name, t);
            }
        };
    }

    private void runHandler(Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            log.error("{}: internal error in a reply handler", name, e);
        }
    }

    private void closeInBackground(Session s, CloseReason.CloseCode code, String reason) {
        NamedThreadFactory.named(name + "-close", () -> {
            try {
                if (s.isOpen()) {
                    s.close(new CloseReason(code, reason));
                }
            } catch (Exception e) {
                log.debug("{}: close: {}", name, e.toString());
            }
        }).start();
    }

    // ================================================================ state holders

    private static final class Connection {
        final long generation;
        Session session;
        boolean ready;
        SessionInfo info;
        volatile long lastFrameNanos;
        ScheduledFuture<?> heartbeat;
        ScheduledFuture<?> watchdog;

        Connection(long generation) {
            this.generation = generation;
        }
    }

    private static final class Request {
        final long id;
        final Connection connection;
        final Consumer<ObjectNode> onOk;
        final Consumer<ChatException> onError;
        final PendingSend send;
        ScheduledFuture<?> timeout;

        Request(long id, Connection connection, Consumer<ObjectNode> onOk, Consumer<ChatException> onError,
                PendingSend send) {
            this.id = id;
            this.connection = connection;
            this.onOk = onOk;
            this.onError = onError;
            this.send = send;
        }
    }

    private static final class PendingSend {
        final long order;
        final String key;
        final String conversationId;
        final String clientMsgId;
        final MessageBody body;
        final String replyTo;
        final CompletableFuture<Message> future;
        /** The sender's time to live, or {@code null}. */
        Integer ttlSeconds;
        /** Ids of mentioned members, or {@code null}. */
        List<String> mentions;
        /** The thread root replied in, or {@code null}. */
        String threadRootId;

        PendingSend(long order, String key, String conversationId, String clientMsgId, MessageBody body,
                    String replyTo, CompletableFuture<Message> future) {
            this.order = order;
            this.key = key;
            this.conversationId = conversationId;
            this.clientMsgId = clientMsgId;
            this.body = body;
            this.replyTo = replyTo;
            this.future = future;
        }
    }

    /** Tyrus endpoint of one connection: hands everything to the loop. */
    private final class SocketEndpoint extends Endpoint {
        private final Connection connection;
        private final String token;

        SocketEndpoint(Connection connection, String token) {
            this.connection = connection;
            this.token = token;
        }

        @Override
        public void onOpen(Session s, EndpointConfig config) {
            if (closing) {
                closeInBackground(s, CloseReason.CloseCodes.NORMAL_CLOSURE, "client closed");
                return;
            }
            try {
                loop.execute(guard(() -> opened(connection, s, token)));
            } catch (RejectedExecutionException e) {
                closeInBackground(s, CloseReason.CloseCodes.NORMAL_CLOSURE, "client closed");
                return;
            }
            s.setMaxTextMessageBufferSize(MAX_INBOUND_FRAME);
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> post(() -> onText(connection, text)));
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            post(() -> closed(connection, reason));
        }

        @Override
        public void onError(Session s, Throwable error) {
            post(() -> connectionLost(connection, new ChatException(ErrorCode.UNAVAILABLE,
                    "socket error: " + error.getMessage(), error)));
        }
    }
}
