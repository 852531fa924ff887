package dev.parley.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ChatServerConfig.RateLimit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10, 3), nanos::get);
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isEqualTo(100);
        nanos.addAndGet(40_000_000);
        assertThat(bucket.tryTake()).isEqualTo(60);
        nanos.addAndGet(60_000_000);
        assertThat(bucket.tryTake()).isZero();
        nanos.addAndGet(10_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake()).isZero();
        }
        assertThat(bucket.tryTake()).isPositive();
    }
}
