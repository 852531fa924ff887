package dev.parley.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.PresenceStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceTrackerTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void anOfflineThatHappensWhileOnlineIsStillBeingAnnouncedIsAnnouncedAfterIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<PresenceStatus> announced = new CopyOnWriteArrayList<>();
        PresenceTracker tracker = new PresenceTracker(timers, Duration.ZERO, Clock.systemUTC(), (PresenceEvent e) -> {
            if (e.status() == PresenceStatus.ONLINE) {
                try {
                    release.await(10, TimeUnit.SECONDS); // a slow announcement (a cluster broker, a store read)
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            announced.add(e.status());
        });
        Thread connecting = new Thread(() -> tracker.connected("alice"));
        connecting.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> tracker.current("alice").status() == PresenceStatus.ONLINE);
        tracker.disconnected("alice"); // grace 0: the timer takes her offline while "online" is still on its way
        await().atMost(Duration.ofSeconds(10)).until(() -> tracker.current("alice").status() == PresenceStatus.OFFLINE);
        release.countDown();
        connecting.join(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> announced.size() == 2);
        assertThat(announced).containsExactly(PresenceStatus.ONLINE, PresenceStatus.OFFLINE);
    }
}
