package dev.parley.core.local;

import dev.parley.core.event.Delivery;
import dev.parley.core.spi.Broker;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default {@link Broker}: hands each delivery to the subscribers of this JVM
 * on the publishing thread, in publish order. Subscribers must not block (the server's
 * fan-out only enqueues). A subscriber that throws is logged and skipped.
 */
public final class InProcessBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(InProcessBroker.class);

    private final CopyOnWriteArrayList<Consumer<Delivery>> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public void publish(Delivery delivery) {
        if (closed) {
            return;
        }
        for (Consumer<Delivery> subscriber : subscribers) {
            try {
                subscriber.accept(delivery);
            } catch (RuntimeException e) {
                log.warn("broker subscriber {} failed on {}", subscriber, delivery.event().type(), e);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<Delivery> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    @Override
    public void close() {
        closed = true;
        subscribers.clear();
    }
}
