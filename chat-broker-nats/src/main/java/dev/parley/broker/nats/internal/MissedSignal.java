package dev.parley.broker.nats.internal;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "deliveries may have been missed" callbacks, coalesced: the first loss calls back at
 * once; losses within {@code minInterval} after a call are gathered into one trailing call
 * at the end of that interval. A storm of drops thus makes at most one call per interval.
 */
public final class MissedSignal {
    private static final Logger log = LoggerFactory.getLogger(MissedSignal.class);

    private final CopyOnWriteArrayList<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final Executor callbackExecutor;
    private final ScheduledExecutorService timers;
    private final long minIntervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong fired = new AtomicLong();
    private long lastFiredNanos;
    private boolean everFired;
    private boolean trailingScheduled;

    public MissedSignal(Executor callbackExecutor, ScheduledExecutorService timers, Duration minInterval,
                        LongSupplier nanoTime) {
        this.callbackExecutor = callbackExecutor;
        this.timers = timers;
        this.minIntervalNanos = minInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    public AutoCloseable add(Runnable callback) {
        callbacks.add(callback);
        return () -> callbacks.remove(callback);
    }

    /** How many times the callbacks were run. */
    public long fired() {
        return fired.get();
    }

    /** Deliveries may have been lost, for {@code reason} (logged). */
    public void signal(String reason) {
        long now = nanoTime.getAsLong();
        synchronized (this) {
            if (trailingScheduled) {
                return;
            }
            long since = now - lastFiredNanos;
            if (everFired && since < minIntervalNanos) {
                trailingScheduled = true;
                try {
                    timers.schedule(this::fireTrailing, minIntervalNanos - since, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    trailingScheduled = false;
                }
                return;
            }
            everFired = true;
            lastFiredNanos = now;
        }
        fire(reason);
    }

    private void fireTrailing() {
        synchronized (this) {
            trailingScheduled = false;
            everFired = true;
            lastFiredNanos = nanoTime.getAsLong();
        }
        fire("further losses");
    }

    private void fire(String reason) {
        fired.incrementAndGet();
        log.warn("deliveries may have been missed ({}); telling {} listener(s) so clients catch up from the store",
                reason, callbacks.size());
        for (Runnable callback : callbacks) {
            try {
                callbackExecutor.execute(() -> {
                    try {
                        callback.run();
                    } catch (RuntimeException e) {
                        log.warn("missed-deliveries callback {} failed", callback, e);
                    }
                });
            } catch (RejectedExecutionException e) {
                log.debug("broker closed; missed-deliveries callback not run");
            }
        }
    }
}
