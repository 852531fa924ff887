package dev.parley.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock a test moves by hand, for time windows (edit windows, expiry, session and cache
 * TTLs) without sleeping. Safe to read from other threads; only the test moves it.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
 * ChatEngine engine = ChatEngine.builder().store(store).clock(clock).build();
 * clock.advance(Duration.ofHours(49));   // past the edit window
 * }</pre>
 *
 * <p>Times are instants: the zone is UTC and {@link #withZone} returns this clock.
 *
 * @since 0.1.0
 */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /** A clock standing at {@code start}. */
    public MutableClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // times are instants; the zone plays no part
    }

    @Override
    public Instant instant() {
        return now;
    }
}
