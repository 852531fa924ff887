package dev.parley.core;

import dev.parley.core.internal.UlidGenerator;
import java.time.Clock;

/**
 * Makes ids for users, conversations and messages. The default makes ULIDs: 26 characters,
 * Crockford Base32, lexicographic order equal to creation order (monotonic within a millisecond).
 */
@FunctionalInterface
public interface IdGenerator {

    String next();

    /** ULIDs timed by {@code clock}. */
    static IdGenerator ulid(Clock clock) {
        return new UlidGenerator(clock);
    }
}
