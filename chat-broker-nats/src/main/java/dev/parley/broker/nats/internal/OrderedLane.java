package dev.parley.broker.nats.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands items to one consumer, one at a time and in the order offered, on a shared pool.
 * The queue is bounded: {@link #offer} never blocks and answers {@code false} when the item
 * was dropped because the consumer is too slow. A consumer that throws is logged and the
 * lane goes on. The lane gives its thread back after a batch so that one busy lane cannot
 * hold a pool thread forever.
 *
 * @param <T> the item type
 */
public final class OrderedLane<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrderedLane.class);
    private static final int BATCH = 256;

    private final String name;
    private final Consumer<? super T> consumer;
    private final Executor pool;
    private final int capacity;
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private boolean scheduled;
    private volatile boolean closed;

    /** @param capacity most items waiting; {@link Integer#MAX_VALUE} for unbounded */
    public OrderedLane(String name, Consumer<? super T> consumer, Executor pool, int capacity) {
        this.name = name;
        this.consumer = consumer;
        this.pool = pool;
        this.capacity = capacity;
    }

    /**
     * Queues an item.
     *
     * @return {@code false} when the queue was full (the item is dropped); {@code true} when it
     *         was queued, or the lane is closed and the item silently discarded
     */
    public boolean offer(T item) {
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (queue.size() >= capacity) {
                return false;
            }
            queue.add(item);
            if (scheduled) {
                return true;
            }
            scheduled = true;
        }
        schedule();
        return true;
    }

    /** Items waiting. */
    public synchronized int backlog() {
        return queue.size();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false;
                queue.clear();
            }
            log.debug("{}: pool shut down; queued items discarded", name);
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            T item;
            synchronized (this) {
                item = closed ? null : queue.poll();
                if (item == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                consumer.accept(item);
            } catch (RuntimeException e) {
                log.warn("{}: consumer {} failed; item skipped", name, consumer, e);
            }
        }
        schedule();
    }

    /** Stops the lane: no item starts after this returns (one already running may finish). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }
}
