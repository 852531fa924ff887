package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromMinUpToMax() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), 0.0, () -> 0.5);
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(8)).isEqualTo(Duration.ofMillis(30_000));
        assertThat(b.delay(1_000)).isEqualTo(Duration.ofMillis(30_000));
    }

    @Test
    void fullJitterSpreadsOverZeroToTheCap() {
        assertThat(new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), 1.0, () -> 0.0).delay(3))
                .isEqualTo(Duration.ofMillis(1_000));
        assertThat(new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), 1.0, () -> 0.999_999).delay(3))
                .isEqualTo(Duration.ZERO);
        assertThat(new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), 0.5, () -> 1.0).delay(3))
                .isEqualTo(Duration.ofMillis(500));
    }
}
