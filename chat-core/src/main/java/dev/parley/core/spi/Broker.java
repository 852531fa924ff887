package dev.parley.core.spi;

import dev.parley.core.event.Delivery;
import java.util.function.Consumer;

/**
 * Publish/subscribe of engine events between the nodes of a deployment. The embedded
 * default delivers in-process; a clustered broker (NATS) carries deliveries to every node,
 * and each node hands them to its own sockets.
 *
 * <p>Fan-out may be at-most-once: the store is the ordered log, and every pushed message
 * carries its seq so that a gap is repaired by reading the store.
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

    @Override
    void close();
}
