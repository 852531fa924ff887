package dev.parley.core.spi;

import dev.parley.core.event.Delivery;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Publish/subscribe of engine events between the nodes of a deployment. The embedded
 * default delivers in-process; a clustered broker (NATS) carries deliveries to every node,
 * and each node hands them to its own sockets.
 *
 * <p>Fan-out may be at-most-once: the store is the ordered log, and every pushed message
 * carries its seq so that a gap is repaired by reading the store.
 *
 * <p>The {@code default} methods are optional hooks of a clustered broker; their defaults are
 * right for a single-node broker such as the in-process one.
 */
public interface Broker extends AutoCloseable {

    /** Sends a delivery to every subscriber of every node. Never blocks on a slow subscriber. */
    void publish(Delivery delivery);

    /**
     * Registers a subscriber for all deliveries published after this call. Deliveries of one
     * conversation reach a subscriber in publish order.
     *
     * @return a handle whose {@code close()} stops the subscription
     */
    AutoCloseable subscribe(Consumer<Delivery> subscriber);

    /**
     * Hands a delivery to the subscribers of this node only. The engine uses it for events
     * that every node derives by itself, such as the cluster-level presence transitions of
     * {@link ClusterPresence}. A broker that offers {@link #clusterPresence()} must override it.
     *
     * @since 0.1.0
     */
    default void publishLocal(Delivery delivery) {
        publish(delivery);
    }

    /**
     * Presence shared between the nodes, when this broker offers it; empty (the default) makes
     * the engine track presence on its own node only.
     *
     * @since 0.1.0
     */
    default Optional<ClusterPresence> clusterPresence() {
        return Optional.empty();
    }

    /**
     * Registers a callback run when deliveries may have been lost on their way to this node's
     * subscribers: the broker's connection dropped and came back, a subscriber's queue
     * overflowed, or a gap in a publisher's stream was seen. Clients then have to catch up from
     * the store (resume). Calls are coalesced and made on a broker thread; a callback that
     * throws is logged. The default never calls back: an in-process broker loses nothing.
     *
     * @return a handle whose {@code close()} removes the callback
     * @since 0.1.0
     */
    default AutoCloseable onDeliveriesMissed(Runnable callback) {
        return () -> {
        };
    }

    @Override
    void close();
}
