package dev.parley.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop schedule every load benchmark publishes on: send number {@code i} is due at
 * {@code start + i × interval}, whatever the replies do (no coordinated omission). Each send is
 * made once its time has come and told how late it is, so a late generator shows as such.
 */
final class OpenLoop {
    /** Makes send {@code i}, due at {@code scheduled}, made {@code lateNanos} after that. */
    @FunctionalInterface
    interface Send {
        void send(long i, long scheduled, long lateNanos);
    }

    private OpenLoop() {
    }

    /**
     * Runs the schedule from {@code start} until (excluding) {@code until} on this thread.
     *
     * @return how many sends were made
     */
    static long run(long start, long until, long interval, Send send) {
        for (long i = 0; ; i++) {
            long scheduled = start + i * interval;
            if (scheduled >= until) {
                return i;
            }
            long now = parkUntil(scheduled);
            send.send(i, scheduled, now - scheduled);
        }
    }

    /** Parks until {@code System.nanoTime()} reaches {@code deadline}; returns the time then. */
    static long parkUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            LockSupport.parkNanos(deadline - now);
        }
        return now;
    }
}
