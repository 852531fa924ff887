package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A stored message. {@code seq} starts at 1 in each conversation and grows by exactly one
 * per stored message; clients order by it, never by clock. Edits, deletion and reactions
 * change a message in place: they never take a new seq.
 *
 * @param id             time-ordered id
 * @param conversationId the conversation
 * @param seq            position in the conversation
 * @param senderId       the author
 * @param clientMsgId    the sender's idempotency key (1 to 64 characters)
 * @param body           the content; empty text for a deleted message
 * @param replyTo        id of the message this one replies to, or {@code null}
 * @param createdAt      commit time
 * @param editedAt       last edit time, or {@code null}
 * @param deleted        whether deleted for everyone (a tombstone), or hidden for the reader
 * @param reactions      reaction summaries, one per emoji, in the order each emoji was first used
 * @param hidden         true for the stub that stands in for a message its reader deleted for
 *                       themselves (then {@code deleted} is true too); left out on the wire when false
 * @param expired        true for the tombstone an expired message leaves (then {@code deleted} is true
 *                       too); left out on the wire when false
 * @param system         the membership or group change a system message records, or {@code null} for a
 *                       user's message; left out on the wire when null (since 0.5)
 * @param mentions       ids of the members the sender mentioned, deduplicated, in the sender's order;
 *                       left out on the wire when empty (since 0.5)
 * @param threadRootId   id of the thread root this message replies in, or {@code null}; left out on the
 *                       wire when null (since 0.6)
 * @param thread         the thread summary of a root that has replies, or {@code null}; left out on the
 *                       wire when null (since 0.6)
 */
public record Message(String id, String conversationId, long seq, String senderId, String clientMsgId,
                      MessageBody body, String replyTo, Instant createdAt, Instant editedAt, boolean deleted,
                      List<ReactionSummary> reactions,
                      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean hidden,
                      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean expired,
                      @JsonInclude(JsonInclude.Include.NON_NULL) SystemInfo system,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> mentions,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String threadRootId,
                      @JsonInclude(JsonInclude.Include.NON_NULL) ThreadSummary thread) {
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1: " + seq);
        }
        reactions = reactions == null ? List.of() : List.copyOf(reactions);
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    /** A message outside any thread. */
    public Message(String id, String conversationId, long seq, String senderId, String clientMsgId,
                   MessageBody body, String replyTo, Instant createdAt, Instant editedAt, boolean deleted,
                   List<ReactionSummary> reactions, boolean hidden, boolean expired, SystemInfo system,
                   List<String> mentions) {
        this(id, conversationId, seq, senderId, clientMsgId, body, replyTo, createdAt, editedAt, deleted, reactions,
                hidden, expired, system, mentions, null, null);
    }

    /** A user's message without mentions. */
    public Message(String id, String conversationId, long seq, String senderId, String clientMsgId,
                   MessageBody body, String replyTo, Instant createdAt, Instant editedAt, boolean deleted,
                   List<ReactionSummary> reactions, boolean hidden, boolean expired) {
        this(id, conversationId, seq, senderId, clientMsgId, body, replyTo, createdAt, editedAt, deleted, reactions,
                hidden, expired, null, List.of());
    }

    /** Whether this is a system message (a membership or group change), which cannot be edited or reacted to. */
    public boolean fromSystem() {
        return system != null;
    }

    /** A message that has not expired. */
    public Message(String id, String conversationId, long seq, String senderId, String clientMsgId,
                   MessageBody body, String replyTo, Instant createdAt, Instant editedAt, boolean deleted,
                   List<ReactionSummary> reactions, boolean hidden) {
        this(id, conversationId, seq, senderId, clientMsgId, body, replyTo, createdAt, editedAt, deleted, reactions,
                hidden, false);
    }

    /** A message without reactions, as it is when first stored. */
    public Message(String id, String conversationId, long seq, String senderId, String clientMsgId,
                   MessageBody body, String replyTo, Instant createdAt, Instant editedAt, boolean deleted) {
        this(id, conversationId, seq, senderId, clientMsgId, body, replyTo, createdAt, editedAt, deleted, List.of(),
                false);
    }

    /** This message with other reaction summaries. */
    public Message withReactions(List<ReactionSummary> summaries) {
        return new Message(id, conversationId, seq, senderId, clientMsgId, body, replyTo, createdAt, editedAt, deleted,
                summaries, hidden, expired, system, mentions, threadRootId, thread);
    }

    /** This message with the {@code hidden} mark set or cleared (content unchanged). */
    public Message withHidden(boolean hiddenForReader) {
        return new Message(id, conversationId, seq, senderId, clientMsgId, body, replyTo, createdAt, editedAt, deleted,
                reactions, hiddenForReader, expired, system, mentions, threadRootId, thread);
    }

    /** This message with a new body, as an edit at {@code at} leaves it. */
    public Message edited(MessageBody newBody, Instant at) {
        return new Message(id, conversationId, seq, senderId, clientMsgId, newBody, replyTo, createdAt, at, deleted,
                reactions, hidden, expired, system, mentions, threadRootId, thread);
    }

    /** The tombstone a delete for everyone leaves: same id and seq, empty text, no reactions. */
    public Message tombstone() {
        return new Message(id, conversationId, seq, senderId, clientMsgId, new MessageBody(""), replyTo, createdAt,
                null, true, List.of(), hidden, expired, system, List.of(), threadRootId, thread);
    }

    /**
     * The tombstone an expired message leaves: same id and seq, empty text, no reply, edits or
     * reactions, {@code deleted} and {@code expired} set.
     *
     * @since 0.1.0
     */
    public Message expiredTombstone() {
        return new Message(id, conversationId, seq, senderId, clientMsgId, new MessageBody(""), null, createdAt,
                null, true, List.of(), hidden, true, system, List.of(), threadRootId, thread);
    }

    /** The stub that stands in for this message for a reader who deleted it for themselves. */
    public Message hiddenStub() {
        return new Message(id, conversationId, seq, senderId, clientMsgId, new MessageBody(""), null, createdAt,
                null, true, List.of(), true, expired, system, List.of(), threadRootId, thread);
    }

    /** This message with another thread summary (a root after a new reply). */
    public Message withThread(ThreadSummary summary) {
        return new Message(id, conversationId, seq, senderId, clientMsgId, body, replyTo, createdAt, editedAt, deleted,
                reactions, hidden, expired, system, mentions, threadRootId, summary);
    }

    /** Whether this message is a reply in a thread. */
    public boolean inThread() {
        return threadRootId != null;
    }
}
