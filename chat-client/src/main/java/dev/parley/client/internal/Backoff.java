package dev.parley.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt {@code n} (from 1) waits a random time in
 * {@code [d·(1−jitter), d]} where {@code d = min(max, min·2^(n−1))}. Jitter 1 is "full
 * jitter" (uniform in {@code [0, d]}), 0 is none.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final double jitter;
    private final DoubleSupplier random;

    public Backoff(Duration min, Duration max, double jitter, DoubleSupplier random) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.jitter = jitter;
        this.random = random;
    }

    /** The delay before reconnect attempt {@code attempt} (1 for the first retry). */
    public Duration delay(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long base = Math.min(maxMillis, minMillis << shift);
        if (base < 0) {
            base = maxMillis;
        }
        double factor = 1.0 - jitter * random.getAsDouble();
        return Duration.ofMillis(Math.round(base * factor));
    }
}
