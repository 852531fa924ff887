package dev.parley.server.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The programmatic jakarta.websocket endpoint, one instance per socket. Thin by design: it
 * hands the socket to a {@link Connection} of its {@link SocketHub}.
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
        connection = hub.open(session);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        Connection c = connection;
        if (c != null) {
            c.closedByContainer(closeReason);
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        // The container closes the socket after an error (e.g. 1009 for a frame too large) and calls onClose.
        log.debug("socket {} error", connection, failure);
    }
}
