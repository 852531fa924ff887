package dev.parley.server.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.eclipse.jetty.websocket.core.exception.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket on Jetty's core WebSocket API, the transport of the embedded {@link
 * dev.parley.server.ChatServer}: a {@link FrameHandler} that assembles text messages for its
 * {@link Connection} and a {@link SocketLink} that writes the connection's frames. Compared with
 * the Jakarta endpoint it keeps no per-socket encoders, decoders or handler bindings, hands a
 * broadcast's UTF-8 bytes to every recipient without encoding them again, and gathers the frames
 * waiting for a socket into one write. Frames arrive one at a time (each after
 * {@link CoreSession#demand()}), so the message assembly needs no lock.
 */
public final class CoreSocket implements FrameHandler, SocketLink {
    private static final Logger log = LoggerFactory.getLogger(CoreSocket.class);
    /** Frames gathered into one socket write at most; a socket that fell this far behind is probably lost anyway. */
    private static final int MAX_BATCH = 64;

    private final SocketHub hub;
    private volatile CoreSession session;
    private volatile Connection connection;
    private int maxMessageBytes = Integer.MAX_VALUE;
    // the message being assembled from fragments (read thread only)
    private byte messageType = OpCode.UNDEFINED;
    private long messageBytes;
    private Utf8StringBuilder text;

    public CoreSocket(SocketHub hub) {
        this.hub = hub;
    }

    // ------------------------------------------------------------------ FrameHandler (Jetty's threads)

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        try {
            this.connection = hub.open(this);
        } catch (RuntimeException e) {
            log.warn("opening a socket failed", e);
            callback.failed(e); // Jetty closes it with 1011
            return;
        }
        callback.succeeded();
        coreSession.demand(); // also for a refused socket: its close handshake is read like any frame
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opCode = frame.getOpCode();
        try {
            switch (opCode) {
                case OpCode.TEXT, OpCode.BINARY -> {
                    messageType = opCode;
                    messageBytes = 0;
                    text = opCode == OpCode.TEXT ? new Utf8StringBuilder(frame.getPayloadLength()) : null;
                    append(frame);
                }
                case OpCode.CONTINUATION -> {
                    if (messageType == OpCode.UNDEFINED) {
                        throw new ProtocolException("continuation frame without a message to continue");
                    }
                    append(frame);
                }
                default -> {
                    // PING is answered by Jetty once the callback completes; PONG and CLOSE need nothing here
                }
            }
        } catch (RuntimeException e) {
            callback.failed(e); // Jetty closes the socket with the exception's code (1007, 1009, 1002)
            return;
        }
        callback.succeeded();
        if (opCode != OpCode.CLOSE) {
            session.demand();
        }
    }

    private void append(Frame frame) {
        messageBytes += frame.getPayloadLength();
        if (messageBytes > maxMessageBytes) {
            throw new MessageTooLargeException("message of more than " + maxMessageBytes + " bytes");
        }
        if (text != null && frame.hasPayload()) {
            text.append(frame.getPayload());
        }
        if (!frame.isFin()) {
            return;
        }
        byte type = messageType;
        Utf8StringBuilder assembled = text;
        messageType = OpCode.UNDEFINED;
        text = null;
        Connection c = connection;
        if (c == null) {
            return; // refused at open; closing
        }
        if (type == OpCode.TEXT) {
            c.onText(assembled.takeCompleteString(() -> new BadPayloadException("text message is not valid UTF-8")));
        } else {
            c.onBinary();
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        // Jetty closes the socket after an error (e.g. 1009 for a frame too large) and calls onClosed.
        log.debug("socket {} error", connection, cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        Connection c = connection;
        if (c != null) {
            c.closedByContainer(closeStatus.getCode(), closeStatus.getReason());
        }
        callback.succeeded();
    }

    // ------------------------------------------------------------------ SocketLink (any thread)

    @Override
    public String subprotocol() {
        return session.getNegotiatedSubProtocol();
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public void write(List<TextFrame> frames, Consumer<Throwable> done) {
        CoreSession s = session;
        int last = frames.size() - 1;
        for (int i = 0; i < last; i++) {
            // batched: copied into Jetty's aggregation buffer and written with the last one
            s.sendFrame(textFrame(frames.get(i)), Callback.NOOP, true);
        }
        s.sendFrame(textFrame(frames.get(last)), Callback.from(() -> done.accept(null), done::accept), false);
    }

    private static Frame textFrame(TextFrame frame) {
        return new Frame(OpCode.TEXT, true, ByteBuffer.wrap(frame.utf8()));
    }

    @Override
    public void ping() {
        session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public void configure(int maxMessageBytes, Duration idleTimeout) {
        this.maxMessageBytes = maxMessageBytes;
        CoreSession s = session;
        s.setMaxFrameSize(maxMessageBytes);
        s.setMaxTextMessageSize(maxMessageBytes);
        s.setMaxBinaryMessageSize(maxMessageBytes);
        s.setIdleTimeout(idleTimeout);
    }
}
