package dev.parley.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.protocol.Command;
import dev.parley.core.protocol.CommandType;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.spi.Principal;
import dev.parley.server.ChatServerConfig;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: decodes frames on the container's thread, applies rate limits, runs
 * commands in order on its lane of the worker pool, and writes replies and events through its
 * bounded {@link Outbound} queue. Knows nothing about chat rules: {@link CommandDispatcher}
 * calls the engine.
 */
public final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final long RETRY_WHEN_BUSY_MS = 100;

    private final SocketHub hub;
    private final SocketLink link;
    private final String id;
    private final SerialExecutor lane;
    private final Outbound outbound;
    private final TokenBucket bucket;
    private final long openedAt;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastActivity;
    private volatile long lastPing;
    private volatile Principal principal;
    private volatile String sessionId;
    private volatile boolean draining;
    private boolean closed; // guarded by this
    private int strikes; // read thread only: the container delivers one session's frames one at a time

    Connection(SocketHub hub, SocketLink link, String id) {
        this.hub = hub;
        this.link = link;
        this.id = id;
        ChatServerConfig config = hub.config();
        this.lane = new SerialExecutor(hub.workers());
        this.outbound = new Outbound(config.outboundQueueMax(), link.maxBatch(), hub.writers(), link::write,
                this::overflowed, this::close, this::writeFailed);
        this.bucket = new TokenBucket(config.connectionRate(), hub.nanoTime());
        this.openedAt = hub.now();
        this.lastActivity = openedAt;
        this.lastPing = openedAt;
    }

    public String id() {
        return id;
    }

    /** The authenticated user's id, or {@code null} before a successful hello. */
    public String userId() {
        Principal p = principal;
        return p == null ? null : p.userId();
    }

    public boolean isAuthenticated() {
        return principal != null;
    }

    /** The login session the hello token belongs to ({@link Principal#sessionId()}), or {@code null}. */
    String authSessionId() {
        Principal p = principal;
        return p == null ? null : p.sessionId();
    }

    // ------------------------------------------------------------------ inbound (container thread)

    void onText(String text) {
        if (draining || isClosed()) {
            return;
        }
        lastActivity = hub.now();
        Command command = null;
        ProtocolException malformed = null;
        try {
            command = hub.codec().decodeCommand(text);
        } catch (ProtocolException e) {
            malformed = e;
        } catch (RuntimeException e) {
            log.warn("cannot decode a frame on connection {}", id, e);
            malformed = new ProtocolException(null, ErrorCode.BAD_REQUEST, "frame could not be decoded");
        }
        Object commandId = command != null ? command.id() : malformed.commandId();
        CommandType type = command == null ? null : command.type();
        // A valid command without id gets no reply, not even rate_limited; a malformed frame does (re null).
        boolean replies = commandId != null || command == null;
        if (type != CommandType.PONG && !admit(commandId, replies)) {
            return;
        }
        if (malformed != null) {
            reply(commandId, malformed);
            return;
        }
        if (commandId == null && !ProtocolCodec.fireAndForgetAllowed(type)) {
            reply(null, ChatException.badRequest("id is required for " + type.wire()));
            return;
        }
        if (type == CommandType.PONG) {
            return; // its only job, recording activity, is done
        }
        if (inFlight.incrementAndGet() > hub.config().maxCommandsInFlight()) {
            inFlight.decrementAndGet();
            if (commandId != null) {
                reply(commandId, ChatException.rateLimited("too many commands in flight", RETRY_WHEN_BUSY_MS));
            }
            return;
        }
        Command accepted = command;
        try {
            lane.execute(() -> run(accepted));
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            if (commandId != null) {
                reply(commandId, ChatException.unavailable("server is shutting down", null));
            }
        }
    }

    /** Protocol v1 is JSON text only: a binary frame is answered like any frame that is not a JSON object. */
    void onBinary() {
        if (draining || isClosed()) {
            return;
        }
        lastActivity = hub.now();
        if (admit(null, true)) {
            reply(null, ChatException.badRequest("binary frames are not supported: send JSON in text frames"));
        }
    }

    /** Token buckets of the socket and of the user; repeated violations close with 4429. */
    private boolean admit(Object commandId, boolean replies) {
        long waitMs = bucket.tryTake();
        if (waitMs == 0) {
            TokenBucket userBucket = hub.userBucket(userId());
            waitMs = userBucket == null ? 0 : userBucket.tryTake();
        }
        if (waitMs == 0) {
            strikes = 0;
            return true;
        }
        strikes++;
        if (replies) {
            reply(commandId, ChatException.rateLimited("rate limit exceeded; retry after " + waitMs + " ms", waitMs));
        }
        if (strikes >= hub.config().rateLimitStrikes()) {
            log.info("closing connection {} of user {}: {} consecutive rate-limited commands", id, userId(), strikes);
            closeAfterFlush(CloseCodes.RATE_LIMITED, "rate limit exceeded repeatedly");
        }
        return false;
    }

    // ------------------------------------------------------------------ commands (lane)

    private void run(Command command) {
        long started = hub.now();
        CompletableFuture<ObjectNode> result;
        try {
            if (principal == null && command.type() != CommandType.HELLO) {
                throw ChatException.unauthenticated("send hello first");
            }
            result = hub.dispatcher().dispatch(this, command);
        } catch (RuntimeException | Error e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((reply, failure) -> {
            inFlight.decrementAndGet();
            ChatException error = failure == null ? null : toChatException(command, failure);
            hub.metrics().commandCompleted(command.type(), error == null ? null : error.code(), hub.now() - started);
            if (error != null) {
                if (command.id() != null) {
                    reply(command.id(), error);
                } else {
                    log.debug("{} without id failed on {}: {}", command.type().wire(), id, error.getMessage());
                }
            } else if (reply != null && command.id() != null) {
                outbound.enqueue(hub.codec().write(reply));
            }
        });
    }

    private ChatException toChatException(Command command, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChatException ce) {
            if (ce.code() == ErrorCode.INTERNAL || ce.code() == ErrorCode.UNAVAILABLE) {
                log.warn("command {} ({}) on connection {} failed: {}", command.id(), command.type().wire(), id,
                        ce.code().wire(), ce);
            }
            return ce;
        }
        log.error("command {} ({}) on connection {} of user {} failed", command.id(), command.type().wire(), id,
                userId(), cause);
        return new ChatException(ErrorCode.INTERNAL, "internal error", cause);
    }

    /**
     * Accepts the hello: queues its reply first, so that it goes ahead of any event, then joins
     * the fan-out registry; the reply is written only once the socket has joined, so that a
     * client that acts on it (another client messages it) cannot miss the events that follow.
     *
     * @return false when the socket closed in the meantime
     */
    boolean authenticate(Principal user, String session, String helloReply) {
        outbound.hold();
        try {
            outbound.enqueue(helloReply);
            synchronized (this) {
                if (closed) {
                    return false;
                }
                this.sessionId = session;
                this.principal = user;
                this.lastActivity = hub.now();
                this.lastPing = lastActivity;
                hub.register(this);
                return true;
            }
        } finally {
            outbound.release();
        }
    }

    /** Refuses a hello: the error reply, then close 4401. */
    void rejectHello(Object commandId, ChatException error) {
        reply(commandId, error);
        closeAfterFlush(CloseCodes.UNAUTHENTICATED, error.getMessage());
    }

    // ------------------------------------------------------------------ outbound

    /**
     * Queues an event frame (already encoded, shared by all recipients).
     *
     * @return false when it was dropped (the socket is closing or its queue overflowed)
     */
    boolean push(TextFrame frame) {
        return outbound.enqueue(frame);
    }

    /** Queues many event frames with back-pressure, then runs {@code done}. */
    void pushAll(Iterator<String> frames, Runnable done) {
        outbound.enqueueAll(frames, done);
    }

    private void reply(Object commandId, ChatException error) {
        outbound.enqueue(hub.codec().error(commandId, error));
    }

    /** Called by the shared heartbeat: hello timeout, idle timeout, application ping. */
    void heartbeat(long now) {
        if (draining || isClosed()) {
            return;
        }
        ChatServerConfig config = hub.config();
        if (principal == null) {
            if (now - openedAt >= config.helloTimeout().toNanos()) {
                close(CloseCodes.UNAUTHENTICATED, "no hello within " + config.helloTimeout().toMillis() + " ms");
            }
            return;
        }
        long interval = config.pingInterval().toNanos();
        if (now - lastActivity >= 2 * interval) {
            log.debug("connection {} of user {} idle; closing", id, userId());
            close(CloseCodes.IDLE, "idle");
            return;
        }
        if (now - lastPing >= interval) {
            lastPing = now;
            // Both: the application ping for browser code, which cannot see control frames, and a
            // WebSocket ping that keeps proxies and NAT entries alive. Only data frames count as
            // client activity: a protocol-level pong says the TCP peer is there, not the app.
            outbound.enqueue(hub.codec().ping());
            link.ping();
        }
    }

    private void overflowed(int dropped) {
        hub.metrics().outboundDropped(dropped);
        log.info("closing connection {} of user {}: slow consumer, more than {} frames waiting",
                id, userId(), hub.config().outboundQueueMax());
        close(CloseCodes.SLOW_CONSUMER, "slow consumer");
    }

    private void writeFailed(Throwable failure) {
        log.debug("write to connection {} failed; closing", id, failure);
        close(CloseCodes.GOING_AWAY, "write failed");
    }

    // ------------------------------------------------------------------ lifecycle

    /** Lets queued frames go out, then closes. Further client frames are ignored. */
    void closeAfterFlush(int code, String reason) {
        draining = true;
        outbound.enqueueClose(code, reason);
    }

    /** Closes now with {@code code}; queued frames are dropped. Idempotent. */
    void close(int code, String reason) {
        if (!markClosed()) {
            return;
        }
        String closeReason = abbreviate(reason);
        // Some containers block in close(); keep it off I/O, commit and heartbeat threads.
        hub.runOffThread(() -> link.close(code, closeReason));
    }

    /** The container reports the socket closed (by the client, the network or the container). */
    void closedByContainer(int code, String reason) {
        if (markClosed()) {
            log.debug("connection {} of user {} closed: {} {}", id, userId(), code, reason);
        }
        hub.forget(this);
    }

    private boolean markClosed() {
        Principal user;
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            user = principal;
        }
        outbound.close();
        hub.unregister(this, user == null ? null : user.userId(), lane);
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private static String abbreviate(String reason) {
        // A close frame's reason is at most 123 UTF-8 bytes; ours are ASCII.
        return reason == null ? "" : reason.length() <= 120 ? reason : reason.substring(0, 120);
    }

    @Override
    public String toString() {
        Principal user = principal;
        return "Connection[" + id + (user == null ? "" : ", user " + user.userId() + ", session " + sessionId) + "]";
    }
}
