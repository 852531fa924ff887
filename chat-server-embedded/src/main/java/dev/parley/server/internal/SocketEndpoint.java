package dev.parley.server.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portable jakarta.websocket endpoint, one instance per socket, for any Jakarta WebSocket
 * container (a host application's Tomcat or Jetty). Thin by design: it hands the socket to a
 * {@link Connection} of its {@link SocketHub} as a {@link SocketLink}. The API allows one
 * asynchronous send in flight, so frames are written one at a time.
 */
public final class SocketEndpoint extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(SocketEndpoint.class);

    private final SocketHub hub;
    private volatile Connection connection;

    SocketEndpoint(SocketHub hub) {
        this.hub = hub;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        Connection c = hub.open(new Link(session));
        if (c == null) {
            return;
        }
        connection = c;
        session.addMessageHandler(String.class, new MessageHandler.Whole<String>() {
            @Override
            public void onMessage(String text) {
                c.onText(text);
            }
        });
        session.addMessageHandler(ByteBuffer.class, new MessageHandler.Whole<ByteBuffer>() {
            @Override
            public void onMessage(ByteBuffer data) {
                c.onBinary();
            }
        });
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        Connection c = connection;
        if (c != null) {
            c.closedByContainer(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        // The container closes the socket after an error (e.g. 1009 for a frame too large) and calls onClose.
        log.debug("socket {} error", connection, failure);
    }

    private record Link(Session session) implements SocketLink {
        @Override
        public String subprotocol() {
            return session.getNegotiatedSubprotocol();
        }

        @Override
        public int maxBatch() {
            return 1;
        }

        @Override
        public void write(List<TextFrame> frames, Consumer<Throwable> done) {
            session.getAsyncRemote().sendText(frames.get(0).text(),
                    result -> done.accept(result.isOK() ? null : result.getException()));
        }

        @Override
        public void ping() {
            try {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                log.debug("WebSocket ping failed", e);
            }
        }

        @Override
        public void close(int code, String reason) {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            } catch (IOException | RuntimeException e) {
                log.debug("closing a socket failed", e);
            }
        }

        @Override
        public void configure(int maxMessageBytes, Duration idleTimeout) {
            session.setMaxTextMessageBufferSize(maxMessageBytes);
            session.setMaxBinaryMessageBufferSize(maxMessageBytes);
            session.setMaxIdleTimeout(idleTimeout.toMillis());
        }
    }
}
