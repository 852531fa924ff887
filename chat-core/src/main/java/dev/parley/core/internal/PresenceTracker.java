package dev.parley.core.internal;

import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.PresenceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Online while any device of a user is connected on this node; offline is announced
 * {@code grace} after the last device left, unless one came back in between.
 */
public final class PresenceTracker {
    private final ScheduledExecutorService timers;
    private final Duration grace;
    private final Clock clock;
    private final Consumer<PresenceEvent> announce;
    private final Map<String, State> states = new HashMap<>();

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
        PresenceEvent event = null;
        synchronized (this) {
            State s = states.computeIfAbsent(userId, k -> new State());
            s.devices++;
            if (s.pendingOffline != null) {
                s.pendingOffline.cancel(false);
                s.pendingOffline = null;
            }
            if (!s.announcedOnline) {
                s.announcedOnline = true;
                event = new PresenceEvent(userId, PresenceStatus.ONLINE, null);
            }
        }
        if (event != null) {
            announce.accept(event);
        }
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
        PresenceEvent event;
        synchronized (this) {
            State s = states.get(userId);
            if (s == null || s.devices > 0 || !s.announcedOnline) {
                return;
            }
            s.announcedOnline = false;
            s.pendingOffline = null;
            event = new PresenceEvent(userId, PresenceStatus.OFFLINE, s.lastSeenAt);
        }
        announce.accept(event);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
