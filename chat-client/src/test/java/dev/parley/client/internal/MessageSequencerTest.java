package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MessageSequencerTest {
    private static final String C = "c1";
    private final MessageSequencer sequencer = new MessageSequencer(100);

    private static Message m(long seq) {
        return new Message("m" + seq, C, seq, "alice", "k" + seq, new MessageBody("text " + seq), null,
                Instant.EPOCH, null, false);
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    private static List<Message> range(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(MessageSequencerTest::m).toList();
    }

    @Test
    void firstMessageOfAnUntrackedConversationIsDeliveredAndStartsTracking() {
        assertThat(seqs(sequencer.offer(m(7)))).containsExactly(7L);
        assertThat(sequencer.lastSeq(C)).hasValue(7);
    }

    @Test
    void duplicatesAreDropped() {
        sequencer.offer(m(1));
        sequencer.offer(m(2));
        assertThat(sequencer.offer(m(2))).isEmpty();
        assertThat(sequencer.offer(m(1))).isEmpty();
        assertThat(sequencer.lastSeq(C)).hasValue(2);
    }

    @Test
    void messageAboveAGapWaitsUntilTheGapCloses() {
        sequencer.track(C, 0);
        assertThat(sequencer.offer(m(1))).hasSize(1);
        assertThat(sequencer.offer(m(3))).isEmpty();
        assertThat(sequencer.offer(m(4))).isEmpty();
        assertThat(sequencer.hasGap(C)).isTrue();
        assertThat(seqs(sequencer.offer(m(2)))).containsExactly(2L, 3L, 4L);
        assertThat(sequencer.hasGap(C)).isFalse();
        assertThat(sequencer.lastSeq(C)).hasValue(4);
    }

    @Test
    void historyPageClosesTheGapAndBufferedMessagesAreNotRepeated() {
        sequencer.track(C, 0);
        sequencer.offer(m(1));
        sequencer.offer(m(5));
        long mark = sequencer.arrivalMark(C);
        List<Message> out = sequencer.acceptPage(C, 1, mark, range(2, 6), false);
        assertThat(seqs(out)).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(sequencer.hasGap(C)).isFalse();
    }

    @Test
    void seqsMissingInsideAPageNoLongerExistAndAreSkipped() {
        sequencer.track(C, 0);
        List<Message> page = List.of(m(1), m(2), m(5));
        assertThat(seqs(sequencer.acceptPage(C, 0, 0, page, true))).containsExactly(1L, 2L, 5L);
        assertThat(sequencer.lastSeq(C)).hasValue(5);
    }

    @Test
    void lastPageReleasesBufferedMessagesHistoryNoLongerHas() {
        sequencer.track(C, 0);
        sequencer.offer(m(3)); // arrived before the request; history no longer has 1..3
        long mark = sequencer.arrivalMark(C);
        assertThat(seqs(sequencer.acceptPage(C, 0, mark, List.of(), false))).containsExactly(3L);
        assertThat(sequencer.hasGap(C)).isFalse();
    }

    @Test
    void lastPageKeepsWaitingForMessagesThatArrivedAfterTheRequest() {
        sequencer.track(C, 0);
        long mark = sequencer.arrivalMark(C);
        sequencer.offer(m(3)); // committed after the page was read: 1 and 2 may still come
        assertThat(sequencer.acceptPage(C, 0, mark, List.of(), false)).isEmpty();
        assertThat(sequencer.hasGap(C)).isTrue();
        assertThat(seqs(sequencer.acceptPage(C, 0, sequencer.arrivalMark(C), range(1, 3), false)))
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void fullBufferDropsAndCountsSoThatHistoryRereadsThem() {
        MessageSequencer small = new MessageSequencer(2);
        small.track(C, 0);
        small.offer(m(2));
        small.offer(m(3));
        assertThat(small.offer(m(4))).isEmpty();
        assertThat(small.dropped(C)).isEqualTo(1);
        assertThat(seqs(small.acceptPage(C, 0, small.arrivalMark(C), range(1, 4), false)))
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void trackMovesForwardOnlyAndReleasesWhatBecameContiguous() {
        sequencer.track(C, 0);
        sequencer.offer(m(4));
        assertThat(seqs(sequencer.track(C, 3))).containsExactly(4L);
        assertThat(sequencer.track(C, 1)).isEmpty();
        assertThat(sequencer.lastSeq(C)).hasValue(4);
    }

    @Test
    void anyInterleavingOfPushesAndPagesDeliversEachMessageOnceInOrder() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 200; round++) {
            MessageSequencer s = new MessageSequencer(20);
            s.track(C, 0);
            List<Message> delivered = new ArrayList<>();
            int total = 60;
            for (int seq = 1; seq <= total; seq++) {
                if (random.nextInt(4) != 0) { // a quarter of the pushes are lost
                    delivered.addAll(s.offer(m(seq)));
                }
                if (random.nextInt(10) == 0) {
                    delivered.addAll(s.offer(m(Math.max(1, seq - random.nextInt(5))))); // a late duplicate
                }
                if (random.nextInt(8) == 0) {
                    long after = s.lastSeq(C).orElseThrow();
                    long mark = s.arrivalMark(C);
                    int top = (int) Math.min(seq, after + 1 + random.nextInt(10));
                    delivered.addAll(s.acceptPage(C, after, mark, range(after + 1, top), top < seq));
                }
            }
            while (s.lastSeq(C).orElseThrow() < total) {
                long after = s.lastSeq(C).orElseThrow();
                long top = Math.min(total, after + 10);
                delivered.addAll(s.acceptPage(C, after, s.arrivalMark(C), range(after + 1, top), top < total));
            }
            assertThat(seqs(delivered)).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        }
    }

    // ------------------------------------------------------------------ updates of existing messages

    @Test
    void anUpdateOfADeliveredMessageIsToldAndMovesNoPosition() {
        sequencer.offer(m(1));
        sequencer.offer(m(2));

        assertThat(sequencer.update(C, 1, old -> old.tombstone())).isEqualTo(MessageSequencer.UpdateFate.DELIVER);
        assertThat(sequencer.lastSeq(C)).hasValue(2);
        assertThat(seqs(sequencer.offer(m(3)))).containsExactly(3L);
    }

    @Test
    void anUpdateOfAMessageHeldAboveAGapChangesTheHeldCopy() {
        sequencer.track(C, 0);
        sequencer.offer(m(1));
        sequencer.offer(m(3));

        assertThat(sequencer.update(C, 3, old -> old.edited(new MessageBody("edited"), Instant.EPOCH)))
                .isEqualTo(MessageSequencer.UpdateFate.APPLIED_TO_BUFFERED);

        List<Message> delivered = sequencer.offer(m(2));
        assertThat(seqs(delivered)).containsExactly(2L, 3L);
        assertThat(delivered.get(1).body().text()).isEqualTo("edited");
    }

    @Test
    void anUpdateOfAMessageNotReceivedYetIsDroppedAndDoesNotCountAsReceived() {
        sequencer.track(C, 1);

        assertThat(sequencer.update(C, 3, old -> old.tombstone()))
                .isEqualTo(MessageSequencer.UpdateFate.NOT_YET_RECEIVED);
        assertThat(sequencer.lastSeq(C)).hasValue(1);
        assertThat(sequencer.hasGap(C)).isFalse();
        assertThat(seqs(sequencer.offer(m(2)))).containsExactly(2L);
    }

    @Test
    void anUpdateInAnUntrackedConversationIsToldAndStartsNoTracking() {
        assertThat(sequencer.update(C, 5, old -> old)).isEqualTo(MessageSequencer.UpdateFate.DELIVER);
        assertThat(sequencer.isTracked(C)).isFalse();
    }
}
