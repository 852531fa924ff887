package dev.parley.core.internal;

import dev.parley.core.event.ChatEvent.TypingEvent;
import dev.parley.core.event.TypingState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Who is typing where. A {@code start} is announced once and then only refreshes the expiry
 * timer (throttling repeats); when the timer fires, {@code onExpired} announces the stop.
 */
public final class TypingTracker {
    private final ScheduledExecutorService timers;
    private final Duration timeout;
    private final BiConsumer<String, String> onExpired;
    private final ConcurrentHashMap<String, ScheduledFuture<?>> active = new ConcurrentHashMap<>();

    public TypingTracker(ScheduledExecutorService timers, Duration timeout, BiConsumer<String, String> onExpired) {
        this.timers = timers;
        this.timeout = timeout;
        this.onExpired = onExpired;
    }

    /** Marks the user typing; returns the event to announce, or empty when already typing. */
    public Optional<TypingEvent> start(String conversationId, String userId) {
        String key = key(conversationId, userId);
        boolean[] fresh = {false};
        active.compute(key, (k, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            } else {
                fresh[0] = true;
            }
            return schedule(k, conversationId, userId);
        });
        return fresh[0] ? Optional.of(new TypingEvent(conversationId, userId, TypingState.START)) : Optional.empty();
    }

    /** Marks the user not typing; returns the stop event when they were typing. */
    public Optional<TypingEvent> clear(String conversationId, String userId) {
        ScheduledFuture<?> previous = active.remove(key(conversationId, userId));
        if (previous == null) {
            return Optional.empty();
        }
        previous.cancel(false);
        return Optional.of(new TypingEvent(conversationId, userId, TypingState.STOP));
    }

    private ScheduledFuture<?> schedule(String key, String conversationId, String userId) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable expire = () -> {
            if (active.remove(key, self[0])) {
                onExpired.accept(conversationId, userId);
            }
        };
        // The task reads self[0] only after compute() returned and stored it, since it runs later.
        self[0] = timers.schedule(() -> {
            synchronized (self) {
                expire.run();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return self[0];
    }

    private static String key(String conversationId, String userId) {
        return conversationId + '\u0000' + userId;
    }
}
