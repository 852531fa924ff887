package dev.parley.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutboundTest {
    private final List<String> written = new ArrayList<>();
    private final List<Consumer<Throwable>> pending = new ArrayList<>();
    private final AtomicInteger overflows = new AtomicInteger();
    private final AtomicInteger droppedFrames = new AtomicInteger();
    private final List<Integer> closes = new ArrayList<>();

    /** A socket that completes each write only when the test says so. */
    private Outbound manual(int max) {
        return new Outbound(max, 1, Runnable::run, (frames, done) -> {
            written.add(frames.get(0).text());
            pending.add(done);
        }, dropped -> {
            overflows.incrementAndGet();
            droppedFrames.addAndGet(dropped);
        }, (code, reason) -> closes.add(code), failure -> closes.add(-1));
    }

    private void completeOne() {
        pending.remove(0).accept(null);
    }

    @Test
    void writesOneFrameAtATimeInOrder() {
        Outbound out = manual(10);
        out.enqueue("a");
        out.enqueue("b");
        out.enqueue("c");
        assertThat(written).containsExactly("a");
        completeOne();
        assertThat(written).containsExactly("a", "b");
        completeOne();
        completeOne();
        assertThat(written).containsExactly("a", "b", "c");
        assertThat(out.size()).isZero();
    }

    @Test
    void aFullQueueOverflowsOnceAndRefusesEverythingAfter() {
        Outbound out = manual(2);
        assertThat(out.enqueue("in flight")).isTrue();
        assertThat(out.enqueue("1")).isTrue();
        assertThat(out.enqueue("2")).isTrue();
        assertThat(out.enqueue("3")).isFalse();
        assertThat(out.enqueue("4")).isFalse();
        assertThat(overflows).hasValue(1);
        assertThat(droppedFrames).as("the two waiting frames and the one that did not fit").hasValue(3);
        completeOne();
        assertThat(written).containsExactly("in flight");
    }

    @Test
    void aQueuedCloseComesAfterTheFramesBeforeIt() {
        Outbound out = manual(10);
        out.enqueue("error reply");
        out.enqueueClose(4401, "bad token");
        out.enqueue("dropped");
        assertThat(closes).isEmpty();
        completeOne();
        assertThat(closes).containsExactly(4401);
        assertThat(written).containsExactly("error reply");
    }

    @Test
    void writesThatCompleteInlineDoNotRecurse() {
        List<String> sink = new ArrayList<>();
        Outbound out = new Outbound(64, 1, Runnable::run, (frames, done) -> {
            sink.add(frames.get(0).text());
            done.accept(null);
        }, dropped -> overflows.incrementAndGet(), (c, r) -> { }, f -> { });
        // Like resume: the reply is queued once every replayed frame is.
        out.enqueueAll(IntStream.range(0, 100_000).mapToObj(Integer::toString).iterator(), () -> out.enqueue("reply"));
        assertThat(sink).hasSize(100_001).endsWith("99999", "reply");
        assertThat(overflows).hasValue(0);
    }

    @Test
    void aLongReplayKeepsHalfTheQueueFreeAndFinishesAfterItsLastFrame() {
        Outbound out = manual(8);
        List<String> done = new ArrayList<>();
        out.enqueueAll(IntStream.range(0, 20).mapToObj(i -> "m" + i).iterator(), () -> {
            done.add("reply");
            out.enqueue("reply");
        });
        assertThat(out.size()).isLessThanOrEqualTo(4);
        for (int i = 0; i < 5; i++) {
            assertThat(out.enqueue("live" + i)).isTrue(); // room left for live traffic
        }
        while (!pending.isEmpty()) {
            completeOne();
        }
        assertThat(done).containsExactly("reply");
        assertThat(written).endsWith("m19", "reply");
        assertThat(overflows).hasValue(0);
        assertThat(written.stream().filter(w -> w.startsWith("m"))).hasSize(20);
        assertThat(written.stream().filter(w -> w.startsWith("m")).toList())
                .isEqualTo(IntStream.range(0, 20).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void aFailedWriteClosesTheQueue() {
        Outbound out = manual(10);
        out.enqueue("a");
        out.enqueue("b");
        pending.remove(0).accept(new java.io.IOException("broken pipe"));
        assertThat(closes).containsExactly(-1);
        assertThat(out.enqueue("c")).isFalse();
        assertThat(written).containsExactly("a");
    }

    @Test
    void framesOfferedWhileHeldWaitForReleaseAndKeepTheirOrder() {
        Outbound out = manual(10);
        out.hold();
        out.enqueue("hello reply");
        out.enqueue("event");
        assertThat(written).isEmpty();
        out.release();
        assertThat(written).containsExactly("hello reply");
        completeOne();
        assertThat(written).containsExactly("hello reply", "event");
    }

    @Test
    void aWriteInFlightWhenHeldCompletesButStartsNoOther() {
        Outbound out = manual(10);
        out.enqueue("ping");
        out.hold();
        out.enqueue("hello reply");
        completeOne();
        assertThat(written).containsExactly("ping");
        out.release();
        assertThat(written).containsExactly("ping", "hello reply");
    }

    @Test
    void framesThatWaitedGoOutTogetherUpToTheBatchSizeAndNotPastAClose() {
        List<List<String>> batches = new ArrayList<>();
        Outbound out = new Outbound(16, 3, Runnable::run, (frames, done) -> {
            batches.add(frames.stream().map(TextFrame::text).toList());
            pending.add(done);
        }, dropped -> overflows.incrementAndGet(), (code, reason) -> closes.add(code), failure -> closes.add(-1));
        out.enqueue("a"); // written at once, alone
        TextFrame shared = new TextFrame("shared");
        out.enqueue("b");
        out.enqueue(shared);
        out.enqueue("c");
        out.enqueue("d");
        out.enqueueClose(4000, "bye");
        out.enqueue("after close");
        assertThat(batches).containsExactly(List.of("a"));
        completeOne();
        assertThat(batches).containsExactly(List.of("a"), List.of("b", "shared", "c"));
        completeOne();
        assertThat(batches).containsExactly(List.of("a"), List.of("b", "shared", "c"), List.of("d"));
        assertThat(closes).isEmpty();
        completeOne();
        assertThat(closes).containsExactly(4000);
        assertThat(out.enqueue("later")).isFalse();
        assertThat(overflows).hasValue(0);
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Outbound(4, 0, Runnable::run, (f, d) -> { },
                dropped -> { }, (c, r) -> { }, f -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
