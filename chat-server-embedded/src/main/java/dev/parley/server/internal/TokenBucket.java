package dev.parley.server.internal;

import dev.parley.server.ChatServerConfig.RateLimit;
import java.util.function.LongSupplier;

/**
 * A token bucket on an injected nanosecond clock. Thread-safe.
 */
public final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    public TokenBucket(RateLimit limit, LongSupplier nanoTime) {
        this.perNano = limit.perSecond() / 1_000_000_000d;
        this.capacity = limit.burst();
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    /**
     * Takes one token.
     *
     * @return 0 when a token was taken, otherwise the milliseconds until one is available (at least 1)
     */
    public synchronized long tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        double nanosToWait = (1 - tokens) / perNano;
        return Math.max(1, (long) Math.ceil(nanosToWait / 1_000_000d));
    }
}
