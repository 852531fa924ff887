package dev.parley.client.internal;

import dev.parley.core.Message;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Decides which received messages go to listeners, so that each conversation's messages are
 * delivered exactly once and in seq order, whatever path they came by (push, reply to an own
 * send, resume replay, history page).
 *
 * <p>Per conversation it keeps {@code lastSeq}, the highest seq delivered with no gap below
 * it, and a buffer of messages that arrived above a gap. A message at or below
 * {@code lastSeq} is a duplicate; {@code lastSeq + 1} is delivered at once (with whatever
 * the buffer then makes contiguous); anything higher waits in the buffer until a history
 * page fills the gap ({@link #acceptPage}).
 *
 * <p>A conversation is tracked from the first message seen in it ({@code lastSeq = seq − 1}),
 * from {@link #track} (state restored by the application), or from a conversation known to
 * be empty. Mutators are called from one thread (the client's loop); {@link #lastSeq} may be
 * read from any thread.
 *
 * <p>Edits, deletions, hides and reactions change a message that already has its seq: they
 * go through {@link #update}, never through {@link #offer}, and never move {@code lastSeq}.
 */
public final class MessageSequencer {
    private final int maxBuffered;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

    /** @param maxBuffered most messages buffered above a gap per conversation; more are dropped and re-read from history */
    public MessageSequencer(int maxBuffered) {
        if (maxBuffered < 1) {
            throw new IllegalArgumentException("maxBuffered must be positive");
        }
        this.maxBuffered = maxBuffered;
    }

    private static final class Lane {
        volatile long lastSeq;
        final TreeMap<Long, Buffered> pending = new TreeMap<>();
        long arrivals;
        long dropped;
        boolean filling;

        Lane(long lastSeq) {
            this.lastSeq = lastSeq;
        }
    }

    private record Buffered(Message message, long arrival) {
    }

    /** The highest seq delivered without a gap, if the conversation is tracked. */
    public OptionalLong lastSeq(String conversationId) {
        Lane lane = lanes.get(conversationId);
        return lane == null ? OptionalLong.empty() : OptionalLong.of(lane.lastSeq);
    }

    public boolean isTracked(String conversationId) {
        return lanes.containsKey(conversationId);
    }

    /**
     * Starts tracking a conversation at {@code seq}, or moves an existing position forward
     * (never back). Buffered messages made contiguous are returned for delivery.
     */
    public List<Message> track(String conversationId, long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0");
        }
        Lane lane = lanes.get(conversationId);
        if (lane == null) {
            lanes.put(conversationId, new Lane(seq));
            return List.of();
        }
        List<Message> out = new ArrayList<>();
        if (seq > lane.lastSeq) {
            lane.pending.headMap(seq, true).clear();
            lane.lastSeq = seq;
            drain(lane, out);
        }
        return out;
    }

    /** Stops tracking (e.g. the user left the conversation). */
    public void forget(String conversationId) {
        lanes.remove(conversationId);
    }

    /** Snapshot of every tracked conversation's position, for {@code resume}. */
    public Map<String, Long> positions() {
        Map<String, Long> out = new LinkedHashMap<>();
        lanes.forEach((id, lane) -> out.put(id, lane.lastSeq));
        return out;
    }

    /**
     * Accepts a message from any path.
     *
     * @return the messages to deliver now, in order (empty for a duplicate or a buffered one)
     */
    public List<Message> offer(Message m) {
        Lane lane = lanes.computeIfAbsent(m.conversationId(), id -> new Lane(m.seq() - 1));
        List<Message> out = new ArrayList<>();
        accept(lane, m, out);
        return out;
    }

    private void accept(Lane lane, Message m, List<Message> out) {
        long seq = m.seq();
        if (seq <= lane.lastSeq || lane.pending.containsKey(seq)) {
            return;
        }
        if (seq == lane.lastSeq + 1) {
            out.add(m);
            lane.lastSeq = seq;
            drain(lane, out);
        } else if (lane.pending.size() < maxBuffered) {
            lane.pending.put(seq, new Buffered(m, lane.arrivals++));
        } else {
            lane.dropped++;
        }
    }

    private static void drain(Lane lane, List<Message> out) {
        Map.Entry<Long, Buffered> first;
        while ((first = lane.pending.firstEntry()) != null && first.getKey() <= lane.lastSeq + 1) {
            lane.pending.pollFirstEntry();
            if (first.getKey() == lane.lastSeq + 1) {
                out.add(first.getValue().message());
                lane.lastSeq = first.getKey();
            }
        }
    }

    /** Where an update of an existing message goes; see {@link #update}. */
    public enum UpdateFate {
        /** The message was delivered already (or its conversation is not tracked): tell the application now. */
        DELIVER,
        /** The message waits above a gap: its buffered copy was changed and is delivered in its new state. */
        APPLIED_TO_BUFFERED,
        /**
         * The message was not received yet: the update is dropped, and the application gets the
         * message in its current state when the gap below it is filled from history.
         */
        NOT_YET_RECEIVED
    }

    /**
     * Routes an update (edit, delete, hide, reaction) of the message at {@code seq}. It takes
     * no seq of its own: positions do not move.
     *
     * @param change applied to the buffered copy when the message waits above a gap
     */
    public UpdateFate update(String conversationId, long seq, UnaryOperator<Message> change) {
        Lane lane = lanes.get(conversationId);
        if (lane == null || seq <= lane.lastSeq) {
            return UpdateFate.DELIVER;
        }
        Buffered buffered = lane.pending.get(seq);
        if (buffered == null) {
            return UpdateFate.NOT_YET_RECEIVED;
        }
        lane.pending.put(seq, new Buffered(change.apply(buffered.message()), buffered.arrival()));
        return UpdateFate.APPLIED_TO_BUFFERED;
    }

    /** Whether messages wait above a gap. */
    public boolean hasGap(String conversationId) {
        Lane lane = lanes.get(conversationId);
        return lane != null && !lane.pending.isEmpty();
    }

    /** Tracked conversations with messages waiting above a gap. */
    public List<String> conversationsWithGap() {
        List<String> out = new ArrayList<>();
        lanes.forEach((id, lane) -> {
            if (!lane.pending.isEmpty()) {
                out.add(id);
            }
        });
        return out;
    }

    /**
     * A mark to take just before requesting a history page; pass it to {@link #acceptPage}.
     * It tells which buffered messages the page must already account for.
     */
    public long arrivalMark(String conversationId) {
        Lane lane = lanes.get(conversationId);
        return lane == null ? 0 : lane.arrivals;
    }

    /** How many messages were dropped because the buffer was full (a page must re-read them). */
    public long dropped(String conversationId) {
        Lane lane = lanes.get(conversationId);
        return lane == null ? 0 : lane.dropped;
    }

    /**
     * Accepts a history page requested with {@code afterSeq} when the buffer's arrival mark
     * was {@code mark}. The page holds every stored message in {@code (afterSeq, top]} (top =
     * its last seq), so seqs missing in that range no longer exist (expired or hidden) and
     * are skipped. With {@code hasMore == false} it also covers every message committed
     * before the request, so buffered messages that had arrived before the request and are
     * still not contiguous are released too.
     *
     * @return the messages to deliver now, in order
     */
    public List<Message> acceptPage(String conversationId, long afterSeq, long mark, List<Message> page,
                                    boolean hasMore) {
        Lane lane = lanes.get(conversationId);
        if (lane == null) {
            lane = new Lane(afterSeq);
            lanes.put(conversationId, lane);
        }
        List<Message> out = new ArrayList<>();
        for (Message m : page) {
            if (m.seq() > lane.lastSeq && !lane.pending.containsKey(m.seq())) {
                lane.pending.put(m.seq(), new Buffered(m, lane.arrivals++));
            }
        }
        long covered = page.isEmpty() ? lane.lastSeq : Math.max(afterSeq, page.get(page.size() - 1).seq());
        if (!hasMore) {
            for (Map.Entry<Long, Buffered> e : lane.pending.entrySet()) {
                if (e.getValue().arrival() < mark) {
                    covered = Math.max(covered, e.getKey());
                }
            }
        }
        release(lane, covered, out);
        drain(lane, out);
        return out;
    }

    /** Delivers everything buffered up to {@code covered}, in order, skipping seqs that do not exist. */
    private static void release(Lane lane, long covered, List<Message> out) {
        Iterator<Map.Entry<Long, Buffered>> it = lane.pending.headMap(covered, true).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Buffered> e = it.next();
            it.remove();
            if (e.getKey() > lane.lastSeq) {
                out.add(e.getValue().message());
                lane.lastSeq = e.getKey();
            }
        }
        if (covered > lane.lastSeq) {
            lane.lastSeq = covered;
        }
    }

    /** Marks a history fill as running (returns false if one already runs or the conversation is not tracked). */
    public boolean startFill(String conversationId) {
        Lane lane = lanes.get(conversationId);
        if (lane == null || lane.filling) {
            return false;
        }
        lane.filling = true;
        return true;
    }

    public void endFill(String conversationId) {
        Lane lane = lanes.get(conversationId);
        if (lane != null) {
            lane.filling = false;
        }
    }

    /** The connection was lost: every running fill stopped with it. */
    public void endAllFills() {
        lanes.values().forEach(lane -> lane.filling = false);
    }
}
