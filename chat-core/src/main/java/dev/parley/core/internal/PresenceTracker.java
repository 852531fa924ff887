package dev.parley.core.internal;

import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.PresenceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Online while any device of a user is connected on this node; offline is announced
 * {@code grace} after the last device left, unless one came back in between.
 *
 * <p>Announcements leave in the order the transitions happened, one at a time, outside the
 * tracker's lock: a connect racing the grace timer never reports "online" before the
 * "offline" it follows (a cluster broker would otherwise keep the wrong state).
 */
public final class PresenceTracker {
    private final ScheduledExecutorService timers;
    private final Duration grace;
    private final Clock clock;
    private final Consumer<PresenceEvent> announce;
    private final Map<String, State> states = new HashMap<>();
    /** Transitions not announced yet, in order; guarded by {@code this}. */
    private final ArrayDeque<PresenceEvent> outbox = new ArrayDeque<>();
    private final ReentrantLock announcing = new ReentrantLock();

    private static final class State {
        int devices;
        boolean announcedOnline;
        Instant lastSeenAt;
        ScheduledFuture<?> pendingOffline;
    }

    public PresenceTracker(ScheduledExecutorService timers, Duration grace, Clock clock,
                           Consumer<PresenceEvent> announce) {
        this.timers = timers;
        this.grace = grace;
        this.clock = clock;
        this.announce = announce;
    }

    public void connected(String userId) {
        synchronized (this) {
            State s = states.computeIfAbsent(userId, k -> new State());
            s.devices++;
            if (s.pendingOffline != null) {
                s.pendingOffline.cancel(false);
                s.pendingOffline = null;
            }
            if (!s.announcedOnline) {
                s.announcedOnline = true;
                outbox.add(new PresenceEvent(userId, PresenceStatus.ONLINE, null));
            }
        }
        flush();
    }

    public synchronized void disconnected(String userId) {
        State s = states.get(userId);
        if (s == null || s.devices == 0) {
            return;
        }
        s.devices--;
        s.lastSeenAt = now();
        if (s.devices == 0) {
            s.pendingOffline = timers.schedule(() -> goOffline(userId), grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The user's current status as an event; offline users carry their last-seen time if known. */
    public synchronized PresenceEvent current(String userId) {
        State s = states.get(userId);
        if (s != null && s.announcedOnline) {
            return new PresenceEvent(userId, PresenceStatus.ONLINE, null);
        }
        return new PresenceEvent(userId, PresenceStatus.OFFLINE, s == null ? null : s.lastSeenAt);
    }

    private void goOffline(String userId) {
        synchronized (this) {
            State s = states.get(userId);
            if (s == null || s.devices > 0 || !s.announcedOnline) {
                return;
            }
            s.announcedOnline = false;
            s.pendingOffline = null;
            outbox.add(new PresenceEvent(userId, PresenceStatus.OFFLINE, s.lastSeenAt));
        }
        flush();
    }

    /** Announces queued transitions in order; a thread finding another one at it leaves the work to it. */
    private void flush() {
        while (announcing.tryLock()) {
            try {
                PresenceEvent next;
                while ((next = poll()) != null) {
                    announce.accept(next);
                }
            } finally {
                announcing.unlock();
            }
            synchronized (this) {
                if (outbox.isEmpty()) {
                    return; // else one was queued while we released the lock and its thread gave up
                }
            }
        }
    }

    private synchronized PresenceEvent poll() {
        return outbox.poll();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
