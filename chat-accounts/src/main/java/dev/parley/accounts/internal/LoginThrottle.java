package dev.parley.accounts.internal;

import dev.parley.core.ChatException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force protection: after {@code freeFailures} failed logins for one key (an
 * account or a client address), each further attempt must wait a delay that doubles per
 * failure, up to {@code maxLockout}. A success clears the key. In memory, per node.
 */
public final class LoginThrottle {
    private record Failures(int count, long blockedUntilMillis) {
    }

    private final Clock clock;
    private final int freeFailures;
    private final Duration maxLockout;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, int freeFailures, Duration maxLockout) {
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.maxLockout = maxLockout;
    }

    /** @throws ChatException {@code rate_limited} with the remaining wait when the key is blocked */
    public void check(String key) {
        Failures f = failures.get(key);
        if (f != null) {
            long wait = f.blockedUntilMillis - clock.millis();
            if (wait > 0) {
                throw ChatException.rateLimited("too many failed logins; try again in " + ((wait + 999) / 1000) + " s", wait);
            }
        }
    }

    public void failed(String key) {
        failures.compute(key, (k, f) -> {
            int count = f == null ? 1 : f.count + 1;
            long blockedUntil = 0;
            if (count >= freeFailures) {
                int doublings = Math.min(count - freeFailures, 30);
                long delay = Math.min(1000L << doublings, maxLockout.toMillis());
                blockedUntil = clock.millis() + delay;
            }
            return new Failures(count, blockedUntil);
        });
    }

    public void succeeded(String key) {
        failures.remove(key);
    }
}
