package dev.parley.web3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.tck.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryNonceStoreTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryNonceStore store = new InMemoryNonceStore(Duration.ofMinutes(5), 3, clock, new SecureRandom());

    @Test
    void noncesAreEip4361FormAndDistinct() {
        InMemoryNonceStore big = new InMemoryNonceStore(Duration.ofMinutes(5), 10_000, clock, new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String n = big.issue();
            // 17 of 62 symbols: log2(62^17) ≈ 101 bits ≥ 96
            assertThat(n).matches("[A-Za-z0-9]{17}");
            assertThat(seen.add(n)).isTrue();
        }
        assertThat(17 * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(96);
    }

    @Test
    void aNonceWorksOnce() {
        String n = store.issue();
        assertThat(store.consume(n)).isTrue();
        assertThat(store.consume(n)).isFalse();
        assertThat(store.consume("neverIssued123")).isFalse();
        assertThat(store.consume(null)).isFalse();
    }

    @Test
    void aNonceExpires() {
        String n = store.issue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(store.consume(n)).isFalse();
    }

    @Test
    void theStoreIsBoundedAndRefusesRatherThanEvicts() {
        String first = store.issue();
        store.issue();
        clock.advance(Duration.ofMinutes(1));
        store.issue();

        assertThatThrownBy(store::issue).isInstanceOfSatisfying(ChatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.retryAfterMs()).isEqualTo(Duration.ofMinutes(4).toMillis());
        });
        assertThat(store.consume(first)).isTrue();

        store.issue();
        clock.advance(Duration.ofMinutes(5));
        store.issue();
        assertThat(store.size()).isLessThanOrEqualTo(3);
    }
}
