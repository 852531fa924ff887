package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    @Test
    void idsSortByCreationEvenWithinOneMillisecond() {
        IdGenerator ids = IdGenerator.ulid(Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next());
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
        assertThat(made).allSatisfy(id -> assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}"));
    }

    @Test
    void laterMillisecondsSortAfterEarlierOnes() {
        MutableClock clock = new MutableClock();
        IdGenerator ids = IdGenerator.ulid(clock);
        String early = ids.next();
        clock.millis += 1;
        String late = ids.next();
        assertThat(late).isGreaterThan(early);
        assertThat(late.substring(0, 10)).isGreaterThan(early.substring(0, 10));
        assertThat(new HashSet<>(List.of(early, late))).hasSize(2);
    }

    private static final class MutableClock extends Clock {
        long millis = 1_700_000_000_000L;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
