package dev.parley.server.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a {@link Connection} needs from its socket, whichever WebSocket API carries it: the
 * portable Jakarta endpoint ({@link SocketEndpoint}, any container) or Jetty's core API
 * ({@link CoreSocket}, the embedded server). Implementations are thin adapters.
 */
interface SocketLink {

    /** The subprotocol the handshake agreed on, or {@code null}/empty for none. */
    String subprotocol();

    /**
     * Most frames {@link #write} accepts at once: 1 where the API allows only one asynchronous
     * send in flight (Jakarta), more where frames can be gathered into one socket write.
     */
    int maxBatch();

    /** Writes {@code frames} (at most {@link #maxBatch()}) in order; {@code done} runs once, after the last ({@code null} on success). */
    void write(List<TextFrame> frames, Consumer<Throwable> done);

    /** Sends a WebSocket ping; failures are ignored (the heartbeat notices a dead peer). */
    void ping();

    /** Starts the close handshake with {@code code}; may block in some containers, so call it off I/O threads. */
    void close(int code, String reason);

    /** Limits a socket before it is used: largest incoming message, idle timeout backstop. */
    void configure(int maxMessageBytes, Duration idleTimeout);
}
