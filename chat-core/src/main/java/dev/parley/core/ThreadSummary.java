package dev.parley.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a thread root carries about its replies. Every reply counts, including replies that
 * were later deleted or expired (their tombstones stay in the thread, as in the conversation).
 *
 * @param replyCount   number of replies, at least 1
 * @param lastReplySeq conversation seq of the newest reply
 * @param lastReplyAt  time of the newest reply
 * @param participants ids of the users who replied, in the order of their first reply, at most
 *                     {@link #MAX_PARTICIPANTS}
 * @since 0.1.0
 */
public record ThreadSummary(int replyCount, long lastReplySeq, Instant lastReplyAt, List<String> participants) {
    /** How many repliers a summary names; later ones still count in {@code replyCount}. */
    public static final int MAX_PARTICIPANTS = 10;

    public ThreadSummary {
        if (replyCount < 1) {
            throw new IllegalArgumentException("replyCount must be >= 1: " + replyCount);
        }
        Objects.requireNonNull(lastReplyAt, "lastReplyAt");
        participants = participants == null ? List.of() : List.copyOf(participants);
    }

    /** The summary after one more reply by {@code senderId} at {@code seq}. */
    public ThreadSummary plusReply(String senderId, long seq, Instant at) {
        return first(replyCount + 1, seq, at, participants, senderId);
    }

    /** The summary of a thread whose first reply is by {@code senderId} at {@code seq}. */
    public static ThreadSummary firstReply(String senderId, long seq, Instant at) {
        return first(1, seq, at, List.of(), senderId);
    }

    private static ThreadSummary first(int count, long seq, Instant at, List<String> participants, String senderId) {
        List<String> next = participants;
        if (!participants.contains(senderId) && participants.size() < MAX_PARTICIPANTS) {
            next = new java.util.ArrayList<>(participants);
            next.add(senderId);
        }
        return new ThreadSummary(count, seq, at, next);
    }
}
